"""Fixtures of the co-creation tests."""

import pytest

from forum_ouvert.core.choices import Role
from tests.factories import UserFactory

from .factories import ProcessFactory, ProposalFactory


@pytest.fixture
def staff(db):
    return UserFactory(role=Role.STAFF)


@pytest.fixture
def author(db):
    return UserFactory(role=Role.ASSOCIATION, public_display_consent=True, display_name="Léa V.")


@pytest.fixture
def process(db):
    """A co-creation in its proposals phase."""
    return ProcessFactory()


@pytest.fixture
def draft(process, author):
    return ProposalFactory(process=process, author=author)


@pytest.fixture
def submitted(process, author):
    return ProposalFactory(process=process, author=author, submitted=True)
