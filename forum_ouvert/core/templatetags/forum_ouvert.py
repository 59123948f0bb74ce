"""Template helpers shared by every app."""

import re

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from forum_ouvert.core import access
from forum_ouvert.core.dates import date_label, datetime_label, day_label, time_label
from forum_ouvert.core.i18n import french_text, translated_html, unprefixed_path
from forum_ouvert.core.numbers import file_size, number_label, percent_label
from forum_ouvert.core.text import elide_de
from forum_ouvert.core.text import shorten as shorten_text

from ..forms import cleaned_query, error_items, forms_with_errors

register = template.Library()
register.filter("fr_date", date_label)
register.filter("fr_day", day_label)
register.filter("fr_datetime", datetime_label)
register.filter("fr_time", time_label)
register.filter("file_size", file_size)
register.filter("fr_number", number_label)
register.filter("percent", percent_label)
register.filter("de", elide_de)
register.simple_tag(translated_html, name="translated")
register.filter("french_text", french_text)
ARIA_CURRENT = SafeString(' aria-current="page"')


@register.simple_tag(takes_context=True)
def aria_current(context, prefix: str, exact: bool = False) -> SafeString:
    """``aria-current="page"`` when the current path is (or starts with) ``prefix``."""
    request = context.get("request")
    path = unprefixed_path(request.path) if request else ""
    matches = path == prefix if exact else path.startswith(prefix)
    return ARIA_CURRENT if matches else SafeString("")


@register.inclusion_tag("core/_error_summary.html")
def error_summary(*forms_or_formsets, id_suffix: str = "") -> dict:
    """``{% error_summary form %}``: the form's error summary (nothing when it has no error);
    see ``core.forms``. Its id is ``resume-erreurs``, followed by the form's prefix (or
    ``id_suffix``) when several forms share the page."""
    items = error_items(*forms_or_formsets)
    suffix = id_suffix or next(
        (each.prefix for each in forms_or_formsets if getattr(each, "prefix", None)), ""
    )
    return {
        "items": items,
        "count": len(items),
        "summary_id": f"resume-erreurs-{suffix}" if suffix else "resume-erreurs",
    }


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """« Erreur : » at the start of the ``<title>`` when the page shows a form with errors."""
    return _("Erreur : ") if forms_with_errors(context.flatten().values()) else ""


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (``page=None`` removes it).

    On a list with a filter form (``form`` bound to the query string), only the filters that
    validated are kept: a link never carries back a value the page refused."""
    request = context["request"]
    form = context.get("form")
    if isinstance(form, forms.BaseForm) and form.is_bound and form.data is request.GET:
        query = cleaned_query(form)
    else:
        query = request.GET.copy()
    for key, value in kwargs.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def percent_bar(value) -> SafeString:
    """A native, accessible progress bar for a 0–100 value (no inline style: CSP)."""
    try:
        pct = max(0, min(100, int(value)))
    except (TypeError, ValueError):
        pct = 0
    return format_html(
        '<progress class="fo-progress" max="100" value="{}" aria-label="{}">{}</progress>',
        pct,
        _("Avancement : %(p)s %%") % {"p": pct},
        percent_label(pct),
    )


SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto"})


@register.filter
def safe_href(url) -> str:
    """A stored URL fit for an ``href``: http(s), mailto or a path of this site; else ``#``.

    Models validate their URLs, but a link must not depend on every write path having run
    that validation: a ``javascript:`` or ``data:`` URL that reached the database is never
    written into a page or a PDF.
    """
    from urllib.parse import urlsplit

    text = str(url or "").strip()
    if not text:
        return "#"
    if text.startswith("/") and not text.startswith("//"):
        return text
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return "#"
    return text if scheme in SAFE_LINK_SCHEMES else "#"


@register.simple_tag(takes_context=True)
def may(context, perm: str, obj=None) -> bool:
    """``{% may "contributions.support_contribution" contribution as can_support %}``: the
    question ``core.access.may`` answers, for a template without an abilities dict."""
    return access.may(context.get("user"), perm, obj)


@register.filter
def shorten(value, limit) -> str:
    """Like ``truncatechars``, but at a word: « Publier les données… » (core.text.shorten)."""
    return shorten_text(value if value is not None else "", int(limit))


_CODE_WORD = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


@register.filter
def code_words(value) -> SafeString:
    """Escape ``value`` and set its ``snake_case`` codes as ``<code>`` (open-data columns'
    descriptions name the codes a file holds: ``non_commence``)."""
    text, pairs, last = str(value), [], 0
    for match in _CODE_WORD.finditer(text):
        pairs.append((text[last : match.start()], match.group(0)))
        last = match.end()
    return format_html("{}{}", format_html_join("", "{}<code>{}</code>", pairs), text[last:])


@register.simple_tag
def author_link(person, organisation: str = "") -> SafeString:
    """``{% author_link comment.author %}``: the name shown next to what a person published
    (``User.public_name``), as a link to their public page when they opened one (issue 19,
    item 4), as plain text otherwise. ``organisation=`` adds « , pour Voix citoyennes ».
    Reads only the person's row: a list that selects its authors gains no query. With
    ``as name``, the result goes into a ``blocktranslate`` unescaped, being already safe."""
    from django.urls import reverse

    if person is None:
        name = format_html("{}", _("Participant·e"))
    elif person.has_public_profile:
        name = format_html(
            '<a href="{}">{}</a>',
            reverse("portal:participant", kwargs={"pk": person.pk}),
            person.public_name,
        )
    else:
        name = format_html("{}", person.public_name)
    if organisation:
        return format_html(
            "{}{}", name, _(", pour %(organisation)s") % {"organisation": organisation}
        )
    return name
