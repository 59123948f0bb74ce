"""iCalendar (RFC 5545) files of workshops, made with the ``icalendar`` library.

Times are written in UTC (``…Z``): every calendar converts them to the reader's zone, and
no VTIMEZONE block is needed.
"""

from __future__ import annotations

from datetime import UTC

import icalendar
from django.conf import settings
from django.utils import timezone

from forum_ouvert.core.links import absolute_url

from .models import Workshop, WorkshopStatus

PRODID = "-//Forum ouvert//Ateliers participatifs//FR"


def _utc(value):
    return value.astimezone(UTC)


def _one_line(text: str) -> str:
    """A parameter value (``CN=…``) may not hold a line break, even escaped: one line."""
    return " ".join(text.split())


def workshop_event(workshop: Workshop, *, with_visio: bool = False) -> icalendar.Event:
    """The VEVENT of a workshop; the visio link only goes to people who hold a seat."""
    event = icalendar.Event()
    event.add("uid", f"atelier-{workshop.pk}@forum-ouvert")
    event.add("dtstamp", _utc(timezone.now()))
    event.add("last-modified", _utc(workshop.updated_at))
    event.add("dtstart", _utc(workshop.starts_at))
    event.add("dtend", _utc(workshop.ends_at))
    event.add("summary", workshop.title)
    description = workshop.description
    if with_visio and workshop.visio_url:
        description = f"{description}\n\nLien de connexion : {workshop.visio_url}"
    event.add("description", description)
    place = workshop.place
    if workshop.departement_id and not workshop.is_online:
        place = f"{place} ({workshop.departement_id})"
    event.add("location", place)
    event.add("url", absolute_url(workshop))
    event.add(
        "organizer", f"mailto:{_from_address()}", parameters={"CN": _one_line(workshop.organiser)}
    )
    event.add("status", "CANCELLED" if workshop.status == WorkshopStatus.CANCELLED else "CONFIRMED")
    return event


def _from_address() -> str:
    address = settings.DEFAULT_FROM_EMAIL
    return address.split("<", 1)[1].rstrip(">") if "<" in address else address


def calendar_bytes(workshops, *, name: str, with_visio: bool = False) -> bytes:
    """A VCALENDAR of ``workshops``, ready to serve as ``text/calendar``."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _one_line(name))
    for workshop in workshops:
        calendar.add_component(workshop_event(workshop, with_visio=with_visio))
    return calendar.to_ical()
