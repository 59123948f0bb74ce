"""Reads of this app: querysets with their joins and an explicit ordering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    Count,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from engagements.models import Commitment
from forum_ouvert.core.extensions import Section, VerifiedParticipation
from forum_ouvert.core.models import Departement

from .models import (
    OPEN_STATUSES,
    Outcome,
    Registration,
    RegistrationStatus,
    Tour,
    TourStop,
    Workshop,
    WorkshopStatus,
)

VERIFIED_KIND = "Atelier participatif"


def attach_seats(workshops) -> list[Workshop]:
    """Set ``confirmed_count`` and ``waiting_count`` on each workshop (one query for all).

    Counted apart from the list's query, for the page's workshops only: as subqueries of
    the list they were computed for every row skipped by the page's OFFSET too.
    """
    workshops = list(workshops)
    counts = {
        (row["workshop_id"], row["status"]): row["n"]
        for row in Registration.objects.filter(
            workshop_id__in=[w.pk for w in workshops],
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
        )
        .values("workshop_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    for workshop in workshops:
        workshop.confirmed_count = counts.get((workshop.pk, RegistrationStatus.CONFIRMED), 0)
        workshop.waiting_count = counts.get((workshop.pk, RegistrationStatus.WAITING), 0)
    return workshops


def workshops_for_list(*, include_drafts: bool = False) -> QuerySet[Workshop]:
    """Workshops with the place a list shows (seats: ``attach_seats`` on the page)."""
    qs = Workshop.objects.all() if include_drafts else Workshop.objects.public()
    return qs.select_related("departement")


@dataclass(frozen=True)
class WorkshopFilters:
    departement: Departement | None = None
    region: object | None = None
    format: str = ""
    audience: str = ""
    commitment: Commitment | None = None
    date_from: date | None = None
    date_to: date | None = None
    period: str = "a_venir"  # a_venir, passes, tous


def workshops_filtered(filters: WorkshopFilters, *, now=None) -> QuerySet[Workshop]:
    """The public list: upcoming first (soonest first), then past ones (latest first)."""
    now = now or timezone.now()
    qs = workshops_for_list()
    if filters.departement:
        qs = qs.filter(departement=filters.departement)
    if filters.region:
        qs = qs.filter(departement__region=filters.region)
    if filters.format:
        qs = qs.filter(format=filters.format)
    if filters.audience:
        qs = qs.filter(audience=filters.audience)
    if filters.commitment:
        qs = qs.filter(commitments=filters.commitment)
    if filters.date_from:
        qs = qs.filter(starts_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(starts_at__date__lte=filters.date_to)
    if filters.period == "passes":
        return qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    if filters.period == "tous":
        return qs.alias(
            is_past=Case(When(ends_at__lt=now, then=Value(1)), default=Value(0))
        ).order_by("is_past", "starts_at", "id")
    return qs.filter(ends_at__gte=now).order_by("starts_at", "id")


def workshop_detail(*, slug: str) -> Workshop | None:
    """A workshop (drafts included) with its place, Tour stop, commitments and seats."""
    workshop = (
        workshops_for_list(include_drafts=True)
        .select_related("departement__region", "tour_stop__tour")
        .prefetch_related(Prefetch("commitments", queryset=Commitment.objects.order_by("number")))
        .filter(slug=slug)
        .first()
    )
    return attach_seats([workshop])[0] if workshop else None


def registration_of(*, user, workshop: Workshop) -> Registration | None:
    """``user``'s registration to ``workshop`` (any status), with ``rank`` when waiting."""
    if not user.is_authenticated:
        return None
    registration = Registration.objects.filter(user=user, workshop=workshop).first()
    if registration is not None:
        registration.rank = waiting_rank(registration)
    return registration


def waiting_rank(registration: Registration) -> int | None:
    """1 for the first person of the waiting list; None when not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(
        workshop_id=registration.workshop_id,
        status=RegistrationStatus.WAITING,
        waitlisted_at__lte=registration.waitlisted_at,
    ).exclude(waitlisted_at=registration.waitlisted_at, id__gte=registration.id)
    return ahead.count() + 1


def upcoming_calendar(*, now=None, limit: int = 500) -> QuerySet[Workshop]:
    """The workshops of the public iCalendar feed: published, not yet over."""
    now = now or timezone.now()
    return (
        Workshop.objects.filter(status__in=[*OPEN_STATUSES, WorkshopStatus.CANCELLED])
        .filter(ends_at__gte=now)
        .order_by("starts_at", "id")[:limit]
    )


def registrations_for_staff(*, workshop: Workshop) -> list[Registration]:
    """Everyone who registered: confirmed first, then the waiting list in its order
    (``rank`` set on those waiting), then cancellations."""
    registrations = list(
        Registration.objects.filter(workshop=workshop)
        .select_related("user")
        .alias(
            status_order=Case(
                When(status=RegistrationStatus.CONFIRMED, then=Value(0)),
                When(status=RegistrationStatus.WAITING, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("status_order", "waitlisted_at", "created_at", "id")
    )
    rank = 0
    for registration in registrations:
        waiting = registration.status == RegistrationStatus.WAITING
        rank += waiting
        registration.rank = rank if waiting else None
    return registrations


def attendance_list(*, workshop: Workshop) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(workshop=workshop, status=RegistrationStatus.CONFIRMED)
        .select_related("user")
        .order_by("user__display_name", "user__email", "id")
    )


# --- Tour de France ------------------------------------------------------------------


def current_tour(*, slug: str | None = None) -> Tour | None:
    qs = Tour.objects.order_by("-starts_on", "-id")
    return qs.filter(slug=slug).first() if slug else qs.first()


#: Workshops listed under each stop of the Tour page (the others are a link away).
WORKSHOPS_PER_STOP = 5


def tour_stops(*, tour: Tour) -> list[TourStop]:
    """The stops of a tour in date order, with their département and public workshops
    (``shown_workshops``: the first few; ``more_workshops``: how many others)."""
    stops = list(
        TourStop.objects.filter(tour=tour)
        .select_related("departement")
        .prefetch_related(
            Prefetch(
                "workshops",
                queryset=Workshop.objects.public()
                .only("id", "slug", "title", "starts_at", "tour_stop_id")
                .order_by("starts_at", "id"),
                to_attr="public_workshops",
            )
        )
        .order_by("date", "id")
    )
    for stop in stops:
        stop.shown_workshops = stop.public_workshops[:WORKSHOPS_PER_STOP]
        stop.more_workshops = max(0, len(stop.public_workshops) - WORKSHOPS_PER_STOP)
    return stops


# --- Territories: « Ce qui change chez vous » ----------------------------------------


def territory_overview(*, departement: Departement, now=None, limit: int = 10) -> dict:
    """The Tour stops and upcoming workshops of a département (« Ce qui change chez
    vous »); its Baromètre figures come from ``indicators_for_departement``."""
    now = now or timezone.now()
    workshops = attach_seats(
        workshops_for_list()
        .filter(departement=departement, ends_at__gte=now)
        .order_by("starts_at", "id")[:limit]
    )
    stops = list(
        TourStop.objects.filter(departement=departement)
        .select_related("tour")
        .order_by("-date", "-id")[:limit]
    )
    return {"tour_stops": stops, "workshops": workshops}


def departements_with_activity(*, now=None) -> dict[str, set[str]]:
    """Codes of départements with an upcoming public workshop, and with a Tour stop."""
    now = now or timezone.now()
    return {
        "workshops": set(
            Workshop.objects.public()
            .filter(ends_at__gte=now, departement__isnull=False)
            .values_list("departement_id", flat=True)
            .distinct()
        ),
        "stops": set(TourStop.objects.values_list("departement_id", flat=True).distinct()),
    }


# --- The participant -----------------------------------------------------------------


def my_space_context(*, user, now=None, limit: int = 10) -> dict:
    """What « Mon espace » shows of this app for ``user`` (bounded number of queries)."""
    now = now or timezone.now()
    mine = Registration.objects.filter(user=user).select_related("workshop__departement")
    upcoming = list(
        mine.filter(
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
            workshop__ends_at__gte=now,
        ).order_by("workshop__starts_at", "id")[:limit]
    )
    attended = list(mine.filter(attended=True).order_by("-workshop__starts_at", "id")[:limit])
    if not upcoming and not attended:
        return {}
    waiting = [r for r in upcoming if r.status == RegistrationStatus.WAITING]
    if waiting:
        ranks = _ranks(waiting)
        for registration in waiting:
            registration.rank = ranks.get(registration.pk)
    return {"upcoming": upcoming, "attended": attended}


def _ranks(registrations: list[Registration]) -> dict[int, int]:
    """Waiting-list ranks of several registrations in one query."""
    rows = (
        Registration.objects.filter(
            workshop_id__in={r.workshop_id for r in registrations},
            status=RegistrationStatus.WAITING,
        )
        .order_by("workshop_id", "waitlisted_at", "id")
        .values_list("id", "workshop_id")
    )
    ranks, position, current = {}, 0, None
    for pk, workshop_id in rows:
        position = position + 1 if workshop_id == current else 1
        current = workshop_id
        ranks[pk] = position
    return ranks


def verified_participations(*, user) -> list[VerifiedParticipation]:
    """Workshops where staff marked ``user`` present, for the participant's attestation."""
    registrations = (
        Registration.objects.filter(user=user, attended=True)
        .exclude(workshop__status=WorkshopStatus.CANCELLED)
        .select_related("workshop")
        .order_by("workshop__starts_at", "id")
    )
    return [
        VerifiedParticipation(
            kind=VERIFIED_KIND,
            title=r.workshop.title,
            date=timezone.localtime(r.workshop.starts_at).date(),
            hours=r.workshop.hours,
            place=r.workshop.place,
        )
        for r in registrations
    ]


def export_user_data(*, user) -> dict:
    """Everything this app holds about ``user``, for « télécharger mes données » (RGPD)."""
    registrations = Registration.objects.filter(user=user).select_related("workshop").order_by("id")
    return {
        "inscriptions_ateliers": [
            {
                "atelier": r.workshop.title,
                "debut": r.workshop.starts_at.isoformat(),
                "fin": r.workshop.ends_at.isoformat(),
                "lieu": r.workshop.place,
                "etat": r.get_status_display(),
                "inscrit_le": r.created_at.isoformat(),
                "besoin_accessibilite": r.accessibility_need,
                "mandat": r.mandate,
                "present": r.attended,
            }
            for r in registrations
        ]
    }


# --- Other pages ---------------------------------------------------------------------


def commitment_section(*, commitment: Commitment, limit: int = 10) -> Section | None:
    """The workshops serving a commitment and the comptes rendus informing it (2 queries)."""
    workshops = list(
        Workshop.objects.public()
        .filter(commitments=commitment)
        .select_related("departement")
        .order_by("-starts_at", "-id")[:limit]
    )
    outcomes = list(
        Outcome.objects.filter(
            commitments=commitment,
            published_at__isnull=False,
            workshop__status__in=[WorkshopStatus.FINISHED, *OPEN_STATUSES],
        )
        .select_related("workshop")
        .order_by("-published_at", "-id")[:limit]
    )
    if not workshops and not outcomes:
        return None
    return Section(
        template="workshops/includes/_commitment_section.html",
        context={"workshops": workshops, "outcomes": outcomes, "commitment": commitment},
        order=50,
    )


def dashboard_figures(*, now=None, limit: int = 5) -> dict:
    """Figures for the staff dashboard: upcoming workshops, seats left, waiting lists."""
    now = now or timezone.now()
    upcoming = Workshop.objects.filter(status__in=OPEN_STATUSES, starts_at__gte=now).select_related(
        "departement"
    )
    totals = Workshop.objects.filter(status__in=OPEN_STATUSES, starts_at__gte=now).aggregate(
        workshops=Count("id", distinct=True),
        seats=Coalesce(Sum("capacity"), 0),
    )
    registrations = Registration.objects.filter(
        workshop__status__in=OPEN_STATUSES, workshop__starts_at__gte=now
    ).aggregate(
        confirmed=Count("id", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("id", filter=Q(status=RegistrationStatus.WAITING)),
    )
    to_mark = Workshop.objects.filter(
        status__in=[*OPEN_STATUSES, WorkshopStatus.FINISHED],
        ends_at__lt=now,
        registrations__status=RegistrationStatus.CONFIRMED,
        registrations__attended__isnull=True,
    ).aggregate(n=Count("id", distinct=True))["n"]
    without_outcome = (
        Workshop.objects.filter(
            status__in=[*OPEN_STATUSES, WorkshopStatus.FINISHED], ends_at__lt=now
        )
        .exclude(outcome__published_at__isnull=False)
        .count()
    )
    return {
        "upcoming_workshops": totals["workshops"],
        "upcoming_seats": totals["seats"],
        "seats_left": max(0, totals["seats"] - registrations["confirmed"]),
        "confirmed": registrations["confirmed"],
        "waiting": registrations["waiting"],
        "attendance_to_mark": to_mark,
        "outcomes_to_publish": without_outcome,
        "next_workshops": attach_seats(upcoming.order_by("starts_at", "id")[:limit]),
    }


def snapshot_figures() -> dict[str, int]:
    """Today's workshop figures for the daily snapshot and the reports."""
    now = timezone.now()
    held = Workshop.objects.filter(ends_at__lt=now).exclude(
        status__in=[WorkshopStatus.DRAFT, WorkshopStatus.CANCELLED]
    )
    registrations = Registration.objects.aggregate(
        confirmed=Count("id", filter=Q(status=RegistrationStatus.CONFIRMED)),
        attended=Count("id", filter=Q(attended=True)),
    )
    return {
        "workshops_held": held.count(),
        "registrations": registrations["confirmed"],
        "attendance": registrations["attended"],
    }
