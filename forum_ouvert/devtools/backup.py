"""Back up and restore the database and the uploaded files, and prove the round trip.

    .venv/bin/python -m forum_ouvert.devtools.backup backup [--dir var/backups]
    .venv/bin/python -m forum_ouvert.devtools.backup restore FILE [--confirm]
    .venv/bin/python -m forum_ouvert.devtools.backup manifest

(``make backup`` and ``make restore FILE=… [CONFIRM=yes]``.) The database is the one the
settings point at (``DJANGO_SETTINGS_MODULE``, ``DATABASE_URL``), as for ``manage.py``.

A backup is one file, ``forum-ouvert-<UTC timestamp>.tar``, holding:

- ``database.dump``: ``pg_dump`` in custom format, taken in the same snapshot as the
  manifest (``pg_export_snapshot``), so that the counts describe exactly what was dumped;
- ``media/``: every file under ``MEDIA_ROOT``;
- ``manifest.json``: row counts per table and a SHA-256 of each append-only journal table
  (rows ordered by id) and of all of them together.

A restore refuses to overwrite a database that holds tables unless confirmed, runs
``pg_restore --clean --if-exists --no-owner`` in one transaction, puts the media back
(the previous ``MEDIA_ROOT`` is kept aside, never deleted) and compares the restored
database with the manifest: any difference is an error.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORMAT = 1


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum_ouvert.settings.development")
    import django

    django.setup()


def _db():
    from django.db import connection

    return connection


def _pg_env(settings_dict: dict) -> dict[str, str]:
    """libpq's environment for the configured database (no password on a command line)."""
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    env["PGDATABASE"] = settings_dict["NAME"]
    return env


# --- What a database holds --------------------------------------------------------


def tables(connection) -> list[str]:
    return sorted(connection.introspection.table_names(include_views=False))


def journal_tables(connection) -> list[str]:
    """The append-only tables: the public history a restore must give back unchanged."""
    from forum_ouvert.core.db import append_only_tables

    return append_only_tables(connection)


def manifest(connection) -> dict:
    """Row counts per table and the journal's hashes, read in the current transaction."""
    qn = connection.ops.quote_name
    counts, hashes = {}, {}
    with connection.cursor() as cursor:
        for table in tables(connection):
            # Table names come from the database's own catalogue, quoted.
            cursor.execute(f"SELECT count(*) FROM {qn(table)}")  # noqa: S608  # nosec B608  # nosemgrep (names from the catalogue)
            counts[table] = cursor.fetchone()[0]
        everything = hashlib.sha256()
        for table in journal_tables(connection):
            digest = hashlib.sha256()
            cursor.execute(f"SELECT t::text FROM {qn(table)} t ORDER BY id")  # noqa: S608  # nosec B608  # nosemgrep (names from the catalogue)
            for (row,) in cursor.fetchall():
                digest.update(row.encode() + b"\n")
            hashes[table] = digest.hexdigest()
            everything.update(f"{table}:{hashes[table]}\n".encode())
    return {"row_counts": counts, "journal_sha256": hashes, "journal": everything.hexdigest()}


def compare(expected: dict, actual: dict) -> list[str]:
    """Print the manifest next to the restored database; the differences."""
    differences = []
    print(f"{'table':<48} {'sauvegarde':>10} {'restauré':>10}")
    names = sorted(set(expected["row_counts"]) | set(actual["row_counts"]))
    for table in names:
        want, got = expected["row_counts"].get(table), actual["row_counts"].get(table)
        flag = "" if want == got else "  ≠"
        if want != got:
            differences.append(f"{table}: {want} ligne(s) sauvegardée(s), {got} restaurée(s)")
        print(f"{table:<48} {want!s:>10} {got!s:>10}{flag}")
    for table, digest in expected["journal_sha256"].items():
        got = actual["journal_sha256"].get(table)
        same = "identique" if got == digest else "DIFFÉRENT"
        print(f"journal {table}: {digest[:16]}… → {(got or '—')[:16]}… {same}")
        if got != digest:
            differences.append(f"journal {table} : empreinte différente")
    return differences


# --- Backup -------------------------------------------------------------------------


def backup(directory: Path) -> Path:
    from django.conf import settings

    connection = _db()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = directory / f"forum-ouvert-{stamp}.tar"
    n = 1
    while target.exists():  # two backups in the same second: never overwrite one
        n += 1
        target = directory / f"forum-ouvert-{stamp}-{n}.tar"
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        dump = Path(tmp) / "database.dump"
        connection.ensure_connection()
        connection.set_autocommit(False)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            content = manifest(connection)
            subprocess.run(  # noqa: S603 (pg_dump, pg_restore: arguments built here)
                ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}"]
                + ["--file", str(dump)],
                env=_pg_env(connection.settings_dict),
                check=True,
            )
        finally:
            connection.rollback()
            connection.set_autocommit(True)
        content = {
            "format": FORMAT,
            "engine": "postgresql",
            "created_at": datetime.now(UTC).isoformat(),
            "database": connection.settings_dict["NAME"],
            **content,
        }
        media_root = Path(settings.MEDIA_ROOT)
        partial = target.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(dump, arcname="database.dump")
            if media_root.is_dir():
                tar.add(media_root, arcname="media")
            info = tarfile.TarInfo("manifest.json")
            data = json.dumps(content, indent=2, ensure_ascii=False).encode()
            info.size, info.mtime = len(data), int(datetime.now(UTC).timestamp())
            with tempfile.TemporaryFile() as fh:
                fh.write(data)
                fh.seek(0)
                tar.addfile(info, fh)
        partial.rename(target)
    total = sum(content["row_counts"].values())
    print(f"Sauvegarde : {target}")
    print(f"  {len(content['row_counts'])} tables, {total} lignes ; journal {content['journal']}")
    return target


# --- Restore ------------------------------------------------------------------------


def restore(file: Path, *, confirm: bool) -> list[str]:
    from django.conf import settings

    connection = _db()
    with tarfile.open(file) as tar:
        content = json.load(tar.extractfile("manifest.json"))
        if content.get("format") != FORMAT:
            raise SystemExit(f"{file} : format de sauvegarde inconnu.")
        if content["engine"] != connection.vendor:
            raise SystemExit(
                f"{file} vient de {content['engine']}, la base configurée est {connection.vendor}."
            )
        existing = tables(connection)
        if existing and not confirm:
            raise SystemExit(
                f"La base {connection.settings_dict['NAME']} contient {len(existing)} tables : "
                "relancez avec CONFIRM=yes pour l'écraser."
            )
        with tempfile.TemporaryDirectory() as tmp:
            tar.extractall(tmp, filter="data")
            dump = Path(tmp) / "database.dump"
            connection.close()
            subprocess.run(  # noqa: S603 (pg_dump, pg_restore: arguments built here)
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
                + ["--exit-on-error", "--dbname", connection.settings_dict["NAME"], str(dump)],
                env=_pg_env(connection.settings_dict),
                check=True,
            )
            restore_media(Path(tmp) / "media", Path(settings.MEDIA_ROOT))
    differences = compare(content, manifest(connection))
    if differences:
        print("\nLa restauration ne correspond pas à la sauvegarde :", file=sys.stderr)
        for line in differences:
            print(f"  {line}", file=sys.stderr)
    else:
        print(f"\nRestauration vérifiée : {file.name} (comptes et journal identiques).")
    return differences


def restore_media(source: Path, media_root: Path) -> None:
    """Put the saved media in place; what was there is moved aside, never deleted."""
    if media_root.exists() and any(media_root.iterdir()):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = media_root.with_name(f"{media_root.name}.avant-restauration-{stamp}")
        media_root.rename(aside)
        print(f"Médias précédents conservés dans {aside}")
    elif media_root.exists():
        media_root.rmdir()
    if source.is_dir():
        media_root.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source, media_root)
    else:
        media_root.mkdir(parents=True, exist_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sauvegarde et restauration de Forum ouvert.")
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("backup")
    make.add_argument("--dir", type=Path, default=Path(os.environ.get("BACKUP_DIR", "")))
    back = sub.add_parser("restore")
    back.add_argument("file", type=Path)
    back.add_argument("--confirm", action="store_true")
    sub.add_parser("manifest", help="les comptes et empreintes de la base configurée (JSON)")
    args = parser.parse_args(argv)
    _setup()
    if args.command == "manifest":
        print(json.dumps(manifest(_db()), indent=2))
        return 0
    if args.command == "backup":
        backup(args.dir if str(args.dir) not in ("", ".") else ROOT / "var" / "backups")
        return 0
    return 1 if restore(args.file, confirm=args.confirm) else 0


if __name__ == "__main__":
    sys.exit(main())
