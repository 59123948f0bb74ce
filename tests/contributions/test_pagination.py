"""Pagination that counts at most a thousand rows and still knows whether a next page exists."""

import pytest
from django.utils import timezone

from forum_ouvert.core.models import User
from participation.contributions.models import Contribution
from participation.contributions.pagination import MAX_PAGE, capped_page
from participation.contributions.selectors import _public_name

from .factories import ContributionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve(consultation):
    for _i in range(12):
        ContributionFactory(consultation=consultation)
    return Contribution.objects.order_by("-id")


def test_small_lists_have_an_exact_total(twelve):
    """Under the cap, the total and the number of pages are known."""
    page = capped_page(twelve, 2, per_page=5, cap=100)
    assert (page.total, page.num_pages, page.number, len(page)) == (12, 3, 2, 5)
    assert page.has_next and page.has_previous
    assert capped_page(twelve, 99, per_page=5, cap=100).number == 3


def test_large_lists_say_more_than(twelve):
    """Over the cap, the total is unknown but next/previous still work, in order."""
    first = capped_page(twelve, 1, per_page=5, cap=5)
    assert first.total is None and first.num_pages is None and first.has_next
    last = capped_page(twelve, 3, per_page=5, cap=5)
    assert len(last) == 2 and not last.has_next
    ids = [c.pk for n in (1, 2, 3) for c in capped_page(twelve, n, per_page=5, cap=5)]
    assert ids == list(twelve.values_list("pk", flat=True))


@pytest.mark.parametrize("value,expected", [("abc", 1), ("-3", 1), ("", 1), (None, 1)])
def test_bad_page_numbers(twelve, value, expected):
    """A page number that is not a positive integer gives the first page."""
    assert capped_page(twelve, value, per_page=5).number == expected


def test_page_number_is_bounded(twelve):
    """Huge page numbers stop at the last allowed page instead of scanning forever."""
    assert capped_page(twelve, "9" * 30, per_page=5, cap=5).number == MAX_PAGE


def test_list_page_says_more_than_the_cap(client, consultation, monkeypatch):
    """The list shows « Plus de N contributions » when there are more than it counts."""
    from participation.contributions import pagination, views

    monkeypatch.setattr(
        views,
        "capped_page",
        lambda qs, page, per_page: pagination.capped_page(qs, page, per_page=per_page, cap=3),
    )
    for _i in range(5):
        ContributionFactory(consultation=consultation)
    html = client.get("/contributions/").content.decode()
    assert "Plus de 3 contributions" in html


@pytest.mark.parametrize(
    "name,consent,anonymised",
    [("Léa", True, False), ("Léa", False, False), ("", True, False), ("Léa", True, True)],
)
def test_open_data_name_matches_the_public_name(make_user, name, consent, anonymised):
    """The export's author name follows exactly the rule of ``User.public_name``."""
    user: User = make_user("citoyen", display_name=name, public_display_consent=consent)
    user.anonymised_at = timezone.now() if anonymised else None
    assert _public_name(name, consent, user.anonymised_at) == user.public_name
