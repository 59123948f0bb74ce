"""Backups: a round trip through pg_dump and pg_restore gives the same rows, the same
journal and the same media, and an account deleted before a backup stays deleted."""

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection, transaction

from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.models import User
from forum_ouvert.devtools import backup as backup_tool
from forum_ouvert.portal.services import account_delete
from tests.engagements.factories import JournalEntryFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def restore_db():
    """An empty database of its own, dropped afterwards; its settings dict."""
    settings_dict = dict(connection.settings_dict)
    settings_dict["NAME"] = f"{settings_dict['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    env = backup_tool._pg_env(settings_dict)
    subprocess.run(["createdb", settings_dict["NAME"]], env=env, check=True)
    yield settings_dict
    subprocess.run(["dropdb", "--if-exists", "--force", settings_dict["NAME"]], env=env)


def database_url(settings_dict: dict) -> str:
    return "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
        **{**settings_dict, "USER": settings_dict["USER"] or "postgres"}
    )


def tool(settings_dict: dict, var_dir: Path, *args: str):
    """``python -m forum_ouvert.devtools.backup …`` in a process of its own (as ``make
    restore`` runs it), against the database of ``settings_dict``."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "forum_ouvert.settings.test",
        "DATABASE_URL": database_url(settings_dict),
        "FORUM_OUVERT_VAR_DIR": str(var_dir),  # so MEDIA_ROOT is var_dir/test-media
    }
    return subprocess.run(
        [sys.executable, "-m", "forum_ouvert.devtools.backup", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def manifest_of(settings_dict: dict, var_dir: Path) -> dict:
    result = tool(settings_dict, var_dir, "manifest")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def count_emails(settings_dict: dict, email: str) -> tuple[int, int]:
    """Accounts and allauth addresses with ``email`` in another database."""
    with psycopg.connect(database_url(settings_dict)) as other, other.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_user WHERE email = %s", [email])
        users = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM account_emailaddress WHERE email = %s", [email])
        return users, cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_round_trip_keeps_rows_journal_media_and_deletions(
    make_user, settings, tmp_path, restore_db
):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "justificatifs").mkdir(parents=True)
    (tmp_path / "media" / "justificatifs" / "rapport.pdf").write_bytes(b"%PDF-1.7 test")
    staff = make_user("ditp")
    leaving = make_user("citizen")
    leaving_email = leaving.email
    JournalEntryFactory.create_batch(3, actor=staff)
    with transaction.atomic():
        audit_log(actor=staff, action="test.backup", target=leaving, reason="avant sauvegarde")

    first = backup_tool.backup(tmp_path / "backups")
    account_delete(user=leaving)
    JournalEntryFactory(actor=staff, justification="Après la suppression du compte.")
    second = backup_tool.backup(tmp_path / "backups")
    source = backup_tool.manifest(connection)

    with tarfile.open(second) as tar:
        assert {"manifest.json", "database.dump", "media/justificatifs/rapport.pdf"} <= set(
            tar.getnames()
        )

    # The older backup into the empty database: no confirmation needed.
    var_dir = tmp_path / "restored"
    first_restore = tool(restore_db, var_dir, "restore", str(first))
    assert first_restore.returncode == 0, first_restore.stderr
    assert count_emails(restore_db, leaving_email) == (1, 1)  # not yet deleted back then

    # The later one over it: refused without CONFIRM, then it replaces everything, even
    # the append-only journal rows that the database forbids deleting one by one.
    refused = tool(restore_db, var_dir, "restore", str(second))
    assert refused.returncode != 0
    assert "CONFIRM=yes" in refused.stderr
    confirmed = tool(restore_db, var_dir, "restore", str(second), "--confirm")
    assert confirmed.returncode == 0, confirmed.stderr
    assert "Restauration vérifiée" in confirmed.stdout

    restored = manifest_of(restore_db, var_dir)
    assert restored["row_counts"] == source["row_counts"]
    assert restored["journal_sha256"] == source["journal_sha256"]
    assert set(restored["journal_sha256"]) == {
        "cocreation_proposalversion",
        "contributions_responserevision",
        "core_auditlog",
        "engagements_journalentry",
    }
    media = var_dir / "test-media" / "justificatifs" / "rapport.pdf"
    assert media.read_bytes() == b"%PDF-1.7 test"
    # The media of the first restore were moved aside, not deleted.
    assert list(var_dir.glob("test-media.avant-restauration-*"))

    assert count_emails(restore_db, leaving_email) == (0, 0)
    assert not User.objects.filter(email=leaving_email).exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_whose_journal_was_tampered_with(
    make_user, settings, tmp_path, restore_db
):
    """The manifest is checked: a dump that does not match it is reported, not trusted."""
    settings.MEDIA_ROOT = tmp_path / "media"
    JournalEntryFactory.create_batch(2, actor=make_user("ditp"))
    file = backup_tool.backup(tmp_path / "backups")
    tampered = tmp_path / "tampered.tar"
    with tarfile.open(file) as src, tarfile.open(tampered, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member) if member.isfile() else None
            if member.name == "manifest.json":
                key = b'"engagements_journalentry": "'
                text = data.read().replace(key, key + b"0")
                member.size = len(text)
                data = io.BytesIO(text)
            dst.addfile(member, data)
    result = tool(restore_db, tmp_path / "restored", "restore", str(tampered))
    assert result.returncode == 1
    assert "journal engagements_journalentry" in result.stderr
