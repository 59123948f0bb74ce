"""Meetings: invitations sent once, minutes after the meeting, attendance, the six-month
rhythm on the staff dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from participation.forum import selectors
from participation.forum.models import MeetingInvitation
from participation.forum.services.meetings import (
    invitation_send,
    meeting_invite_members,
    meeting_publish_minutes,
    meeting_set_attendance,
)
from participation.forum.tasks import send_invitation

from .factories import MeetingFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_members_are_invited_once_with_a_calendar_file(staff, django_capture_on_commit_callbacks):
    """Inviting sends one e-mail per member with an .ics file; inviting again or running
    the task twice sends nothing more."""
    members = MemberFactory.create_batch(2)
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_invite_members(actor=staff, meeting=meeting) == 2
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert meeting.title in message.subject
    filename, content, mimetype = message.attachments[0]
    assert (filename, mimetype) == ("seance.ics", "text/calendar")
    assert "BEGIN:VEVENT" in (content.decode() if isinstance(content, bytes) else content)
    invitation = MeetingInvitation.objects.first()
    send_invitation(invitation.pk)
    assert invitation_send(invitation_id=invitation.pk) is False
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_invite_members(actor=staff, meeting=meeting) == 0
    assert len(mail.outbox) == 2
    assert {m.application.contact_email for m in members} <= {
        address for m in mail.outbox for address in m.to
    }


def test_no_invitation_to_a_past_meeting(staff):
    """Staff are told one invites only to a meeting to come."""
    meeting = MeetingFactory(starts_at=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="à venir"):
        meeting_invite_members(actor=staff, meeting=meeting)


def test_minutes_are_published_after_the_meeting_only(staff):
    """Minutes cannot be published before the meeting; afterwards, text and PDF are."""
    coming = MeetingFactory()
    with pytest.raises(ValidationError, match="après la séance"):
        meeting_publish_minutes(actor=staff, meeting=coming, text="Trop tôt")
    past = MeetingFactory(starts_at=timezone.now() - dt.timedelta(hours=3))
    pdf = SimpleUploadedFile("cr.pdf", b"%PDF-1.4\n%%EOF\n")
    meeting_publish_minutes(actor=staff, meeting=past, text="Compte rendu.", pdf=pdf)
    past.refresh_from_db()
    assert past.minutes_published_at is not None and past.minutes_pdf


def test_a_minutes_file_that_is_not_a_pdf_is_refused(client, staff):
    """A renamed image as minutes is refused with a clear message."""
    past = MeetingFactory(starts_at=timezone.now() - dt.timedelta(hours=3))
    client.force_login(staff)
    response = client.post(
        reverse("forum:meeting_minutes", args=[past.pk]),
        {"minutes-text": "", "minutes-pdf": SimpleUploadedFile("cr.pdf", b"\x89PNG\r\n\x1a\n")},
    )
    assert response.status_code == 400
    assert "pas un document PDF valide" in response.content.decode()


def test_attendance_becomes_a_verified_participation(staff):
    """Members marked present find the meeting in their verified participations."""
    present, absent = MemberFactory.create_batch(2)
    meeting = MeetingFactory(
        starts_at=timezone.now() - dt.timedelta(hours=5), title="Séance de juin"
    )
    meeting_set_attendance(actor=staff, meeting=meeting, members=[present])
    participations = selectors.verified_participations(user=present.application.applicant)
    assert [(p.kind, p.hours) for p in participations] == [("Séance du Forum ouvert", 2.0)]
    assert "Séance de juin" in participations[0].title
    assert selectors.verified_participations(user=absent.application.applicant) == []
    meeting_set_attendance(actor=staff, meeting=meeting, members=[])
    assert selectors.verified_participations(user=present.application.applicant) == []


def test_staff_create_a_meeting_with_a_place_or_a_link(client, staff):
    """A meeting without place nor link is refused with a French message."""
    client.force_login(staff)
    data = {"title": "Séance", "starts_at": "2030-01-10T14:00", "agenda": "Ordre du jour"}
    response = client.post(reverse("forum:meeting_list"), data)
    assert response.status_code == 200
    assert "Indiquez un lieu ou un lien" in response.content.decode()
    response = client.post(
        reverse("forum:meeting_list"), {**data, "visio_url": "https://visio.exemple.fr/forum"}
    )
    assert response.status_code == 302


NOW = dt.datetime(2026, 9, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("last_days_ago", "next_in_days", "due", "overdue"),
    [
        (30, None, False, False),
        (160, None, True, False),
        (160, 10, False, False),
        (200, None, True, True),
        (None, None, True, False),
    ],
)
def test_dashboard_warns_when_six_months_are_near(last_days_ago, next_in_days, due, overdue):
    """The dashboard shows the last meeting and warns a month before six months pass, and
    after; a meeting planned in time lifts the warning."""
    with time_machine.travel(NOW, tick=False):
        if last_days_ago is not None:
            MeetingFactory(starts_at=NOW - dt.timedelta(days=last_days_ago))
        if next_in_days is not None:
            MeetingFactory(starts_at=NOW + dt.timedelta(days=next_in_days))
        figures = selectors.dashboard_figures()
    assert (figures["meeting_due"], figures["meeting_overdue"]) == (due, overdue)
    if last_days_ago is not None:
        assert figures["last_meeting_at"] == NOW - dt.timedelta(days=last_days_ago)


def test_dashboard_counts_applications_awaiting_review():
    """Submitted applications of closed or reviewed calls count as awaiting review."""
    from .factories import ApplicationFactory, CallFactory

    ApplicationFactory(call=CallFactory(review=True))
    ApplicationFactory(call=CallFactory(closed=True))
    ApplicationFactory(call=CallFactory())  # still open: not yet to review
    assert selectors.dashboard_figures()["applications_awaiting_review"] == 2
