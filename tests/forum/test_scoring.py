"""The scoring maths: weighted notes out of 20, the mean and the spread between reviewers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from participation.forum.models import CallPhase
from participation.forum.scoring import Mark, aggregate, review_note
from participation.forum.services.calls import criterion_delete, criterion_save
from participation.forum.services.reviews import review_declare_conflict, review_score

from .factories import ApplicationFactory, CallFactory


def test_weighted_note_out_of_twenty():
    """Marks 4/5 (weight 2) and 5/10 (weight 1) give 20 × (2×0.8 + 1×0.5) / 3 = 14."""
    marks = [Mark(value=4, scale_max=5, weight=2), Mark(value=5, scale_max=10, weight=1)]
    assert review_note(marks) == Decimal("14.00")


def test_rounding_is_to_the_cent_half_up():
    """1/3 of 20 is shown as 6.67."""
    assert review_note([Mark(value=1, scale_max=3, weight=1)]) == Decimal("6.67")


def test_no_mark_no_note():
    """An evaluation without any mark has no note; no evaluation, no mean."""
    assert review_note([]) is None
    assert aggregate([]) == (None, None)


def test_mean_and_spread_between_reviewers():
    """Notes 12, 14 and 17: mean 14.33, spread 5."""
    mean, spread = aggregate([Decimal(12), Decimal(14), Decimal(17)])
    assert (mean, spread) == (Decimal("14.33"), Decimal("5.00"))


@given(
    st.lists(
        st.tuples(st.integers(1, 10), st.integers(1, 20), st.integers(0, 20)).map(
            lambda t: Mark(value=min(t[2], t[1]), scale_max=t[1], weight=t[0])
        ),
        min_size=1,
        max_size=8,
    )
)
def test_a_note_is_always_between_0_and_20(marks):
    """Whatever the weights and scales, a note stays within 0–20."""
    assert Decimal(0) <= review_note(marks) <= Decimal(20)


@pytest.fixture
def review_call(db):
    return CallFactory(review=True)


@pytest.mark.django_db
def test_two_reviewers_give_the_mean_and_the_spread(review_call, make_user):
    """Two reviewers score; the application shows their mean and the gap between them."""
    application = ApplicationFactory(call=review_call)
    first, second = review_call.criteria.order_by("order")
    alice, bob = make_user("ditp"), make_user("admin")
    review_score(
        reviewer=alice,
        application=application,
        marks={first.pk: 4, second.pk: 5},
        declares_no_conflict=True,
    )
    review_score(
        reviewer=bob,
        application=application,
        marks={first.pk: 5, second.pk: 10},
        declares_no_conflict=True,
    )
    application.refresh_from_db()
    assert application.review_count == 2
    assert application.score_mean == Decimal("17.00")  # (14 + 20) / 2
    assert application.score_spread == Decimal("6.00")


@pytest.mark.django_db
def test_no_score_before_declaring_no_conflict(review_call, staff):
    """A reviewer must declare the absence of conflict of interest before scoring."""
    application = ApplicationFactory(call=review_call)
    first, second = review_call.criteria.order_by("order")
    with pytest.raises(ValidationError, match="conflit d'intérêts"):
        review_score(
            reviewer=staff,
            application=application,
            marks={first.pk: 1, second.pk: 1},
            declares_no_conflict=False,
        )


@pytest.mark.django_db
def test_a_conflict_removes_the_reviewers_marks(review_call, make_user):
    """A reviewer who declares a conflict no longer counts in the mean."""
    application = ApplicationFactory(call=review_call)
    first, second = review_call.criteria.order_by("order")
    alice, bob = make_user("ditp"), make_user("ditp")
    for reviewer, marks in ((alice, (5, 10)), (bob, (0, 0))):
        review_score(
            reviewer=reviewer,
            application=application,
            marks={first.pk: marks[0], second.pk: marks[1]},
            declares_no_conflict=True,
        )
    review_declare_conflict(reviewer=bob, application=application, reason="Ancien salarié")
    application.refresh_from_db()
    assert (application.score_mean, application.score_spread, application.review_count) == (
        Decimal("20.00"),
        Decimal("0.00"),
        1,
    )
    with pytest.raises(ValidationError, match="conflit"):
        review_score(
            reviewer=bob,
            application=application,
            marks={first.pk: 1, second.pk: 1},
            declares_no_conflict=True,
        )


@pytest.mark.django_db
def test_a_mark_beyond_the_scale_is_refused(review_call, staff):
    """A mark above a criterion's maximum is refused with the range in the message."""
    application = ApplicationFactory(call=review_call)
    first, second = review_call.criteria.order_by("order")
    with pytest.raises(ValidationError, match="de 0 à 5"):
        review_score(
            reviewer=staff,
            application=application,
            marks={first.pk: 6, second.pk: 1},
            declares_no_conflict=True,
        )


@pytest.mark.django_db
def test_changing_criteria_recomputes_every_note(review_call, staff):
    """A new criterion makes earlier evaluations incomplete; removing it restores them."""
    application = ApplicationFactory(call=review_call)
    first, second = review_call.criteria.order_by("order")
    review_score(
        reviewer=staff,
        application=application,
        marks={first.pk: 5, second.pk: 10},
        declares_no_conflict=True,
    )
    extra = criterion_save(actor=staff, call=review_call, name="Ancrage", weight=1, scale_max=5)
    application.refresh_from_db()
    assert application.score_mean is None
    criterion_delete(actor=staff, criterion=extra)
    application.refresh_from_db()
    assert application.score_mean == Decimal("20.00")


@pytest.mark.django_db
def test_no_scoring_outside_the_review_phase(staff):
    """While the call is open, even staff cannot score."""
    from django.core.exceptions import PermissionDenied

    call = CallFactory(phase=CallPhase.OPEN)
    application = ApplicationFactory(call=call)
    first, second = call.criteria.order_by("order")
    with pytest.raises(PermissionDenied):
        review_score(
            reviewer=staff,
            application=application,
            marks={first.pk: 1, second.pk: 1},
            declares_no_conflict=True,
        )
