"""Plain text written by participants, shown as paragraphs with clickable links.

Participants type plain text, never HTML. Rendering escapes everything, turns blank lines
into paragraphs and web addresses into links, then passes the result through nh3 (a
maintained sanitiser) that keeps only ``<p>``, ``<br>`` and ``<a href="http(s)…">``: even a
bug in the linkifier could not let markup through.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

_PARAGRAPHS = re.compile(r"\n\s*\n")
_ALLOWED_TAGS = {"p", "br", "a"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}}
_SCHEMES = {"http", "https", "mailto"}


def render_plain_text(text: str) -> SafeString:
    """Escaped paragraphs with safe links (``rel="nofollow noopener ugc"``)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return mark_safe("")
    parts = []
    for paragraph in _PARAGRAPHS.split(text):
        linked = urlize(paragraph.strip(), trim_url_limit=60, nofollow=True, autoescape=True)
        parts.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    cleaned = nh3.clean(
        "".join(parts),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="nofollow noopener ugc",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 (sanitised by nh3 just above)
