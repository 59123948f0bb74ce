"""The services that change the plan: state machines, consistency, the journal, notifications."""

import datetime as dt
from itertools import product

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from engagements import services
from engagements.models import (
    STAFF_FIELDS,
    Commitment,
    CommitmentStatus,
    Evidence,
    Follow,
    JournalEntry,
    MilestoneStatus,
)
from engagements.notifications import send_follower_notices
from forum_ouvert.core.models import AuditLog, MailDelivery

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
        with pytest.raises(ValidationError, match="impossible ; états possibles"):
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
        allowed_fields=STAFF_FIELDS,
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
        with pytest.raises(ValidationError, match="impossible ; états possibles"):
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
    assert sorted(
        MailDelivery.objects.filter(key__startswith="engagements.follower_notice:").values_list(
            "key", "recipient"
        )
    ) == sorted(
        (f"engagements.follower_notice:{entries[0].pk}:{user.pk}", user.pk)
        for user in (follower, other)
    )


@pytest.mark.django_db
def test_follow_toggle(make_user):
    """Following twice means following then not following."""
    user, commitment = make_user(), CommitmentFactory()
    assert services.follow_toggle(user=user, commitment=commitment) is True
    assert services.follow_toggle(user=user, commitment=commitment) is False
    assert not Follow.objects.exists()


# --- « Achevé » and corrections (issue 22) ---------------------------------------------


def _late(commitment):
    return MilestoneFactory(
        commitment=commitment,
        deliverable="Publication du rapport d'étape",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2024, 6, 30),
        status=MilestoneStatus.IN_PROGRESS,
    )


@pytest.mark.django_db
def test_complete_is_refused_while_a_milestone_is_late(make_user):
    """« Achevé » is refused while a milestone is late, naming it: the page never shows
    ACHEVÉ and EN RETARD together."""
    commitment = _at(CommitmentFactory(), S.SUBSTANTIAL)
    _late(commitment)
    with pytest.raises(ValidationError, match="« Publication du rapport d'étape » \\(en retard\\)"):
        services.commitment_update(
            actor=make_user("ditp"),
            commitment=commitment,
            changes={"status": S.COMPLETE, "progress": 100},
            justification=WHY,
        )
    commitment.refresh_from_db()
    assert commitment.status == S.SUBSTANTIAL
    assert not JournalEntry.objects.exists()


@pytest.mark.django_db
def test_complete_needs_every_milestone_reached_or_abandoned(make_user):
    """A milestone still to do blocks « Achevé »; once reached or abandoned, it passes."""
    staff = make_user("ditp")
    commitment = _at(CommitmentFactory(), S.SUBSTANTIAL)
    todo = MilestoneFactory(commitment=commitment)
    MilestoneFactory(commitment=commitment, status=MilestoneStatus.CANCELLED)
    changes = {"status": S.COMPLETE, "progress": 100}
    with pytest.raises(ValidationError, match="ni atteint ni abandonné"):
        services.commitment_update(
            actor=staff, commitment=commitment, changes=changes, justification=WHY
        )
    services.milestone_update(
        actor=staff, milestone=todo, changes={"status": MilestoneStatus.REACHED}, justification=WHY
    )
    services.commitment_update(
        actor=staff, commitment=commitment, changes=changes, justification=WHY
    )
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETE


@pytest.mark.django_db
def test_a_milestone_cannot_reopen_under_a_complete_commitment(make_user):
    """Under an « Achevé » commitment, a milestone cannot go back to work nor be added
    as work to do: the lead is told to correct the commitment's state first."""
    staff = make_user("ditp")
    commitment = _at(CommitmentFactory(), S.COMPLETE)
    reached = MilestoneFactory(
        commitment=commitment, status=MilestoneStatus.REACHED, reached_on=dt.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError, match="corrigez d'abord son état"):
        services.milestone_update(
            actor=staff,
            milestone=reached,
            changes={"status": MilestoneStatus.IN_PROGRESS},
            justification=WHY,
        )
    with pytest.raises(ValidationError, match="corrigez d'abord son état"):
        services.milestone_create(
            actor=staff,
            commitment=commitment,
            data={"deliverable": "Encore un livrable", "status": MilestoneStatus.PLANNED},
            justification=WHY,
        )


@pytest.mark.django_db
def test_a_refused_move_names_the_allowed_states_and_the_correction(make_user):
    """Achevé → Limité by a plain update says which states are possible and how to
    correct a wrong « Achevé »."""
    commitment = _at(CommitmentFactory(), S.COMPLETE)
    with pytest.raises(ValidationError) as refused:
        services.commitment_update(
            actor=make_user("ditp"),
            commitment=commitment,
            changes={"status": S.LIMITED, "progress": 40},
            justification=WHY,
        )
    (message,) = refused.value.message_dict["status"]
    assert message.startswith(
        "Passage de « Achevé » à « Limité » impossible ; états possibles : « Substantiel »."
    )
    assert "cochez « Correction »" in message


@pytest.mark.django_db
def test_a_wrong_complete_is_corrected_in_one_step(make_user, django_capture_on_commit_callbacks):
    """A correction takes Achevé straight to Limité: one status entry marked « Correction »
    with its reason, one audit row, and followers get a single e-mail."""
    lead, follower = make_user("pilote"), make_user()
    commitment = _at(CommitmentFactory(leads=[lead]), S.COMPLETE)
    Follow.objects.create(user=follower, commitment=commitment)
    reason = "« Achevé » publié par erreur : seul le premier jalon est livré."
    with django_capture_on_commit_callbacks(execute=True):
        entries = services.commitment_update(
            actor=lead,
            commitment=commitment,
            changes={"status": S.LIMITED, "progress": 40},
            justification=reason,
            correction=True,
        )
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == (S.LIMITED, 40)
    status_entry = JournalEntry.objects.get(commitment=commitment, field="status")
    assert (status_entry.old_value, status_entry.new_value) == ("Achevé", "Limité")
    assert status_entry.field_label.startswith("Correction")
    assert status_entry.justification == reason
    assert {e.pk for e in entries} == set(
        JournalEntry.objects.filter(commitment=commitment).values_list("pk", flat=True)
    )
    audit = AuditLog.objects.get(action="engagements.commitment.correct")
    assert audit.changes["status"] == [S.COMPLETE, S.LIMITED] and audit.reason == reason
    assert [m.to for m in mail.outbox] == [[follower.email]]


@pytest.mark.django_db
def test_a_correction_needs_a_reason(make_user):
    """A correction without a reason is refused; nothing changes."""
    commitment = _at(CommitmentFactory(), S.COMPLETE)
    with pytest.raises(ValidationError, match="Expliquez ce changement"):
        services.commitment_update(
            actor=make_user("ditp"),
            commitment=commitment,
            changes={"status": S.LIMITED, "progress": 40},
            justification=" ",
            correction=True,
        )
    commitment.refresh_from_db()
    assert commitment.status == S.COMPLETE


@pytest.mark.django_db
def test_a_correction_to_complete_still_needs_the_milestones_done(make_user):
    """Correcting to « Achevé » does not get round the milestones."""
    commitment = _at(CommitmentFactory(), S.LIMITED)
    _late(commitment)
    with pytest.raises(ValidationError, match="en retard"):
        services.commitment_update(
            actor=make_user("ditp"),
            commitment=commitment,
            changes={"status": S.COMPLETE, "progress": 100},
            justification=WHY,
            correction=True,
        )


@pytest.mark.django_db
def test_a_past_point_d_etape_is_journaled_at_its_date_never_in_the_future(make_user):
    """A seed or an import of a past record dates the journal entry; the future is refused."""
    from django.utils import timezone

    from engagements.models import CommitmentStatus

    staff = make_user("ditp")
    commitment = CommitmentFactory()
    when = timezone.now() - dt.timedelta(days=100)
    (status, progress) = services.commitment_update(
        actor=staff,
        commitment=commitment,
        changes={"status": CommitmentStatus.LIMITED, "progress": 20},
        justification="Point d'étape retrouvé dans le compte rendu de mars.",
        happened_at=when,
    )
    assert status.created_at == when == progress.created_at
    commitment.refresh_from_db()
    assert commitment.last_update_at == when
    with pytest.raises(ValidationError, match="futur"):
        services.commitment_update(
            actor=staff,
            commitment=commitment,
            changes={"progress": 30},
            justification="Point d'étape daté de demain, par erreur.",
            happened_at=timezone.now() + dt.timedelta(days=1),
        )


@pytest.mark.django_db
def test_commitment_create_adds_a_numbered_draft_whose_journal_starts_with_its_origin(
    make_user,
):
    """A draft commitment of a plan in co-construction: numbered after the last one, title
    unconfirmed, institutions found or created once, milestones journaled, audit row."""
    from engagements.models import ActionPlan, Institution, JournalEntry

    staff = make_user("ditp")
    plan = ActionPlan.objects.create(
        slug="pan-2027-2029", title="Plan 2027-2029", status="co_construction"
    )
    CommitmentFactory(plan=plan, number=4, slug="pan-2027-2029-4")
    commitment = services.commitment_create(
        actor=staff,
        plan=plan,
        data={"title": "Ouvrir les budgets", "value_participation": True},
        justification="Issu de la proposition n° 12.",
        lead_names=["DITP"],
        partner_names=["DITP", "Décider ensemble"],
        milestones=[{"deliverable": "Un portail", "ends_on": dt.date(2027, 6, 30)}],
    )
    assert (commitment.number, commitment.slug) == (5, "pan-2027-2029-5")
    assert not commitment.title_confirmed and commitment.value_participation
    assert Institution.objects.filter(short_name="DITP").count() == 1
    assert commitment.supporting_institutions.count() == 2
    entries = list(JournalEntry.objects.filter(commitment=commitment).order_by("id"))
    assert [e.field_label for e in entries] == ["Engagement créé", "Jalon ajouté"]
    assert entries[0].justification == "Issu de la proposition n° 12."
    assert AuditLog.objects.filter(action="engagements.commitment.create").count() == 1
    with pytest.raises(ValidationError, match="inconnus"):
        services.commitment_create(
            actor=staff, plan=plan, data={"progress": 50}, justification="Une raison claire."
        )
    with pytest.raises(ValidationError, match="10 caractères"):
        services.commitment_create(actor=staff, plan=plan, data={}, justification="Court")
