"""A readable diff between two versions of a proposal, section by section.

Lines (paragraphs) are compared first, then, inside a changed block, words: a corrected
typo shows as one word struck out and one added, not as two whole paragraphs. The result
is plain data (``Segment``s) that the template marks up with ``<ins>``/``<del>`` and
visually hidden text, so that changes are told by more than colour.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from forum_ouvert.core.dates import date_label

from .models import ProposalText

#: Words and the spaces between them, so that joining the tokens gives the text back.
TOKENS = re.compile(r"\s+|[^\s]+")

EQUAL, INSERT, DELETE = "equal", "insert", "delete"


@dataclass(frozen=True)
class Segment:
    op: str  # EQUAL, INSERT or DELETE
    text: str


@dataclass(frozen=True)
class SectionDiff:
    name: str
    label: str
    segments: list[Segment]

    @property
    def changed(self) -> bool:
        return any(s.op != EQUAL for s in self.segments)


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if merged and merged[-1].op == segment.op:
            merged[-1] = Segment(segment.op, merged[-1].text + segment.text)
        else:
            merged.append(segment)
    return merged


def _words(old: str, new: str) -> list[Segment]:
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if op == "equal":
            out.append(Segment(EQUAL, "".join(a[i1:i2])))
        else:
            out.append(Segment(DELETE, "".join(a[i1:i2])))
            out.append(Segment(INSERT, "".join(b[j1:j2])))
    return out


def diff_text(old: str, new: str) -> list[Segment]:
    """The segments that turn ``old`` into ``new`` (lines first, then words)."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Segment(EQUAL, "".join(a[i1:i2])))
        elif op == "replace":
            out.extend(_words("".join(a[i1:i2]), "".join(b[j1:j2])))
        else:
            out.append(Segment(DELETE, "".join(a[i1:i2])))
            out.append(Segment(INSERT, "".join(b[j1:j2])))
    return _merge(out)


def _date(value) -> str:
    return date_label(value) or "…"


def section_text(text: ProposalText, name: str) -> str:
    """A section as the text the diff compares (values and milestones one per line)."""
    if name == "ogp_values":
        return "\n".join(text.ogp_value_labels())
    if name == "milestones":
        return "\n".join(
            _("%(deliverable)s (du %(start)s au %(end)s)")
            % {
                "deliverable": row["deliverable"],
                "start": _date(row["starts_on"]),
                "end": _date(row["ends_on"]),
            }
            for row in text.milestone_rows()
        )
    return getattr(text, name) or ""


def diff_versions(old: ProposalText, new: ProposalText) -> list[SectionDiff]:
    """Every section of the template, with the changes from ``old`` to ``new``."""
    return [
        SectionDiff(
            name=name,
            label=str(type(new)._meta.get_field(name).verbose_name),
            segments=diff_text(section_text(old, name), section_text(new, name)),
        )
        for name in ProposalText.SECTIONS
    ]
