import pytest

from .factories import CommitmentFactory, PlanFactory


@pytest.fixture
def plan(db):
    return PlanFactory()


@pytest.fixture
def commitment(plan):
    return CommitmentFactory(plan=plan)
