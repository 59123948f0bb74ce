"""Template helpers of the contributions app."""

from django import template

from ..text import render_plain_text

register = template.Library()


@register.filter
def plain_text(value: str):
    """A participant's text as escaped paragraphs with safe links."""
    return render_plain_text(value)
