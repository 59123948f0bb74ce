"""The French catalogue of the site's own plurals (``make messages``).

The site's strings are written in French. Without a catalogue, gettext counts them in
English (``n != 1`` → plural), which prints « 0 commentaires »; French uses the plural
from 2 (``n > 1``). This command extracts the strings with ``makemessages``, keeps only
the plural entries, each translated into itself under French plural rules, and compiles
the ``.mo`` (committed: the server needs no gettext tools).

    python -m forum_ouvert.devtools.plurals          # rebuild
    python -m forum_ouvert.devtools.plurals --check  # fail if a plural is missing
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "forum_ouvert" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
HEADER = """\
# The French plurals of the site's own strings (its source language is French).
#
# Without a catalogue, gettext counts in English (n != 1 → plural): « 0 commentaires ».
# French says « 0 commentaire » (n > 1 → plural). Only the plural entries are here, each
# translated into itself: `make messages` rebuilds this file and its .mo.
msgid ""
msgstr ""
"Project-Id-Version: forum-ouvert\\n"
"Language: fr\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"""


def _field(block: str, key: str) -> str:
    match = re.search(rf"^{key} ((?:\".*\"\n?)+)", block + "\n", re.M)
    return match.group(1).rstrip("\n")


def extract() -> str:
    """The catalogue as it should be, from the code as it is."""
    CATALOGUE.unlink(missing_ok=True)  # a fresh extraction, not merged into the old one
    CATALOGUE.with_suffix(".mo").unlink(missing_ok=True)
    with contextlib.nullcontext():
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "forum_ouvert.settings.test"}
        subprocess.run(  # noqa: S603 (our own command)
            [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"]
            + ["--no-location", "--ignore=.venv", "--ignore=tests", "--ignore=var"]
            + ["--ignore=forum_ouvert/locale"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        produced = ROOT / "forum_ouvert" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
        text = produced.read_text()
    entries = []
    for block in text.split("\n\n")[1:]:
        if "msgid_plural" not in block:
            continue
        kept = "\n".join(
            line for line in block.split("\n") if line and not line.startswith("msgstr")
        )
        entries.append(
            f"{kept}\nmsgstr[0] {_field(block, 'msgid')}\nmsgstr[1] {_field(block, 'msgid_plural')}"
        )
    return HEADER + "\n" + "\n\n".join(sorted(entries)) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    backup = CATALOGUE.read_text() if CATALOGUE.exists() else None
    compiled = CATALOGUE.with_suffix(".mo")
    compiled_backup = compiled.read_bytes() if compiled.exists() else None
    try:
        wanted = extract()
    finally:
        if backup is not None:
            CATALOGUE.write_text(backup)
        if compiled_backup is not None:
            compiled.write_bytes(compiled_backup)
    if args.check:
        if backup != wanted:
            print("Le catalogue des pluriels n'est pas à jour : lancez « make messages ».")
            return 1
        return 0
    CATALOGUE.write_text(wanted)
    msgfmt = shutil.which("msgfmt")
    if not msgfmt:
        print("msgfmt absent (paquet Debian gettext) : le .mo n'est pas recompilé.")
        return 1
    command = [msgfmt, "--check-format", "-o", CATALOGUE.with_suffix(".mo"), CATALOGUE]
    subprocess.run(command, check=True)  # noqa: S603 (our own command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
