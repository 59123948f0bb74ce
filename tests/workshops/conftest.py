"""Fixtures of the workshops tests."""

import pytest
from django.core import mail

from forum_ouvert.core.choices import Role

from .factories import WorkshopFactory


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
