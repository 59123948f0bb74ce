"""Every page whose filters or pagination push their URL: Back brings the whole page back,
and the results htmx swaps in are those a fresh render of the new URL shows."""

import pytest
from django.urls import reverse

from forum_ouvert.core.choices import Role

from .contributions.factories import ConsultationFactory, ContributionFactory
from .engagements.factories import CommitmentFactory, EvidenceFactory, JournalEntryFactory
from .forum.factories import ApplicationFactory, CallFactory
from .htmx import headers_for, parse, region, swap
from .workshops.conftest import ensure_territories
from .workshops.factories import WorkshopFactory

RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


@pytest.fixture
def site(db, make_user):
    """A commitment with 25 journal rows and evidence, a consultation with contributions,
    workshops, and a call under review: enough for every list to have a second page."""
    ensure_territories()
    commitment = CommitmentFactory(title="Ouvrir les données de la commande publique")
    for i in range(25):
        JournalEntryFactory(commitment=commitment, justification=f"Changement {i:02d}.")
    for i in range(30):
        EvidenceFactory(commitment=commitment, title=f"Compte rendu {i:02d}")
    consultation = ConsultationFactory()
    for i in range(25):
        ContributionFactory(consultation=consultation, title=f"Proposition {i:02d}")
    for _ in range(25):
        WorkshopFactory()
    call = CallFactory(review=True, colleges=[("Associations", 2)])
    for _ in range(3):
        ApplicationFactory(call=call)
    return {"commitment": commitment, "consultation": consultation, "staff": make_user(Role.STAFF)}


#: (page, role, the element whose request pushes the URL, the query it sends)
PUSHING = [
    (lambda s: reverse("engagements:commitment_list"), None, "hx-get", "?status=non_commence"),
    (lambda s: reverse("engagements:repository"), None, "hx-get", "?page=2"),
    (lambda s: s["commitment"].get_absolute_url(), None, "hx-get", "?page=2"),
    (lambda s: reverse("workshops:list"), None, "hx-get", "?page=2"),
    (lambda s: reverse("contributions:index"), None, "hx-get", "?page=2"),
    (lambda s: s["consultation"].get_absolute_url(), None, "hx-get", "?page=2"),
    (lambda s: reverse("forum:queue"), Role.STAFF, "hx-get", "?page=1"),
]
IDS = ["engagements", "depot", "engagement", "ateliers", "contributions", "consultation", "amai"]


def _client(client, site, role):
    if role == Role.STAFF:
        client.force_login(site["staff"])
    return client


@pytest.mark.parametrize(("url", "role", "attribute", "query"), PUSHING, ids=IDS)
def test_back_after_filtering_brings_the_whole_page_back(client, site, url, role, attribute, query):
    """A history restore (the Back button) gets the page with its header, title and filters."""
    client = _client(client, site, role)
    response = client.get(url(site) + query, headers=RESTORE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and '<header role="banner"' in html and "<h1" in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(("url", "role", "attribute", "query"), PUSHING, ids=IDS)
def test_the_swapped_results_are_those_of_a_fresh_page(client, site, url, role, attribute, query):
    """The region htmx swaps in equals the same region of a full render of the pushed URL."""
    client = _client(client, site, role)
    path = url(site)
    page = client.get(path).content.decode()
    link = _pushing_element(page, attribute, query)
    answer = client.get(path + query, headers=headers_for(page, link))
    assert "<html" not in answer.content.decode()
    assert "HX-Request" in answer["Vary"]
    swapped = swap(page, link, answer.content.decode())
    fresh = client.get(path + query).content.decode()
    target = headers_for(page, link)["HX-Target"]
    assert region(swapped, target) == region(fresh, target)


def _pushing_element(page: str, attribute: str, query: str):
    """The (first) pagination link to ``query``, else the filter form that pushes its URL."""
    nodes = parse(page)
    links = [n for n in nodes if n.attrs.get(attribute) in (query, query.lstrip("?"))]
    forms = [n for n in nodes if n.tag == "form" and n.attrs.get("hx-push-url") == "true"]
    assert links or len(forms) == 1, "no link nor filter form pushes this URL"
    return (links or forms)[0]
