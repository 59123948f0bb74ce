"""Template helpers of the contributions app."""

from django import template

from ..models import ModerationRule
from ..text import render_plain_text

register = template.Library()


@register.filter
def plain_text(value: str):
    """A participant's text as escaped paragraphs with safe links."""
    return render_plain_text(value)


@register.inclusion_tag("contributions/includes/_rule_select.html")
def rule_select(id_prefix: str, pk: int | None = None, *, required: bool = False) -> dict:
    """The « règle concernée » select of the inline moderation forms (name ``rule``)."""
    return {
        "select_id": f"{id_prefix}-{pk}" if pk is not None else id_prefix,
        "rules": ModerationRule.choices,
        "required": required,
    }
