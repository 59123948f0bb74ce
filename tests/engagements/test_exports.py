"""Open data: CSV and JSON match the database, the journal streams, the feed is valid Atom."""

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from engagements.exports import COMMITMENT_COLUMNS, JOURNAL_COLUMNS, MILESTONE_COLUMNS
from engagements.models import Commitment, JournalEntry, Milestone

from .factories import CommitmentFactory, EvidenceFactory, JournalEntryFactory, MilestoneFactory

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def data(plan):
    commitments = [CommitmentFactory(plan=plan) for _ in range(3)]
    for c in commitments:
        MilestoneFactory.create_batch(2, commitment=c)
        JournalEntryFactory.create_batch(4, commitment=c)
    EvidenceFactory(commitment=commitments[0], title="Preuve publique")
    EvidenceFactory(commitment=commitments[0], title="Preuve interne", is_public=False)
    MilestoneFactory(commitment=commitments[1], ends_on=dt.date(2020, 1, 1))
    return commitments


def _csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body)))


@pytest.mark.django_db
def test_commitments_csv(client, data):
    """One row per commitment, with the documented columns and the database's values."""
    rows = _csv(client.get(reverse("engagements:export_commitments_csv")))
    assert list(rows[0]) == [name for name, _ in COMMITMENT_COLUMNS]
    assert len(rows) == Commitment.objects.count() == 3
    by_slug = {row["slug"]: row for row in rows}
    late = by_slug[data[1].slug]
    assert late["en_retard"] == "oui" and by_slug[data[0].slug]["en_retard"] == "non"
    assert late["etat"] == "non_commence" and late["etat_libelle"] == "Non commencé"
    assert late["avancement"] == "0"


@pytest.mark.django_db
def test_milestones_csv(client, data):
    rows = _csv(client.get(reverse("engagements:export_milestones_csv")))
    assert list(rows[0]) == [name for name, _ in MILESTONE_COLUMNS]
    assert len(rows) == Milestone.objects.count() == 7
    assert sum(row["en_retard"] == "oui" for row in rows) == 1


@pytest.mark.django_db
def test_journal_csv_streams_every_row(client, data):
    """The journal export is streamed (constant memory) and has every row, newest first."""
    response = client.get(reverse("engagements:export_journal_csv"))
    assert isinstance(response, StreamingHttpResponse)
    rows = _csv(response)
    assert list(rows[0]) == [name for name, _ in JOURNAL_COLUMNS]
    assert len(rows) == JournalEntry.objects.count() == 12
    ids = [int(row["id"]) for row in rows]
    assert ids == sorted(ids, reverse=True)


@pytest.mark.django_db
def test_commitments_json_nests_milestones_and_public_evidence(client, data):
    response = client.get(reverse("engagements:export_commitments_json"))
    payload = json.loads(response.content)
    assert payload["licence"] == "Licence Ouverte / Etalab 2.0"
    items = {item["slug"]: item for item in payload["engagements"]}
    assert len(items) == 3
    first = items[data[0].slug]
    assert len(first["jalons"]) == 2
    assert set(first["jalons"][0]) == {name for name, _ in MILESTONE_COLUMNS}
    assert [e["titre"] for e in first["justificatifs"]] == ["Preuve publique"]
    assert set(first) >= {name for name, _ in COMMITMENT_COLUMNS}


@pytest.mark.django_db
def test_journal_feed_is_valid_atom(client, data):
    """The feed parses as Atom with the required elements on the feed and every entry."""
    response = client.get(reverse("engagements:export_journal_atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 12
    ids = set()
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}").text
        assert "#entree-" in entry.find(f"{ATOM}link").get("href")
        ids.add(entry.find(f"{ATOM}id").text)
    assert len(ids) == 12


@pytest.mark.django_db
def test_open_data_page_documents_every_column(client, data):
    html = client.get(reverse("engagements:open_data")).content.decode()
    assert "Licence Ouverte / Etalab 2.0" in html
    for name, _ in COMMITMENT_COLUMNS + MILESTONE_COLUMNS + JOURNAL_COLUMNS:
        assert f"<code>{name}</code>" in html
    # States are codes, each documented with its label column (one convention, issue 22).
    assert "<code>non_commence</code>" in html and "<code>etat_libelle</code>" in html
    from tests.french import french_mistakes

    assert french_mistakes(html) == []
