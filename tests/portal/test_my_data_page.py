"""« Mes données » to read on a page and as one CSV, beside the JSON (issue 19, item 6)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from forum_ouvert.portal import record
from participation.cocreation.models import CoAuthorInvitation
from tests.cocreation.factories import ProposalFactory
from tests.contributions.factories import CommentFactory, ContributionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(make_user):
    """A citizen with a contribution, a comment, a proposal and a co-authorship."""
    user = make_user("citoyen", email="lea@example.org")
    contribution = ContributionFactory(author=user, title="Ouvrir les marchés, = vraiment")
    CommentFactory(contribution=contribution, author=user, body="Je précise ma pensée.")
    ProposalFactory(author=user, title="Des budgets participatifs partout", submitted=True)
    theirs = ProposalFactory(title="Une proposition co-écrite", submitted=True)
    CoAuthorInvitation.objects.create(
        proposal=theirs,
        email=user.email,
        invited_by=theirs.author,
        accepted_by=user,
        accepted_at=theirs.created_at,
    )
    return user


def _others():
    ContributionFactory(title="La contribution de quelqu'un d'autre")
    ProposalFactory(title="La proposition de quelqu'un d'autre", submitted=True)


def test_the_page_shows_every_rubric_of_my_data_and_nothing_of_others(client, person):
    _others()
    client.force_login(person)
    response = client.get(reverse("portal:data_page"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert "lea@example.org" in page
    assert "Ouvrir les marchés, = vraiment" in page
    assert "Je précise ma pensée." in page
    assert "Des budgets participatifs partout" in page
    assert "Une proposition co-écrite" in page and "co-auteur" in page
    assert "quelqu&#x27;un d&#x27;autre" not in page
    # Headings read as French, accents included; the two downloads are offered.
    assert "Dernière connexion" in page
    assert "Co construction — Propositions" in page
    assert reverse("portal:data_export_csv") in page and reverse("portal:data_export") in page


def test_the_page_has_the_same_rubrics_as_the_json(client, person):
    """Nothing of the JSON is left out of the page: each of its rubrics is a table."""
    client.force_login(person)
    data = client.get(reverse("portal:data_export")).json()
    rubrics = set()
    for key, value in data.items():
        if isinstance(value, dict) and all(isinstance(v, list) for v in value.values()):
            rubrics |= {f"{key}-{sub}" for sub in value}
        elif isinstance(value, dict | list):
            rubrics.add(key)
    page = client.get(reverse("portal:data_page")).content.decode()
    assert rubrics and all(f'id="donnees-{rubric}"' in page for rubric in rubrics)


def test_the_csv_holds_one_row_per_field_and_neutralises_formulas(client, person):
    _others()
    client.force_login(person)
    response = client.get(reverse("portal:data_export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert "mes-donnees-forum-ouvert.csv" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["Rubrique", "Élément n°", "Champ", "Valeur"]
    assert ["Compte", "1", "Adresse e-mail", "lea@example.org"] in rows
    titles = [r[3] for r in rows if r[0] == "Contributions — Contributions" and r[2] == "Titre"]
    assert titles == ["Ouvrir les marchés, = vraiment"]
    proposals = [r[3] for r in rows if r[0] == "Co construction — Propositions" and r[2] == "Titre"]
    assert sorted(proposals) == ["Des budgets participatifs partout", "Une proposition co-écrite"]
    assert not any("quelqu'un d'autre" in cell for row in rows for cell in row)


def test_anonymous_people_are_sent_to_log_in(client):
    for name in ("portal:data_page", "portal:data_export_csv"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/compte/login/")


def test_the_page_costs_the_same_queries_whatever_the_amount_of_data(
    client, person, django_assert_max_num_queries
):
    client.force_login(person)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("portal:data_page"))
    for _ in range(5):
        ContributionFactory(author=person)
        ProposalFactory(author=person, submitted=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("portal:data_page"))


def test_labels_and_cells_read_as_french():
    assert record.label("derniere_connexion") == "Dernière connexion"
    assert record.label("conflit_d_interets") == "Conflit d'intérêts"
    assert record.cell(None) == "—" and record.cell([]) == "—"
    assert record.cell(True) == "oui" and record.cell(False) == "non"
    assert record.cell(["statuts.pdf", "budget.pdf"]) == "statuts.pdf, budget.pdf"
    assert record.cell({"a": 1}) == '{"a": 1}'


def test_small_dicts_are_spread_into_columns():
    tables = record.data_tables(
        {"contributions": {"contributions": [{"titre": "T", "retour": {"decision": "Retenue"}}]}}
    )
    assert tables[0].columns == ["Titre", "Retour décision"]
    assert tables[0].rows == [["T", "Retenue"]]


def test_moderation_decisions_and_blocks_are_in_my_data(client, make_user, person):
    """What moderation decided about me, and a block, are my data too."""
    from forum_ouvert.core.services import user_block
    from participation.contributions import services as contributions_services
    from participation.contributions.models import Contribution

    moderator = make_user("ditp")
    contributions_services.contribution_moderate(
        actor=moderator,
        contribution=Contribution.objects.get(author=person),
        act="hide",
        reason="Injure envers un tiers",
        rule="injurieux",
    )
    user_block(actor=moderator, user=person, reason="Injures répétées")
    client.force_login(person)
    page = client.get(reverse("portal:data_page")).content.decode()
    assert "Décisions de modération" in page and "Injure envers un tiers" in page
    assert "Pas de propos injurieux" in page
    assert "Blocages" in page and "Injures répétées" in page


def test_notifications_settings_and_follows_are_in_my_data(client, person):
    from forum_ouvert.core import notifications
    from participation.contributions.models import Consultation

    consultation = Consultation.objects.first()
    notifications.notify(
        recipient=person,
        kind="commentaire",
        target=consultation,
        message="Un commentaire sur votre contribution",
        email=False,
    )
    notifications.settings_save(user=person, choices={"commentaire": "resume"})
    notifications.follow_toggle(user=person, target=consultation)
    client.force_login(person)
    page = client.get(reverse("portal:data_page")).content.decode()
    assert "Centre de notifications — Notifications" in page
    assert "Un commentaire sur votre contribution" in page
    assert "Centre de notifications — Réglages" in page and "résumé quotidien" in page
    assert "Centre de notifications — Suivis" in page
