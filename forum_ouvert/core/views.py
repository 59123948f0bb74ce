"""Ground-floor views: health check, the site's legal pages, error pages."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from . import access

logger = logging.getLogger(__name__)


@never_cache
@access.public
def healthz(request):
    """``{"database": "ok", "cache": "ok"}`` with 200, or 503 naming what failed."""
    status = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        status["database"] = "ok"
    except Exception as exc:  # any driver error means "down"; the body says which part
        logger.warning("healthz: database down: %s", exc)
        status["database"] = "error"
    try:
        cache.set("healthz", "1", 5)
        status["cache"] = "ok" if cache.get("healthz") == "1" else "error"
    except Exception as exc:
        logger.warning("healthz: cache down: %s", exc)
        status["cache"] = "error"
    ok = all(value == "ok" for value in status.values())
    return JsonResponse(status, status=200 if ok else 503)


@access.public
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them the State's."""
    return redirect(static("dsfr/dist/favicon/favicon.ico"), permanent=True)


def page(template_name: str, title: str):
    """A public informational page rendered from a template."""

    @access.public
    def view(request):
        return render(request, template_name, {"title": title})

    view.__name__ = template_name.rsplit("/", 1)[-1].removesuffix(".html").replace("-", "_")
    return view


def coming_soon(title: str, lead: str):
    """A public page for a part of the site that is not open yet (never a broken link)."""

    @access.public
    def view(request, **kwargs):
        return render(request, "core/coming-soon.html", {"title": title, "lead": lead})

    return view


def too_many_requests(request, exception=None):
    """HTTP 429 in French, for allauth's and the platform's rate limits."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "900"
    return response
