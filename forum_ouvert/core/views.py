"""Ground-floor views: health check, the site's legal pages, error pages."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import access, rgaa, terms
from .accounts import lockout_seconds
from .durations import duration_text
from .forms import TermsAcceptForm, add_errors
from .links import absolute_url, safe_next
from .logging import get_request_id
from .services import terms_accept as accept_terms

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

    @terms.not_required  # the legal pages, readable before accepting the terms
    @access.public
    def view(request):
        return render(request, template_name, {"title": title})

    view.__name__ = template_name.rsplit("/", 1)[-1].removesuffix(".html").replace("-", "_")
    return view


def _accessibility_contact() -> tuple[str, str]:
    contact = settings.ACCESSIBILITY_CONTACT.removeprefix("mailto:")
    return contact, contact if "://" in contact else f"mailto:{contact}"


@terms.not_required
@access.public
def accessibility_statement(request):
    """The RGAA accessibility statement, computed from the audit grid (``core.rgaa``): its
    level and rate, its date and sample, what is not accessible, its contact
    (``ACCESSIBILITY_CONTACT``) and the full recourse."""
    grid = rgaa.audit()
    contact, contact_href = _accessibility_contact()
    counts = grid.counts()
    return render(
        request,
        "core/accessibilite.html",
        {
            "title": _("Déclaration d'accessibilité"),
            "contact": contact,
            "contact_href": contact_href,
            "audit": grid,
            "level": grid.level(),
            "rate": None if grid.rate() is None else round(grid.rate(), 1),
            "conforming": counts[rgaa.CONFORME],
            "failing": counts[rgaa.NON_CONFORME],
            "not_applicable": counts[rgaa.NON_APPLICABLE],
            "unchecked": counts[rgaa.A_VERIFIER],
            "criteria_total": len(grid.criteria),
            "non_accessible": grid.non_accessible(),
        },
    )


@access.public
def accessibility_grid(request):
    """The audit grid behind the statement: each criterion, its result over the sample, how
    it was checked, and the pages where the result differs."""
    grid = rgaa.audit()
    rows = []
    for criterion in grid.criteria:
        status = criterion.status(grid.sample)
        exceptions = [
            (page, criterion.pages[page.id]) for page in grid.sample if page.id in criterion.pages
        ]
        rows.append(
            {
                "criterion": criterion,
                "status": status,
                "label": rgaa.STATUS_LABELS[status],
                "exceptions": exceptions,
            }
        )
    return render(
        request,
        "core/accessibilite-grille.html",
        {"title": _("Grille d'audit RGAA"), "audit": grid, "rows": rows},
    )


@access.public
def accessibility_plan(request):
    """The multi-year accessibility plan (schéma pluriannuel) that the statement links to."""
    contact, contact_href = _accessibility_contact()
    return render(
        request,
        "core/accessibilite-schema.html",
        {
            "title": _("Schéma pluriannuel de mise en accessibilité"),
            "contact": contact,
            "contact_href": contact_href,
            "audit": rgaa.audit(),
        },
    )


@require_POST
@access.permission("core.keep_session")
def session_keepalive(request):
    """« Rester connecté » (core/includes/_session_dialog.html): the request itself restarts
    the idle count (``StaffSecurityMiddleware``); htmx gets 204, a plain form goes back."""
    if request.htmx:
        return HttpResponse(status=204)
    return redirect(safe_next(request, reverse("portal:dashboard")))


def coming_soon(title: str, lead: str):
    """A public page for a part of the site that is not open yet (never a broken link)."""

    @access.public
    def view(request, **kwargs):
        return render(request, "core/coming-soon.html", {"title": title, "lead": lead})

    return view


def too_many_requests(request, exception=None):
    """HTTP 429 in French, for allauth's and the platform's rate limits: it says how long
    to wait (the lockout message gave no duration, issue 22)."""
    wait = lockout_seconds()
    response = render(request, "429.html", {"wait": duration_text(wait)}, status=429)
    response["Retry-After"] = str(wait)
    return response


# The error pages render without the request's context and without Django's
# ``requires_csrf_token``: that decorator runs the CSRF check again, which reads the body, and
# a body Django refuses to read (a urlencoded form declaring ``charset=utf-16``) raised
# ``BadRequest`` again in every handler, ending in a 500 (issue 23).


def _path_language(request) -> str:
    """The language an error page speaks: its URL's (``/en/…``), else French. Read from the
    path alone — not the request's body, headers or session, which may be what failed."""
    code = translation.get_language_from_path(getattr(request, "path_info", "") or "")
    return code or settings.LANGUAGE_CODE


def bad_request(request, exception=None):
    """HTTP 400 with the request id, in the language of the URL (French, or English under
    ``/en/``): a request Django could not read (its body, its host) or a form posted past
    the limits. Standalone, like the 500 page: the context processors could read what made
    the request bad."""
    template = loader.get_template("400.html")
    with translation.override(_path_language(request)):
        return HttpResponseBadRequest(template.render({"request_id": get_request_id()}))


def csrf_failure(request, reason=""):
    """HTTP 403 in French when a form fails Django's CSRF check (a page left open, a login
    in another tab, cookies refused); Django's own page is in English and speaks of
    « CSRF ». Standalone, like the 400 page. Set as ``CSRF_FAILURE_VIEW``."""
    template = loader.get_template("403_csrf.html")
    return HttpResponseForbidden(template.render({"request_id": get_request_id()}))


def server_error(request):
    """HTTP 500 with the request id as « Référence de l'erreur », in the language of the
    URL. No request context: the context processors could query a database that may be
    the very thing that failed."""
    template = loader.get_template("500.html")
    with translation.override(_path_language(request)):
        return HttpResponseServerError(template.render({"request_id": get_request_id()}))


@access.public
def security_txt(request):
    """/.well-known/security.txt (RFC 9116): whom to tell about a vulnerability, and how.
    ``Expires`` is always a year ahead: the file is generated, never left to go stale."""
    contact = settings.SECURITY_CONTACT
    if "://" not in contact and not contact.startswith("mailto:"):
        contact = f"mailto:{contact}"
    expires = (timezone.now() + dt.timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.astimezone(dt.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: fr, en",
        f"Canonical: {absolute_url(reverse('fixed:security_txt'))}",
        f"Policy: {absolute_url(reverse('core:security_policy'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@terms.not_required
@access.public
def security_policy(request):
    """The vulnerability disclosure policy (linked from the footer and security.txt)."""
    return render(
        request,
        "core/securite.html",
        {
            "title": _("Politique de divulgation des vulnérabilités"),
            "contact": settings.SECURITY_CONTACT.removeprefix("mailto:"),
        },
    )


@access.public
def search(request):
    """``/recherche/``: every public object of the site matching ``q`` (of the kind
    ``type``), best first, the matched words highlighted; a GET form, no JavaScript."""
    from . import search as site_search

    text = request.GET.get("q", "")
    kinds = {kind.key for kind in site_search.search_kinds()}
    kind = request.GET.get("type") if request.GET.get("type") in kinds else None
    results = site_search.site_search(text, kind=kind, page=request.GET.get("page"))
    title = _("Recherche « %(text)s »") % {"text": results.text} if results.text else _("Recherche")
    return render(
        request,
        "core/search.html",
        {
            "title": title,
            "results": results,
            "kind": kind,
            "page_obj": results.page,
            "max_length": site_search.MAX_QUERY,
        },
    )


@terms.not_required
@access.public
def terms_page(request):
    """The terms of use in force, with their version and date (``?version=`` for an
    earlier one, as named in a person's data download); the versions published so far."""
    wanted = request.GET.get("version")
    version = terms.get(wanted) if wanted else terms.current()
    if version is None:
        raise Http404
    return render(
        request,
        "core/terms.html",
        {
            "title": terms.TITLE,
            "version": version,
            "current": terms.current(),
            "versions": list(reversed(terms.VERSIONS)),
        },
    )


@never_cache
@terms.not_required
@access.login
def terms_accept(request):
    """The terms in force, for a person who has not accepted them yet (sent here by
    ``core.middleware.TermsMiddleware`` with ``?next=``): what changed, the text, and
    « J'accepte ». One who already did sees when, and goes on."""
    current = terms.current()
    form = TermsAcceptForm(
        request.POST if request.method == "POST" else None, initial={"version": current.id}
    )
    next_url = safe_next(request, reverse("portal:my_space"))
    if request.method == "POST" and form.is_valid():
        try:
            accept_terms(user=request.user, version=form.cleaned_data["version"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Merci : vous avez accepté les conditions générales d'utilisation "
                    "(version %(version)s)."
                )
                % {"version": current.id},
            )
            return redirect(next_url)
    if form.is_bound:  # shown again: the box now accepts the text shown, the one in force
        form.data = form.data.copy()
        form.data["version"] = current.id
    return render(
        request,
        "core/terms_accept.html",
        {
            "title": _("Accepter les conditions générales d'utilisation"),
            "form": form,
            "version": current,
            "previous": terms.get(request.user.terms_version),
            "accepted": terms.is_current(request.user),
            "next": next_url,
        },
        status=400 if form.is_bound else 200,
    )
