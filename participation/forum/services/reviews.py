"""Reviewing: assignment, conflict-of-interest declarations, scores, decisions, notices."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum_ouvert.core.access import may, require
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.mail import language_of, mail_send, speaking_to
from forum_ouvert.core.models import User
from forum_ouvert.core.outbox import enqueue_many

from .. import scoring
from ..models import (
    APPLICATION_STATES,
    DECISIONS,
    Application,
    ApplicationStatus,
    Call,
    College,
    Criterion,
    Review,
    Score,
)
from .applications import application_recipients, locked_applications

# --- Scores ------------------------------------------------------------------------


def _review_note(review: Review, criteria: list[Criterion], marks: dict[int, int]):
    """The review's note, or None while a criterion of the call is not marked."""
    if review.has_conflict or not criteria or any(c.pk not in marks for c in criteria):
        return None
    return scoring.review_note(
        scoring.Mark(value=marks[c.pk], scale_max=c.scale_max, weight=c.weight) for c in criteria
    )


def application_recompute_score(*, application: Application) -> Application:
    """Refresh the mean, the spread and the number of complete evaluations."""
    notes = list(
        application.reviews.filter(has_conflict=False, total__isnull=False).values_list(
            "total", flat=True
        )
    )
    application.score_mean, application.score_spread = scoring.aggregate(notes)
    application.review_count = len(notes)
    application.save(update_fields=["score_mean", "score_spread", "review_count", "updated_at"])
    return application


@transaction.atomic
def call_recompute_scores(*, call: Call) -> None:
    """After criteria changed: every evaluation's note and every application's aggregates."""
    criteria = list(call.criteria.all())
    reviews = list(
        Review.objects.filter(application__call=call).prefetch_related("scores").order_by("pk")
    )
    for review in reviews:
        marks = {s.criterion_id: s.value for s in review.scores.all()}
        review.total = _review_note(review, criteria, marks)
    Review.objects.bulk_update(reviews, ["total"])
    for application in Application.objects.filter(pk__in={r.application_id for r in reviews}):
        application_recompute_score(application=application)


@transaction.atomic
def review_score(
    *,
    reviewer: User,
    application: Application,
    marks: dict[int, int],
    declares_no_conflict: bool,
    comment: str = "",
) -> Review:
    """Score ``application`` on its call's criteria. The reviewer first declares that they
    have no conflict of interest; every mark is within its criterion's scale."""
    application = locked_applications().get(pk=application.pk)
    require(reviewer, "forum.score_application", application)
    review, _created = Review.objects.get_or_create(application=application, reviewer=reviewer)
    if review.has_conflict:
        raise ValidationError(
            _("Vous avez déclaré un conflit d'intérêts : vous ne pouvez pas noter.")
        )
    now = timezone.now()
    if review.no_conflict_declared_at is None:
        if not declares_no_conflict:
            raise ValidationError(
                {
                    "no_conflict": _(
                        "Déclarez l'absence de conflit d'intérêts avant de noter la candidature."
                    )
                }
            )
        review.no_conflict_declared_at = now
    criteria = list(application.call.criteria.all())
    if not criteria:
        raise ValidationError(_("Cet appel n'a pas encore de critères d'évaluation."))
    errors = {}
    for criterion in criteria:
        value = marks.get(criterion.pk)
        if value is None:
            errors[f"criterion_{criterion.pk}"] = _("Notez ce critère.")
        elif not 0 <= int(value) <= criterion.scale_max:
            errors[f"criterion_{criterion.pk}"] = _("La note va de 0 à %(max)d.") % {
                "max": criterion.scale_max
            }
    if errors:
        raise ValidationError(errors)
    old_marks = {s.criterion_id: s.value for s in review.scores.all()}
    new_marks = {c.pk: int(marks[c.pk]) for c in criteria}
    Score.objects.filter(review=review).exclude(criterion__in=criteria).delete()
    for criterion in criteria:
        Score.objects.update_or_create(
            review=review, criterion=criterion, defaults={"value": new_marks[criterion.pk]}
        )
    review.comment = comment
    review.total = _review_note(review, criteria, new_marks)
    review.full_clean()
    review.save()
    application_recompute_score(application=application)
    names = {c.pk: c.name for c in criteria}
    audit_log(
        actor=reviewer,
        action="forum.review.score",
        target=application,
        changes={
            names[pk]: [old_marks.get(pk), value]
            for pk, value in new_marks.items()
            if old_marks.get(pk) != value
        }
        | {"note": [None, str(review.total)]},
    )
    return review


@transaction.atomic
def review_declare_conflict(*, reviewer: User, application: Application, reason: str) -> Review:
    """A reviewer declares a conflict of interest: they do not score, and any marks they
    gave are removed from the application's note."""
    require(reviewer, "forum.score_application", application)
    if not reason.strip():
        raise ValidationError({"reason": _("Précisez la nature du conflit d'intérêts.")})
    review, _created = Review.objects.get_or_create(application=application, reviewer=reviewer)
    review.scores.all().delete()
    review.has_conflict = True
    review.no_conflict_declared_at = None
    review.total = None
    review.full_clean()
    review.save()
    application_recompute_score(application=application)
    audit_log(
        actor=reviewer,
        action="forum.review.conflict",
        target=application,
        changes={"conflit_d_interets": [False, True]},
        reason=reason,
    )
    return review


@transaction.atomic
def applications_assign(*, actor: User, applications: Iterable[Application], reviewer: User) -> int:
    """Assign ``reviewer`` to each application (once); returns how many were new."""
    require(actor, "forum.review")
    if not reviewer.is_ditp:
        raise ValidationError(_("Seuls les agents DITP et les administrateurs évaluent."))
    count = 0
    for application in applications:
        review, created = Review.objects.get_or_create(
            application=application, reviewer=reviewer, defaults={"assigned_by": actor}
        )
        if created:
            count += 1
            audit_log(
                actor=actor,
                action="forum.review.assign",
                target=application,
                changes={"evaluateur": [None, str(reviewer)]},
            )
    return count


# --- Decisions -------------------------------------------------------------------------


def _check_seats(application: Application, *, extra: int, allow_over_seats: bool) -> None:
    """Refuse (unless confirmed) to retain more organisations than the collège has seats."""
    if allow_over_seats or application.college_id is None:
        return
    college = College.objects.select_for_update().get(pk=application.college_id)
    retained = (
        college.applications.filter(status=ApplicationStatus.RETAINED)
        .exclude(pk=application.pk)
        .count()
    )
    if retained + extra > college.seats:
        raise ValidationError(
            _(
                "Le collège « %(college)s » compte %(seats)s et %(retained)s : confirmez pour "
                "dépasser ce nombre."
            )
            % {
                "college": college.name,
                "seats": ngettext("%(n)d siège", "%(n)d sièges", college.seats)
                % {"n": college.seats},
                "retained": (
                    ngettext(
                        "%(n)d candidature y est déjà retenue",
                        "%(n)d candidatures y sont déjà retenues",
                        retained,
                    )
                    % {"n": retained}
                    if retained
                    else _("aucune candidature n'y est encore retenue")
                ),
            },
            code="seats_exceeded",
        )


@transaction.atomic
def application_decide(
    *,
    actor: User,
    application: Application,
    decision: str,
    message: str,
    allow_over_seats: bool = False,
    notify: bool = False,
) -> Application:
    """Retain, waitlist or reject an application with a reasoned message (journaled: who,
    when, why). Retaining beyond the collège's seats needs ``allow_over_seats``."""
    application = locked_applications("college").get(pk=application.pk)
    require(actor, "forum.decide_application", application)
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choisissez une décision.")})
    if not message.strip():
        raise ValidationError(
            {"message": _("Rédigez le message motivé qui sera envoyé à la candidate.")}
        )
    APPLICATION_STATES.check(application.status, decision)
    if decision == ApplicationStatus.RETAINED:
        _check_seats(application, extra=1, allow_over_seats=allow_over_seats)
    old_message = application.decision_message
    application.decision_message = message.strip()
    application.decided_at = timezone.now()
    application.decided_by = actor
    APPLICATION_STATES.move(
        application,
        decision,
        actor=actor,
        action="forum.application.decide",
        changes={"decision_message": [old_message, application.decision_message]},
        reason=application.decision_message,
        save=False,
    )
    application.full_clean()
    application.save()
    if notify:
        applications_notify(actor=actor, applications=[application])
    return application


@transaction.atomic
def applications_decide(
    *,
    actor: User,
    applications: Iterable[Application],
    decision: str,
    message: str,
    allow_over_seats: bool = False,
) -> int:
    """The same decision and message for several applications (all or none)."""
    applications = list(applications)
    if decision == ApplicationStatus.RETAINED and not allow_over_seats:
        by_college: dict[int, list[Application]] = {}
        for application in applications:
            if application.status != ApplicationStatus.RETAINED and application.college_id:
                by_college.setdefault(application.college_id, []).append(application)
        for group in by_college.values():
            _check_seats(group[0], extra=len(group), allow_over_seats=False)
    for application in applications:
        application_decide(
            actor=actor,
            application=application,
            decision=decision,
            message=message,
            allow_over_seats=True,
        )
    return len(applications)


@transaction.atomic
def applications_notify(
    *, actor: User | None, applications: Iterable[Application] | QuerySet, check: bool = True
) -> int:
    """Queue the decision e-mail of each decided application not told yet (after commit)."""
    queued = []
    pks = [a.pk for a in applications]
    fresh = locked_applications().filter(pk__in=pks).order_by("pk")
    for application in fresh:
        if (
            application.status not in DECISIONS
            or application.decision_notified == application.status
        ):
            continue
        if check and not may(actor, "forum.notify_decision", application):
            raise PermissionDenied("forum.notify_decision")
        queued.append(application.pk)
        audit_log(
            actor=actor,
            action="forum.application.notify",
            target=application,
            changes={"decision_notifiee": [application.decision_notified, application.status]},
        )
    enqueue_many("forum.send_decision", [(pk,) for pk in queued])
    return len(queued)


def decision_send(*, application_id: int) -> bool:
    """E-mail the decision to the applicant once: under a row lock, the decision already
    sent is recorded, so a second run of the task sends nothing."""
    with transaction.atomic():
        application = locked_applications("applicant", "college").filter(pk=application_id).first()
        if (
            application is None
            or application.status not in DECISIONS
            or application.decision_notified == application.status
        ):
            return False
        decided_at = application.decided_at.isoformat() if application.decided_at else ""
        # To the account and the organisation's contact, in the applicant's language.
        with speaking_to(application.applicant):
            mail_send(
                template="forum/emails/decision",
                context={"application": application},
                to=application_recipients(application),
                once=f"forum.decision:{application.pk}:{application.status}:{decided_at}",
                language=language_of(application.applicant),
            )
        application.decision_notified = application.status
        application.decision_notified_at = timezone.now()
        application.save(update_fields=["decision_notified", "decision_notified_at"])
    return True
