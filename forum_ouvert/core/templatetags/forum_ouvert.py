"""Template helpers shared by every app."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()
ARIA_CURRENT = SafeString(' aria-current="page"')


@register.simple_tag(takes_context=True)
def aria_current(context, prefix: str, exact: bool = False) -> SafeString:
    """``aria-current="page"`` when the current path is (or starts with) ``prefix``."""
    request = context.get("request")
    path = request.path if request else ""
    matches = path == prefix if exact else path.startswith(prefix)
    return ARIA_CURRENT if matches else SafeString("")


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with some parameters replaced (``page=None`` removes it)."""
    query = context["request"].GET.copy()
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
        '<progress class="fo-progress" max="100" value="{}" aria-label="Avancement : {} %">'
        "{} %</progress>",
        pct,
        pct,
        pct,
    )
