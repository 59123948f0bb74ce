"""The co-creation's public calendar: creation, phases, the 14-day rule, the phase open now."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from engagements.models import PlanStatus
from forum_ouvert.core.models import AuditLog
from participation.cocreation import services
from participation.cocreation.models import CalendarPhase, PhaseKind, Process
from tests.factories import UserFactory

from .factories import NextPlanFactory, ProcessFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _phase(staff, process, kind, starts_on, days=10, **kwargs):
    return services.phase_save(
        actor=staff,
        process=process,
        kind=kind,
        starts_on=starts_on,
        ends_on=starts_on + (days - 1) * DAY,
        activities="Déposer une proposition.",
        **kwargs,
    )


@pytest.fixture
def fresh(staff):
    """A co-creation just opened by staff, with no calendar yet."""
    return services.process_create(
        actor=staff, plan=NextPlanFactory(), presentation="Le prochain plan, avec vous."
    )


def test_staff_open_the_cocreation_of_a_plan_being_co_constructed(staff):
    """Staff open the co-creation of a plan « en co-construction »; an audit row says so."""
    plan = NextPlanFactory()
    process = services.process_create(actor=staff, plan=plan, presentation="Présentation.")
    assert process.plan == plan and not process.is_published
    row = AuditLog.objects.get(action="cocreation.process.create")
    assert row.actor == staff and row.target_id == str(process.pk)


def test_a_plan_in_progress_cannot_be_co_constructed(staff):
    """A plan already in progress is refused with a French error on the plan."""
    plan = NextPlanFactory(status=PlanStatus.CURRENT)
    with pytest.raises(ValidationError) as caught:
        services.process_create(actor=staff, plan=plan, presentation="Présentation.")
    assert "en co-construction" in caught.value.message_dict["plan"][0]
    assert not Process.objects.exists()


def test_only_staff_open_a_cocreation(db):
    """A citizen may not open a co-creation."""
    with pytest.raises(PermissionDenied):
        services.process_create(
            actor=UserFactory(), plan=NextPlanFactory(), presentation="Présentation."
        )


def test_phases_do_not_overlap(staff, fresh):
    """Two phases cannot share a day: one phase at most is open at any moment."""
    today = timezone.localdate()
    _phase(staff, fresh, PhaseKind.PROPOSALS, today + 20 * DAY)
    with pytest.raises(ValidationError) as caught:
        _phase(staff, fresh, PhaseKind.DELIBERATION, today + 29 * DAY)
    assert "chevauche" in caught.value.message_dict["starts_on"][0]
    phase = _phase(staff, fresh, PhaseKind.DELIBERATION, today + 30 * DAY)
    assert phase.kind == PhaseKind.DELIBERATION
    assert AuditLog.objects.filter(action="cocreation.phase.save").count() == 2


def test_publishing_less_than_14_days_before_participation_is_refused(staff, fresh):
    """Participation opening in 13 days: publication refused, the earliest date given."""
    _phase(staff, fresh, PhaseKind.PROPOSALS, timezone.localdate() + 13 * DAY)
    with pytest.raises(ValidationError) as caught:
        services.calendar_publish(actor=staff, process=fresh)
    message = caught.value.message_dict["override_reason"][0]
    assert "au moins 14 jours" in message
    fresh.refresh_from_db()
    assert fresh.calendar_published_at is None
    assert not AuditLog.objects.filter(action="cocreation.calendar.publish").exists()


def test_the_first_participation_phase_counts_even_when_it_is_not_proposals(staff, fresh):
    """A deliberation placed before the proposals is a participation phase too."""
    today = timezone.localdate()
    _phase(staff, fresh, PhaseKind.DELIBERATION, today + 5 * DAY)
    _phase(staff, fresh, PhaseKind.PROPOSALS, today + 30 * DAY)
    with pytest.raises(ValidationError):
        services.calendar_publish(actor=staff, process=fresh)


def test_publishing_14_days_ahead_is_allowed(staff, fresh):
    """Published at midnight, participation opening 14 days later: allowed, no reason."""
    midnight = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    with time_machine.travel(midnight, tick=False):
        _phase(staff, fresh, PhaseKind.PROPOSALS, timezone.localdate() + 14 * DAY)
        process = services.calendar_publish(actor=staff, process=fresh)
    assert process.calendar_published_at == midnight
    assert process.early_opening_reason == ""
    row = AuditLog.objects.get(action="cocreation.calendar.publish")
    assert row.changes["phases"][0][0] == PhaseKind.PROPOSALS


def test_staff_may_open_earlier_with_a_written_reason(staff, fresh):
    """With a reason, a 3-day notice is published; the reason is kept for the public."""
    _phase(staff, fresh, PhaseKind.PROPOSALS, timezone.localdate() + 3 * DAY)
    process = services.calendar_publish(
        actor=staff, process=fresh, override_reason="  Calendrier imposé par l'OGP.  "
    )
    assert process.is_published
    assert process.early_opening_reason == "Calendrier imposé par l'OGP."
    row = AuditLog.objects.get(action="cocreation.calendar.publish")
    assert row.reason == "Calendrier imposé par l'OGP."


def test_a_reason_is_not_kept_when_the_notice_is_long_enough(staff, fresh):
    """A reason given for no shortfall is not shown as an exception."""
    _phase(staff, fresh, PhaseKind.PROPOSALS, timezone.localdate() + 30 * DAY)
    process = services.calendar_publish(actor=staff, process=fresh, override_reason="Au cas où.")
    assert process.early_opening_reason == ""


def test_a_calendar_without_a_proposals_phase_is_not_published(staff, fresh):
    """No proposals phase: publication refused."""
    _phase(staff, fresh, PhaseKind.DRAFTING, timezone.localdate() + 30 * DAY)
    with pytest.raises(ValidationError) as caught:
        services.calendar_publish(actor=staff, process=fresh)
    assert caught.value.code == "incomplete"


def test_a_calendar_is_published_once(staff, fresh):
    _phase(staff, fresh, PhaseKind.PROPOSALS, timezone.localdate() + 30 * DAY)
    services.calendar_publish(actor=staff, process=fresh)
    with pytest.raises(ValidationError):
        services.calendar_publish(actor=staff, process=fresh)


def test_a_published_calendar_changes_with_a_reason_and_keeps_the_notice(staff, fresh):
    """After publication, a change needs a reason and cannot shorten the 14-day notice."""
    today = timezone.localdate()
    _phase(staff, fresh, PhaseKind.PROPOSALS, today + 20 * DAY)
    services.calendar_publish(actor=staff, process=fresh)
    with pytest.raises(ValidationError) as caught:
        _phase(staff, fresh, PhaseKind.PROPOSALS, today + 25 * DAY)
    assert "reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _phase(staff, fresh, PhaseKind.PROPOSALS, today + 10 * DAY, reason="Avancer.")
    assert "ne peut pas ouvrir avant" in caught.value.message_dict["starts_on"][0]
    assert fresh.phases.get().starts_on == today + 20 * DAY  # rolled back
    _phase(staff, fresh, PhaseKind.PROPOSALS, today + 25 * DAY, reason="Report d'une semaine.")
    row = AuditLog.objects.filter(action="cocreation.phase.save").latest("id")
    assert row.reason == "Report d'une semaine."
    assert row.changes["starts_on"] == [str(today + 20 * DAY), str(today + 25 * DAY)]


def test_the_phase_at_a_moment_follows_the_calendar_day_by_day(db):
    """The open phase is the one whose days include the moment, whole days in Paris."""
    process = ProcessFactory(current=PhaseKind.PROPOSALS)
    proposals = process.phase_of(PhaseKind.PROPOSALS)
    deliberation = process.phase_of(PhaseKind.DELIBERATION)
    last_minute = timezone.make_aware(
        datetime.datetime.combine(proposals.ends_on, datetime.time(23, 59))
    )
    assert process.phase_at().kind == PhaseKind.PROPOSALS
    assert process.phase_at(last_minute).kind == PhaseKind.PROPOSALS
    assert process.phase_at(last_minute + datetime.timedelta(minutes=1)) == deliberation
    before = timezone.make_aware(
        datetime.datetime.combine(proposals.starts_on - DAY, datetime.time(12))
    )
    assert process.phase_at(before) is None
    publication = process.phase_of(PhaseKind.PUBLICATION)
    after = timezone.make_aware(
        datetime.datetime.combine(publication.ends_on + DAY, datetime.time())
    )
    assert process.phase_at(after) is None


def test_nothing_is_open_before_the_calendar_is_published(db):
    """Dates in the calendar open nothing until it is public."""
    process = ProcessFactory(unpublished=True)
    assert CalendarPhase.objects.filter(process=process).count() == 5
    assert process.phase_at() is None
    assert not process.accepts_submissions() and not process.accepts_drafts()
