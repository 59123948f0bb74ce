"""The services that change the plan: state machines, consistency, the journal, notifications."""

import datetime as dt
from itertools import product

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from engagements import services
from engagements.models import (
    Commitment,
    CommitmentStatus,
    Evidence,
    Follow,
    FollowerNotice,
    JournalEntry,
    MilestoneStatus,
)
from engagements.notifications import send_follower_notices

from .factories import CommitmentFactory, MilestoneFactory

S = CommitmentStatus
PROGRESS_FOR = {S.NOT_STARTED: 0, S.LIMITED: 20, S.SUBSTANTIAL: 60, S.COMPLETE: 100}
WHY = "Point d'étape validé en comité de pilotage."


def _at(commitment, status):
    Commitment.objects.filter(pk=commitment.pk).update(status=status, progress=PROGRESS_FOR[status])
    commitment.refresh_from_db()
    return commitment


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), [(a, b) for a, b in product(S.values, S.values) if a != b])
def test_status_transitions(old, new, make_user):
    """Each move on the IRM scale is allowed or refused as the state machine says."""
    staff = make_user("ditp")
    commitment = _at(CommitmentFactory(), old)
    changes = {"status": new, "progress": PROGRESS_FOR[new]}
    if new in services.COMMITMENT_TRANSITIONS[old]:
        entries = services.commitment_update(
            actor=staff, commitment=commitment, changes=changes, justification=WHY
        )
        commitment.refresh_from_db()
        assert commitment.status == new
        assert {e.field for e in entries} == {"status", "progress"}
    else:
        with pytest.raises(ValidationError, match="non autorisé"):
            services.commitment_update(
                actor=staff, commitment=commitment, changes=changes, justification=WHY
            )
        commitment.refresh_from_db()
        assert commitment.status == old
        assert not JournalEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "progress", "message"),
    [
        (S.COMPLETE, 90, "achevé est avancé à 100"),
        (S.SUBSTANTIAL, 100, "100 % correspond"),
        (S.LIMITED, 100, "100 % correspond"),
    ],
)
def test_status_and_progress_must_agree(status, progress, message, make_user):
    """A status that contradicts the progress is refused, and nothing is journaled."""
    commitment = _at(CommitmentFactory(), S.LIMITED)
    with pytest.raises(ValidationError, match=message):
        services.commitment_update(
            actor=make_user("ditp"),
            commitment=commitment,
            changes={"status": status, "progress": progress},
            justification=WHY,
        )
    assert not JournalEntry.objects.exists()


@pytest.mark.django_db
def test_every_change_writes_one_journal_row_with_who_when_why(make_user):
    """Changing status and progress writes two rows: actor, field, old, new, justification."""
    lead = make_user("pilote")
    commitment = CommitmentFactory()
    services.commitment_update(
        actor=lead,
        commitment=commitment,
        changes={"status": S.LIMITED, "progress": 15},
        justification=WHY,
    )
    rows = {e.field: e for e in JournalEntry.objects.all()}
    assert set(rows) == {"status", "progress"}
    assert rows["status"].old_value == "Non commencé" and rows["status"].new_value == "Limité"
    assert rows["progress"].old_value == "0 %" and rows["progress"].new_value == "15 %"
    assert all(e.actor == lead and e.justification == WHY for e in rows.values())
    commitment.refresh_from_db()
    assert commitment.last_update_at is not None


@pytest.mark.django_db
def test_unchanged_values_write_nothing(make_user):
    """Submitting the same values is not a change: no journal row."""
    commitment = CommitmentFactory()
    entries = services.commitment_update(
        actor=make_user("ditp"),
        commitment=commitment,
        changes={"status": S.NOT_STARTED, "progress": 0},
        justification=WHY,
    )
    assert entries == [] and not JournalEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("justification", ["", "   ", "ok merci"])
def test_justification_is_mandatory(justification, make_user):
    """Without a real sentence of justification, nothing changes."""
    commitment = CommitmentFactory()
    with pytest.raises(ValidationError, match="Expliquez"):
        services.commitment_update(
            actor=make_user("ditp"),
            commitment=commitment,
            changes={"status": S.LIMITED, "progress": 10},
            justification=justification,
        )
    commitment.refresh_from_db()
    assert commitment.status == S.NOT_STARTED and not JournalEntry.objects.exists()


@pytest.mark.django_db
def test_lead_cannot_change_ogp_texts(make_user):
    """A lead's update may carry status and progress only; the title stays staff's."""
    commitment = CommitmentFactory(title="Titre d'origine")
    with pytest.raises(ValidationError, match="ne pouvez pas modifier"):
        services.commitment_update(
            actor=make_user("pilote"),
            commitment=commitment,
            changes={"title": "Titre réécrit"},
            justification=WHY,
        )
    commitment.refresh_from_db()
    assert commitment.title == "Titre d'origine"


@pytest.mark.django_db
def test_staff_text_change_is_journaled(make_user):
    """Staff completing a draft title leaves a row with the old and new title."""
    commitment = CommitmentFactory(title="", title_confirmed=False)
    services.commitment_update(
        actor=make_user("ditp"),
        commitment=commitment,
        changes={"title": "Associer les citoyens aux réformes de santé", "title_confirmed": True},
        justification="Intitulé retrouvé dans le plan publié.",
        allowed_fields=services.STAFF_FIELDS,
    )
    entry = JournalEntry.objects.get(field="title")
    assert entry.old_value == "" and entry.new_value.startswith("Associer")
    commitment.refresh_from_db()
    assert not commitment.needs_completion


@pytest.mark.django_db(transaction=True)
def test_failure_after_change_leaves_no_trace(make_user, monkeypatch):
    """If anything fails after the status changed, neither the change nor its row remain."""
    commitment = CommitmentFactory()
    original = services._journal
    calls = []

    def failing_journal(**kwargs):
        calls.append(kwargs["field"])
        if len(calls) == 2:
            raise RuntimeError("panne simulée")
        return original(**kwargs)

    monkeypatch.setattr(services, "_journal", failing_journal)
    with pytest.raises(RuntimeError):
        services.commitment_update(
            actor=make_user("ditp"),
            commitment=commitment,
            changes={"status": S.LIMITED, "progress": 10},
            justification=WHY,
        )
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == (S.NOT_STARTED, 0)
    assert JournalEntry.objects.count() == 0


M = MilestoneStatus


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), [(a, b) for a, b in product(M.values, M.values) if a != b])
def test_milestone_transitions(old, new, make_user):
    """Milestones follow their own state machine; reaching one dates it."""
    milestone = MilestoneFactory(
        status=old, reached_on=dt.date(2025, 1, 1) if old == M.REACHED else None
    )
    call = {
        "actor": make_user("ditp"),
        "milestone": milestone,
        "changes": {"status": new},
        "justification": WHY,
    }
    if new in services.MILESTONE_TRANSITIONS[old]:
        services.milestone_update(**call)
        milestone.refresh_from_db()
        assert milestone.status == new
        assert (milestone.reached_on is not None) == (new == M.REACHED)
        assert JournalEntry.objects.filter(milestone=milestone, field="milestone.status").exists()
    else:
        with pytest.raises(ValidationError, match="non autorisé"):
            services.milestone_update(**call)


@pytest.mark.django_db
def test_milestone_create_and_evidence_add_are_journaled(make_user):
    """Adding a milestone and a link both appear in the commitment's history."""
    staff = make_user("ditp")
    commitment = CommitmentFactory()
    milestone = services.milestone_create(
        actor=staff,
        commitment=commitment,
        data={"deliverable": "Guide publié", "ends_on": dt.date(2026, 1, 31)},
        justification=WHY,
    )
    services.evidence_add(
        actor=staff,
        commitment=commitment,
        milestone=milestone,
        title="Guide en ligne",
        dated_on=dt.date(2026, 1, 31),
        url="https://www.modernisation.gouv.fr/guide",
        justification=WHY,
    )
    assert list(JournalEntry.objects.order_by("id").values_list("field", flat=True)) == [
        "milestone",
        "evidence",
    ]
    assert Evidence.objects.get().milestone == milestone


@pytest.mark.django_db
def test_evidence_needs_exactly_a_document_or_a_link(make_user):
    """Neither or both: refused with a French message."""
    with pytest.raises(ValidationError, match="soit un document PDF, soit un lien"):
        services.evidence_add(
            actor=make_user("ditp"),
            commitment=CommitmentFactory(),
            title="Rien",
            dated_on=dt.date(2026, 1, 1),
            justification=WHY,
        )


@pytest.mark.django_db
def test_followers_are_emailed_once_with_a_link_to_the_entry(
    make_user, django_capture_on_commit_callbacks
):
    """A follower gets one e-mail per change, linking to the journal entry, even if re-run."""
    follower, other, lead = make_user(), make_user(), make_user("pilote")
    commitment = CommitmentFactory()
    Follow.objects.create(user=follower, commitment=commitment)
    Follow.objects.create(user=other, commitment=commitment)
    Follow.objects.create(user=lead, commitment=commitment)  # the actor is not told
    with django_capture_on_commit_callbacks(execute=True):
        entries = services.commitment_update(
            actor=lead,
            commitment=commitment,
            changes={"status": S.LIMITED, "progress": 10},
            justification=WHY,
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([follower.email, other.email])
    message = mail.outbox[0]
    assert f"#entree-{entries[0].pk}" in message.body and "Limité" in message.body
    assert send_follower_notices(entry_ids=[e.pk for e in entries]) == 0
    assert len(mail.outbox) == 2
    assert FollowerNotice.objects.count() == 2


@pytest.mark.django_db
def test_follow_toggle(make_user):
    """Following twice means following then not following."""
    user, commitment = make_user(), CommitmentFactory()
    assert services.follow_toggle(user=user, commitment=commitment) is True
    assert services.follow_toggle(user=user, commitment=commitment) is False
    assert not Follow.objects.exists()
