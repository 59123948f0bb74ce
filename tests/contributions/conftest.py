"""Fixtures of the contributions tests."""

import pytest

from .factories import ConsultationFactory, ContributionFactory, ThemeFactory


@pytest.fixture
def consultation(db):
    """An open consultation (a posteriori) with two themes."""
    consultation = ConsultationFactory()
    ThemeFactory(consultation=consultation, title="Transparence", order=0)
    ThemeFactory(consultation=consultation, title="Participation", order=1)
    return consultation


@pytest.fixture
def contribution(consultation):
    return ContributionFactory(consultation=consultation, theme=consultation.themes.first())


def support_count(contribution) -> int:
    contribution.refresh_from_db(fields=["support_count"])
    return contribution.support_count
