"""Short labels from long texts: cut at a word, with « … ».

Stored history is never cut (a journal entry keeps the whole text). Where a label must be
short (a journal entry's heading, a filter option, a breadcrumb), it ends on a whole word
followed by an ellipsis, never « …du Forum ouve »."""

from __future__ import annotations

ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else its first whole words and « … »
    (``limit`` counts the ellipsis). A single word longer than the limit is cut."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        head = cut.rsplit(" ", 1)[0]
        if len(head) >= limit // 2:
            cut = head
    return cut.rstrip(" ,;:.-–—(«") + ELLIPSIS


#: First letters before which French writes « d' » instead of « de ».
VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿæœAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸÆŒ")


def elide_de(name: str) -> str:
    """« de Camille », « d'Agent DITP », « d'Élise »: the preposition before a name."""
    name = str(name or "").strip()
    return f"d’{name}" if name[:1] in VOWELS else f"de {name}"
