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
from django.utils.translation import gettext_lazy as _lazy

from forum_ouvert.core import notifications
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.models import User
from forum_ouvert.core.outbox import enqueue
from forum_ouvert.core.states import StateMachine
from forum_ouvert.core.text import shorten

from . import signals
from .institutions import canonical
from .models import (
    ActionPlan,
    Axis,
    Commitment,
    CommitmentStatus,
    Evidence,
    Follow,
    Institution,
    JournalEntry,
    Milestone,
    MilestoneStatus,
    PlanStatus,
)

S = CommitmentStatus
#: Allowed moves on the IRM completion scale. A commitment may go back one step to
#: correct an over-optimistic report, but a started commitment never returns to "non
#: commencé", and an achieved one can only be reopened as "substantiel". A report that
#: was simply wrong is fixed by a correction (``COMMITMENT_CORRECTIONS``), not by steps.
COMMITMENT_TRANSITIONS: dict[str, set[str]] = {
    S.NOT_STARTED: {S.LIMITED, S.SUBSTANTIAL, S.COMPLETE},
    S.LIMITED: {S.NOT_STARTED, S.SUBSTANTIAL, S.COMPLETE},
    S.SUBSTANTIAL: {S.LIMITED, S.COMPLETE},
    S.COMPLETE: {S.SUBSTANTIAL},
}
COMMITMENT_STATES = StateMachine(
    field="status",
    states=CommitmentStatus,
    transitions=COMMITMENT_TRANSITIONS,
    action="engagements.commitment.status",
    error_field="status",
    hint=_lazy(
        "Si l'état publié était une erreur, cochez « Correction » : le passage direct vers "
        "n'importe quel état est alors journalisé comme une correction."
    ),
)
#: A correction fixes a wrong report in one step, from any state to any state, with a
#: mandatory reason; the public history marks it « Correction ».
COMMITMENT_CORRECTIONS = StateMachine(
    field="status",
    states=CommitmentStatus,
    transitions={state: set(S.values) for state in S.values},
    action="engagements.commitment.correct",
    error_field="status",
)

M = MilestoneStatus
MILESTONE_TRANSITIONS: dict[str, set[str]] = {
    M.PLANNED: {M.IN_PROGRESS, M.REACHED, M.CANCELLED},
    M.IN_PROGRESS: {M.PLANNED, M.REACHED, M.CANCELLED},
    M.REACHED: {M.IN_PROGRESS},
    M.CANCELLED: {M.PLANNED},
}
MILESTONE_STATES = StateMachine(
    field="status",
    states=MilestoneStatus,
    transitions=MILESTONE_TRANSITIONS,
    action="engagements.milestone.status",
    error_field="status",
)
#: Milestone states that leave nothing to do (« Achevé » needs every milestone in one).
MILESTONE_DONE = (M.REACHED, M.CANCELLED)

#: What a commitment lead may change on their commitments; staff: ``STAFF_FIELDS``.
LEAD_FIELDS = ("status", "progress")
MILESTONE_FIELDS = (
    "deliverable",
    "deliverable_en",
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
INTERNAL_JUSTIFICATION = _lazy(
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
    happened_at: dt.datetime | None = None,
) -> JournalEntry:
    return JournalEntry.objects.create(
        commitment=commitment,
        milestone=milestone,
        actor=actor,
        created_at=happened_at or timezone.now(),
        field=field,
        field_label=label,
        old_value=old,
        new_value=new,
        justification=justification,
    )


def _label(field: str, *, correction: bool = False) -> str:
    label = str(Commitment._meta.get_field(field).verbose_name).capitalize()
    if correction and field in ("status", "progress"):
        return _("Correction : %(label)s") % {"label": label}
    return label


def _notify_on_commit(entries: list[JournalEntry]) -> None:
    if not entries:
        return
    enqueue("engagements.notify_followers", [e.pk for e in entries])
    first = entries[0]
    commitment = first.commitment
    message = _("Du nouveau sur l'engagement n° %(number)s : %(changes)s") % {
        "number": commitment.number,
        "changes": ", ".join(dict.fromkeys(str(e.field_label) for e in entries)),
    }
    followers = Follow.objects.filter(commitment=commitment).select_related("user").order_by("id")
    for follow in followers:
        # In the notification centre; the e-mail is the follower notice of the task above.
        notifications.notify(
            recipient=follow.user,
            kind=notifications.Kind.FOLLOWED,
            target=commitment,
            url=f"{commitment.get_absolute_url()}#entree-{first.pk}",
            actor=first.actor,
            message=message,
            email=False,
        )


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


def check_milestones_done(commitment: Commitment) -> None:
    """« Achevé » only when every milestone is reached or abandoned: never « Achevé » and
    « En retard » together on the public page."""
    pending = list(commitment.milestones.exclude(status__in=MILESTONE_DONE).order_by("order", "id"))
    if not pending:
        return
    late = _(" (en retard)")
    names = ", ".join(
        f"« {shorten(m.deliverable, 80)} »{late if m.is_late else ''}" for m in pending
    )
    raise ValidationError(
        {
            "status": _(
                "L'engagement ne peut pas être « Achevé » tant qu'un jalon n'est ni atteint ni "
                "abandonné : %(names)s. Mettez d'abord ces jalons à jour."
            )
            % {"names": names}
        }
    )


@transaction.atomic
def commitment_update(
    *,
    actor: User,
    commitment: Commitment,
    changes: dict[str, Any],
    justification: str,
    allowed_fields: Iterable[str] = LEAD_FIELDS,
    correction: bool = False,
    happened_at: dt.datetime | None = None,
) -> list[JournalEntry]:
    """Change some fields of a commitment; one journal row per field that really changed.

    ``allowed_fields`` is what the caller's role may change (``LEAD_FIELDS`` or
    ``models.STAFF_FIELDS``); the view decides it from the actor's abilities. The status moves
    along ``COMMITMENT_STATES``; with ``correction`` it may go to any state in one step
    (a wrong report fixed), and the journal and audit mark it as a correction. Either way
    followers get one notice for the whole act.

    ``happened_at``: when the act took place, given only by a seed or the import of a past
    record (the demo's history spread over the plan's period); the journal entry carries
    it, the audit row says when it was recorded. It may not be in the future.
    """
    justification = _require_justification(justification)
    if happened_at is not None and happened_at > timezone.now():
        raise ValidationError(_("Un point d'étape ne peut pas être daté dans le futur."))
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
    machine = COMMITMENT_CORRECTIONS if correction else COMMITMENT_STATES
    moving = "status" in changes and (new_status != locked.status or correction)
    if moving:
        machine.check(locked.status, new_status)
    new_progress = changes.get("progress", locked.progress)
    check_commitment_consistency(status=new_status, progress=new_progress)
    if moving and new_status == S.COMPLETE:
        check_milestones_done(locked)
    if moving:
        machine.move(
            locked,
            new_status,
            actor=actor,
            reason=justification,
            changes={"progress": [locked.progress, new_progress]},
            save=False,
        )
    for field, _old, new in changed:
        setattr(locked, field, new)
    locked.last_update_at = happened_at or timezone.now()
    locked.full_clean()
    locked.save()
    entries = [
        _journal(
            actor=actor,
            commitment=locked,
            field=field,
            label=_label(field, correction=correction),
            old=_display(field, old),
            new=_display(field, new),
            justification=justification,
            happened_at=happened_at,
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


def _check_reopening(commitment: Commitment, milestone_status: str) -> None:
    """An « Achevé » commitment has nothing left to do: a milestone that is not done
    needs the commitment's state corrected first."""
    if commitment.status == S.COMPLETE and milestone_status not in MILESTONE_DONE:
        raise ValidationError(
            {
                "status": _(
                    "L'engagement est « Achevé » : corrigez d'abord son état (point d'étape, "
                    "case « Correction ») avant d'ajouter ou de rouvrir un jalon à faire."
                )
            }
        )


@transaction.atomic
def milestone_create(
    *, actor: User, commitment: Commitment, data: dict[str, Any], justification: str
) -> Milestone:
    """Add a milestone to a commitment (journaled as « Jalon ajouté »)."""
    justification = _require_justification(justification)
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    data = {k: v for k, v in data.items() if k in MILESTONE_FIELDS}
    status = data.get("status", M.PLANNED)
    _check_reopening(locked, status)
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
        new=milestone.deliverable,
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
    moving = new_status != locked.status
    if moving:
        MILESTONE_STATES.check(locked.status, new_status)
        _check_reopening(locked.commitment, new_status)
    if new_status == M.REACHED:
        changes.setdefault("reached_on", locked.reached_on or timezone.localdate())
        if changes["reached_on"] is None:
            changes["reached_on"] = timezone.localdate()
    else:
        changes["reached_on"] = None
    changed = [(f, getattr(locked, f), v) for f, v in changes.items() if getattr(locked, f) != v]
    if not changed:
        return []
    if moving:
        MILESTONE_STATES.move(locked, new_status, actor=actor, reason=justification, save=False)
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
            % {
                "m": shorten(locked.deliverable, 60),
                "f": Milestone._meta.get_field(field).verbose_name,
            },
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
    title_en: str = "",
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
        title_en=title_en,
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


def _locked_evidence(evidence: Evidence) -> Evidence:
    """The evidence under a row lock (its commitment too), refused once withdrawn."""
    locked = (
        Evidence.objects.select_for_update(of=("self", "commitment"))
        .select_related("commitment", "milestone")
        .get(pk=evidence.pk)
    )
    if locked.is_withdrawn:
        raise ValidationError(
            _("Ce justificatif a été retiré le %(d)s : il ne peut plus être modifié.")
            % {"d": timezone.localtime(locked.withdrawn_at).strftime("%d/%m/%Y")}
        )
    return locked


def _evidence_journal(
    *, actor: User, evidence: Evidence, label: str, old: str, new: str, justification: str
) -> JournalEntry:
    """One row of the public history about an evidence; ``evidence_add``'s rule holds: an
    internal document's name and reasons never reach it (they are in the audit log)."""
    commitment = evidence.commitment
    commitment.last_update_at = timezone.now()
    commitment.save(update_fields=["last_update_at", "updated_at"])
    return _journal(
        actor=actor,
        commitment=commitment,
        milestone=evidence.milestone,
        field="evidence",
        label=label,
        old=old,
        new=new,
        justification=justification,
    )


@transaction.atomic
def evidence_update(
    *, actor: User, evidence: Evidence, title: str, is_public: bool, justification: str
) -> Evidence:
    """Change an evidence's title or visibility (journaled and audited). Publishing an
    internal document tells followers; making a public one internal says so in the public
    history without giving a new title."""
    justification = _require_justification(justification)
    locked = _locked_evidence(evidence)
    before = {"title": locked.title, "is_public": locked.is_public}
    if before == {"title": title, "is_public": is_public}:
        return locked
    locked.title, locked.is_public = title, is_public
    locked.full_clean()
    locked.save()
    audit_log(
        actor=actor,
        action="engagements.evidence.update",
        target=locked,
        changes={k: [v, getattr(locked, k)] for k, v in before.items() if v != getattr(locked, k)},
        reason=justification,
    )
    if before["is_public"] and is_public:
        label, old, new = _("Justificatif : titre"), before["title"], title
    elif is_public:
        label, old, new = _("Justificatif publié"), _("(document interne)"), title
    elif before["is_public"]:
        label, old, new = _("Justificatif rendu interne"), before["title"], _("(document interne)")
    else:
        label, old, new = _("Justificatif interne modifié"), "", _("(document interne)")
    public = is_public or before["is_public"]
    entry = _evidence_journal(
        actor=actor,
        evidence=locked,
        label=label,
        old=old,
        new=new,
        justification=justification if public else INTERNAL_JUSTIFICATION,
    )
    if public:
        _notify_on_commit([entry])
    return locked


@transaction.atomic
def evidence_withdraw(*, actor: User, evidence: Evidence, reason: str) -> Evidence:
    """Withdraw an evidence with a reason: it leaves the public repository and its
    download, is kept with its file for the leads and the DITP, and the public history
    says it was withdrawn and why (an internal one: that an internal document was)."""
    reason = _require_justification(reason)
    locked = _locked_evidence(evidence)
    was_public = locked.is_public
    locked.withdrawn_at = timezone.now()
    locked.withdrawal_reason = reason
    locked.is_public = False
    locked.full_clean()
    locked.save()
    audit_log(
        actor=actor,
        action="engagements.evidence.withdraw",
        target=locked,
        changes={"is_public": [was_public, False], "title": [locked.title, locked.title]},
        reason=reason,
    )
    entry = _evidence_journal(
        actor=actor,
        evidence=locked,
        label=_("Justificatif retiré") if was_public else _("Justificatif interne retiré"),
        old=locked.title if was_public else _("(document interne)"),
        new="",
        justification=reason if was_public else INTERNAL_JUSTIFICATION,
    )
    if was_public:
        _notify_on_commit([entry])
    return locked


@transaction.atomic
def evidence_replace(
    *,
    actor: User,
    evidence: Evidence,
    justification: str,
    document=None,
    url: str = "",
    dated_on: dt.date | None = None,
) -> Evidence:
    """Replace an evidence's document (or link) by a new version: a new evidence with the
    same title, milestone and visibility; the old one is kept with its file, withdrawn and
    pointing to its replacement, and the public history says « Justificatif remplacé »."""
    justification = _require_justification(justification)
    old = _locked_evidence(evidence)
    if bool(document) == bool(url):
        raise ValidationError(_("Joignez soit un document PDF, soit un lien (l'un ou l'autre)."))
    new = Evidence(
        commitment=old.commitment,
        milestone=old.milestone,
        title=old.title,
        dated_on=dated_on or old.dated_on,
        url=url or "",
        is_public=old.is_public,
        added_by=actor,
    )
    if document:
        new.document = document
        new.document_size = document.size
    new.full_clean()
    new.save()
    was_public = old.is_public
    old.withdrawn_at = timezone.now()
    old.withdrawal_reason = _("Remplacé par une nouvelle version : %(j)s") % {"j": justification}
    old.is_public = False
    old.replaced_by = new
    old.full_clean()
    old.save()
    audit_log(
        actor=actor,
        action="engagements.evidence.replace",
        target=old,
        changes={"replaced_by": [None, new.pk], "is_public": [was_public, False]},
        reason=justification,
    )
    entry = _evidence_journal(
        actor=actor,
        evidence=new,
        label=_("Justificatif remplacé") if was_public else _("Justificatif interne remplacé"),
        old=old.title if was_public else _("(document interne)"),
        new=_("nouvelle version") if was_public else _("(document interne)"),
        justification=justification if was_public else INTERNAL_JUSTIFICATION,
    )
    if was_public:
        _notify_on_commit([entry])
    return new


@transaction.atomic
def follow_toggle(*, user: User, commitment: Commitment) -> bool:
    """Follow or stop following a commitment; returns whether the user now follows it."""
    deleted, _ = Follow.objects.filter(user=user, commitment=commitment).delete()
    if deleted:
        return False
    Follow.objects.get_or_create(user=user, commitment=commitment)
    return True


#: What a new commitment may be given when it is created (``commitment_create``).
CREATE_FIELDS = (
    "title",
    "problem",
    "description",
    "how_it_helps",
    "why_relevant",
    "value_transparency",
    "value_participation",
    "value_accountability",
    "value_technology",
    "starts_on",
    "ends_on",
    "notes",
)


def institution_for(name: str) -> Institution:
    """The institution ``name`` stands for (its short or long name, see
    ``institutions.canonical``), created when the table does not know it yet."""
    short, long = canonical(name)
    found = Institution.objects.filter(name__iexact=long).first()
    if found is None and short:
        found = Institution.objects.filter(short_name__iexact=short).first()
    if found is not None:
        return found
    base = slugify(long)[:110] or "institution"
    slug, n = base, 1
    while Institution.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    institution = Institution(name=long[:255], short_name=short, slug=slug)
    institution.full_clean()
    institution.save()
    return institution


@transaction.atomic
def commitment_create(
    *,
    actor: User,
    plan: ActionPlan,
    data: dict[str, Any],
    justification: str,
    lead_names: Iterable[str] = (),
    partner_names: Iterable[str] = (),
    milestones: Iterable[dict[str, Any]] = (),
) -> Commitment:
    """Add a draft commitment to a plan being co-constructed, numbered after the last one.

    Its journal starts here: a first entry « Engagement créé » carries ``justification``
    (where the commitment comes from), then one « Jalon ajouté » per milestone. The title
    stays unconfirmed until staff check it; leads (accounts) are assigned afterwards, as
    for any commitment (``commitment_set_leads``).
    """
    justification = _require_justification(justification)
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != PlanStatus.CO_CONSTRUCTION:
        raise ValidationError(
            _("Un engagement s'ajoute à un plan en co-construction, pas à un plan publié.")
        )
    refused = set(data) - set(CREATE_FIELDS)
    if refused:
        raise ValidationError(
            _("Champs inconnus à la création : %(f)s.") % {"f": ", ".join(sorted(refused))}
        )
    last = locked.commitments.order_by("-number").values_list("number", flat=True).first() or 0
    number = last + 1
    base = f"{locked.slug}-{number}"[:110]
    slug, n = base, 1
    while Commitment.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    commitment = Commitment(plan=locked, number=number, slug=slug, **data)
    commitment.last_update_at = timezone.now()
    commitment.full_clean()
    commitment.save()
    commitment.lead_institutions.set([institution_for(n) for n in lead_names if n.strip()])
    commitment.supporting_institutions.set([institution_for(n) for n in partner_names if n.strip()])
    entry = _journal(
        actor=actor,
        commitment=commitment,
        field="created",
        label=_("Engagement créé"),
        old="",
        new=commitment.display_title,
        justification=justification,
    )
    audit_log(
        actor=actor,
        action="engagements.commitment.create",
        target=commitment,
        changes={"plan": locked.pk, "number": number, "title": commitment.title},
        reason=justification,
    )
    for item in milestones:
        milestone_create(actor=actor, commitment=commitment, data=item, justification=justification)
    _notify_on_commit([entry])
    return commitment


# --- Plans and axes (staff) ----------------------------------------------------------


@transaction.atomic
def plan_save(*, actor: User, plan: ActionPlan, reason: str = "") -> ActionPlan:
    """Create or update a plan; making it current un-marks the previous current plan.

    A plan under co-construction that becomes « en cours » is published: once saved,
    ``signals.plan_published`` goes out in this transaction (its documents are requested)."""
    creating = plan.pk is None
    was = (
        None
        if creating
        else ActionPlan.objects.select_for_update()
        .filter(pk=plan.pk)
        .values_list("status", flat=True)
        .first()
    )
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
    if was == PlanStatus.CO_CONSTRUCTION and plan.status == PlanStatus.CURRENT:
        signals.plan_published.send(sender=ActionPlan, plan=plan, actor=actor)
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
