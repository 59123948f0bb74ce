"""The kit's state machine: transitions as data, one move(), a French refusal, an audit row."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from engagements.models import MilestoneStatus
from engagements.services import MILESTONE_STATES
from forum_ouvert.core.models import AuditLog
from forum_ouvert.core.states import StateMachine
from participation.workshops.models import WORKSHOP_STATES, WorkshopStatus
from tests.engagements.factories import MilestoneFactory

W = WorkshopStatus


def test_a_refusal_names_the_allowed_next_states():
    """A refused move says where the object is, where it was sent, and where it may go."""
    error = WORKSHOP_STATES.refusal(W.DRAFT, W.FINISHED)
    assert error.code == "transition"
    assert error.messages == [
        "Passage de « Brouillon » à « Terminé » impossible ; états possibles : "
        "« Publié », « Annulé »."
    ]


def test_a_final_state_is_said_to_be_final():
    """From a final state, the message says no state follows."""
    (message,) = WORKSHOP_STATES.refusal(W.CANCELLED, W.PUBLISHED).messages
    assert message == "Passage de « Annulé » à « Publié » impossible : « Annulé » est final."


def test_a_refusal_can_sit_on_a_form_field_with_a_hint():
    """A machine tied to a form field puts its refusal, and its hint, on that field."""
    machine = StateMachine(
        field="status",
        states=WorkshopStatus,
        transitions={W.DRAFT: {W.PUBLISHED}},
        action="test.status",
        error_field="status",
        hint="Annulez-le plutôt.",
    )
    error = machine.refusal(W.DRAFT, W.FINISHED)
    assert list(error.error_dict) == ["status"]
    assert error.messages[0].endswith("« Publié ». Annulez-le plutôt.")


def test_transitions_name_only_known_states():
    """A typo in the transitions table fails at start-up, not in front of a user."""
    with pytest.raises(ValueError, match="unknown states"):
        StateMachine(
            field="status", states=WorkshopStatus, transitions={"brouilon": set()}, action="x"
        )


M = MilestoneStatus


@pytest.mark.django_db
def test_move_saves_and_audits_in_one_transaction(make_user):
    """A move changes the state and leaves one audit row: who, from, to and why."""
    staff = make_user("ditp")
    milestone = MilestoneFactory(status=M.PLANNED)
    with transaction.atomic():
        row = MILESTONE_STATES.move(milestone, M.IN_PROGRESS, actor=staff, reason="Lancé.")
    milestone.refresh_from_db()
    assert milestone.status == M.IN_PROGRESS
    assert AuditLog.objects.get() == row
    assert (row.actor, row.action, row.reason) == (staff, "engagements.milestone.status", "Lancé.")
    assert row.changes == {"status": [M.PLANNED, M.IN_PROGRESS]}


@pytest.mark.django_db
def test_a_refused_move_changes_nothing(make_user):
    """A refused move leaves the state and the audit log as they were."""
    milestone = MilestoneFactory(status=M.CANCELLED)
    with pytest.raises(ValidationError, match="états possibles"), transaction.atomic():
        MILESTONE_STATES.move(milestone, M.REACHED, actor=make_user("ditp"))
    milestone.refresh_from_db()
    assert milestone.status == M.CANCELLED
    assert not AuditLog.objects.exists()
