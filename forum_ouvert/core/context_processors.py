"""What every page needs: the demo notice flag, the request id (error pages)."""

from django.utils.functional import SimpleLazyObject

from . import pagecache

DEMO_CACHE_KEY = "core:demo-data-loaded"


def demo_data_loaded() -> bool:
    """Whether fictitious demo data is loaded (cached; the seed command resets the key)."""
    from .models import DemoDataset

    return pagecache.cached_value(DEMO_CACHE_KEY, lambda: DemoDataset.objects.exists(), 300)


def site(request):
    return {
        "demo_mode": SimpleLazyObject(demo_data_loaded),
        # Shown on error pages as « Référence de l'erreur » (see core.logging).
        "request_id": getattr(request, "request_id", ""),
    }
