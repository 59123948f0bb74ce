"""The page-or-fragment decision: who gets the whole page, who gets which fragment."""

import pytest
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from forum_ouvert.core.htmx import VARY, Fragment, Page

PAGE = Page(
    "engagements/commitment_detail.html",
    Fragment("journal", target="historique"),
    Fragment("follow", target="suivre"),
    Fragment("entry", target="entree-*"),
)


def _request(**headers):
    request = RequestFactory().get("/", headers=headers)
    request.htmx = HtmxDetails(request)
    return request


@pytest.mark.parametrize(
    ("headers", "partial"),
    [
        ({}, None),
        ({"HX-Request": "true", "HX-Target": "suivre"}, "follow"),
        ({"HX-Request": "true", "HX-Target": "historique"}, "journal"),
        ({"HX-Request": "true", "HX-Target": "entree-42"}, "entry"),
        ({"HX-Request": "true"}, "journal"),
        ({"HX-Request": "true", "HX-Target": "ailleurs"}, None),
        ({"HX-Request": "true", "HX-Target": "suivre", "HX-History-Restore-Request": "true"}, None),
        ({"HX-Request": "true", "HX-Boosted": "true"}, None),
    ],
    ids=["page", "target", "other-target", "family", "no-target", "unknown", "restore", "boost"],
)
def test_the_fragment_is_the_one_htmx_targets(headers, partial):
    """Only a plain htmx request gets a fragment: the one whose target it names."""
    fragment = PAGE.fragment_for(_request(**headers))
    assert (fragment.partial if fragment else None) == partial


def test_two_fragments_cannot_claim_one_target():
    """Declaring the same target twice is refused when the module loads."""
    with pytest.raises(ValueError, match="same target"):
        Page("x.html", Fragment("a", target="t"), Fragment("b", target="t"))


@pytest.mark.django_db
@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true", "HX-Target": "resultats"}])
def test_page_and_fragment_say_what_they_vary_on(client, headers):
    """Page and fragment both carry Vary on the htmx headers, so no cache mixes them up."""
    response = client.get("/engagements/", headers=headers)
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert set(VARY) <= vary
