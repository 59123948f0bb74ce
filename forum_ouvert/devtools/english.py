"""The English catalogue of the site (``make messages``, after the French plurals).

The site is written in French: its msgids are French and French needs no catalogue but its
plurals (``plurals.py``). English has one entry per translatable string of the code,
``forum_ouvert/locale/en/LC_MESSAGES/django.po``, extracted by ``makemessages`` and merged
with the translations already written (``msgmerge``), each entry with the files it comes
from (``#: templates/base.html``, without line numbers so that moving a line changes
nothing). The ``.mo`` is compiled and committed (the server needs no gettext tools).

The English site grows page by page: :data:`TRANSLATED_SOURCES` names the files whose
strings are all translated, and ``tests/core/test_english.py`` fails when one of their
entries is empty or fuzzy, when any entry is fuzzy, and when the catalogue is not what the
code would extract (a string added without ``make messages``). An untranslated entry of
another file is shown in French, as the whole page it belongs to still is.

    python -m forum_ouvert.devtools.english          # rebuild (keeps the translations)
    python -m forum_ouvert.devtools.english --check  # fail if not up to date
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "forum_ouvert" / "locale" / "en" / "LC_MESSAGES" / "django.po"
#: The files whose every string has its English translation (prefixes of paths).
TRANSLATED_SOURCES = (
    "templates/base.html",
    "templates/includes/",
    "templates/400.html",
    "templates/403.html",
    "templates/403_csrf.html",
    "templates/404.html",
    "templates/429.html",
    "templates/500.html",
    "forum_ouvert/core/dates.py",
    "forum_ouvert/core/numbers.py",
    "forum_ouvert/core/i18n.py",
    "forum_ouvert/core/terms.py",
    "forum_ouvert/core/templates/core/terms.html",
    "forum_ouvert/core/templates/core/terms/",
    "forum_ouvert/core/templates/core/terms_accept.html",
    "forum_ouvert/portal/templates/portal/home.html",
    "forum_ouvert/portal/templates/portal/participant.html",
    "forum_ouvert/portal/templates/portal/public_profile_settings.html",
    "forum_ouvert/portal/profile_views.py",
    "engagements/templates/engagements/plan_list.html",
    "engagements/templates/engagements/plan_detail.html",
    "engagements/templates/engagements/commitment_list.html",
    "engagements/templates/engagements/commitment_detail.html",
    "engagements/templates/engagements/includes/",
    "engagements/templatetags/engagements.py",
    "engagements/forms.py",
    "engagements/views.py",
    # The plan's documents, linked on the plan's page (issue 16, item 8).
    "forum_ouvert/reports/templates/reports/includes/_plan_documents.html",
    # A report in English (issue 18, item 5): its PDF, its charts and figures.
    "forum_ouvert/reports/templates/reports/pdf/report.html",
    "forum_ouvert/reports/content.py",
    "forum_ouvert/reports/figures.py",
    # Every e-mail, written in its reader's language (issue 18, item 6; core.mail).
    "engagements/templates/engagements/emails/",
    "forum_ouvert/core/templates/core/emails/",
    "forum_ouvert/reports/templates/reports/emails/",
    "participation/cocreation/templates/cocreation/emails/",
    "participation/contributions/templates/contributions/emails/",
    "participation/forum/templates/forum/emails/",
    "participation/workshops/templates/workshops/emails/",
)
HEADER = """\
# The English translation of the site (its source language is French): `make messages`
# extracts the strings, keeps the translations written here and compiles the .mo.
msgid ""
msgstr ""
"Project-Id-Version: forum-ouvert\\n"
"Language: en\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""


@dataclass
class Entry:
    """One message of a catalogue, as much of it as the checks read."""

    msgid: str
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    fuzzy: bool = False
    obsolete: bool = False

    @property
    def key(self) -> tuple:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr) and not self.fuzzy

    def in_translated_sources(self) -> bool:
        return any(loc.startswith(TRANSLATED_SOURCES) for loc in self.locations)


def _unquote(lines: list[str]) -> str:
    text = "".join(re.match(r'^\s*"(.*)"\s*$', line).group(1) for line in lines)
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def parse(text: str) -> list[Entry]:
    """The entries of a ``.po`` file (its header left out)."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        fields: dict[str, list[str]] = {}
        current = None
        entry = Entry(msgid="")
        for line in block.splitlines():
            if line.startswith("#~"):
                entry.obsolete = True
                continue
            if line.startswith("#:"):
                entry.locations += line[2:].split()
            elif line.startswith("#,"):
                entry.fuzzy = entry.fuzzy or "fuzzy" in line
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[current].append(line)
            else:
                current, rest = line.split(" ", 1)
                fields[current] = [rest]
        if not fields:
            continue
        entry.msgid = _unquote(fields.get("msgid", []))
        entry.msgid_plural = _unquote(fields.get("msgid_plural", []))
        if "msgctxt" in fields:
            entry.msgctxt = _unquote(fields["msgctxt"])
        if "msgstr" in fields:
            entry.msgstr = [_unquote(fields["msgstr"])]
        else:
            entry.msgstr = [
                _unquote(fields[name]) for name in sorted(fields) if name.startswith("msgstr[")
            ]
        if entry.msgid == "" and entry.msgctxt is None:
            continue  # the header
        entries.append(entry)
    return entries


def _body(text: str) -> str:
    """The entries of a catalogue's text, without its header and its comment lines."""
    parts = re.split(r"\n\s*\n", text.strip())
    kept = []
    for part in parts:
        lines = part.splitlines()
        code = [line for line in lines if not line.startswith("#")]
        if code[:2] == ['msgid ""', 'msgstr ""']:
            continue  # a header (ours, or the one makemessages writes the first time)
        kept.append("\n".join(_unguessed(lines)))
    return "\n\n".join(kept)


def _unguessed(lines: list[str]) -> list[str]:
    """An entry's lines without comments, and without msgmerge's guess when it made one
    (« fuzzy »: a near msgid's translation): a guess is never shown, the entry is left
    to translate."""
    fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
    kept = []
    for line in lines:
        if line == "#" or line.startswith(("# ", "#|")):
            continue
        if fuzzy and line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
            if flags:
                kept.append("#, " + ", ".join(flags))
            continue
        if fuzzy and line.startswith("msgstr"):
            kept.append(line.split(" ", 1)[0] + ' ""')
            continue
        if fuzzy and line.startswith('"') and kept and kept[-1].startswith("msgstr"):
            continue  # a continuation line of the guessed msgstr
        kept.append(line)
    return kept


def extract() -> str:
    """The catalogue as it should be: the code's strings, the translations kept."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "forum_ouvert.settings.test"}
    subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"]
        + ["--add-location=file", "--ignore=.venv", "--ignore=tests", "--ignore=var"]
        + ["--ignore=forum_ouvert/locale", "--ignore=node_modules"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return HEADER + "\n" + _body(CATALOGUE.read_text()) + "\n"


def compile_catalogue(source: Path, target: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if not msgfmt:
        raise SystemExit("msgfmt absent (paquet Debian gettext) : le .mo n'est pas recompilé.")
    subprocess.run(  # noqa: S603 (our own command)
        [msgfmt, "--check-format", "-o", target, source], check=True
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    CATALOGUE.parent.mkdir(parents=True, exist_ok=True)
    backup = CATALOGUE.read_text() if CATALOGUE.exists() else None
    try:
        wanted = extract()
    finally:
        if args.check:
            if backup is None:
                CATALOGUE.unlink(missing_ok=True)
            else:
                CATALOGUE.write_text(backup)
    if args.check:
        if backup != wanted:
            print("Le catalogue anglais n'est pas à jour : lancez « make messages ».")
            return 1
        compiled = CATALOGUE.with_suffix(".mo")
        with tempfile.TemporaryDirectory() as folder:
            fresh = Path(folder) / "django.mo"
            compile_catalogue(CATALOGUE, fresh)
            if not compiled.exists() or compiled.read_bytes() != fresh.read_bytes():
                print("Le .mo anglais n'est pas celui du .po : lancez « make messages ».")
                return 1
        return 0
    CATALOGUE.write_text(wanted)
    compile_catalogue(CATALOGUE, CATALOGUE.with_suffix(".mo"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
