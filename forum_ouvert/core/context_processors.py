"""What every page needs: the demo notice flag, the request id (error pages), the part of
the site a page belongs to (its ``<title>``)."""

import functools

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from . import i18n, pagecache

DEMO_CACHE_KEY = "core:demo-data-loaded"


def demo_data_loaded() -> bool:
    """Whether fictitious demo data is loaded (cached; the seed command resets the key)."""
    from .models import DemoDataset

    return pagecache.cached_value(DEMO_CACHE_KEY, lambda: DemoDataset.objects.exists(), 300)


#: The parts of the site whose pages have a public counterpart of the same name (a call, a
#: plan, an application): their ``<title>`` says which part, « … — Pilotage — Forum ouvert »,
#: so that no two pages share a title (RGAA 8.6).
TITLE_SECTIONS = (("/pilotage/", _("Pilotage")), ("/mon-espace/", _("Mon espace")))


def title_section(path: str) -> str:
    """The part of the site named in the ``<title>`` of the page at ``path`` ("" if none)."""
    return next((str(name) for prefix, name in TITLE_SECTIONS if path.startswith(prefix)), "")


def staff_session(request) -> dict | None:
    """For DITP staff and commitment leads, whose sessions end after an idle time: that
    time and the warning the page gives before it (the dialog of
    ``core/includes/_session_dialog.html``)."""
    from django.conf import settings

    from .durations import duration_text
    from .middleware import SESSION_WARNING_SECONDS

    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or not getattr(user, "changes_public_record", False)
    ):
        return None
    timeout = settings.STAFF_SESSION_IDLE_TIMEOUT
    warning = min(SESSION_WARNING_SECONDS, timeout)
    return {
        "timeout": timeout,
        "warning": warning,
        "timeout_text": duration_text(timeout),
        "warning_text": duration_text(warning),
    }


def notifications_unread(request) -> int:
    """The header's count of unread notifications: logged-in people only, so that anonymous
    pages (the page cache) never read the notifications."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return user.unread_notifications  # kept on the person's row: no query


def site(request):
    return {
        "title_section": title_section(i18n.unprefixed_path(request.path)),
        # The same page in each language: <link rel="alternate" hreflang> and the selector.
        "language_alternates": SimpleLazyObject(lambda: i18n.alternates(request)),
        # Counted once per page, when the header shows it (the header is drawn twice).
        # (a callable: the template calls it, and an int reaches ``blocktranslate count``).
        "notifications_unread": functools.cache(lambda: notifications_unread(request)),
        "staff_session": staff_session(request),
        "demo_mode": SimpleLazyObject(demo_data_loaded),
        # Shown on error pages as « Référence de l'erreur » (see core.logging).
        "request_id": getattr(request, "request_id", ""),
    }
