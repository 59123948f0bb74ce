"""Writes on the plan: every change to a commitment or milestone goes through here.

Each service locks what it changes, validates it (state machines below, then
``full_clean``), saves, and writes one journal row per changed field — in the same
transaction, with the actor and the mandatory justification. Followers are told on
commit. History is never rewritten (the journal table is append-only in the database).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.models import User
from forum_ouvert.core.outbox import enqueue

from .models import (
    ActionPlan,
    Axis,
    Commitment,
    CommitmentStatus,
    Evidence,
    Follow,
    JournalEntry,
    Milestone,
    MilestoneStatus,
)

S = CommitmentStatus
#: Allowed moves on the IRM completion scale. A commitment may go back one step to
#: correct an over-optimistic report, but a started commitment never returns to "non
#: commencé", and an achieved one can only be reopened as "substantiel".
COMMITMENT_TRANSITIONS: dict[str, set[str]] = {
    S.NOT_STARTED: {S.LIMITED, S.SUBSTANTIAL, S.COMPLETE},
    S.LIMITED: {S.NOT_STARTED, S.SUBSTANTIAL, S.COMPLETE},
    S.SUBSTANTIAL: {S.LIMITED, S.COMPLETE},
    S.COMPLETE: {S.SUBSTANTIAL},
}

M = MilestoneStatus
MILESTONE_TRANSITIONS: dict[str, set[str]] = {
    M.PLANNED: {M.IN_PROGRESS, M.REACHED, M.CANCELLED},
    M.IN_PROGRESS: {M.PLANNED, M.REACHED, M.CANCELLED},
    M.REACHED: {M.IN_PROGRESS},
    M.CANCELLED: {M.PLANNED},
}

#: What a commitment lead may change on their commitments; staff may change all of these.
LEAD_FIELDS = ("status", "progress")
STAFF_FIELDS = (
    "status",
    "progress",
    "title",
    "title_confirmed",
    "ogp_id",
    "axis",
    "problem",
    "description",
    "how_it_helps",
    "why_relevant",
    "starts_on",
    "ends_on",
    "policy_areas",
    "value_transparency",
    "value_participation",
    "value_accountability",
    "value_technology",
)
MILESTONE_FIELDS = (
    "deliverable",
    "expected_result",
    "starts_on",
    "ends_on",
    "status",
    "reached_on",
)


def _display(field: str, value: Any, *, milestone: bool = False) -> str:
    """How a value reads in the public journal."""
    if value is None or value == "":
        return ""
    if field == "status":
        choices = dict(MilestoneStatus.choices) if milestone else dict(CommitmentStatus.choices)
        return str(choices.get(value, value))
    if field == "progress":
        return f"{value} %"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


#: What the public history says of an internal document's justification.
INTERNAL_JUSTIFICATION = gettext_lazy(
    "Justification interne, consultable par les pilotes de l'engagement et la DITP."
)


def _require_justification(justification: str) -> str:
    text = (justification or "").strip()
    if len(text) < 10:
        raise ValidationError(
            {"justification": _("Expliquez ce changement en une phrase (10 caractères au moins).")}
        )
    return text


def _journal(
    *,
    actor: User | None,
    commitment: Commitment,
    field: str,
    label: str,
    old: str,
    new: str,
    justification: str,
    milestone: Milestone | None = None,
) -> JournalEntry:
    return JournalEntry.objects.create(
        commitment=commitment,
        milestone=milestone,
        actor=actor,
        field=field,
        field_label=label,
        old_value=old,
        new_value=new,
        justification=justification,
    )


def _notify_on_commit(entries: list[JournalEntry]) -> None:
    if not entries:
        return
    enqueue("engagements.notify_followers", [e.pk for e in entries])


def check_commitment_consistency(*, status: str, progress: int) -> None:
    """Status and progress tell the same story."""
    if status == S.COMPLETE and progress != 100:
        raise ValidationError({"progress": _("Un engagement achevé est avancé à 100 %.")})
    if status != S.COMPLETE and progress == 100:
        raise ValidationError(
            {"status": _("Un avancement de 100 % correspond à l'état « Achevé ».")}
        )
    if status == S.NOT_STARTED and progress != 0:
        raise ValidationError({"progress": _("Un engagement non commencé a un avancement de 0 %.")})


@transaction.atomic
def commitment_update(
    *,
    actor: User,
    commitment: Commitment,
    changes: dict[str, Any],
    justification: str,
    allowed_fields: Iterable[str] = LEAD_FIELDS,
) -> list[JournalEntry]:
    """Change some fields of a commitment; one journal row per field that really changed.

    ``allowed_fields`` is what the caller's role may change (``LEAD_FIELDS`` or
    ``STAFF_FIELDS``); the view decides it from the actor's abilities.
    """
    justification = _require_justification(justification)
    allowed = set(allowed_fields)
    refused = set(changes) - allowed
    if refused:
        raise ValidationError(
            _("Vous ne pouvez pas modifier : %(f)s.") % {"f": ", ".join(sorted(refused))}
        )
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    changed: list[tuple[str, Any, Any]] = []
    for field, new in changes.items():
        old = getattr(locked, field)
        if field == "axis":
            old_id = locked.axis_id
            new_id = new.pk if new else None
            if old_id != new_id:
                changed.append((field, locked.axis, new))
            continue
        if old != new:
            changed.append((field, old, new))
    if not changed:
        return []
    new_status = changes.get("status", locked.status)
    moving = "status" in changes and new_status != locked.status
    if moving and new_status not in COMMITMENT_TRANSITIONS.get(locked.status, set()):
        raise ValidationError(
            {
                "status": _("Passage de « %(old)s » à « %(new)s » non autorisé.")
                % {
                    "old": locked.get_status_display(),
                    "new": dict(CommitmentStatus.choices).get(new_status, new_status),
                }
            }
        )
    check_commitment_consistency(
        status=new_status, progress=changes.get("progress", locked.progress)
    )
    for field, _old, new in changed:
        setattr(locked, field, new)
    locked.last_update_at = timezone.now()
    locked.full_clean()
    locked.save()
    entries = [
        _journal(
            actor=actor,
            commitment=locked,
            field=field,
            label=str(Commitment._meta.get_field(field).verbose_name).capitalize(),
            old=_display(field, old),
            new=_display(field, new),
            justification=justification,
        )
        for field, old, new in changed
    ]
    _notify_on_commit(entries)
    commitment.refresh_from_db()
    return entries


@transaction.atomic
def commitment_set_leads(
    *, actor: User, commitment: Commitment, leads: Iterable[User], justification: str
) -> JournalEntry | None:
    """Staff assign the accounts that pilot a commitment (journaled)."""
    justification = _require_justification(justification)
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    before = sorted(locked.leads.all(), key=lambda u: u.pk)
    after = sorted(set(leads), key=lambda u: u.pk)
    if [u.pk for u in before] == [u.pk for u in after]:
        return None
    locked.leads.set(after)
    locked.last_update_at = timezone.now()
    locked.save(update_fields=["last_update_at", "updated_at"])
    entry = _journal(
        actor=actor,
        commitment=locked,
        field="leads",
        label=_("Pilotes (comptes)"),
        old=", ".join(u.display_name or u.email for u in before),
        new=", ".join(u.display_name or u.email for u in after),
        justification=justification,
    )
    _notify_on_commit([entry])
    return entry


@transaction.atomic
def milestone_create(
    *, actor: User, commitment: Commitment, data: dict[str, Any], justification: str
) -> Milestone:
    """Add a milestone to a commitment (journaled as « Jalon ajouté »)."""
    justification = _require_justification(justification)
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    data = {k: v for k, v in data.items() if k in MILESTONE_FIELDS}
    status = data.get("status", M.PLANNED)
    if status == M.REACHED and not data.get("reached_on"):
        data["reached_on"] = timezone.localdate()
    if status != M.REACHED:
        data["reached_on"] = None
    last = locked.milestones.order_by("-order").values_list("order", flat=True).first() or 0
    milestone = Milestone(commitment=locked, order=last + 1, **data)
    milestone.full_clean()
    milestone.save()
    locked.last_update_at = timezone.now()
    locked.save(update_fields=["last_update_at", "updated_at"])
    entry = _journal(
        actor=actor,
        commitment=locked,
        milestone=milestone,
        field="milestone",
        label=_("Jalon ajouté"),
        old="",
        new=milestone.deliverable[:500],
        justification=justification,
    )
    _notify_on_commit([entry])
    return milestone


@transaction.atomic
def milestone_update(
    *, actor: User, milestone: Milestone, changes: dict[str, Any], justification: str
) -> list[JournalEntry]:
    """Change a milestone (status through its state machine); one journal row per field."""
    justification = _require_justification(justification)
    locked = Milestone.objects.select_for_update().select_related("commitment").get(pk=milestone.pk)
    changes = {k: v for k, v in changes.items() if k in MILESTONE_FIELDS}
    new_status = changes.get("status", locked.status)
    if new_status != locked.status and new_status not in MILESTONE_TRANSITIONS[locked.status]:
        raise ValidationError(
            {
                "status": _("Passage du jalon de « %(old)s » à « %(new)s » non autorisé.")
                % {
                    "old": locked.get_status_display(),
                    "new": dict(MilestoneStatus.choices).get(new_status, new_status),
                }
            }
        )
    if new_status == M.REACHED:
        changes.setdefault("reached_on", locked.reached_on or timezone.localdate())
        if changes["reached_on"] is None:
            changes["reached_on"] = timezone.localdate()
    else:
        changes["reached_on"] = None
    changed = [(f, getattr(locked, f), v) for f, v in changes.items() if getattr(locked, f) != v]
    if not changed:
        return []
    for field, _old, new in changed:
        setattr(locked, field, new)
    locked.full_clean()
    locked.save()
    commitment = locked.commitment
    commitment.last_update_at = timezone.now()
    commitment.save(update_fields=["last_update_at", "updated_at"])
    entries = [
        _journal(
            actor=actor,
            commitment=commitment,
            milestone=locked,
            field=f"milestone.{field}",
            label=_("Jalon « %(m)s » : %(f)s")
            % {"m": locked.deliverable[:60], "f": Milestone._meta.get_field(field).verbose_name},
            old=_display(field, old, milestone=True),
            new=_display(field, new, milestone=True),
            justification=justification,
        )
        for field, old, new in changed
    ]
    _notify_on_commit(entries)
    return entries


@transaction.atomic
def evidence_add(
    *,
    actor: User,
    commitment: Commitment,
    title: str,
    dated_on: dt.date,
    justification: str,
    document=None,
    url: str = "",
    milestone: Milestone | None = None,
    is_public: bool = True,
) -> Evidence:
    """Add a document (already validated by content) or a link to the evidence repository."""
    justification = _require_justification(justification)
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if milestone is not None and milestone.commitment_id != locked.pk:
        raise ValidationError({"milestone": _("Ce jalon n'appartient pas à cet engagement.")})
    if bool(document) == bool(url):
        raise ValidationError(_("Joignez soit un document PDF, soit un lien (l'un ou l'autre)."))
    evidence = Evidence(
        commitment=locked,
        milestone=milestone,
        title=title,
        dated_on=dated_on,
        url=url or "",
        is_public=is_public,
        added_by=actor,
    )
    if document:
        evidence.document = document
        evidence.document_size = document.size
    evidence.full_clean()
    evidence.save()
    locked.last_update_at = timezone.now()
    locked.save(update_fields=["last_update_at", "updated_at"])
    entry = _journal(
        actor=actor,
        commitment=locked,
        milestone=milestone,
        field="evidence",
        label=_("Justificatif ajouté") if is_public else _("Justificatif interne ajouté"),
        old="",
        new=title if is_public else _("(document interne)"),
        # The public history says that an internal document was added, never what it is nor
        # why: its justification is kept in the audit log, for the leads and the DITP.
        justification=justification if is_public else INTERNAL_JUSTIFICATION,
    )
    if is_public:
        _notify_on_commit([entry])
    else:
        audit_log(
            actor=actor,
            action="engagements.evidence.add_internal",
            target=evidence,
            changes={"title": [None, title]},
            reason=justification,
        )
    return evidence


@transaction.atomic
def follow_toggle(*, user: User, commitment: Commitment) -> bool:
    """Follow or stop following a commitment; returns whether the user now follows it."""
    deleted, _ = Follow.objects.filter(user=user, commitment=commitment).delete()
    if deleted:
        return False
    Follow.objects.get_or_create(user=user, commitment=commitment)
    return True


# --- Plans and axes (staff) ----------------------------------------------------------


@transaction.atomic
def plan_save(*, actor: User, plan: ActionPlan, reason: str = "") -> ActionPlan:
    """Create or update a plan; making it current un-marks the previous current plan."""
    creating = plan.pk is None
    if not plan.slug:
        plan.slug = slugify(plan.title)[:80]
    if plan.is_current:
        ActionPlan.objects.select_for_update().filter(is_current=True).exclude(pk=plan.pk).update(
            is_current=False
        )
    plan.full_clean()
    plan.save()
    audit_log(
        actor=actor,
        action="engagements.plan.create" if creating else "engagements.plan.update",
        target=plan,
        changes={"title": plan.title, "status": plan.status, "is_current": plan.is_current},
        reason=reason,
    )
    return plan


@transaction.atomic
def axis_save(*, actor: User, axis: Axis, reason: str = "") -> Axis:
    creating = axis.pk is None
    axis.full_clean()
    axis.save()
    audit_log(
        actor=actor,
        action="engagements.axis.create" if creating else "engagements.axis.update",
        target=axis,
        changes={"number": axis.number, "title": axis.title},
        reason=reason,
    )
    return axis
