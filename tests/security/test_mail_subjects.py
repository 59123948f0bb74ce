"""Issue 23, item 1: a title or a name holding CR or LF never gives a server error, never
half-saves, and its e-mails leave with a one-line subject; a mail server that is down
never turns a saved act into an error page."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from forum_ouvert.core.choices import Role
from forum_ouvert.core.models import MailDelivery, OutboxTask
from forum_ouvert.core.outbox import flush_pending
from forum_ouvert.reports.models import Report, ReportState
from participation.forum.models import Application, ApplicationStatus, Meeting, MeetingInvitation
from participation.forum.tasks import send_acknowledgement
from participation.workshops import services
from participation.workshops.models import Registration, RegistrationStatus
from tests.engagements.factories import CommitmentFactory, PlanFactory
from tests.forum.conftest import application_data
from tests.forum.factories import ApplicationFactory, CallFactory, MeetingFactory, MemberFactory
from tests.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

BREAKS = pytest.mark.parametrize("breaker", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])


def _one_line(subject: str) -> bool:
    return "\r" not in subject and "\n" not in subject


@BREAKS
def test_registering_for_a_workshop_whose_title_breaks_a_line(
    client, make_user, breaker, django_capture_on_commit_callbacks
):
    """A workshop titled over two lines (saved before titles were checked): registering
    answers normally, the seat is held, and the confirmation's subject is one line."""
    workshop = WorkshopFactory(title=f"Atelier{breaker}de Lyon")
    citizen = make_user(Role.CITIZEN)
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/ateliers/{workshop.slug}/inscription/", {"accessibility_need": "", "mandate": ""}
        )
    assert response.status_code == 302
    assert Registration.objects.get(user=citizen).status == RegistrationStatus.CONFIRMED
    assert [m.subject for m in mail.outbox] == [
        "[Forum ouvert] Inscription confirmée : Atelier de Lyon"
    ]
    assert MailDelivery.objects.get().recipient == citizen


@BREAKS
def test_a_workshop_title_on_two_lines_is_refused(make_user, breaker):
    """Staff giving a workshop a title over two lines get a message on the title; the
    workshop keeps its title."""
    workshop = WorkshopFactory(title="Atelier de Lyon")
    with pytest.raises(ValidationError) as refused:
        services.workshop_update(
            actor=make_user(Role.STAFF), workshop=workshop, fields={"title": f"Atelier{breaker}x"}
        )
    assert "Ce champ tient sur une ligne" in " ".join(refused.value.message_dict["title"])
    workshop.refresh_from_db()
    assert workshop.title == "Atelier de Lyon"


def test_an_organisation_name_with_a_lone_cr_is_refused_with_nothing_saved(
    client, make_user, django_capture_on_commit_callbacks
):
    """Submitting an application whose organisation name holds a lone CR: the form comes
    back with a message on that field, no server error, nothing submitted nor e-mailed."""
    call = CallFactory()
    applicant = make_user(Role.CITIZEN)
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forum:apply", args=[call.slug]),
            application_data(call, organisation_name="Collectif\rdu Quartier", action="deposer"),
        )
    assert response.status_code == 200
    assert "Ce champ tient sur une ligne" in " ".join(
        response.context["form"].errors["organisation_name"]
    )
    assert not Application.objects.exists()
    assert not OutboxTask.objects.exists()
    assert mail.outbox == []


def test_the_acknowledgement_of_a_name_with_a_lone_cr_has_a_one_line_subject():
    """An application submitted with a lone CR in its name (before names were checked)
    is acknowledged once, with a one-line subject."""
    application = ApplicationFactory(organisation_name="Collectif\rdu Quartier")
    assert send_acknowledgement.apply(args=[application.pk]).get() is True
    assert send_acknowledgement.apply(args=[application.pk]).get() is False
    assert [m.subject for m in mail.outbox] == [
        "[Forum ouvert] Candidature reçue : Collectif du Quartier"
    ]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.acknowledged_at is not None


def test_meeting_invitations_for_a_title_with_a_lone_cr(
    client, make_user, django_capture_on_commit_callbacks
):
    """Inviting the members to a meeting titled with a lone CR: the page answers, each
    member is invited once, with a one-line subject; the meeting form refuses such a title."""
    MemberFactory.create_batch(2)
    meeting = MeetingFactory(title="Séance\rplénière")
    client.force_login(make_user(Role.STAFF))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("forum:meeting_invite", args=[meeting.pk]))
    assert response.status_code == 302
    assert MeetingInvitation.objects.filter(sent_at__isnull=False).count() == 2
    assert len(mail.outbox) == 2
    prefix = "[Forum ouvert] Invitation : Séance plénière ("
    assert all(m.subject.startswith(prefix) for m in mail.outbox)
    assert all(_one_line(m.subject) for m in mail.outbox)

    from participation.forum.forms import MeetingForm

    start = timezone.localtime() + dt.timedelta(days=3)
    form = MeetingForm(
        data={
            "title": "Séance\rplénière",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Paris",
        },
        instance=Meeting(),
    )
    assert not form.is_valid() and "title" in form.errors


def test_a_report_for_a_plan_titled_on_two_lines_is_notified(
    client, make_user, django_capture_on_commit_callbacks
):
    """Requesting an accountability report for a plan titled with CRLF: the report is
    ready and its author is told, with a one-line subject."""
    plan = PlanFactory(title="Plan d'action\r\n2024-2026", is_current=True)
    CommitmentFactory(plan=plan)
    staff = make_user(Role.STAFF)
    client.force_login(staff)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:staff_list"),
            {
                "kind": "redevabilite",
                "plan": plan.pk,
                "period_start": (today - dt.timedelta(days=30)).isoformat(),
                "period_end": today.isoformat(),
            },
        )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.state == ReportState.READY, report.error
    assert report.notified_at is not None
    assert len(mail.outbox) == 1
    subject = mail.outbox[0].subject
    assert subject.startswith("[Forum ouvert] Rapport prêt : Rapport de redevabilité — Plan")
    assert "Plan d'action 2024-2026" in subject and _one_line(subject)


def test_a_mail_server_down_never_turns_a_registration_into_an_error(
    client, make_user, monkeypatch, django_capture_on_commit_callbacks
):
    """The mail server refuses while a person registers: they see the usual success, the
    seat is theirs; once the server is back, the flush sends the confirmation once."""
    workshop = WorkshopFactory()
    citizen = make_user(Role.CITIZEN)
    client.force_login(citizen)

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("coupure")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/ateliers/{workshop.slug}/inscription/",
                {"accessibility_need": "", "mandate": ""},
            )
    assert response.status_code == 302
    assert Registration.objects.get(user=citizen).status == RegistrationStatus.CONFIRMED
    row = OutboxTask.objects.get()
    assert row.queued_at is None and "coupure" in row.last_error
    assert mail.outbox == [] and not MailDelivery.objects.exists()

    assert flush_pending(older_than=dt.timedelta(0)) == 1
    assert flush_pending(older_than=dt.timedelta(0)) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[Forum ouvert] Inscription confirmée")
