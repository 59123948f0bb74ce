"""Writes of this app: keyword-only services, atomic, audited.

Capacity rule: never more confirmed registrations than seats. Every service that changes
who holds a seat first locks the workshop's row (``SELECT … FOR UPDATE``), so that
simultaneous registrations and cancellations on one workshop run one after another.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from forum_ouvert.core import access, notifications
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.outbox import enqueue_many

from .models import (
    OPEN_STATUSES,
    RESERVED_SLUGS,
    WORKSHOP_FIELDS,
    WORKSHOP_STATES,
    Notice,
    NoticeKind,
    Outcome,
    Registration,
    RegistrationStatus,
    Tour,
    TourStop,
    Workshop,
    WorkshopStatus,
)

#: The changes the people registered are told of (where, when, how, what).
TOLD_CHANGES = {
    "title",
    "format",
    "starts_at",
    "ends_at",
    "address",
    "city",
    "departement",
    "visio_url",
}
#: How long before a workshop its reminder goes out.
REMINDER_BEFORE = timedelta(days=2)


# --- E-mails (outbox) ----------------------------------------------------------------


def _notify(registrations, kind: str) -> list[int]:
    """Record one e-mail per registration and send them once the transaction commits."""
    notices = Notice.objects.bulk_create(Notice(registration=r, kind=kind) for r in registrations)
    ids = [n.pk for n in notices]
    if ids:
        enqueue_many("workshops.send_notice", [(pk,) for pk in ids])
    return ids


def notice_send(*, notice_id: int) -> bool:
    """Send the e-mail ``notice_id`` unless it was already sent; True if it went out now.

    The row is locked while the e-mail is sent and marked sent in the same transaction: a
    second run of the task waits for the first, then finds it sent and does nothing.
    """
    from .emails import notice_mail_send

    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(of=("self",))
            .select_related("registration__workshop__departement", "registration__user")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.sent_at is not None:
            return False
        registration = notice.registration
        still_relevant = registration.user is not None and registration.user.is_active
        if notice.kind == NoticeKind.REMINDER:
            still_relevant = still_relevant and (
                registration.status == RegistrationStatus.CONFIRMED
                and not registration.workshop.is_cancelled
            )
        if still_relevant:
            notice_mail_send(notice)
        notice.sent_at = timezone.now()
        notice.skipped = not still_relevant
        notice.save(update_fields=["sent_at", "skipped"])
        return still_relevant


@transaction.atomic
def reminders_queue(*, now=None) -> list[int]:
    """Queue a reminder for every confirmed person of a workshop starting within two days.

    Safe to run as often as wanted: a registration gets one reminder at most (a unique
    constraint), so running the periodic task twice sends nothing more.
    """
    now = now or timezone.now()
    due = (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            user__isnull=False,
            workshop__status__in=OPEN_STATUSES,
            workshop__starts_at__gt=now,
            workshop__starts_at__lte=now + REMINDER_BEFORE,
        )
        .exclude(notices__kind=NoticeKind.REMINDER)
        .order_by("id")
    )
    created = Notice.objects.bulk_create(
        [Notice(registration=r, kind=NoticeKind.REMINDER) for r in due], ignore_conflicts=True
    )
    # ``ignore_conflicts`` leaves pks unset: read back the reminders not yet sent.
    ids = list(
        Notice.objects.filter(
            kind=NoticeKind.REMINDER,
            sent_at__isnull=True,
            registration__in=[n.registration_id for n in created],
        ).values_list("pk", flat=True)
    )
    if ids:
        enqueue_many("workshops.send_notice", [(pk,) for pk in ids])
    return ids


# --- Workshops -----------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "atelier"
    if base in RESERVED_SLUGS:
        base = f"{base}-atelier"
    slug = base
    while Workshop.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


def _locked(workshop: Workshop) -> Workshop:
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


def _confirmed_count(workshop: Workshop) -> int:
    return workshop.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def workshop_transition(*, actor, workshop: Workshop, to: str, reason: str = "") -> Workshop:
    """Move ``workshop`` to status ``to`` if the state machine allows it; audited.

    Must be called inside the transaction that locked the workshop.
    """
    WORKSHOP_STATES.move(workshop, to, actor=actor, reason=reason)
    return workshop


def _sync_full(*, actor, workshop: Workshop, confirmed: int) -> None:
    """« Complet » while every seat is taken, « publié » again when one frees up."""
    if workshop.status == WorkshopStatus.PUBLISHED and confirmed >= workshop.capacity:
        workshop_transition(actor=actor, workshop=workshop, to=WorkshopStatus.FULL)
    elif workshop.status == WorkshopStatus.FULL and confirmed < workshop.capacity:
        workshop_transition(actor=actor, workshop=workshop, to=WorkshopStatus.PUBLISHED)


def _promote(*, actor, workshop: Workshop, confirmed: int, now) -> list[Registration]:
    """Give the free seats to the first people of the waiting list, who are told by e-mail."""
    free = workshop.capacity - confirmed
    if free <= 0 or workshop.status not in OPEN_STATUSES or workshop.starts_at <= now:
        return []
    promoted = list(
        workshop.registrations.filter(status=RegistrationStatus.WAITING).order_by(
            "waitlisted_at", "id"
        )[:free]
    )
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at", "updated_at"])
        audit_log(
            actor=actor,
            action="workshops.registration.promote",
            target=registration,
            changes={"status": [RegistrationStatus.WAITING, RegistrationStatus.CONFIRMED]},
        )
    _notify(promoted, NoticeKind.PROMOTION)
    return promoted


def _validate_workshop(workshop: Workshop) -> None:
    errors = {}
    if workshop.format != "en_ligne":
        if not workshop.departement_id:
            errors["departement"] = _("Indiquez le département où se tient l'atelier.")
        if not workshop.city:
            errors["city"] = _("Indiquez la ville où se tient l'atelier.")
    if workshop.format != "presentiel" and not workshop.visio_url:
        errors["visio_url"] = _("Indiquez le lien de visioconférence.")
    if errors:
        raise ValidationError(errors)
    workshop.full_clean(exclude=["slug"])


@transaction.atomic
def workshop_create(*, actor, fields: dict, commitments=()) -> Workshop:
    """Create a workshop as a draft (staff), with the commitments it serves; audited."""
    workshop = Workshop(
        **{k: v for k, v in fields.items() if k in WORKSHOP_FIELDS},
        status=WorkshopStatus.DRAFT,
        created_by=actor,
    )
    _validate_workshop(workshop)
    workshop.slug = _unique_slug(workshop.title)
    workshop.save()
    workshop.commitments.set(commitments)
    audit_log(actor=actor, action="workshops.workshop.create", target=workshop)
    return workshop


@transaction.atomic
def workshop_update(*, actor, workshop: Workshop, fields: dict, commitments=None) -> Workshop:
    """Change a workshop's details; more seats promote people from the waiting list."""
    workshop = _locked(workshop)
    if workshop.status in (WorkshopStatus.CANCELLED, WorkshopStatus.FINISHED):
        raise ValidationError(_("Un atelier annulé ou terminé ne peut plus être modifié."))
    changes = {}
    for name, value in fields.items():
        if name not in WORKSHOP_FIELDS:
            continue
        old = getattr(workshop, name)
        if old != value:
            changes[name] = [str(old) if old is not None else None, str(value)]
            setattr(workshop, name, value)
    confirmed = _confirmed_count(workshop)
    if workshop.capacity < confirmed:
        raise ValidationError(
            {
                "capacity": _(
                    "%(n)d personnes ont déjà une place confirmée : "
                    "le nombre de places ne peut pas être inférieur."
                )
                % {"n": confirmed}
            }
        )
    _validate_workshop(workshop)
    workshop.save()
    if commitments is not None:
        workshop.commitments.set(commitments)
    audit_log(actor=actor, action="workshops.workshop.update", target=workshop, changes=changes)
    if workshop.status in OPEN_STATUSES and changes.keys() & TOLD_CHANGES:
        _tell_registered(
            workshop,
            actor=actor,
            message=_("L'atelier « %(title)s » auquel vous êtes inscrit·e a changé")
            % {"title": workshop.title},
        )
    now = timezone.now()
    promoted = _promote(actor=actor, workshop=workshop, confirmed=confirmed, now=now)
    _sync_full(actor=actor, workshop=workshop, confirmed=confirmed + len(promoted))
    return workshop


@transaction.atomic
def workshop_publish(*, actor, workshop: Workshop) -> Workshop:
    """Publish a draft: it appears in the list and the calendar, and people may register."""
    workshop = _locked(workshop)
    return workshop_transition(actor=actor, workshop=workshop, to=WorkshopStatus.PUBLISHED)


@transaction.atomic
def workshop_cancel(*, actor, workshop: Workshop, reason: str) -> Workshop:
    """Cancel a workshop (staff): everyone registered or waiting is told by e-mail."""
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de l'annulation.")})
    workshop = _locked(workshop)
    workshop_transition(actor=actor, workshop=workshop, to=WorkshopStatus.CANCELLED, reason=reason)
    workshop.cancellation_reason = reason
    workshop.save(update_fields=["cancellation_reason", "updated_at"])
    told = list(
        workshop.registrations.filter(
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
            user__isnull=False,
        ).order_by("id")
    )
    _notify(told, NoticeKind.WORKSHOP_CANCELLED)
    # The cancellation e-mail (with its calendar file) is the notice above, sent to all.
    _tell_registered(
        workshop,
        actor=actor,
        message=_("L'atelier « %(title)s » est annulé") % {"title": workshop.title},
        email=False,
    )
    return workshop


def _tell_registered(workshop: Workshop, *, actor, message: str, email: bool = True) -> None:
    """Everyone with a seat or on the waiting list, in their notification centre."""
    registrations = workshop.registrations.filter(
        status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
        user__isnull=False,
    ).select_related("user")
    for registration in registrations.order_by("id"):
        notifications.notify(
            recipient=registration.user,
            kind=notifications.Kind.WORKSHOP,
            target=workshop,
            actor=actor,
            message=message,
            email=email,
        )


@transaction.atomic
def workshops_finish_past(*, now=None) -> int:
    """Mark as « terminé » every published or full workshop that has ended (periodic)."""
    now = now or timezone.now()
    count = 0
    for workshop in (
        Workshop.objects.select_for_update()
        .filter(status__in=OPEN_STATUSES, ends_at__lt=now)
        .order_by("id")
    ):
        workshop_transition(actor=None, workshop=workshop, to=WorkshopStatus.FINISHED)
        count += 1
    return count


# --- Registrations -------------------------------------------------------------------


@transaction.atomic
def registration_create(
    *, user, workshop: Workshop, accessibility_need: str = "", mandate: str = "", now=None
) -> Registration:
    """Register ``user``: a confirmed seat if one is free, else the waiting list; e-mailed.

    The workshop's row is locked first: however many people register at the same moment,
    confirmed registrations never outnumber the seats.
    """
    access.require_may_write(user)
    now = now or timezone.now()
    workshop = _locked(workshop)
    refusal = workshop.registration_refusal(now)
    if refusal:
        raise ValidationError(refusal, code="closed")
    registration = Registration.objects.filter(workshop=workshop, user=user).first()
    if registration is not None and registration.is_active:
        raise ValidationError(_("Vous êtes déjà inscrit·e à cet atelier."), code="already")
    old_status = registration.status if registration else None
    if registration is None:
        registration = Registration(workshop=workshop, user=user)
    registration.accessibility_need = accessibility_need.strip()
    registration.mandate = mandate.strip()
    registration.cancelled_at = None
    confirmed = _confirmed_count(workshop)
    if confirmed < workshop.capacity:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.waitlisted_at = None
        kind = NoticeKind.CONFIRMATION
        confirmed += 1
    else:
        registration.status = RegistrationStatus.WAITING
        registration.waitlisted_at = now
        kind = NoticeKind.WAITLIST
    registration.full_clean(validate_constraints=False)
    registration.save()
    audit_log(
        actor=user,
        action="workshops.registration.create",
        target=registration,
        changes={"status": [old_status, registration.status]},
    )
    _sync_full(actor=user, workshop=workshop, confirmed=confirmed)
    _notify([registration], kind)
    registration.workshop = workshop
    return registration


@transaction.atomic
def registration_cancel(*, actor, registration: Registration, now=None) -> Registration:
    """Cancel a registration: the seat goes to the first person waiting, who is e-mailed."""
    now = now or timezone.now()
    workshop = _locked(registration.workshop)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("Cette inscription est déjà annulée."), code="cancelled")
    if workshop.starts_at <= now:
        raise ValidationError(
            _("L'atelier a commencé : l'inscription ne peut plus être annulée."), code="started"
        )
    old = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.waitlisted_at = None
    registration.save(update_fields=["status", "cancelled_at", "waitlisted_at", "updated_at"])
    audit_log(
        actor=actor,
        action="workshops.registration.cancel",
        target=registration,
        changes={"status": [old, RegistrationStatus.CANCELLED]},
    )
    if old == RegistrationStatus.CONFIRMED:
        confirmed = _confirmed_count(workshop)
        promoted = _promote(actor=actor, workshop=workshop, confirmed=confirmed, now=now)
        _sync_full(actor=actor, workshop=workshop, confirmed=confirmed + len(promoted))
    registration.workshop = workshop
    return registration


@transaction.atomic
def attendance_mark(*, actor, registration: Registration, attended: bool) -> Registration:
    """Mark a confirmed person present or absent, from the day of the workshop; audited."""
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("workshop")
        .get(pk=registration.pk)
    )
    workshop = registration.workshop
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Seule une inscription confirmée peut être pointée."))
    if workshop.is_cancelled:
        raise ValidationError(_("Cet atelier a été annulé."))
    if timezone.localdate() < timezone.localtime(workshop.starts_at).date():
        raise ValidationError(_("Les présences se pointent à partir du jour de l'atelier."))
    old = registration.attended
    registration.attended = attended
    registration.attendance_marked_at = timezone.now()
    registration.attendance_marked_by = actor
    registration.save(
        update_fields=["attended", "attendance_marked_at", "attendance_marked_by", "updated_at"]
    )
    audit_log(
        actor=actor,
        action="workshops.registration.attendance",
        target=registration,
        changes={"attended": [old, attended]},
    )
    return registration


@transaction.atomic
def outcome_publish(
    *, actor, workshop: Workshop, text: str, document=None, commitments=(), now=None
) -> Outcome:
    """Publish (or update) the workshop's compte rendu and the commitments it informs."""
    now = now or timezone.now()
    workshop = _locked(workshop)
    if workshop.status == WorkshopStatus.DRAFT or workshop.is_cancelled:
        raise ValidationError(_("Seul un atelier publié peut recevoir un compte rendu."))
    if workshop.starts_at > now:
        raise ValidationError(_("Le compte rendu se publie une fois l'atelier commencé."))
    outcome = Outcome.objects.filter(workshop=workshop).first() or Outcome(workshop=workshop)
    created = outcome.pk is None
    outcome.text = text.strip()
    if document:
        outcome.document = document
    if outcome.published_at:
        outcome.republished_at = now  # « mis à jour le … » beside « Publié le … »
    else:
        outcome.published_at = now
    outcome.published_by = actor
    outcome.full_clean(exclude=["workshop"])
    outcome.save()
    outcome.commitments.set(commitments)
    audit_log(
        actor=actor,
        action="workshops.outcome.publish" if created else "workshops.outcome.update",
        target=workshop,
        changes={"document": [None, bool(outcome.document)]},
    )
    if workshop.ends_at <= now and workshop.status in OPEN_STATUSES:
        workshop_transition(actor=actor, workshop=workshop, to=WorkshopStatus.FINISHED)
    return outcome


# --- Tour de France ------------------------------------------------------------------


@transaction.atomic
def tour_create(*, actor, tour: Tour) -> Tour:
    """Create a Tour de France (its slug comes from its title); audited."""
    base = slugify(tour.title)[:70] or "tour"
    tour.slug = base
    while Tour.objects.filter(slug=tour.slug).exists():
        tour.slug = f"{base}-{secrets.token_hex(3)}"
    tour.full_clean()
    tour.save()
    audit_log(actor=actor, action="workshops.tour.create", target=tour)
    return tour


@transaction.atomic
def tour_stop_save(*, actor, stop: TourStop) -> TourStop:
    """Create or change a stop of the Tour de France (programme, then summary); audited."""
    created = stop.pk is None
    stop.full_clean()
    stop.save()
    audit_log(
        actor=actor,
        action="workshops.tour_stop.create" if created else "workshops.tour_stop.update",
        target=stop,
    )
    return stop


# --- Accounts ------------------------------------------------------------------------


def forget_user(*, user) -> None:
    """Account deletion (RGPD): remove or anonymise this app's personal rows of ``user``.

    Upcoming registrations are cancelled first (the seat goes to the waiting list); then
    every registration is detached from the person and stripped of what they wrote.
    Called by ``forum_ouvert.portal.services.account_delete`` inside its transaction.
    """
    now = timezone.now()
    for registration in (
        Registration.objects.filter(
            user=user,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
            workshop__starts_at__gt=now,
        )
        .select_related("workshop")
        .order_by("id")
    ):
        registration_cancel(actor=user, registration=registration, now=now)
    Notice.objects.filter(registration__user=user, sent_at__isnull=True).update(
        sent_at=now, skipped=True
    )
    for registration in Registration.objects.filter(user=user).order_by("id"):
        registration.user = None
        registration.accessibility_need = ""
        registration.mandate = ""
        registration.token = secrets.token_urlsafe(24)
        registration.save(update_fields=["user", "accessibility_need", "mandate", "token"])
