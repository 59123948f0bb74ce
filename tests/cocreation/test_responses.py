"""The government's reasoned response to every proposal (issue 16, item 6) and merging
(item 7): the one reasoned-response model of the platform, append-only revisions, the
proposal's fate as a state machine with its audit row, e-mails sent once."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from forum_ouvert.core.choices import Role
from forum_ouvert.core.models import AuditLog, MailDelivery
from participation.cocreation import services
from participation.cocreation.models import (
    CoAuthorInvitation,
    PhaseKind,
    ProposalFate,
)
from participation.cocreation.services.responses import response_notify
from participation.contributions.models import Response, ResponseRevision
from tests.contributions.factories import ContributionFactory
from tests.factories import UserFactory

from .factories import ProcessFactory, ProposalFactory

pytestmark = pytest.mark.django_db

REASONS = "Retenue : le forum l'a soutenue et la DITP peut la porter dès 2027."


@pytest.fixture
def deliberation():
    """A co-creation in its deliberation phase: the proposals phase is over."""
    return ProcessFactory(current=PhaseKind.DELIBERATION)


@pytest.fixture
def proposal(deliberation, author):
    return ProposalFactory(process=deliberation, author=author, submitted=True)


@pytest.fixture
def other(deliberation):
    return ProposalFactory(process=deliberation, submitted=True, title="Une proposition voisine")


@pytest.fixture
def coauthor(proposal, author):
    person = UserFactory(email="lou@exemple.fr", display_name="Lou M.", public_display_consent=True)
    CoAuthorInvitation.objects.create(
        proposal=proposal,
        email=person.email,
        invited_by=author,
        accepted_by=person,
        accepted_at=proposal.submitted_at,
    )
    return person


@pytest.fixture
def amender(proposal):
    from participation.cocreation.models import Amendment

    person = UserFactory(email="sam@exemple.fr")
    Amendment.objects.create(
        proposal=proposal,
        section="description",
        base_version=1,
        text="Un autre texte",
        reason="Un motif",
        author=person,
    )
    return person


def test_a_response_is_the_one_reasoned_response_with_its_revision_and_audit(
    staff, proposal, coauthor, amender, django_capture_on_commit_callbacks
):
    """Staff retain a proposal: one Response row (the contributions' model) answers it,
    its first revision is kept, its fate moves with an audit row, and its author,
    co-author and amender each get one e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        response = services.proposal_respond(
            actor=staff, proposal=proposal, status="retenue", text=REASONS
        )
    assert isinstance(response, Response)
    assert response.proposal_id == proposal.pk and response.contribution_id is None
    assert list(ResponseRevision.objects.filter(response=response).values_list("revision"))[0] == (
        1,
    )
    proposal.refresh_from_db()
    assert proposal.fate == ProposalFate.ACCEPTED
    log = AuditLog.objects.get(action="cocreation.proposal.respond")
    assert log.changes["fate"] == ["en_attente", "retenue"] and log.reason == REASONS
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([proposal.author.email, "lou@exemple.fr", "sam@exemple.fr"])
    assert all(proposal.title in m.subject for m in mail.outbox)
    assert REASONS in mail.outbox[0].body


def test_the_response_reaches_the_notification_centre_once_per_notified_revision(
    staff, proposal, coauthor, amender
):
    """Author, co-author and amender find the response in « Mes notifications » (issue 19,
    item 1), with the header's count; a correction without « prévenir » adds nothing."""
    from forum_ouvert.core.models import Notification, NotificationKind

    services.proposal_respond(actor=staff, proposal=proposal, status="retenue", text=REASONS)
    told = Notification.objects.filter(kind=NotificationKind.RESPONSE)
    assert sorted(n.recipient_id for n in told) == sorted(
        [proposal.author_id, coauthor.pk, amender.pk]
    )
    first = told.get(recipient=coauthor)
    assert first.url == proposal.get_absolute_url() and proposal.title in first.message
    assert "Retenue" in first.message
    coauthor.refresh_from_db()
    assert coauthor.unread_notifications == 1
    services.proposal_respond(
        actor=staff,
        proposal=proposal,
        status="retenue_avec_modifications",
        text="Retenue, avec un calendrier plus court.",
        notify=False,
    )
    assert told.count() == 3


def test_notifications_are_sent_once(staff, proposal, django_capture_on_commit_callbacks):
    """The task run a second time (a retry, a second worker) sends nothing again."""
    with django_capture_on_commit_callbacks(execute=True):
        response = services.proposal_respond(
            actor=staff, proposal=proposal, status="non_retenue", text="Hors du champ du plan."
        )
    assert len(mail.outbox) == 1
    assert response_notify(response_id=response.pk, revision=1) == 0
    assert len(mail.outbox) == 1
    assert MailDelivery.objects.filter(key__startswith="cocreation.response:").count() == 1


def test_a_correction_adds_a_revision_and_mails_only_when_asked(
    staff, proposal, django_capture_on_commit_callbacks
):
    """Correcting keeps the first text readable; without « prévenir », no new e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_respond(actor=staff, proposal=proposal, status="retenue", text=REASONS)
    with django_capture_on_commit_callbacks(execute=True):
        response = services.proposal_respond(
            actor=staff,
            proposal=proposal,
            status="retenue_avec_modifications",
            text="Retenue, avec un calendrier plus court.",
            notify=False,
        )
    assert response.revision == 2
    assert [r.text for r in response.revisions.all()] == [
        "Retenue, avec un calendrier plus court.",
        REASONS,
    ]
    assert len(mail.outbox) == 1
    with pytest.raises(ValidationError, match="rien n'a changé"):
        services.proposal_respond(
            actor=staff,
            proposal=proposal,
            status="retenue_avec_modifications",
            text="Retenue, avec un calendrier plus court.",
        )


@pytest.mark.parametrize(
    ("status", "text", "field"),
    [
        ("", REASONS, "status"),
        ("hors_sujet", REASONS, "status"),  # a contribution's decision, not a proposal's
        ("retenue", "   ", "text"),
        ("fusionnee", REASONS, "merged_into"),
    ],
)
def test_bad_responses_are_refused_in_french(staff, proposal, status, text, field):
    with pytest.raises(ValidationError) as error:
        services.proposal_respond(actor=staff, proposal=proposal, status=status, text=text)
    assert field in error.value.message_dict
    assert not Response.objects.filter(proposal=proposal).exists()


def test_only_staff_answer_and_only_after_the_proposals_phase(staff, author, submitted, proposal):
    """During the proposals phase the text still changes: no response; and only staff."""
    with pytest.raises(PermissionDenied):
        services.proposal_respond(actor=staff, proposal=submitted, status="retenue", text=REASONS)
    with pytest.raises(PermissionDenied):
        services.proposal_respond(actor=author, proposal=proposal, status="retenue", text=REASONS)


def test_a_merge_points_to_the_result_and_both_keep_their_pages(
    client, staff, proposal, other, django_capture_on_commit_callbacks
):
    """« Fusionnée avec la proposition n° … »: the merged one links to the result, the
    result lists it, and a merge into itself or into a merged proposal is refused."""
    with pytest.raises(ValidationError, match="elle-même"):
        services.proposal_merge(actor=staff, proposal=proposal, into=proposal, text=REASONS)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_merge(
            actor=staff, proposal=proposal, into=other, text="Les deux propositions se rejoignent."
        )
    proposal.refresh_from_db()
    assert proposal.fate == ProposalFate.MERGED and proposal.merged_into == other
    assert proposal.response.status == "fusionnee"
    assert AuditLog.objects.filter(
        action="cocreation.proposal.merge", changes__merged_into=other.pk
    ).exists()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Fusionnée avec" in page and other.get_absolute_url() in page
    assert "Les deux propositions se rejoignent." in page
    result = client.get(other.get_absolute_url()).content.decode()
    assert (
        "Propositions fusionnées avec celle-ci" in result and proposal.get_absolute_url() in result
    )
    third = ProposalFactory(process=proposal.process, submitted=True)
    with pytest.raises(ValidationError, match="elle-même fusionnée"):
        services.proposal_merge(actor=staff, proposal=third, into=proposal, text=REASONS)
    with pytest.raises(ValidationError, match="déjà fusionnée"):
        services.proposal_merge(actor=staff, proposal=proposal, into=third, text=REASONS)


def test_one_response_answers_exactly_one_thing(staff, proposal):
    """The database refuses a response with two targets, or a proposal's decision on a
    contribution: one notion of reasoned response, its rules as constraints."""
    contribution = ContributionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            contribution=contribution, proposal=proposal, status="retenue", text="x", author=staff
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            contribution=contribution, status="fusionnee", text="x", author=staff
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(proposal=proposal, status="a_l_etude", text="x", author=staff)


def test_the_response_page_keeps_the_text_of_a_refused_form(client, staff, proposal, other):
    """A merge without its result is refused with a French error; the reasons stay."""
    client.force_login(staff)
    url = reverse(
        "cocreation:proposal_respond",
        kwargs={"slug": proposal.process.plan.slug, "pk": proposal.pk},
    )
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "fusionnee", "text": "Mes motifs détaillés."})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choisissez la proposition avec laquelle elle est fusionnée." in page
    assert "Mes motifs détaillés." in page
    response = client.post(url, {"status": "retenue", "text": REASONS})
    assert response.status_code == 302
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Réponse du gouvernement" in page, page[page.find("reponse") :][:3000]
    assert "la DITP peut la porter dès 2027." in page


@pytest.mark.parametrize("role", [None, Role.CITIZEN, Role.ASSOCIATION, Role.LEAD])
def test_the_response_page_is_for_staff_only(client, proposal, role):
    url = reverse(
        "cocreation:proposal_respond",
        kwargs={"slug": proposal.process.plan.slug, "pk": proposal.pk},
    )
    if role:
        client.force_login(UserFactory(role=role))
    assert client.get(url).status_code == (302 if role is None else 403)


def test_a_draft_answers_404_to_staff(client, staff, deliberation):
    draft = ProposalFactory(process=deliberation)
    client.force_login(staff)
    url = reverse(
        "cocreation:proposal_respond", kwargs={"slug": deliberation.plan.slug, "pk": draft.pk}
    )
    assert client.get(url).status_code == 404


# --- promotion to a commitment of the plan (item 7) ------------------------------------


def test_a_retained_proposal_becomes_a_draft_commitment_with_its_journal(
    client, staff, proposal, coauthor
):
    """The commitment is pre-filled (sections, values, lead, partners, milestones), its
    journal starts with where it comes from, and its page links back for good."""
    from engagements.models import JournalEntry

    proposal.partners = "CESE\nDécider ensemble"
    proposal.milestones = [
        {"deliverable": "Un portail", "starts_on": "2027-01-01", "ends_on": "2027-06-30"},
        {"deliverable": "Un bilan public", "starts_on": "2027-07-01", "ends_on": "2027-12-31"},
    ]
    proposal.save()
    with pytest.raises(PermissionDenied):
        services.proposal_promote(actor=staff, proposal=proposal)  # not retained yet
    services.proposal_respond(actor=staff, proposal=proposal, status="retenue", text=REASONS)
    commitment = services.proposal_promote(actor=staff, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.fate == ProposalFate.PROMOTED and proposal.commitment == commitment
    assert commitment.plan == proposal.process.plan and commitment.number == 1
    assert (commitment.title, commitment.problem) == (proposal.title, proposal.problem)
    assert commitment.value_transparency and not commitment.value_technology
    assert [m.deliverable for m in commitment.milestones.order_by("order")] == [
        "Un portail",
        "Un bilan public",
    ]
    assert (str(commitment.starts_on), str(commitment.ends_on)) == ("2027-01-01", "2027-12-31")
    assert [i.short_name for i in commitment.lead_institutions.all()] == ["DITP"]
    assert sorted(i.name for i in commitment.supporting_institutions.all()) == [
        "Conseil économique, social et environnemental (CESE)",
        "Décider ensemble",
    ]
    first = JournalEntry.objects.filter(commitment=commitment).order_by("created_at", "id")[0]
    assert first.field_label == "Engagement créé"
    assert f"Issu de la proposition n° {proposal.pk}" in first.justification
    assert "Lou M." in first.justification
    assert AuditLog.objects.filter(action="cocreation.proposal.promote").exists()
    assert AuditLog.objects.filter(action="engagements.commitment.create").exists()
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert f"proposition n° {proposal.pk}" in page and "Lou M." in page
    assert proposal.get_absolute_url() in page
    assert commitment.get_absolute_url() in client.get(proposal.get_absolute_url()).content.decode()
    with pytest.raises(PermissionDenied):  # promoted once; its response is now final
        services.proposal_promote(actor=staff, proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.proposal_respond(
            actor=staff, proposal=proposal, status="non_retenue", text="Finalement non."
        )


def test_a_merged_or_rejected_proposal_is_not_promoted(staff, proposal, other):
    services.proposal_merge(actor=staff, proposal=proposal, into=other, text=REASONS)
    with pytest.raises(PermissionDenied):
        services.proposal_promote(actor=staff, proposal=proposal)
    services.proposal_respond(actor=staff, proposal=other, status="non_retenue", text=REASONS)
    with pytest.raises(PermissionDenied):
        services.proposal_promote(actor=staff, proposal=other)


def test_the_promotion_page_confirms_then_redirects_to_the_commitment(client, staff, proposal):
    services.proposal_respond(actor=staff, proposal=proposal, status="retenue", text=REASONS)
    client.force_login(staff)
    url = reverse(
        "cocreation:proposal_promote",
        kwargs={"slug": proposal.process.plan.slug, "pk": proposal.pk},
    )
    assert "Créer l'engagement" in client.get(url).content.decode()
    response = client.post(url)
    proposal.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == (
        proposal.commitment.get_absolute_url()
    )


def test_a_commitment_of_a_published_plan_is_not_added(staff, proposal):
    """The plan must still be in co-construction (engagements' own rule)."""
    from engagements.models import PlanStatus
    from engagements.services import commitment_create

    plan = proposal.process.plan
    plan.status = PlanStatus.CURRENT
    plan.save()
    with pytest.raises(ValidationError, match="co-construction"):
        commitment_create(
            actor=staff, plan=plan, data={"title": "Un titre"}, justification="Une raison claire."
        )


def test_two_staff_answering_at_once_do_not_overwrite_each_other(client, staff, proposal):
    """The second save, made from the page as it was before the first, is refused with the
    colleague's response shown; the typed text stays in the form."""
    url = reverse(
        "cocreation:proposal_respond",
        kwargs={"slug": proposal.process.plan.slug, "pk": proposal.pk},
    )
    client.force_login(staff)
    colleague = UserFactory(role=Role.STAFF)
    services.proposal_respond(
        actor=colleague, proposal=proposal, status="retenue", text="La réponse du collègue."
    )
    response = client.post(
        url, {"status": "non_retenue", "text": "Ma réponse à moi.", "base_revision": 0}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Une autre réponse a été publiée entre-temps (version 1)" in page
    assert "La réponse du collègue." in page and "Ma réponse à moi." in page
    assert Response.objects.get(proposal=proposal).text == "La réponse du collègue."
    response = client.post(
        url, {"status": "non_retenue", "text": "Ma réponse à moi.", "base_revision": 1}
    )
    assert response.status_code == 302
    assert Response.objects.get(proposal=proposal).revision == 2


def test_an_answered_proposal_page_stays_within_ten_queries(
    client, staff, proposal, other, django_assert_max_num_queries
):
    """With a corrected response (its older version shown), a merged proposal pointing to
    it and its commitment, the page reads at most 10 queries (the issue's ceiling)."""
    services.proposal_respond(actor=staff, proposal=proposal, status="retenue", text=REASONS)
    services.proposal_respond(
        actor=staff, proposal=proposal, status="retenue", text="Retenue, texte corrigé."
    )
    services.proposal_merge(actor=staff, proposal=other, into=proposal, text=REASONS)
    services.proposal_promote(actor=staff, proposal=proposal)
    with django_assert_max_num_queries(10):
        page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Voir la version précédente" in page and other.get_absolute_url() in page
    with django_assert_max_num_queries(10):
        client.get(other.get_absolute_url())
