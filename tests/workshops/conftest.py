"""Fixtures of the workshops tests."""

import pytest
from django.core import mail

from forum_ouvert.core.choices import Role
from forum_ouvert.core.models import Departement, Region
from forum_ouvert.core.territories import load_territories

from .factories import WorkshopFactory


def ensure_territories() -> None:
    """Départements and regions come from a data migration, which a transactional test's
    flush erases: put them back when they are missing."""
    if Departement.objects.count() < 101:
        load_territories(region_model=Region, departement_model=Departement)


@pytest.fixture(autouse=True)
def _territories(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False) or (
        marker.args and marker.args[0] is True
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_territories()


@pytest.fixture
def staff(make_user):
    return make_user(Role.STAFF)


@pytest.fixture
def citizen(make_user):
    return make_user(Role.CITIZEN)


@pytest.fixture
def workshop(db):
    return WorkshopFactory()


@pytest.fixture
def outbox():
    """The e-mails sent during the test."""
    mail.outbox.clear()
    return mail.outbox
