"""The public tracker: list and filters, a commitment's page, the repository, the home page."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from engagements.models import Commitment, Follow

from ..htmx import element_by_id, normalise
from .factories import (
    AxisFactory,
    CommitmentFactory,
    EvidenceFactory,
    InstitutionFactory,
    JournalEntryFactory,
    MilestoneFactory,
)

PLAN_FILE = Path(__file__).resolve().parents[2] / "engagements" / "data" / "plan-2024-2026.json"


@pytest.fixture
def catalogue(plan):
    axis1, axis2 = AxisFactory(plan=plan, number=1), AxisFactory(plan=plan, number=2)
    dinum = InstitutionFactory(name="DINUM", slug="dinum")
    ditp = InstitutionFactory(name="DITP", slug="ditp")
    return {
        "santé": CommitmentFactory(
            plan=plan,
            axis=axis1,
            title="Associer les citoyens à la réforme de la santé",
            status="limite",
            progress=20,
            lead_institutions=[ditp],
            value_participation=True,
        ),
        "données": CommitmentFactory(
            plan=plan,
            axis=axis2,
            title="Ouvrir les données de la région",
            status="substantiel",
            progress=60,
            lead_institutions=[dinum],
            value_transparency=True,
        ),
        "brouillon": CommitmentFactory(plan=plan, title="", title_confirmed=False),
        "axes": (axis1, axis2),
        "institutions": (ditp, dinum),
    }


def _titles(response):
    return [c.display_title for c in response.context["commitments"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {},
            [
                "Associer les citoyens à la réforme de la santé",
                "Ouvrir les données de la région",
                "Intitulé à compléter",
            ],
        ),
        ({"status": "limite"}, ["Associer les citoyens à la réforme de la santé"]),
        ({"value": "transparence"}, ["Ouvrir les données de la région"]),
        ({"q": "REGION"}, ["Ouvrir les données de la région"]),  # accents and case ignored
        ({"q": "santé", "status": "substantiel"}, []),
    ],
)
def test_filters(client, catalogue, query, expected):
    """Filters combine, and text search ignores accents and case."""
    response = client.get(reverse("engagements:commitment_list"), query)
    assert response.status_code == 200
    assert _titles(response) == expected


@pytest.mark.django_db
def test_filter_by_axis_lead_and_late(client, catalogue):
    """Axis, lead institution and « en retard » filters narrow the list."""
    url = reverse("engagements:commitment_list")
    axis1, _ = catalogue["axes"]
    _, dinum = catalogue["institutions"]
    assert _titles(client.get(url, {"axis": axis1.pk})) == [catalogue["santé"].title]
    assert _titles(client.get(url, {"lead": dinum.pk})) == [catalogue["données"].title]
    MilestoneFactory(commitment=catalogue["données"], ends_on=dt.date(2020, 1, 1))
    assert _titles(client.get(url, {"status": "en_retard"})) == [catalogue["données"].title]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"axis": "abc"},
        {"status": "'; DROP TABLE engagements_commitment; --"},
        {"lead": "99999"},
        {"q": "x" * 5000},
        {"value": "<script>"},
        {"page": "-1"},
    ],
)
def test_bad_filter_values_never_break_the_page(client, catalogue, query):
    """A hand-edited or hostile query string gives a page, never an error."""
    assert client.get(reverse("engagements:commitment_list"), query).status_code == 200


@pytest.mark.django_db
def test_htmx_fragment_equals_the_region_of_the_full_page(client, catalogue):
    """The htmx answer is exactly the results region a full render shows for the same URL."""
    url = reverse("engagements:commitment_list") + "?status=limite"
    full = client.get(url).content.decode()
    fragment = client.get(url, headers={"HX-Request": "true", "HX-Target": "resultats"})
    assert "<html" not in fragment.content.decode()
    assert normalise(fragment.content.decode()) == element_by_id(full, "resultats")


@pytest.mark.django_db
def test_filters_work_without_javascript(client, catalogue):
    """The filter form is a plain GET form with a submit button, and htmx keeps its action."""
    html = client.get(reverse("engagements:commitment_list")).content.decode()
    assert 'method="get" action="/engagements/"' in html
    assert 'data-hx-get="/engagements/"' in html and 'data-hx-push-url="true"' in html
    assert 'type="submit"' in html


@pytest.mark.django_db
def test_commitment_page_shows_everything_public(client, catalogue, make_user):
    """Leads, milestones, public evidence and the journal appear; internal evidence does not."""
    commitment = catalogue["santé"]
    MilestoneFactory(commitment=commitment, deliverable="Conférence de citoyens tenue")
    EvidenceFactory(commitment=commitment, title="Rapport public de la conférence")
    EvidenceFactory(commitment=commitment, title="Note interne au cabinet", is_public=False)
    JournalEntryFactory(commitment=commitment, justification="Comité de pilotage du 3 mars.")
    html = client.get(commitment.get_absolute_url()).content.decode()
    for text in [
        "Associer les citoyens à la réforme de la santé",
        "DITP",
        "Conférence de citoyens tenue",
        "Rapport public de la conférence",
        "Comité de pilotage du 3 mars.",
        "Limité",
        "Suivre cet engagement",
    ]:
        assert text in html
    assert "Note interne au cabinet" not in html


@pytest.mark.django_db
def test_draft_commitment_is_flagged_to_the_public(client, catalogue):
    """A commitment without a confirmed title reads « Intitulé à compléter »."""
    html = client.get(catalogue["brouillon"].get_absolute_url()).content.decode()
    assert "<h1>Intitulé à compléter</h1>" in html


@pytest.mark.django_db
def test_journal_is_paginated_newest_first_with_an_htmx_fragment(client, commitment):
    """25 changes: 20 on the first page, newest first; page 2 comes as a fragment with htmx."""
    for i in range(25):
        JournalEntryFactory(commitment=commitment, justification=f"Changement numéro {i:02d}.")
    url = commitment.get_absolute_url()
    page1 = client.get(url).content.decode()
    assert page1.index("Changement numéro 24") < page1.index("Changement numéro 05")
    assert "Changement numéro 04" not in page1
    fragment = client.get(
        url + "?page=2", headers={"HX-Request": "true", "HX-Target": "historique"}
    )
    body = fragment.content.decode()
    assert "<html" not in body and body.strip().startswith('<div id="historique"')
    assert "Changement numéro 00" in body and "Changement numéro 24" not in body
    full2 = client.get(url + "?page=2").content.decode()
    assert normalise(body) == element_by_id(full2, "historique")


@pytest.mark.django_db
def test_follow_with_and_without_htmx(client, commitment, make_user):
    """Following works as a plain form (redirect) and with htmx (the button swaps)."""
    user = make_user()
    client.force_login(user)
    url = reverse("engagements:commitment_follow", kwargs={"slug": commitment.slug})
    response = client.post(url)
    assert response.status_code == 302 and Follow.objects.filter(user=user).exists()
    response = client.post(url, headers={"HX-Request": "true"})
    assert "Suivre cet engagement" in response.content.decode()
    assert not Follow.objects.filter(user=user).exists()
    assert client.get(url).status_code == 405


@pytest.mark.django_db
def test_follow_needs_an_account(client, commitment):
    """An anonymous visitor is sent to the login page."""
    response = client.post(
        reverse("engagements:commitment_follow", kwargs={"slug": commitment.slug})
    )
    assert response.status_code == 302 and "/compte/login/" in response.url


@pytest.mark.django_db
def test_repository_filters_and_last_update(client, catalogue):
    """The repository lists public evidence, filters by commitment and date, says when updated."""
    santé, données = catalogue["santé"], catalogue["données"]
    EvidenceFactory(commitment=santé, title="Synthèse 2024", dated_on=dt.date(2024, 6, 1))
    EvidenceFactory(commitment=données, title="Jeu de données 2025", dated_on=dt.date(2025, 6, 1))
    EvidenceFactory(commitment=données, title="Brouillon interne", is_public=False)
    url = reverse("engagements:repository")
    html = client.get(url).content.decode()
    assert "Synthèse 2024" in html and "Jeu de données 2025" in html
    assert "Brouillon interne" not in html and "Dernière mise à jour du dépôt" in html
    html = client.get(url, {"commitment": santé.pk}).content.decode()
    assert "Synthèse 2024" in html and "Jeu de données 2025" not in html
    html = client.get(url, {"start": "2025-01-01"}).content.decode()
    assert "Synthèse 2024" not in html and "Jeu de données 2025" in html


@pytest.mark.django_db
def test_home_shows_the_plan_at_a_glance(client, catalogue):
    """Axes, the status chart with its table, progress, latest changes and ways to take part."""
    JournalEntryFactory(commitment=catalogue["santé"], new_value="Limité", field_label="État")
    html = client.get("/").content.decode()
    assert "<svg" in html and "Engagements par état" in html
    assert "Axe 1" in html and "Axe 2" in html
    assert "Derniers changements" in html and "Limité" in html
    for link in ["/forum/", "/ateliers/", "/contributions/"]:
        assert f'href="{link}"' in html
    assert "27 %" in html  # mean progress of 20, 60 and 0


@pytest.mark.django_db
def test_unknown_commitment_is_a_404(client, plan):
    """A mistyped address gives the French 404 page."""
    response = client.get("/engagements/nexiste-pas/")
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


@pytest.mark.django_db
def test_home_shows_the_known_commitments_first_and_the_missing_titles_once(client):
    """The 8 published titles come first; one plain sentence says the 9 others will follow."""
    call_command("import_plan", str(PLAN_FILE))
    html = client.get("/").content.decode()
    assert "Intitulés à compléter" not in html
    assert html.count("Intitulé à compléter") == 0
    sentence = (
        "Le plan compte 17 engagements : 8 sont présentés ci-dessus. Les intitulés des 9 autres "
        "ne sont pas encore publiés sur une source publique ; la DITP les complétera."
    )
    assert html.count(sentence) == 1
    known = Commitment.objects.filter(title_confirmed=True).exclude(title="").order_by("number")
    assert known.count() == 8
    positions = [html.index(f'href="{c.get_absolute_url()}"') for c in known]
    assert max(positions) < html.index(sentence)
    for commitment in Commitment.objects.filter(title=""):
        assert f'href="{commitment.get_absolute_url()}">n° {commitment.number}</a>' in html


@pytest.mark.django_db
def test_one_update_is_one_entry_of_the_public_history(client, make_user):
    """A point d'étape that changes the state and the progress reads as one entry with its
    two changes and its justification once, not as two entries (issue 22)."""
    from engagements import services
    from engagements.models import CommitmentStatus, JournalEntry

    commitment = CommitmentFactory()
    lead = make_user("ditp", display_name="Agent DITP")
    why = "Comité de pilotage de novembre, bilan des jalons."
    services.commitment_update(
        actor=lead,
        commitment=commitment,
        changes={
            "status": CommitmentStatus.SUBSTANTIAL,
            "progress": 60,
        },
        justification=why,
    )
    services.commitment_update(
        actor=lead,
        commitment=commitment,
        changes={"progress": 70},
        justification="Deuxième point d'étape, le même jour.",
    )
    assert JournalEntry.objects.filter(commitment=commitment).count() == 3
    page = client.get(commitment.get_absolute_url()).content.decode()
    history = page[page.index('id="historique"') :]
    assert history.count('class="fr-mb-2w fr-pb-2w fo-journal-entry"') == 2
    assert history.count(why) == 1
    for entry in JournalEntry.objects.filter(commitment=commitment):
        assert f'id="entree-{entry.pk}"' in history  # e-mails link to each change
