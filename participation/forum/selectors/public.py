"""Reads for the public pages: the forum, its members, its meetings and the calls."""

from __future__ import annotations

from itertools import groupby

from django.db.models import Count, QuerySet
from django.utils import timezone

from ..models import Call, CallPhase, ForumCharter, Meeting, Member

#: Open calls first, then those to come, then the others, most recent first.
_PHASE_ORDER = {
    CallPhase.OPEN: 0,
    CallPhase.SCHEDULED: 1,
    CallPhase.CLOSED: 2,
    CallPhase.REVIEW: 2,
    CallPhase.PUBLISHED: 3,
}


def charter() -> ForumCharter:
    """The forum's presentation and rules (an unsaved empty one until staff write them)."""
    return ForumCharter.objects.filter(pk=1).first() or ForumCharter(pk=1)


def public_calls() -> list[Call]:
    """Every call out of draft, the open one first (each in its phase at ``now``)."""
    now = timezone.now()
    public = [phase for phase in CallPhase.values if phase != CallPhase.DRAFT]
    calls = list(
        Call.objects.in_phase(*public, now=now)
        .annotate(college_count=Count("colleges"))
        .order_by("-opens_at", "slug")
    )
    return sorted(calls, key=lambda c: _PHASE_ORDER.get(c.phase_at(now), 9))


def members_by_college() -> list[tuple[str, list[Member]]]:
    """Current members grouped by the name of their collège (one query)."""
    members = (
        Member.objects.filter(left_on__isnull=True)
        .select_related("college", "departement")
        .order_by("college__order", "college__name", "organisation_name", "pk")
    )
    return [(name, list(group)) for name, group in groupby(members, key=lambda m: m.college.name)]


def upcoming_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at", "pk")


def past_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(starts_at__lte=timezone.now(), is_cancelled=False).order_by(
        "-starts_at", "-pk"
    )


def forum_index_context() -> dict:
    """What ``/forum/`` shows, in a bounded number of queries."""
    calls = public_calls()
    return {
        "charter": charter(),
        "members_by_college": members_by_college(),
        "member_count": Member.objects.filter(left_on__isnull=True).count(),
        "upcoming_meetings": list(upcoming_meetings()[:5]),
        "past_meetings": list(past_meetings()[:20]),
        "open_call": next((c for c in calls if c.phase_at() == CallPhase.OPEN), None),
        "calls": calls,
    }
