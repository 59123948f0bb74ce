"""Commitment proposals: drafts, submission in the proposals phase, immutable versions and
the refusal of a version conflict."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from forum_ouvert.core.models import AuditLog
from participation.cocreation import services
from participation.cocreation.models import PhaseKind, ProposalStatus, ProposalVersion
from tests.factories import UserFactory

from .factories import SAMPLE, UPCOMING, ProcessFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _text(**changes):
    text = {
        "title": "Ouvrir les délibérations",
        **SAMPLE,
        "ogp_values": ["transparence", "participation"],
        "lead_institution": "Ministère de l'Intérieur",
        "partners": "Association des maires",
        "milestones": [
            {"deliverable": "Un format commun", "starts_on": "2027-01-01", "ends_on": "2027-03-31"}
        ],
    }
    text.update(changes)
    return text


def test_a_draft_is_written_then_submitted_as_version_1(process, author):
    """A person for an organisation writes a draft, submits it: version 1, public."""
    draft = services.proposal_create(
        actor=author, process=process, organisation="Voix citoyennes", **_text()
    )
    assert draft.is_draft and draft.version_count == 0
    assert draft.signature == "Léa V., pour Voix citoyennes"
    submitted = services.proposal_submit(actor=author, proposal=draft)
    assert submitted.status == ProposalStatus.SUBMITTED and submitted.submitted_at
    version = submitted.versions.get()
    assert version.number == 1 and version.author == author
    assert version.title == "Ouvrir les délibérations"
    assert version.ogp_values == ["participation", "transparence"]
    assert version.milestones[0]["deliverable"] == "Un format commun"
    row = AuditLog.objects.get(action="cocreation.proposal.submit")
    assert row.changes["status"] == ["brouillon", "deposee"]


def test_a_draft_is_edited_in_place_without_versions(draft, author):
    """Editing a draft changes it and adds no version."""
    edited = services.proposal_edit(
        actor=author, proposal=draft, base_revision=draft.revision, title="Nouveau titre"
    )
    assert edited.title == "Nouveau titre" and edited.revision == draft.revision + 1
    assert not ProposalVersion.objects.exists()


@pytest.mark.parametrize(
    "current", [UPCOMING, PhaseKind.DELIBERATION, PhaseKind.DRAFTING, PhaseKind.PUBLICATION]
)
def test_submitting_outside_the_proposals_phase_is_refused(author, current):
    """Before or after the proposals phase, submitting is refused with a French error."""
    process = ProcessFactory(current=current)
    draft = ProposalFactory(process=process, author=author)
    with pytest.raises(ValidationError) as caught:
        services.proposal_submit(actor=author, proposal=draft)
    assert caught.value.code == "phase"
    draft.refresh_from_db()
    assert draft.is_draft and not draft.versions.exists()


def test_drafts_may_be_prepared_before_the_proposals_phase(author):
    """The calendar is public, proposals open in 20 days: a draft may be started."""
    process = ProcessFactory(current=UPCOMING)
    draft = services.proposal_create(actor=author, process=process, **_text())
    assert draft.is_draft


def test_no_draft_after_the_proposals_phase(author):
    process = ProcessFactory(current=PhaseKind.DELIBERATION)
    with pytest.raises(ValidationError):
        services.proposal_create(actor=author, process=process, **_text())


def test_an_incomplete_draft_is_not_submitted(process, author):
    """A draft without its problem is kept, and submitting names what is missing."""
    draft = services.proposal_create(actor=author, process=process, **_text(problem=""))
    with pytest.raises(ValidationError) as caught:
        services.proposal_submit(actor=author, proposal=draft)
    assert "Quel est le problème à résoudre ?" in caught.value.messages[0]


def test_only_the_author_submits(draft):
    with pytest.raises(PermissionDenied):
        services.proposal_submit(actor=UserFactory(), proposal=draft)


def test_every_edit_of_a_submitted_proposal_is_a_new_version(submitted, author):
    """Version 2 is added; version 1 stays as it was."""
    services.proposal_edit(
        actor=author,
        proposal=submitted,
        base_revision=submitted.revision,
        description="Publier toutes les délibérations, avec leurs annexes.",
    )
    submitted.refresh_from_db()
    assert submitted.version_count == 2
    assert submitted.description == "Publier toutes les délibérations, avec leurs annexes."
    first, second = submitted.versions.order_by("number")
    assert first.description == SAMPLE["description"]
    assert second.description == submitted.description and second.author == author
    row = AuditLog.objects.filter(action="cocreation.proposal.edit").get()
    assert row.changes == {"sections": ["description"], "version": 2}


def test_versions_cannot_be_rewritten_in_the_database(submitted):
    """The database itself refuses to change or delete a version."""
    with pytest.raises(DatabaseError), transaction.atomic():
        ProposalVersion.objects.filter(proposal=submitted).update(title="Réécrit")
    with pytest.raises(DatabaseError), transaction.atomic():
        ProposalVersion.objects.filter(proposal=submitted).delete()


def test_two_editors_saving_from_the_same_version_the_second_is_refused(submitted, author):
    """The second save from the same base is refused with the other text; nothing is lost."""
    base = submitted.revision
    services.proposal_edit(
        actor=author, proposal=submitted, base_revision=base, title="Le titre de l'une"
    )
    with pytest.raises(services.VersionConflict) as caught:
        services.proposal_edit(
            actor=author, proposal=submitted, base_revision=base, title="Le titre de l'autre"
        )
    assert caught.value.code == "conflict"
    assert caught.value.current.title == "Le titre de l'une"
    assert "n'a pas été enregistré" in caught.value.messages[0]
    submitted.refresh_from_db()
    assert submitted.title == "Le titre de l'une" and submitted.version_count == 2


def test_an_edit_that_changes_nothing_adds_no_version(submitted, author):
    with pytest.raises(ValidationError) as caught:
        services.proposal_edit(
            actor=author,
            proposal=submitted,
            base_revision=submitted.revision,
            **_text(
                title=submitted.title,
                ogp_values=["transparence"],
                lead_institution="DITP",
                partners="",
                milestones=submitted.milestones,
            ),
        )
    assert caught.value.code == "same"
    assert submitted.versions.count() == 1


def test_a_submitted_proposal_keeps_its_required_sections(submitted, author):
    with pytest.raises(ValidationError) as caught:
        services.proposal_edit(
            actor=author, proposal=submitted, base_revision=submitted.revision, problem=""
        )
    assert "problem" in caught.value.message_dict


def test_no_new_version_after_the_proposals_phase(author):
    """Once the deliberation has begun, the text under deliberation no longer changes."""
    process = ProcessFactory(current=PhaseKind.DELIBERATION)
    proposal = ProposalFactory(process=process, author=author, submitted=True)
    with pytest.raises(ValidationError) as caught:
        services.proposal_edit(
            actor=author, proposal=proposal, base_revision=proposal.revision, title="Autre"
        )
    assert caught.value.code == "phase"


def test_someone_else_may_not_edit(submitted):
    with pytest.raises(PermissionDenied):
        services.proposal_edit(
            actor=UserFactory(), proposal=submitted, base_revision=submitted.revision, title="X"
        )


def test_milestones_need_a_deliverable_and_ordered_dates(process, author):
    with pytest.raises(ValidationError) as caught:
        services.proposal_create(
            actor=author,
            process=process,
            **_text(
                milestones=[
                    {"deliverable": "Fin", "starts_on": "2027-05-01", "ends_on": "2027-01-01"}
                ]
            ),
        )
    assert "finit avant de commencer" in caught.value.message_dict["milestones"][0]
    with pytest.raises(ValidationError):
        services.proposal_create(
            actor=author, process=process, **_text(milestones=[{"starts_on": "2027-05-01"}])
        )


def test_changing_only_the_organisation_adds_no_version(submitted, author):
    """The organisation signs the proposal; the text, and so its versions, are unchanged."""
    services.proposal_edit(
        actor=author,
        proposal=submitted,
        base_revision=submitted.revision,
        organisation="Voix citoyennes",
    )
    submitted.refresh_from_db()
    assert submitted.organisation == "Voix citoyennes" and submitted.version_count == 1
