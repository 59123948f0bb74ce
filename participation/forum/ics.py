"""A meeting as an iCalendar file, attached to the invitation e-mail."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from forum_ouvert.core.links import absolute_url

from .models import Meeting


def meeting_ics(meeting: Meeting) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Forum ouvert//Séances//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"seance-{meeting.pk}@forum-ouvert")
    event.add("dtstamp", meeting.updated_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at or meeting.starts_at + dt.timedelta(hours=2))
    event.add("summary", f"Forum ouvert — {meeting.title}")
    event.add("location", meeting.place or meeting.visio_url)
    event.add("description", meeting.agenda)
    event.add("url", absolute_url(meeting))
    calendar.add_component(event)
    return calendar.to_ical()
