"""Reads of the Forum ouvert: querysets with their joins and an explicit ordering.

``public`` serves the public pages, ``review`` the reviewers; the functions below are
what the top floor composes (« Mon espace », the attestation, RGPD, the dashboard).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from forum_ouvert.core.extensions import VerifiedParticipation

from ..models import (
    Application,
    ApplicationStatus,
    Call,
    CallPhase,
    Meeting,
    MeetingAttendance,
    Review,
)

#: The OGP standard: the forum meets at least every six months.
MEETING_INTERVAL = dt.timedelta(days=183)
#: Warn this long before the six months are up.
MEETING_WARNING = dt.timedelta(days=30)


def applications_of(*, user) -> QuerySet[Application]:
    """The applications ``user`` made, most recent first (their own, nobody else's)."""
    if not user.is_authenticated:
        return Application.objects.none()
    return (
        Application.objects.filter(applicant=user)
        .select_related("call", "college")
        .order_by("-created_at", "-pk")
    )


def my_space_context(*, user) -> dict:
    """What « Mon espace » shows of this app for ``user`` (bounded number of queries)."""
    applications = list(applications_of(user=user)[:5])
    attended = list(_attendances(user)[:5])
    if not applications and not attended:
        return {}
    return {"applications": applications, "attendances": attended}


def _attendances(user) -> QuerySet[MeetingAttendance]:
    return (
        MeetingAttendance.objects.filter(member__application__applicant=user)
        .select_related("meeting", "member")
        .order_by("-meeting__starts_at", "-pk")
    )


def verified_participations(*, user) -> list[VerifiedParticipation]:
    """Forum meetings that ``user``'s organisation attended, as marked by staff."""
    if not user.is_authenticated:
        return []
    return [
        VerifiedParticipation(
            kind=_("Séance du Forum ouvert"),
            title=f"{a.meeting.title} — {a.member.organisation_name}",
            date=timezone.localdate(a.meeting.starts_at),
            hours=a.meeting.hours,
            place=a.meeting.place or _("Visioconférence"),
        )
        for a in _attendances(user)
    ]


def export_user_data(*, user) -> dict:
    """Everything this app holds about ``user``, for « télécharger mes données » (RGPD)."""
    applications = applications_of(user=user).prefetch_related("attachments")
    reviews = Review.objects.filter(reviewer=user).select_related("application").order_by("pk")
    return {
        "candidatures": [
            {
                "appel": a.call.title,
                "organisation": a.organisation_name,
                "forme_juridique": a.legal_form,
                "rna": a.rna_number,
                "siret": a.siret,
                "departement": a.departement_id,
                "site_web": a.website,
                "contact": a.contact_name,
                "email_contact": a.contact_email,
                "telephone": a.contact_phone,
                "college": a.college.name if a.college else "",
                "motivation": a.motivation,
                "experience": a.experience,
                "etat": a.status,
                "deposee_le": a.submitted_at.isoformat() if a.submitted_at else None,
                "decision_notifiee": a.decision_notified,
                "pieces_jointes": [p.original_name for p in a.attachments.all()],
            }
            for a in applications
        ],
        "seances": [
            {"seance": p.title, "date": p.date.isoformat(), "heures": p.hours}
            for p in verified_participations(user=user)
        ],
        "evaluations": [
            {
                "candidature": r.application_id,
                "conflit_d_interets": r.has_conflict,
                "note": str(r.total) if r.total is not None else None,
                "commentaire": r.comment,
            }
            for r in reviews
        ],
    }


def dashboard_figures() -> dict:
    """For the staff dashboard: applications awaiting review and the meeting rhythm.

    ``meeting_due``: the last meeting held is more than five months old (or none was held
    and none is planned); ``meeting_overdue``: more than six months, the OGP minimum.
    """
    now = timezone.now()
    awaiting = Application.objects.filter(
        status=ApplicationStatus.SUBMITTED,
        call__in=Call.objects.in_phase(CallPhase.CLOSED, CallPhase.REVIEW, now=now),
    ).count()
    held = Meeting.objects.filter(starts_at__lte=now, is_cancelled=False).order_by("-starts_at")
    last = held.values_list("starts_at", flat=True).first()
    upcoming = (
        Meeting.objects.filter(starts_at__gt=now, is_cancelled=False)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    deadline = last + MEETING_INTERVAL if last else None
    covered = upcoming is not None and (deadline is None or upcoming <= deadline)
    return {
        "applications_awaiting_review": awaiting,
        "last_meeting_at": last,
        "next_meeting_at": upcoming,
        "next_meeting_due_by": deadline,
        "meeting_due": not covered and (deadline is None or now >= deadline - MEETING_WARNING),
        "meeting_overdue": deadline is not None and now > deadline,
    }


def snapshot_figures() -> dict[str, int]:
    """Today's forum figures for the daily snapshot and the reports."""
    from ..models import Member

    today = timezone.localdate()
    return {
        "forum_members": Member.objects.filter(joined_on__lte=today)
        .exclude(left_on__lte=today)
        .count(),
        "forum_meetings": Meeting.objects.filter(
            starts_at__lte=timezone.now(), is_cancelled=False
        ).count(),
    }
