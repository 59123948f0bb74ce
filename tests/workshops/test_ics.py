"""The .ics of a workshop opens whatever its title and organiser hold."""

import icalendar
import pytest
from django.urls import reverse

from .factories import WorkshopFactory

pytestmark = pytest.mark.django_db


def test_a_line_break_in_the_title_or_organiser_does_not_break_the_calendar(client):
    """A title or organiser sent with a line break (a hand-made POST, an import) still gives
    a calendar file, on one line, instead of an error page."""
    workshop = WorkshopFactory(title="Atelier\nde Lyon", organiser="DITP\r\nPréfecture")
    response = client.get(reverse("workshops:ics", args=[workshop.slug]))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == "Atelier de Lyon"
    (event,) = calendar.walk("VEVENT")
    assert event["organizer"].params["CN"] == "DITP Préfecture"
    assert str(event["summary"]) == "Atelier\nde Lyon"
