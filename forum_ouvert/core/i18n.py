"""The site in two languages: French (the reference, unprefixed URLs) and English (/en/).

- Every public page has its English twin under ``/en/`` (``i18n_patterns`` with
  ``prefix_default_language=False``): the French URLs are exactly those of before. What
  must not move stays out of the prefix (see ``forum_ouvert/urls.py``).
- The language of a page is the one its URL says, never a header: a page is the same for
  every anonymous visitor of that URL, so the page cache (keyed by path) stays right.
- The choice is remembered: the header's selector goes through :func:`switch_language`,
  which sets the language cookie and sends to the same page in the chosen language.
  Someone who chose English and then opens an unprefixed (French) URL of a translated page
  is sent to its English twin by :class:`PreferredLanguageMiddleware` (before the page
  cache, which would otherwise serve them the French page); choosing « Français » in the
  selector sets the cookie back. Without the cookie nothing changes.
- Code that looks at a path (« is this the back-office? ») reads :func:`unprefixed_path`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpResponseRedirect
from django.template.defaultfilters import linebreaks_filter
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import access
from .links import absolute_url

#: The language names as each language writes its own (the selector shows « English »).
NATIVE_NAMES = {"fr": "Français", "en": "English"}


def other_languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)


def unprefixed_path(path: str) -> str:
    """``/en/pilotage/`` → ``/pilotage/``: the path as the French site spells it."""
    for code in other_languages():
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(code) + 1 :]
        if path == f"/{code}":
            return "/"
    return path


def twin_url(path: str, code: str) -> str:
    """The same page as ``path`` (with its query) in language ``code``; ``path`` itself
    for a page that exists in one language only. ``translate_url`` resolves the path in
    the active language, which is not always the path's own (the switch is unprefixed)."""
    own = translation.get_language_from_path(path.split("?", 1)[0]) or settings.LANGUAGE_CODE
    with translation.override(own):
        return translate_url(path, code)


def chosen_language(request) -> str | None:
    """The language the visitor chose in the header's selector (its cookie), if any."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return code if code in dict(settings.LANGUAGES) else None


def used_language(request) -> str:
    """The language the visitor uses: the page's own (``/en/…``), else the one they chose
    (the accounts' pages, outside the prefix, are in French whatever the choice), else
    French."""
    from_path = translation.get_language_from_path(request.path_info)
    return from_path or chosen_language(request) or settings.LANGUAGE_CODE


def in_active_language(path: str) -> str:
    """A stored path of the site (a notification's ``/engagements/x/``) in the active
    language: ``/en/engagements/x/`` in English; itself for a page in one language."""
    return twin_url(path, get_language() or settings.LANGUAGE_CODE)


@dataclass(frozen=True)
class Alternate:
    code: str
    name: str
    url: str
    current: bool

    @property
    def absolute(self) -> str:
        return absolute_url(self.url)


def alternates(request) -> list[Alternate]:
    """The same page in each language (``[]`` for a page that exists in French only)."""
    path = request.get_full_path()
    current = get_language()
    urls = {code: twin_url(path, code) for code, _name in settings.LANGUAGES}
    if len(set(urls.values())) < len(urls):  # not a translated page
        return []
    return [
        Alternate(code=code, name=NATIVE_NAMES.get(code, code), url=url, current=code == current)
        for code, url in urls.items()
    ]


@access.public
def switch_language(request, code: str):
    """``/langue/en/?suivant=/engagements/``: remember ``code`` and show that page in it.

    A GET (the selector is made of links, and works without JavaScript); it writes
    nothing but the visitor's own cookie and, for someone logged in whose choice changes,
    the language of their e-mails (their own setting, as the cookie is)."""
    if code not in dict(settings.LANGUAGES):
        code = settings.LANGUAGE_CODE
    target = request.GET.get("suivant") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/"):
        target = "/"
    if request.user.is_authenticated and request.user.preferred_language != code:
        # The person's e-mails follow the language they now use (issue 18, item 6): a
        # write only when it changes, never on an ordinary page.
        from .services import user_set_language

        user_set_language(user=request.user, language=code)
    response = HttpResponseRedirect(twin_url(target, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    response["Cache-Control"] = "no-store"
    return response


def _back_to_french(**kwargs):
    """Once a response is sent (streamed ones included), the thread speaks French again:
    LocaleMiddleware leaves the request's language active, and what runs outside a
    request (a task in the same process, a URL built by a command) must not inherit an
    English visit's language."""
    translation.deactivate()


class PreferredLanguageMiddleware:
    """Someone who chose another language than French, opening a French URL of a page
    that exists in their language, is sent to it (a 302 varying on ``Cookie``). Before
    the page cache in MIDDLEWARE. Only plain GET/HEAD navigations: forms posted and htmx
    requests keep the page they were sent from."""

    def __init__(self, get_response):
        self.get_response = get_response
        request_finished.connect(_back_to_french, dispatch_uid="fo-i18n-back-to-french")

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if (
            chosen in other_languages()
            and request.method in ("GET", "HEAD")
            and "HTTP_HX_REQUEST" not in request.META
            and translation.get_language_from_path(request.path_info) is None
        ):
            full_path = request.get_full_path()
            target = twin_url(full_path, chosen)
            if target != full_path:
                response = HttpResponseRedirect(target)
                patch_vary_headers(response, ("Cookie",))
                response["Cache-Control"] = "private"
                return response
        return self.get_response(request)


# --- Content in two languages -----------------------------------------------------------
# The plan's texts have an English column beside the French one (``title_en`` beside
# ``title``): two languages, fixed, the French the reference, the English optional. Plain
# columns keep the services, the journal, the search vectors and the queries as they were
# (django-modeltranslation would patch the models' managers and add a French column).


def translated(obj, field: str, french: str | None = None) -> tuple[str, bool]:
    """The text of ``obj.<field>`` in the active language, and whether it is the French
    shown for lack of a translation. ``french`` replaces the French value (a display
    form such as a commitment's « Intitulé à compléter »)."""
    value = getattr(obj, field) if french is None else french
    code = get_language() or settings.LANGUAGE_CODE
    if code == settings.LANGUAGE_CODE:
        return value, False
    other = getattr(obj, f"{field}_{code}", "")
    if other:
        return other, False
    return value, bool(value)


def translated_html(obj, field: str, french: str | None = None, lines: bool = False):
    """``{% translated obj "title" %}``: the text in the active language; where it has
    none, the French with ``lang="fr"`` on its element (RGAA 8.7) and a discreet
    « (in French) ». ``lines=True`` keeps the text's paragraphs (``linebreaks``)."""
    text, fallback = translated(obj, field, french)
    if lines:
        body = linebreaks_filter(text, autoescape=True)  # escaped, then marked safe by Django
        if fallback:
            return format_html(
                '<div lang="fr">{}</div><p class="fr-text--xs fo-muted">{}</p>',
                body,
                _("(en français)"),
            )
        return body
    if fallback:
        return format_html(
            '<span lang="fr">{}</span> <span class="fr-text--xs fo-muted">{}</span>',
            text,
            _("(en français)"),
        )
    return text


def french_text(value) -> str:
    """``{{ entry.justification|french_text }}``: a text written in French only (a
    justification), marked ``lang="fr"`` on a page in another language."""
    if not value or (get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE:
        return value
    return format_html('<span lang="fr">{}</span>', value)
