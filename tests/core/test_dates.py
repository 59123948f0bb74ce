"""Dates in French, one way everywhere: « 1er janvier 2027 », never « 1 janvier » nor
« 1 Jan 2027 »; a republished text says « mis à jour le … » (issue 22, item 9 and French)."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import timezone

from forum_ouvert.core.dates import date_label, datetime_label, day_label, time_label
from participation.forum.services.meetings import meeting_publish_minutes
from participation.workshops import services as workshop_services
from participation.workshops.models import WorkshopStatus
from tests.forum.factories import MeetingFactory
from tests.workshops.factories import WorkshopFactory

PARIS = dt.timezone(dt.timedelta(hours=1))


def test_dates_are_said_in_french():
    assert date_label(dt.date(2027, 1, 1)) == "1er janvier 2027"
    assert date_label(dt.date(2026, 12, 28)) == "28 décembre 2026"
    assert day_label(dt.date(2026, 12, 28)) == "lundi 28 décembre 2026"
    # 23:30 UTC on 31 December is already 1 January in Paris.
    late = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    assert date_label(late) == "1er janvier 2027"
    assert datetime_label(late) == "1er janvier 2027 à 00:30"
    assert time_label(late) == "00h30"
    assert date_label(None) == "" and datetime_label("") == ""


def test_the_filters_are_the_same_in_every_app():
    first = dt.date(2027, 3, 1)
    for library in ("forum_ouvert", "workshops"):
        out = Template("{% load " + library + " %}{{ d|fr_date }}").render(Context({"d": first}))
        assert out == "1er mars 2027"


@pytest.mark.django_db
def test_republished_minutes_say_when_they_were_updated(client, make_user):
    staff = make_user("ditp")
    meeting = MeetingFactory(starts_at=timezone.now() - dt.timedelta(days=40))
    with time_machine.travel(dt.datetime(2026, 11, 1, 10, tzinfo=PARIS)):
        meeting_publish_minutes(actor=staff, meeting=meeting, text="Première version.")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Publié le 1er novembre 2026." in page
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=PARIS)):
        meeting_publish_minutes(actor=staff, meeting=meeting, text="Version corrigée.")
    meeting.refresh_from_db()
    assert meeting.minutes_published_at.date() == dt.date(2026, 11, 1)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Publié le 1er novembre 2026, mis à jour le 20 novembre 2026." in page


@pytest.mark.django_db
def test_a_republished_workshop_report_says_when_it_was_updated(client, make_user):
    staff = make_user("ditp")
    workshop = WorkshopFactory(past=True, status=WorkshopStatus.PUBLISHED)
    first = timezone.now()
    second = first + dt.timedelta(days=2)
    workshop_services.outcome_publish(actor=staff, workshop=workshop, text="Trois idées.")
    with time_machine.travel(second):
        workshop_services.outcome_publish(
            actor=staff,
            workshop=workshop,
            text="Quatre idées.",
            document=SimpleUploadedFile("cr.pdf", b"%PDF-1.4\n%%EOF\n"),
        )
    page = client.get(workshop.get_absolute_url()).content.decode()
    said = f"Publié le {date_label(first)}, mis à jour le {date_label(second)}."
    assert said in page
