"""What DITP staff do: open the co-creation of a plan, set and publish its calendar."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engagements.models import ActionPlan, PlanStatus
from forum_ouvert.core import access
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.dates import date_label
from forum_ouvert.core.models import User

from ..models import MIN_NOTICE, CalendarPhase, PhaseKind, Process


def notice_shortfall(process: Process, published_at: datetime.datetime) -> bool:
    """Whether the first participation phase opens less than ``MIN_NOTICE`` after
    ``published_at`` (the 14-day rule of the OGP co-creation standards)."""
    opening = process.first_participation_opening()
    return opening is not None and opening - published_at < MIN_NOTICE


def _earliest_opening(published_at: datetime.datetime) -> str:
    earliest = timezone.localtime(published_at + MIN_NOTICE)
    if earliest.time() != datetime.time.min:
        earliest += datetime.timedelta(days=1)
    return date_label(earliest.date())


@transaction.atomic
def process_create(*, actor: User, plan: ActionPlan, presentation: str) -> Process:
    """Open the co-creation of ``plan``, which must be *en co-construction*."""
    access.require(actor, "cocreation.manage_process")
    if plan.status != PlanStatus.CO_CONSTRUCTION:
        raise ValidationError(
            {"plan": _("Seul un plan « en co-construction » peut être co-construit.")}
        )
    process = Process(plan=plan, presentation=presentation)
    process.full_clean()
    process.save()
    audit_log(
        actor=actor,
        action="cocreation.process.create",
        target=process,
        changes={"plan": plan.pk, "presentation": presentation},
    )
    return process


@transaction.atomic
def phase_save(
    *,
    actor: User,
    process: Process,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    activities: str,
    reason: str = "",
) -> CalendarPhase:
    """Set the dates and activities of one phase of the calendar (created if missing).

    Phases never overlap, so that one phase at most is open at any moment. Once the
    calendar is public, a change is still held to the 14-day rule from the publication
    date (unless staff gave a reason when publishing), and must say why.
    """
    access.require(actor, "cocreation.manage_process")
    process = Process.objects.select_for_update().get(pk=process.pk)
    phase = CalendarPhase.objects.filter(process=process, kind=kind).first()
    old = (
        {"starts_on": phase.starts_on, "ends_on": phase.ends_on, "activities": phase.activities}
        if phase
        else {}
    )
    phase = phase or CalendarPhase(process=process, kind=kind)
    phase.starts_on, phase.ends_on, phase.activities = starts_on, ends_on, activities
    phase.full_clean()
    others = process.phases.exclude(kind=kind)
    clash = others.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if clash:
        raise ValidationError(
            {
                "starts_on": _("Cette phase chevauche la phase « %(other)s ».")
                % {"other": clash.get_kind_display()}
            }
        )
    if process.is_published:
        if not reason.strip():
            raise ValidationError(
                {"reason": _("Le calendrier est public : dites pourquoi il change.")}
            )
        phase.save()
        if not process.early_opening_reason and notice_shortfall(
            process, process.calendar_published_at
        ):
            raise ValidationError(
                {
                    "starts_on": _(
                        "Le calendrier a été publié le %(published)s : la participation ne peut "
                        "pas ouvrir avant le %(earliest)s."
                    )
                    % {
                        "published": date_label(process.calendar_published_at),
                        "earliest": _earliest_opening(process.calendar_published_at),
                    }
                }
            )
    else:
        phase.save()
    changes = {
        field: [str(old.get(field, "")), str(getattr(phase, field))]
        for field in ("starts_on", "ends_on", "activities")
        if str(old.get(field, "")) != str(getattr(phase, field))
    }
    audit_log(
        actor=actor,
        action="cocreation.phase.save",
        target=phase,
        changes={"kind": kind, **changes},
        reason=reason,
    )
    return phase


@transaction.atomic
def calendar_publish(*, actor: User, process: Process, override_reason: str = "") -> Process:
    """Make the calendar public: from now on, its phases open and close on their dates.

    The first participation phase must open at least 14 days later (``MIN_NOTICE``);
    staff may publish a shorter notice only with a written reason, shown publicly.
    """
    access.require(actor, "cocreation.manage_process")
    process = Process.objects.select_for_update().get(pk=process.pk)
    if process.is_published:
        raise ValidationError(_("Le calendrier est déjà publié."), code="published")
    if process.phase_of(PhaseKind.PROPOSALS) is None:
        raise ValidationError(
            _("Le calendrier doit comporter la phase de propositions."), code="incomplete"
        )
    now = timezone.now()
    override_reason = override_reason.strip()
    short = notice_shortfall(process, now)
    if short and not override_reason:
        raise ValidationError(
            {
                "override_reason": _(
                    "La participation doit ouvrir au moins 14 jours après la publication du "
                    "calendrier, soit le %(earliest)s au plus tôt. Pour ouvrir plus tôt, "
                    "donnez-en la raison : elle sera publiée."
                )
                % {"earliest": _earliest_opening(now)}
            },
            code="notice",
        )
    process.calendar_published_at = now
    process.early_opening_reason = override_reason if short else ""
    process.full_clean()
    process.save(update_fields=["calendar_published_at", "early_opening_reason", "updated_at"])
    audit_log(
        actor=actor,
        action="cocreation.calendar.publish",
        target=process,
        changes={
            "calendar_published_at": [None, now.isoformat()],
            "phases": [
                [p.kind, p.starts_on.isoformat(), p.ends_on.isoformat()] for p in process.calendar()
            ],
        },
        reason=process.early_opening_reason,
    )
    return process
