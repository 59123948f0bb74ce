"""Phases by the clock and by staff, and what each role may do in each phase."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from forum_ouvert.core.access import may as can
from forum_ouvert.core.models import AuditLog
from participation.forum.models import Application, ApplicationStatus, Call, CallPhase, Member
from participation.forum.services.applications import application_submit
from participation.forum.services.calls import call_set_phase, calls_sync_phases
from participation.forum.tasks import sync_call_phases
from tests.conftest import ROLES

from .conftest import application_data
from .factories import ApplicationFactory, CallFactory, call_in_phase

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=PARIS)
CLOSING = dt.datetime(2026, 3, 31, 23, 59, 59, tzinfo=PARIS)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_the_clock_opens_and_closes_a_call(frozen):
    """A scheduled call opens at its opening time and closes at its closing time; each
    change is journaled as done by the calendar."""
    call = CallFactory(
        phase=CallPhase.SCHEDULED,
        opens_at=NOW + dt.timedelta(hours=1),
        closes_at=CLOSING,
    )
    assert calls_sync_phases() == []
    frozen.move_to(NOW + dt.timedelta(hours=1))
    assert call.phase_at() == CallPhase.OPEN  # computed on read, before the task runs
    assert sync_call_phases() == 1
    call.refresh_from_db()
    assert call.phase == CallPhase.OPEN
    frozen.move_to(CLOSING)
    sync_call_phases()
    call.refresh_from_db()
    assert call.phase == CallPhase.CLOSED
    entries = AuditLog.objects.filter(action="forum.call.phase").order_by("created_at", "id")
    assert [e.changes["phase"] for e in entries] == [["programme", "ouvert"], ["ouvert", "clos"]]
    assert all(e.actor is None for e in entries)


def test_a_scheduled_call_whose_whole_window_passed_ends_closed(frozen):
    """A call scheduled and forgotten goes straight to « clos » when the task runs late."""
    call = CallFactory(
        phase=CallPhase.SCHEDULED, opens_at=NOW - dt.timedelta(days=5), closes_at=NOW
    )
    calls_sync_phases()
    call.refresh_from_db()
    assert call.phase == CallPhase.CLOSED


def test_the_periodic_task_is_scheduled():
    """Celery beat runs the phase task every minute."""
    entry = settings.CELERY_BEAT_SCHEDULE["forum-sync-call-phases"]
    assert entry["task"] == "forum.sync_call_phases"
    assert entry["schedule"] <= 60


def test_a_submission_one_second_after_closing_is_refused(frozen, applicant):
    """The server refuses a submission one second after closing, whatever the page
    showed; one second before, it is accepted."""
    call = CallFactory(opens_at=NOW - dt.timedelta(days=10), closes_at=CLOSING)
    late = ApplicationFactory(call=call, applicant=applicant, draft=True)
    on_time = ApplicationFactory(call=call, applicant=applicant, draft=True)
    frozen.move_to(CLOSING - dt.timedelta(seconds=1))
    application_submit(actor=applicant, application=on_time)
    frozen.move_to(CLOSING + dt.timedelta(seconds=1))
    with pytest.raises(ValidationError, match="L'appel est clos"):
        application_submit(actor=applicant, application=late)
    late.refresh_from_db()
    assert late.status == ApplicationStatus.DRAFT
    call.refresh_from_db()
    assert call.phase == CallPhase.OPEN  # the stored phase lags: the clock still decides


def test_a_form_posted_after_closing_says_the_call_is_closed(client, frozen, applicant):
    """A person who opened the form before closing and posts after it is told the call is
    closed; nothing is saved."""
    call = CallFactory(opens_at=NOW - dt.timedelta(days=10), closes_at=CLOSING)
    frozen.move_to(CLOSING - dt.timedelta(minutes=5))
    client.force_login(applicant)
    assert client.get(reverse("forum:apply", args=[call.slug])).status_code == 200
    frozen.move_to(CLOSING + dt.timedelta(seconds=1))
    response = client.post(
        reverse("forum:apply", args=[call.slug]),
        application_data(call, action="deposer"),
        follow=True,
    )
    assert "est clos" in response.content.decode()
    assert not Application.objects.exists()


def test_staff_move_a_call_through_its_phases(staff):
    """Staff open, close, review and publish; opening and closing by hand move the dates to
    now; publishing makes the retained organisations members."""
    call = CallFactory(phase=CallPhase.DRAFT)
    call = call_set_phase(actor=staff, call=call, phase=CallPhase.OPEN)
    retained = ApplicationFactory(call=call)
    rejected = ApplicationFactory(call=call, college=call.colleges.last())
    call = call_set_phase(actor=staff, call=call, phase=CallPhase.CLOSED)
    assert call.closes_at <= call.updated_at
    with pytest.raises(ValidationError, match="impossible ; états possibles"):
        call_set_phase(actor=staff, call=call, phase=CallPhase.PUBLISHED)
    call = call_set_phase(actor=staff, call=call, phase=CallPhase.REVIEW)
    with pytest.raises(ValidationError, match="pas encore de décision"):
        call_set_phase(actor=staff, call=call, phase=CallPhase.PUBLISHED)
    Application.objects.filter(pk=retained.pk).update(status=ApplicationStatus.RETAINED)
    Application.objects.filter(pk=rejected.pk).update(status=ApplicationStatus.REJECTED)
    call = call_set_phase(actor=staff, call=call, phase=CallPhase.PUBLISHED)
    assert call.results_published_at is not None
    assert list(Member.objects.values_list("organisation_name", flat=True)) == [
        retained.organisation_name
    ]


def test_a_call_without_college_cannot_open(staff):
    """Staff are told to add a collège before opening a call."""
    call = CallFactory(phase=CallPhase.DRAFT, colleges=[("x", 1)])
    call.colleges.all().delete()
    with pytest.raises(ValidationError, match="au moins un collège"):
        call_set_phase(actor=staff, call=call, phase=CallPhase.OPEN)


# --- Role × phase ----------------------------------------------------------------------

PERMS = [
    "forum.view_call",
    "forum.apply",
    "forum.view_application",
    "forum.change_application",
    "forum.withdraw_application",
    "forum.score_application",
    "forum.decide_application",
    "forum.change_call",
]


def expected(perm: str, role: str | None, phase: str) -> bool:
    staff = role in ("ditp", "admin")
    applicant = role in ("citoyen", "association")
    return {
        "forum.view_call": phase != CallPhase.DRAFT or staff,
        "forum.apply": phase == CallPhase.OPEN and applicant,
        "forum.view_application": applicant or staff,
        "forum.change_application": phase == CallPhase.OPEN and applicant,
        "forum.withdraw_application": phase == CallPhase.OPEN and applicant,
        "forum.score_application": phase == CallPhase.REVIEW and staff,
        "forum.decide_application": phase == CallPhase.REVIEW and staff,
        "forum.change_call": staff and phase != CallPhase.PUBLISHED,
    }[perm]


@pytest.mark.parametrize("phase", CallPhase.values)
@pytest.mark.parametrize("role", ROLES)
def test_what_each_role_may_do_in_each_phase(frozen, user_for_role, make_user, role, phase):
    """Every role × phase: view the call, apply, change or withdraw one's application,
    score, decide, change the call (clock frozen)."""
    from django.contrib.auth.models import AnonymousUser

    user = user_for_role(role) or AnonymousUser()
    call = call_in_phase(phase)
    owner = user if role in ("citoyen", "association") else make_user("citoyen")
    application = ApplicationFactory(call=call, applicant=owner)
    objects = {
        "forum.view_call": call,
        "forum.apply": call,
        "forum.change_call": call,
    }
    got = {perm: can(user, perm, objects.get(perm, application)) for perm in PERMS}
    assert got == {perm: expected(perm, role, phase) for perm in PERMS}


def test_another_applicant_may_do_nothing_with_my_application(frozen, applicant, other_applicant):
    """An applicant never sees, changes or withdraws another applicant's application."""
    application = ApplicationFactory(call=CallFactory(), applicant=applicant)
    for perm in ("view", "change", "withdraw", "submit"):
        assert not can(other_applicant, f"forum.{perm}_application", application)


def test_drafts_stay_private_to_the_public(client):
    """A draft call answers 404 to the public; a scheduled one is announced."""
    draft = call_in_phase(CallPhase.DRAFT)
    scheduled = call_in_phase(CallPhase.SCHEDULED)
    assert client.get(reverse("forum:call_detail", args=[draft.slug])).status_code == 404
    page = client.get(reverse("forum:call_detail", args=[scheduled.slug])).content.decode()
    assert "Les candidatures ouvriront" in page
    listing = client.get(reverse("forum:call_list")).content.decode()
    assert draft.get_absolute_url() not in listing
    assert scheduled.get_absolute_url() in listing
    assert Call.objects.count() == 2


# --- One source of truth: ``Call.phase_at`` --------------------------------------------

STORED = [CallPhase.SCHEDULED, CallPhase.OPEN, CallPhase.CLOSED, CallPhase.REVIEW]
MOMENTS = {
    "avant l'ouverture": NOW - dt.timedelta(hours=1),
    "à l'ouverture": NOW,
    "pendant": NOW + dt.timedelta(days=3),
    "à la clôture": CLOSING,
    "après": CLOSING + dt.timedelta(days=1),
}


@pytest.mark.parametrize("stored", STORED)
def test_the_sql_phase_is_the_python_phase(stored):
    """``Call.objects.in_phase`` selects exactly the calls whose ``phase_at`` is asked,
    and ``behind_the_clock`` those whose stored phase differs from it, at every moment."""
    call = CallFactory(phase=stored, opens_at=NOW, closes_at=CLOSING)
    for moment in MOMENTS.values():
        phase = call.phase_at(moment)
        assert list(Call.objects.in_phase(phase, now=moment)) == [call], moment
        others = [p for p in CallPhase.values if p != phase]
        assert not Call.objects.in_phase(*others, now=moment).exists(), moment
        assert Call.objects.behind_the_clock(moment).exists() == (phase != stored), moment


def test_no_page_writes_the_phase(client, frozen, staff, applicant):
    """A call past its opening time shows « Ouvert » everywhere before the task runs,
    and reading its pages records nothing: only the periodic task journals the move."""
    call = CallFactory(phase=CallPhase.SCHEDULED, opens_at=NOW - dt.timedelta(minutes=1))
    urls = [
        reverse("forum:index"),
        reverse("forum:call_list"),
        reverse("forum:call_detail", args=[call.slug]),
    ]
    for url in urls:
        page = client.get(url).content.decode()
        assert ">Ouvert</span>" in page and ">À venir</span>" not in page, url
    client.force_login(applicant)
    assert client.get(reverse("forum:apply", args=[call.slug])).status_code == 200
    client.force_login(staff)
    page = client.get(reverse("forum:call_manage", args=[call.slug])).content.decode()
    assert ">Ouvert</span>" in page and ">À venir</span>" not in page
    call.refresh_from_db()
    assert call.phase == CallPhase.SCHEDULED
    assert not AuditLog.objects.filter(action="forum.call.phase").exists()
    assert sync_call_phases() == 1
    call.refresh_from_db()
    assert call.phase == CallPhase.OPEN


def test_staff_act_on_the_phase_the_clock_gives(frozen, staff):
    """A call whose closing time passed before the task ran can go to review at once: the
    clock's move is journaled first, then the staff's."""
    call = CallFactory(opens_at=NOW - dt.timedelta(days=10), closes_at=NOW)
    assert call.phase == CallPhase.OPEN
    call = call_set_phase(actor=staff, call=call, phase=CallPhase.REVIEW)
    assert call.phase == CallPhase.REVIEW
    entries = AuditLog.objects.filter(action="forum.call.phase").order_by("created_at", "id")
    assert [(e.changes["phase"], e.actor) for e in entries] == [
        (["ouvert", "clos"], None),
        (["clos", "examen"], staff),
    ]
