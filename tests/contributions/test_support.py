"""Supporting a contribution: once per person, in place with htmx, and with a plain form."""

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from participation.contributions import services
from participation.contributions.models import Support

from .conftest import support_count
from .factories import ContributionFactory


def _url(contribution):
    return reverse("contributions:support", args=[contribution.consultation.slug, contribution.pk])


@pytest.mark.django_db
def test_htmx_support_updates_the_count_in_place(client, make_user, contribution):
    """With htmx, the button answers with the new count and a pressed button, no reload."""
    client.force_login(make_user("citoyen"))
    response = client.post(_url(contribution), {"action": "add"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "1 soutien" in html
    assert 'aria-pressed="true"' in html
    assert support_count(contribution) == 1
    response = client.post(_url(contribution), {"action": "remove"}, headers={"HX-Request": "true"})
    assert "Aucun soutien" in response.content.decode()
    assert support_count(contribution) == 0


def _normalise(html: str) -> str:
    """Whitespace collapsed and the (per-response masked) CSRF token blanked."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", " ".join(html.split()))


def _inner(html: str, element_id: str) -> str:
    """The markup inside ``<div id=element_id …>`` (the support region has no nested div)."""
    after = html.split(f'id="{element_id}"', 1)[1]
    return _normalise(after[after.index(">") + 1 : after.index("</div>")])


@pytest.mark.django_db
def test_fragment_matches_the_full_page(client, make_user, contribution):
    """The swapped fragment is exactly what the full page shows after a reload."""
    client.force_login(make_user("citoyen"))
    fragment = client.post(
        _url(contribution),
        {"action": "add", "next": contribution.get_absolute_url()},
        headers={"HX-Request": "true"},
    ).content.decode()
    page = client.get(contribution.get_absolute_url()).content.decode()
    assert _normalise(fragment) == _inner(page, f"soutien-{contribution.pk}")


@pytest.mark.django_db
def test_plain_form_fallback_redirects_back(client, make_user, contribution):
    """Without JavaScript, the form posts and the page reloads with the new count."""
    client.force_login(make_user("citoyen"))
    response = client.post(
        _url(contribution), {"action": "add", "next": contribution.get_absolute_url()}
    )
    assert response.status_code == 302
    assert response["Location"] == contribution.get_absolute_url()
    assert "1 soutien · dont le vôtre" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "unsafe",
    [
        "https://evil.example/",
        "//evil.example/",
        "javascript:alert(1)",
        # Found by sqlmap (make scan): a bare word was taken for a URL name, a 500.
        "portal:home",
        "(SELECT (CASE WHEN (1=1) THEN 1 ELSE 0 END))",
    ],
)
def test_unsafe_next_is_ignored(client, make_user, contribution, unsafe):
    """A ``next`` that is not a path of this site sends back to the contribution instead."""
    client.force_login(make_user("citoyen"))
    response = client.post(_url(contribution), {"action": "add", "next": unsafe})
    assert response.status_code == 302
    assert response["Location"] == contribution.get_absolute_url()


@pytest.mark.django_db
def test_double_click_supports_once(client, make_user, contribution):
    """Two « soutenir » in a row leave one support and a count of one."""
    client.force_login(make_user("citoyen"))
    client.post(_url(contribution), {"action": "add"})
    client.post(_url(contribution), {"action": "add"})
    assert Support.objects.filter(contribution=contribution).count() == 1
    assert support_count(contribution) == 1


@pytest.mark.django_db
def test_author_cannot_support_own_contribution(client, contribution):
    """The author sees no button and the URL answers 403."""
    client.force_login(contribution.author)
    assert client.post(_url(contribution), {"action": "add"}).status_code == 403
    assert "Soutenir</button>" not in client.get(contribution.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_get_is_not_allowed(client, make_user, contribution):
    """Supporting is a POST; a GET answers 405."""
    client.force_login(make_user("citoyen"))
    assert client.get(_url(contribution)).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_concurrent_supports_end_with_one(make_user):
    """Two simultaneous supports by one person (two connections) end with one support."""
    contribution = ContributionFactory()
    user = make_user("citoyen")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def click():
        try:
            barrier.wait(timeout=10)
            results.append(services.support_add(user=user, contribution=contribution))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(results) == [False, True]
    assert Support.objects.filter(contribution=contribution, user=user).count() == 1
    assert support_count(contribution) == 1


@pytest.mark.django_db(transaction=True)
def test_database_constraint_refuses_a_second_row(make_user):
    """Even bypassing the service, the database refuses a second support."""
    from django.db import IntegrityError

    contribution = ContributionFactory()
    user = make_user("citoyen")
    Support.objects.create(contribution=contribution, user=user)
    with pytest.raises(IntegrityError):
        Support.objects.create(contribution=contribution, user=user)
