"""Template helpers of the contributions app."""

from django import template

from ..permissions import allowed
from ..text import render_plain_text

register = template.Library()


@register.filter
def plain_text(value: str):
    """A participant's text as escaped paragraphs with safe links."""
    return render_plain_text(value)


@register.simple_tag(takes_context=True)
def may(context, perm: str, obj=None) -> bool:
    """``{% may "contributions.support_contribution" contribution as can_support %}``."""
    return allowed(context.get("user"), perm, obj)
