"""Cross-cutting request handling: request ids, staff account safety, the terms of use."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import terms
from .durations import duration_text
from .i18n import unprefixed_path
from .logging import new_request_id, request_id

STAFF_ONLY_PREFIXES = ("/pilotage/", "/admin/")


class RequestIdMiddleware:
    """Every request gets an id: the proxy's ``X-Request-ID`` when it is a sane token, else
    a new one. It is on every log record of the request (``core.logging``), on the error
    pages, and sent back in the ``X-Request-ID`` response header. First in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = new_request_id(request.headers.get("X-Request-ID"))
        request.request_id = rid
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response.headers["X-Request-ID"] = rid
        return response


class ExtraSecurityHeadersMiddleware:
    """Headers Django does not set, on every response (static files included):

    - ``Cross-Origin-Resource-Policy: same-origin``: nothing of this site is meant to be
      embedded by another origin (images, PDFs…);
    - ``X-XSS-Protection: 1; mode=block``: every current browser ignores it (the strict CSP
      protects them); the old ones that still read it do not understand CSP, and the block
      mode stops the page instead of the filtering mode's rewrites that opened holes. It is
      also what security scanners and audit checklists still look for (wapiti: one finding
      per role without it).
    """

    HEADERS = {
        "Cross-Origin-Resource-Policy": "same-origin",
        "X-XSS-Protection": "1; mode=block",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.HEADERS.items():
            response.headers.setdefault(name, value)
        return response


#: Session flag: this account had a second factor when it logged in (or since it added one).
MFA_SESSION_KEY = "fo_second_factor"


def has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


#: Session flag: the login itself used a second factor at the identity provider
#: (ProConnect's ``amr`` says ``mfa``, ``totp`` or ``pop``); it lasts as long as the session.
PROVIDER_MFA_SESSION_KEY = "fo_second_factor_by_provider"


def remember_second_factor(request, user) -> None:
    """Record in the session whether the account has a second factor (read at login and
    whenever an authenticator is added or removed), so that requests need no query. A
    login whose provider vouched for a second factor counts as one."""
    if getattr(user, "changes_public_record", False) and hasattr(request, "session"):
        request.session[MFA_SESSION_KEY] = bool(
            request.session.get(PROVIDER_MFA_SESSION_KEY)
        ) or has_second_factor(user)


#: How long before a staff session ends the page offers to stay logged in (site.js).
SESSION_WARNING_SECONDS = 120


def _activity_key(request) -> str:
    return f"staff-activity:{request.session.session_key}"


class StaffSecurityMiddleware:
    """DITP staff, admins and commitment leads (``User.changes_public_record``): sessions
    end after ``STAFF_SESSION_IDLE_TIMEOUT`` seconds without activity, and two-factor
    authentication must be on before /pilotage/ or the Django admin. Their accounts can
    change the public record: a stolen password alone must not be enough. Last activity
    lives in the cache (shared by every app server), so that no request pays a database
    write for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.changes_public_record:
            timeout = settings.STAFF_SESSION_IDLE_TIMEOUT
            now = time.time()
            key = _activity_key(request)
            last = cache.get(key)
            if last is not None and now - last > timeout:
                cache.delete(key)
                logout(request)
                messages.info(
                    request,
                    _("Votre session a expiré après %(delay)s d'inactivité : reconnectez-vous.")
                    % {"delay": duration_text(timeout)},
                )
                return redirect_to_login(request.get_full_path())
            cache.set(key, now, timeout + 3600)
            if (
                settings.STAFF_MFA_REQUIRED
                and unprefixed_path(request.path).startswith(STAFF_ONLY_PREFIXES)
                and not request.session.get(MFA_SESSION_KEY)
            ):
                remember_second_factor(request, user)  # e.g. a session older than the flag
                if not request.session.get(MFA_SESSION_KEY):
                    messages.warning(
                        request,
                        _(
                            "Activez la double authentification (application "
                            "d'authentification) pour accéder au pilotage et à "
                            "l'administration."
                        ),
                    )
                    return redirect("mfa_activate_totp")
        return self.get_response(request)


#: allauth's pages (log out, confirm an e-mail, change a password, set up 2FA): managing
#: one's account never waits for the terms. Other such pages carry ``terms.not_required``.
TERMS_FREE_PREFIXES = ("/compte/",)


class TermsMiddleware:
    """A logged-in person who has not accepted the terms of use in force (a new version, or
    an account created by ProConnect or FranceConnect) is sent to « Accepter les conditions
    générales » from the next page they open, and back to it afterwards (``?next=``).

    Only pages: a GET answered 200 in HTML, not an htmx fragment; a download (« Mes
    données », a PDF, a CSV) is never held back, and a POST is never refused (what the
    person typed is not lost). Decided on the response, so the view has run: its messages
    are kept for the next page. The user row is already loaded by the page: no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method != "GET"
            or response.status_code != 200
            or not response.get("Content-Type", "").startswith("text/html")
            or request.headers.get("HX-Request")
        ):
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or terms.is_current(user):
            return response
        match = request.resolver_match
        if (
            match is None
            or getattr(match.func, "terms_not_required", False)
            or match.namespace == "fixed"
            or unprefixed_path(request.path).startswith(TERMS_FREE_PREFIXES)
        ):
            return response
        storage = getattr(request, "_messages", None)
        if storage is not None:
            storage.used = False  # the page showed its messages, but nobody saw it
        target = reverse("core:terms_accept") + "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
