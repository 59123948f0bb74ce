"""Calls: their phases (by staff action or by the clock), collèges, criteria, results."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum_ouvert.core.access import require
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.models import User

from ..models import (
    CALL_STATES,
    ApplicationStatus,
    Call,
    CallPhase,
    College,
    Criterion,
    ForumCharter,
    Member,
)
from .common import changed_fields, snapshot

logger = logging.getLogger(__name__)

CALL_FIELDS = (
    "slug",
    "title",
    "presentation",
    "eligibility",
    "expected_documents",
    "opens_at",
    "closes_at",
)


@transaction.atomic
def call_create(*, actor: User, **fields) -> Call:
    """A new call, in draft: invisible to the public until staff schedule or open it."""
    require(actor, "forum.manage_calls")
    call = Call(phase=CallPhase.DRAFT, **{k: fields[k] for k in CALL_FIELDS if k in fields})
    call.full_clean()
    call.save()
    audit_log(actor=actor, action="forum.call.create", target=call)
    return call


@transaction.atomic
def call_update(*, actor: User, call: Call, **fields) -> Call:
    """Change a call's texts and dates; the phase follows the clock from the new dates."""
    require(actor, "forum.change_call", call)
    before = snapshot(call, CALL_FIELDS)
    for name in CALL_FIELDS:
        if name in fields:
            setattr(call, name, fields[name])
    call.full_clean()
    call.save()
    changes = changed_fields(before, snapshot(call, CALL_FIELDS))
    if changes:
        audit_log(actor=actor, action="forum.call.update", target=call, changes=changes)
    return call


def _check_ready_to_open(call: Call, now: dt.datetime) -> None:
    if not call.colleges.exists():
        raise ValidationError(_("Ajoutez au moins un collège avant d'ouvrir l'appel."))
    if call.closes_at <= now:
        raise ValidationError(_("La date de clôture est passée : reportez-la avant d'ouvrir."))


@transaction.atomic
def call_set_phase(*, actor: User | None, call: Call, phase: str, reason: str = "") -> Call:
    """Move ``call`` to ``phase`` along ``CALL_TRANSITIONS`` (staff, or the clock when
    ``actor`` is None). Opening or closing by hand moves the matching date to now, so
    that the dates shown stay true."""
    if actor is not None:
        require(actor, "forum.manage_calls")
    call = Call.objects.select_for_update().get(pk=call.pk)
    now = timezone.now()
    _follow_clock(call, now)  # staff act on the phase they see: ``phase_at(now)``
    CALL_STATES.check(call.phase, phase)
    changes: dict = {}
    if phase in (CallPhase.SCHEDULED, CallPhase.OPEN):
        _check_ready_to_open(call, now)
    if phase == CallPhase.SCHEDULED and call.opens_at <= now:
        raise ValidationError(
            _("L'ouverture est déjà passée : ouvrez l'appel maintenant ou changez la date.")
        )
    if phase == CallPhase.OPEN and call.opens_at > now:
        changes["opens_at"] = [call.opens_at.isoformat(), now.isoformat()]
        call.opens_at = now
    if phase == CallPhase.CLOSED and call.closes_at > now:
        changes["closes_at"] = [call.closes_at.isoformat(), now.isoformat()]
        call.closes_at = now
    if phase == CallPhase.PUBLISHED:
        _publish_results(actor=actor, call=call, now=now)
        call.results_published_at = now
    CALL_STATES.move(
        call,
        phase,
        actor=actor,
        changes=changes,
        reason=reason or (_("Selon le calendrier de l'appel") if actor is None else ""),
        save=False,
    )
    call.full_clean()
    call.save()
    return call


def _publish_results(*, actor: User | None, call: Call, now: dt.datetime) -> None:
    """Retained organisations become members; every decision not yet sent is sent."""
    from .reviews import applications_notify

    undecided = call.applications.filter(status=ApplicationStatus.SUBMITTED).count()
    if undecided:
        raise ValidationError(
            ngettext(
                "%(n)d candidature n'a pas encore de décision : décidez avant de publier.",
                "%(n)d candidatures n'ont pas encore de décision : décidez avant de publier.",
                undecided,
            )
            % {"n": undecided}
        )
    retained = list(call.applications.filter(status=ApplicationStatus.RETAINED))
    today = timezone.localdate(now)
    Member.objects.bulk_create([Member.from_application(a, joined_on=today) for a in retained])
    applications_notify(
        actor=actor,
        applications=call.applications.filter(
            status__in=(
                ApplicationStatus.RETAINED,
                ApplicationStatus.WAITLISTED,
                ApplicationStatus.REJECTED,
            )
        ),
        check=False,
    )


def _follow_clock(call: Call, now: dt.datetime) -> None:
    """Record on ``call`` (locked) the moves the clock made by ``now``, each journaled as
    done by the calendar; nothing when its stored phase is ``phase_at(now)``."""
    target = call.phase_at(now)
    while call.phase != target:
        step = CallPhase.OPEN if call.phase == CallPhase.SCHEDULED else CallPhase.CLOSED
        old = call.phase
        call.phase = step
        call.save(update_fields=["phase", "updated_at"])
        audit_log(
            actor=None,
            action="forum.call.phase",
            target=call,
            changes={"phase": [old, step]},
            reason=_("Selon le calendrier de l'appel"),
        )


def calls_sync_phases(*, now: dt.datetime | None = None) -> list[Call]:
    """Journal the phases the clock has reached (opening, closing): run by the periodic
    task only, never by a read — pages read ``Call.phase_at``, which needs no record. One
    query when nothing is due."""
    now = now or timezone.now()
    moved = []
    for call in Call.objects.behind_the_clock(now).order_by("opens_at", "pk"):
        with transaction.atomic():
            locked = Call.objects.select_for_update().get(pk=call.pk)
            _follow_clock(locked, now)
            moved.append(locked)
    if moved:
        logger.info("AMI : %d appel(s) ont changé de phase", len(moved))
    return moved


# --- Collèges and criteria -----------------------------------------------------------


def _save_child(*, actor: User, obj, fields: dict, names: tuple[str, ...], action: str):
    require(actor, "forum.change_call", obj.call)
    created = obj.pk is None
    before = {} if created else snapshot(obj, names)
    for name in names:
        if name in fields:
            setattr(obj, name, fields[name])
    obj.full_clean()
    obj.save()
    changes = changed_fields(before, snapshot(obj, names))
    audit_log(
        actor=actor,
        action=f"{action}.{'create' if created else 'update'}",
        target=obj.call,
        changes=changes,
        reason=str(obj),
    )
    return obj


COLLEGE_FIELDS = ("name", "description", "seats", "order")
CRITERION_FIELDS = ("name", "description", "weight", "scale_max", "order")


@transaction.atomic
def college_save(*, actor: User, call: Call, college: College | None = None, **fields) -> College:
    """Add or change a collège of ``call`` (name, seats)."""
    college = college or College(call=call)
    return _save_child(
        actor=actor, obj=college, fields=fields, names=COLLEGE_FIELDS, action="forum.college"
    )


@transaction.atomic
def college_delete(*, actor: User, college: College) -> None:
    """Remove a collège nobody applied to."""
    require(actor, "forum.change_call", college.call)
    if college.applications.exists():
        raise ValidationError(
            _("Des candidatures visent ce collège : il ne peut plus être supprimé.")
        )
    audit_log(actor=actor, action="forum.college.delete", target=college.call, reason=str(college))
    college.delete()


@transaction.atomic
def criterion_save(
    *, actor: User, call: Call, criterion: Criterion | None = None, **fields
) -> Criterion:
    """Add or change a scoring criterion; every evaluation of the call is recomputed."""
    from .reviews import call_recompute_scores

    criterion = criterion or Criterion(call=call)
    criterion = _save_child(
        actor=actor, obj=criterion, fields=fields, names=CRITERION_FIELDS, action="forum.criterion"
    )
    call_recompute_scores(call=call)
    return criterion


@transaction.atomic
def criterion_delete(*, actor: User, criterion: Criterion) -> None:
    """Remove a criterion and its marks; every evaluation of the call is recomputed."""
    from .reviews import call_recompute_scores

    call = criterion.call
    require(actor, "forum.change_call", call)
    audit_log(actor=actor, action="forum.criterion.delete", target=call, reason=str(criterion))
    criterion.delete()
    call_recompute_scores(call=call)


# --- The forum's charter -------------------------------------------------------------


@transaction.atomic
def charter_update(*, actor: User, presentation: str, rules: str) -> ForumCharter:
    """Change the forum's public presentation and rules of participation (journaled)."""
    require(actor, "forum.manage_calls")
    charter, _created = ForumCharter.objects.select_for_update().get_or_create(pk=1)
    before = snapshot(charter, ("presentation", "rules"))
    charter.presentation = presentation
    charter.rules = rules
    charter.full_clean()
    charter.save()
    changes = changed_fields(before, snapshot(charter, ("presentation", "rules")))
    if changes:
        audit_log(actor=actor, action="forum.charter.update", target=charter, changes=changes)
    return charter
