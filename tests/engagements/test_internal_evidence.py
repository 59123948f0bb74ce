"""What is internal stays internal: an internal document's existence and justification never
reach the public pages, exports or feeds, and its id answers like a missing one."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from engagements.services import evidence_add
from forum_ouvert.core.models import AuditLog

from .factories import CommitmentFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET = "Note confidentielle du cabinet sur l'arbitrage budgétaire"


@pytest.fixture
def internal(plan, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lead = make_user("pilote")
    commitment = CommitmentFactory(plan=plan, leads=[lead], status="limite")
    evidence = evidence_add(
        actor=lead,
        commitment=commitment,
        title="Arbitrage interne",
        dated_on=dt.date(2026, 3, 1),
        justification=SECRET,
        document=SimpleUploadedFile("note.pdf", PDF, content_type="application/pdf"),
        is_public=False,
    )
    return lead, commitment, evidence


def test_internal_justification_is_not_published(client, internal):
    """The public history, journal.csv and the Atom feed say an internal document was added,
    never why; the justification is in the audit log, with who added it."""
    lead, commitment, evidence = internal
    pages = [
        client.get(commitment.get_absolute_url()),
        client.get(reverse("engagements:export_journal_csv")),
        client.get(reverse("engagements:export_journal_atom")),
    ]
    for response in pages:
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        assert SECRET not in text and "Arbitrage interne" not in text
    assert "Justificatif interne ajouté" in pages[0].content.decode()
    entry = AuditLog.objects.get(action="engagements.evidence.add_internal")
    assert entry.actor == lead and entry.reason == SECRET and entry.target_id == str(evidence.pk)


def test_an_internal_document_looks_missing_to_anonymous_visitors(client, internal):
    """Anonymous, an internal document's id and an id that does not exist get the same 404
    page (a redirect to the login page would tell that the first one exists)."""
    _, _, evidence = internal
    hidden = client.get(reverse("engagements:evidence_download", args=[evidence.pk]))
    missing = client.get(reverse("engagements:evidence_download", args=[evidence.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    # The same page, but for what differs on every request (CSP nonce, error reference).
    assert _same_page(hidden.content.decode()) == _same_page(missing.content.decode())


def _same_page(html: str) -> str:
    html = re.sub(r'nonce="[^"]+"', "", html)
    return re.sub(r"<code>[0-9a-f]{32}</code>", "", html)


def test_its_lead_still_downloads_it(client, internal):
    """The commitment's lead downloads the internal document."""
    lead, _, evidence = internal
    client.force_login(lead)
    response = client.get(reverse("engagements:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
