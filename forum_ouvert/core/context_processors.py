"""What every page needs: the demo notice flag and the main navigation."""

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

DEMO_CACHE_KEY = "core:demo-data-loaded"


def demo_data_loaded() -> bool:
    """Whether fictitious demo data is loaded (cached; the seed command resets the key)."""
    from .models import DemoDataset

    return cache.get_or_set(DEMO_CACHE_KEY, lambda: DemoDataset.objects.exists(), 300)


def site(request):
    return {"demo_mode": SimpleLazyObject(demo_data_loaded)}
