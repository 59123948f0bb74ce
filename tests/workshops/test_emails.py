"""E-mails about registrations: sent by Celery once the data is committed, and only once."""

import smtplib
from datetime import UTC, timedelta

import icalendar
import pytest
import time_machine
from celery.exceptions import Retry
from django.utils import timezone

from participation.workshops import services
from participation.workshops.models import Notice, NoticeKind, Registration
from participation.workshops.tasks import send_notice, send_reminders

from .factories import RegistrationFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def test_confirmation_carries_an_ics_that_parses(
    citizen, workshop, outbox, django_capture_on_commit_callbacks
):
    """The confirmation's .ics opens in any calendar: right title, times, place and link."""
    workshop.visio_url = "https://visio.exemple.fr/salle"
    workshop.format = "hybride"
    workshop.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(user=citizen, workshop=workshop)
    (attachment,) = outbox[0].attachments
    assert attachment.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(attachment.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == workshop.title
    assert event.decoded("dtstart") == workshop.starts_at.astimezone(UTC).replace(microsecond=0)
    assert event.decoded("dtend") == workshop.ends_at.astimezone(UTC).replace(microsecond=0)
    assert "Lyon" in str(event["location"])
    assert str(event["uid"]) == f"atelier-{workshop.pk}@forum-ouvert"
    assert workshop.get_absolute_url() in str(event["url"])
    assert "visio.exemple.fr/salle" in str(event["description"])  # holders get the link
    assert "visio.exemple.fr/salle" in outbox[0].body


def test_nothing_is_sent_before_commit(
    citizen, workshop, outbox, django_capture_on_commit_callbacks
):
    """The e-mail task is queued on commit: a rolled-back registration sends nothing."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.registration_create(user=citizen, workshop=workshop)
    assert outbox == [] and len(callbacks) == 1


def test_a_task_run_twice_sends_once(citizen, workshop, outbox, django_capture_on_commit_callbacks):
    """If the broker delivers the task twice, the person still gets one e-mail."""
    with django_capture_on_commit_callbacks(execute=False):
        services.registration_create(user=citizen, workshop=workshop)
    notice = Notice.objects.get()
    assert send_notice.delay(notice.pk).get() is True
    assert send_notice.delay(notice.pk).get() is False
    assert len(outbox) == 1
    notice.refresh_from_db()
    assert notice.sent_at is not None and not notice.skipped


def test_transient_mail_error_is_retried(
    citizen, workshop, outbox, monkeypatch, django_capture_on_commit_callbacks
):
    """A mail server that fails once does not lose the e-mail: the task tries again."""
    from django.core.mail import EmailMultiAlternatives

    real_send = EmailMultiAlternatives.send
    calls = []

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("coupure")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    with django_capture_on_commit_callbacks(execute=False):
        services.registration_create(user=citizen, workshop=workshop)
    notice = Notice.objects.get()
    with pytest.raises(Retry):
        send_notice.apply(args=[notice.pk])
    assert Notice.objects.get().sent_at is None
    assert send_notice.delay(notice.pk).get() is True
    assert len(outbox) == 1


def test_reminder_two_days_before_is_sent_once(outbox, django_capture_on_commit_callbacks):
    """The periodic task reminds confirmed people two days before, once, never the others."""
    soon = WorkshopFactory(
        starts_at=timezone.now() + timedelta(hours=40),
        ends_at=timezone.now() + timedelta(hours=42),
    )
    later = WorkshopFactory(starts_at=timezone.now() + timedelta(days=5))
    confirmed = RegistrationFactory.create_batch(2, workshop=soon)
    RegistrationFactory(workshop=soon, waiting=True)
    RegistrationFactory(workshop=soon, status="annulee")
    RegistrationFactory(workshop=later)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.delay().get() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.delay().get() == 0
    assert sorted(m.to[0] for m in outbox) == sorted(r.user.email for r in confirmed)
    assert all(m.subject.endswith("dans deux jours") for m in outbox)
    assert all(m.attachments for m in outbox)
    assert Notice.objects.filter(kind=NoticeKind.REMINDER).count() == 2


def test_reminder_comes_when_the_workshop_is_two_days_away(
    outbox, django_capture_on_commit_callbacks
):
    """Run every hour, the reminder leaves once the workshop is within two days, not before."""
    start = timezone.now() + timedelta(days=4)
    workshop = WorkshopFactory(starts_at=start, ends_at=start + timedelta(hours=2))
    RegistrationFactory(workshop=workshop)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders.delay().get()
    assert outbox == []
    with (
        time_machine.travel(start - timedelta(days=2) + timedelta(minutes=30)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_reminders.delay().get()
        send_reminders.delay().get()
    assert len(outbox) == 1


def test_reminder_is_skipped_after_cancellation(outbox, django_capture_on_commit_callbacks):
    """A reminder queued for someone who has since cancelled is not sent."""
    workshop = WorkshopFactory(
        starts_at=timezone.now() + timedelta(hours=30),
        ends_at=timezone.now() + timedelta(hours=32),
    )
    registration = RegistrationFactory(workshop=workshop)
    with django_capture_on_commit_callbacks(execute=False):
        services.reminders_queue()
    services.registration_cancel(actor=registration.user, registration=registration)
    notice = Notice.objects.get(kind=NoticeKind.REMINDER)
    assert send_notice.delay(notice.pk).get() is False
    notice.refresh_from_db()
    assert notice.skipped and outbox == []
    assert Registration.objects.get().status == "annulee"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_notice_delivered_twice_to_a_real_worker_goes_out_once(celery_worker_process, settings):
    """Through Redis and a worker process, the same e-mail task run twice sends once."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from forum_ouvert.celery import app

    registration = RegistrationFactory()
    notice = Notice.objects.create(registration=registration, kind=NoticeKind.CONFIRMATION)
    app.conf.task_always_eager = False
    try:
        first = send_notice.apply_async(args=[notice.pk], queue=celery_worker_process)
        second = send_notice.apply_async(args=[notice.pk], queue=celery_worker_process)
        results = [first.get(timeout=30), second.get(timeout=30)]
    finally:
        app.conf.task_always_eager = True
    assert sorted(results) == [False, True]
    notice.refresh_from_db()
    assert notice.sent_at is not None and not notice.skipped
