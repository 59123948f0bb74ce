"""Template helpers of the contributions app."""

from django import template

from ..forms import ItemModerationForm
from ..text import render_plain_text

register = template.Library()


@register.filter
def plain_text(value: str):
    """A participant's text as escaped paragraphs with safe links."""
    return render_plain_text(value)


@register.simple_tag(takes_context=True)
def moderation_form(context, item) -> dict:
    """``{% moderation_form item as moderation %}``: what the inline moderation form of a
    contribution or comment draws; the page's refused form (``moderation_form``) when it is
    this item's, filled in as it was sent."""
    return ItemModerationForm.for_item(item, context.get("moderation_form"))
