"""Plain text written by participants, shown as paragraphs with clickable links.

Participants type plain text, never HTML. Rendering escapes everything, turns blank lines
into paragraphs and web addresses (``http(s)://…`` or ``www.…``) into links, then passes
the result through nh3 (a maintained sanitiser) that keeps only ``<p>``, ``<br>`` and
``<a href="http(s)…">``: even a bug in the linkifier could not let markup through.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

_PARAGRAPHS = re.compile(r"\n\s*\n")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»"
_ALLOWED_TAGS = {"p", "br", "a"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}}
_SCHEMES = {"http", "https"}
_SHOWN = 60


def _link(url: str) -> str:
    href = url if url.lower().startswith("http") else f"https://{url}"
    shown = url if len(url) <= _SHOWN else url[: _SHOWN - 1] + "…"
    return format_html('<a href="{}">{}</a>', href, shown)


def _linkify(paragraph: str) -> str:
    """Escape a paragraph and turn its addresses into links."""
    parts, last = [], 0
    for match in _URL.finditer(paragraph):
        url = match.group(0).rstrip(_TRAILING)
        start, end = match.start(), match.start() + len(url)
        parts.append(escape(paragraph[last:start]))
        parts.append(_link(url) if len(url) > len("www.") else escape(url))
        last = end
    parts.append(escape(paragraph[last:]))
    return "".join(parts).replace("\n", "<br>")


def render_plain_text(text: str) -> SafeString:
    """Escaped paragraphs with safe links (``rel="nofollow noopener ugc"``)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return SafeString("")
    html = "".join(f"<p>{_linkify(p.strip())}</p>" for p in _PARAGRAPHS.split(text))
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="nofollow noopener ugc",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308  # nosec  # nosemgrep: fo-mark-safe-non-literal (nh3 above)
