"""Capacity holds under simultaneous registrations from separate database connections."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.db import connection
from django.test import Client

from forum_ouvert.core import terms
from forum_ouvert.core.models import User
from participation.workshops.models import Registration, RegistrationStatus, WorkshopStatus

from .factories import WorkshopFactory

SEATS = 50
PEOPLE = 200
#: Connections open at once (the shared PostgreSQL accepts 100 in all).
WORKERS = 25


@pytest.mark.django_db(transaction=True)
def test_fifty_seats_two_hundred_simultaneous_registrations():
    """200 people register at once for 50 seats: exactly 50 confirmed, 150 waiting, no error."""
    workshop = WorkshopFactory(capacity=SEATS)
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(email=f"simultane{n}@exemple.fr", password=password, **terms.accepted_now())
            for n in range(PEOPLE)
        ]
    )
    url = f"/ateliers/{workshop.slug}/inscription/"
    start = threading.Barrier(WORKERS)
    mail.outbox.clear()

    def register(index: int) -> int:
        if index < WORKERS:
            start.wait(timeout=30)  # the first wave starts together
        try:
            client = Client()
            client.force_login(users[index])
            return client.post(url, {"accessibility_need": "", "mandate": ""}).status_code
        finally:
            connection.close()  # the next registration comes from a new connection

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(register, range(PEOPLE)))

    assert statuses == [302] * PEOPLE
    counts = {
        status: Registration.objects.filter(workshop=workshop, status=status).count()
        for status in RegistrationStatus.values
    }
    assert counts == {"confirmee": SEATS, "attente": PEOPLE - SEATS, "annulee": 0}
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.FULL
    subjects = [m.subject for m in mail.outbox]
    assert sum("Inscription confirmée" in s for s in subjects) == SEATS
    assert sum("Liste d'attente" in s for s in subjects) == PEOPLE - SEATS
    ranks = sorted(
        Registration.objects.filter(status=RegistrationStatus.WAITING).values_list(
            "waitlisted_at", "id"
        )
    )
    assert len(set(ranks)) == PEOPLE - SEATS
