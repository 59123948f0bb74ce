"""Open data: every public contribution as CSV and JSON, without personal data."""

import csv
import io
import json

import pytest

from .factories import ContributionFactory, ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(consultation, make_user):
    consenting = make_user(
        "citoyen", email="visible@exemple.fr", display_name="Léa V.", public_display_consent=True
    )
    discreet = make_user(
        "citoyen",
        email="discret@exemple.fr",
        display_name="Nom Caché",
        public_display_consent=False,
    )
    a = ContributionFactory(consultation=consultation, author=consenting, title="Avec nom")
    ResponseFactory(contribution=a, text="Retenue.")
    ContributionFactory(consultation=consultation, author=discreet, title="Sans nom")
    ContributionFactory(consultation=consultation, title="Masquée", hidden=True)
    return a


def _rows(client, fmt):
    response = client.get(f"/donnees/contributions.{fmt}")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    if fmt == "json":
        return response, json.loads(body)
    return response, list(csv.DictReader(io.StringIO(body)))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_open_data_has_no_personal_data(client, published, fmt):
    """Names only with consent, « Participant·e » otherwise, no e-mail, no hidden item."""
    response, rows = _rows(client, fmt)
    assert response.status_code == 200
    by_title = {row["titre"]: row for row in rows}
    assert set(by_title) == {"Avec nom", "Sans nom"}
    assert by_title["Avec nom"]["auteur"] == "Léa V."
    assert by_title["Sans nom"]["auteur"] == "Participant·e"
    assert by_title["Avec nom"]["retour_statut"] == "retenue"
    assert by_title["Avec nom"]["retour_libelle"] == "Retenue"
    assert by_title["Avec nom"]["etat"] == "publiee"
    assert by_title["Avec nom"]["etat_libelle"] == "Publiée"
    assert by_title["Avec nom"]["retour_texte"] == "Retenue."
    text = json.dumps(rows, ensure_ascii=False)
    for secret in ("@exemple.fr", "Nom Caché"):
        assert secret not in text


def test_open_data_queries_are_chunked(client, consultation, django_assert_max_num_queries):
    """The export reads in a few queries whatever the number of rows."""
    for _i in range(30):
        ContributionFactory(consultation=consultation)
    with django_assert_max_num_queries(6):
        response = client.get("/donnees/contributions.json")
        assert len(json.loads(b"".join(response.streaming_content))) == 30
