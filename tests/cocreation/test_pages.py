"""The public pages of a co-creation and the forms to write a proposal (no JavaScript)."""

import pytest
from django.urls import reverse

from forum_ouvert.core.choices import Role
from participation.cocreation import services
from participation.cocreation.diff import DELETE, EQUAL, INSERT, diff_text
from participation.cocreation.models import Proposal, ProposalStatus
from tests.factories import UserFactory

from .factories import ProcessFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _url(name, proposal=None, process=None, **kwargs):
    process = process or proposal.process
    if proposal is not None:
        kwargs["pk"] = proposal.pk
    return reverse(f"cocreation:{name}", kwargs={"slug": process.plan.slug, **kwargs})


def _form(**changes):
    data = {
        "title": "Ouvrir les délibérations",
        "organisation": "Voix citoyennes",
        "problem": "Les délibérations sont introuvables.",
        "description": "Les publier en données ouvertes.",
        "how_it_helps": "Chacun pourra les lire.",
        "ogp_values": ["transparence"],
        "lead_institution": "DITP",
        "partners": "",
        "jalons-TOTAL_FORMS": "2",
        "jalons-INITIAL_FORMS": "0",
        "jalons-MIN_NUM_FORMS": "0",
        "jalons-MAX_NUM_FORMS": "12",
        "jalons-0-deliverable": "Un format commun",
        "jalons-0-starts_on": "2027-01-01",
        "jalons-0-ends_on": "2027-06-30",
        "jalons-1-deliverable": "",
        "jalons-1-starts_on": "",
        "jalons-1-ends_on": "",
    }
    data.update(changes)
    return data


def test_the_process_page_shows_the_calendar_and_the_phase_open_today(client, process):
    """Anyone reads the phases with their dates, what one can do, and the phase open now."""
    response = client.get(process.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Phases de la co-construction" in html
    assert "Délibération du Forum ouvert" in html
    assert 'aria-current="step"' in html and "Phase en cours : Propositions d" in html
    assert "Ce que chacun peut faire pendant la phase « propositions »" in html
    assert "Ouverture à moins de 14 jours" not in html


def test_the_override_reason_is_shown_publicly(client):
    """A calendar opened early shows the reason staff gave."""
    process = ProcessFactory(early_opening_reason="Calendrier de l'OGP avancé d'une semaine.")
    html = client.get(process.get_absolute_url()).content.decode()
    assert "Ouverture à moins de 14 jours" in html
    assert "Calendrier de l&#x27;OGP avancé d&#x27;une semaine." in html


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 404), (Role.CITIZEN, 404), (Role.ADMIN, 200), (Role.STAFF, 200)],
)
def test_an_unpublished_calendar_is_for_staff_only(client, role, status):
    process = ProcessFactory(unpublished=True)
    if role:
        client.force_login(UserFactory(role=role))
    assert client.get(process.get_absolute_url()).status_code == status
    assert client.get(_url("proposal_list", process=process)).status_code == status


def test_the_proposal_list_costs_the_same_for_3_or_30_proposals(
    client, process, django_assert_max_num_queries
):
    """The number of SQL queries of the list does not grow with the proposals."""
    client.force_login(UserFactory())
    for _i in range(3):
        ProposalFactory(process=process, submitted=True)
    with django_assert_max_num_queries(12) as small:
        response = client.get(_url("proposal_list", process=process))
    assert response.content.decode().count('id="proposition-') == 3
    for _i in range(27):
        ProposalFactory(process=process, submitted=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(_url("proposal_list", process=process))
    assert response.content.decode().count('id="proposition-') == 30


def test_the_list_shows_submitted_proposals_only(client, process, draft, submitted):
    html = client.get(_url("proposal_list", process=process)).content.decode()
    assert submitted.title in html and draft.title not in html
    assert "Léa V." in html


@pytest.mark.parametrize("who", ["anonymous", "other", "staff", "admin"])
def test_a_draft_is_404_to_anyone_but_its_author(client, draft, who):
    """Drafts are private: another person, staff and admins included, get 404."""
    if who != "anonymous":
        role = {"other": Role.ASSOCIATION, "staff": Role.STAFF, "admin": Role.ADMIN}[who]
        client.force_login(UserFactory(role=role))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(_url("proposal_edit", draft)).status_code in (302, 404)


def test_the_author_reads_the_draft_and_is_offered_to_submit(client, draft, author):
    client.force_login(author)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Brouillon : seuls ses auteurs le voient" in html
    assert _url("proposal_submit", draft) in html


def test_submitting_an_incomplete_draft_is_refused_in_the_shared_error_summary(
    client, draft, author
):
    """A draft sent for submission with a section left empty: the refusal names it in the
    page's error summary, and the title says « Erreur : » (RGAA 11.10)."""
    draft.problem = ""
    draft.save()
    client.force_login(author)
    response = client.post(_url("proposal_submit", draft))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="fr-alert fr-alert--error fr-mb-3w fo-resume-erreurs"' in html
    assert "Avant de la déposer, complétez" in html and "<title>Erreur :" in html
    draft.refresh_from_db()
    assert draft.submitted_at is None


def test_the_proposal_page_lists_its_versions_with_author_and_date(client, submitted, author):
    """The current text, then every version with who saved it and when."""
    services.proposal_edit(
        actor=author, proposal=submitted, base_revision=submitted.revision, title="Titre revu"
    )
    html = client.get(submitted.get_absolute_url()).content.decode()
    assert "Titre revu" in html
    assert "Version 1</a>" in html and "Version 2</a>" in html
    assert html.count("par Léa V., le") == 2
    assert "Comparer deux versions" in html
    version_1 = client.get(_url("proposal_version", submitted, number=1)).content.decode()
    assert submitted.versions.get(number=1).title in version_1


def test_the_diff_marks_additions_and_deletions_for_everyone(client, submitted, author):
    """<ins>/<del>, with hidden « Ajout : » / « Suppression : », and text escaped."""
    services.proposal_edit(
        actor=author,
        proposal=submitted,
        base_revision=submitted.revision,
        description="Publier toutes les délibérations <script>alert(1)</script> en ligne.",
    )
    response = client.get(_url("proposal_diff", submitted), {"de": 1, "a": 2})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<ins><span class="fr-sr-only">Ajout : </span>' in html
    assert '<del><span class="fr-sr-only">Suppression : </span>' in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "inchangé" in html  # the untouched sections say so


def test_a_diff_with_unknown_versions_is_refused(client, submitted):
    response = client.get(_url("proposal_diff", submitted), {"de": 1, "a": 9})
    assert response.status_code == 400


def test_words_are_compared_inside_a_changed_paragraph():
    """A corrected word shows as one word out, one word in."""
    segments = diff_text("Un texte court.\nDeux.", "Un texte long.\nDeux.")
    assert [(s.op, s.text) for s in segments] == [
        (EQUAL, "Un texte "),
        (DELETE, "court."),
        (INSERT, "long."),
        (EQUAL, "\nDeux."),
    ]


def test_writing_a_proposal_keeps_the_input_on_error(client, process, author):
    """Without a title the form comes back with the error and every text typed."""
    client.force_login(author)
    response = client.post(_url("proposal_create", process=process), _form(title=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in html
    assert "Les délibérations sont introuvables." in html and "Un format commun" in html
    assert not Proposal.objects.exists()


def test_a_proposal_is_written_then_submitted_through_the_pages(client, process, author):
    """Create a draft (with a milestone), then submit it: version 1, public."""
    client.force_login(author)
    response = client.post(_url("proposal_create", process=process), _form())
    proposal = Proposal.objects.get()
    assert response.url == proposal.get_absolute_url()
    assert proposal.organisation == "Voix citoyennes"
    assert proposal.milestones == [
        {"deliverable": "Un format commun", "starts_on": "2027-01-01", "ends_on": "2027-06-30"}
    ]
    assert client.get(_url("proposal_submit", proposal)).status_code == 200
    response = client.post(_url("proposal_submit", proposal))
    proposal.refresh_from_db()
    assert response.status_code == 302 and proposal.status == ProposalStatus.SUBMITTED
    client.logout()
    assert "Un format commun" in client.get(proposal.get_absolute_url()).content.decode()


def test_a_version_conflict_shows_the_other_text_and_keeps_mine(client, submitted, author):
    """Saving from an outdated revision: 409, the current text shown, mine kept, no version."""
    client.force_login(author)
    stale = submitted.revision
    services.proposal_edit(
        actor=author, proposal=submitted, base_revision=stale, title="Le titre de l'autre onglet"
    )
    response = client.post(
        _url("proposal_edit", submitted), _form(title="Mon titre", base_revision=str(stale))
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Le texte actuel, enregistré entre-temps" in html
    assert "Le titre de l&#x27;autre onglet" in html
    assert 'value="Mon titre"' in html
    submitted.refresh_from_db()
    assert submitted.version_count == 2
    assert f'name="base_revision" value="{submitted.revision}"' in html
    # Saving again from the form as it came back now works.
    response = client.post(
        _url("proposal_edit", submitted),
        _form(title="Mon titre", base_revision=str(submitted.revision)),
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.title == "Mon titre" and submitted.version_count == 3


def test_the_plan_page_links_to_its_cocreation_once_the_calendar_is_public(client, process):
    """The plan's page says it is being co-created and links to the calendar."""
    html = client.get(process.plan.get_absolute_url()).content.decode()
    assert "Ce plan se co-construit avec vous" in html
    assert process.get_absolute_url() in html
    hidden = ProcessFactory(unpublished=True)
    assert (
        "Ce plan se co-construit" not in client.get(hidden.plan.get_absolute_url()).content.decode()
    )
