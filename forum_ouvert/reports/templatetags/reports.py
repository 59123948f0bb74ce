"""French typography for printed reports."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

NNBSP = "\u202f"  # espace fine insécable, before ; ! ? and the closing guillemet
NBSP = "\u00a0"  # espace insécable, before : and after the opening guillemet
_SPACE_BEFORE_TALL = re.compile(r" ([;!?»])")
_SPACE_BEFORE_COLON = re.compile(r" :")
_SPACE_AFTER_GUILLEMET = re.compile(r"« ")


@register.filter(needs_autoescape=True)
def typo_fr(value, autoescape=True):
    """Escape the text, then make the spaces around ; : ! ? « » unbreakable, so that a
    punctuation mark never starts a line. URLs and times (no space) are left alone."""
    text = str(conditional_escape(value) if autoescape else value)
    text = _SPACE_BEFORE_TALL.sub(NNBSP + r"\1", text)
    text = _SPACE_BEFORE_COLON.sub(NBSP + ":", text)
    text = _SPACE_AFTER_GUILLEMET.sub("«" + NBSP, text)
    return mark_safe(text)  # noqa: S308  # nosec  # nosemgrep: fo-mark-safe-non-literal (escaped above)
