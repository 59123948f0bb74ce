"""Institutions are one table, each with a short and a long name (issue 22: « CESE » and
« Conseil économique, social et environnemental (CESE) » were two rows of the filter).

``canonical(name)`` gives the one (short, long) pair a name stands for; the importer and
the migration that merged the old duplicates read this table."""

from __future__ import annotations

#: (short name, long name) of the institutions the plan names in several ways.
KNOWN = [
    ("CESE", "Conseil économique, social et environnemental (CESE)"),
    ("DITP", "Direction interministérielle de la transformation publique (DITP)"),
    ("DINUM", "Direction interministérielle du numérique (DINUM)"),
    ("ANCT", "Agence nationale de la cohésion des territoires (ANCT)"),
    ("CNNum", "Conseil national du numérique (CNNum)"),
    ("AEFE", "Agence pour l'enseignement français à l'étranger (AEFE)"),
]
#: Other spellings of the same institution, by the long name they stand for.
ALIASES = {
    "DITP (département Innovation)": "Direction interministérielle de la transformation "
    "publique (DITP)",
}


def canonical(name: str) -> tuple[str, str]:
    """``(short, long)`` for ``name``: a known institution under its long name, or the name
    itself (no short name) for one that the table does not know."""
    name = " ".join(str(name).split())
    name = ALIASES.get(name, name)
    for short, long in KNOWN:
        if name in (short, long):
            return short, long
    return "", name
