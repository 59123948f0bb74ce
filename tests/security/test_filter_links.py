"""The links of a filtered list (pagination, htmx) carry only the filters the page accepted:
a refused value typed into the URL is never echoed back into the page's links."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from engagements.models import ActionPlan
from tests.engagements.factories import EvidenceFactory
from tests.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

PAYLOAD = '"><svg onload=alert(1)>'


def _links(page: str) -> list[str]:
    """Every href and hx-get of the pagination."""
    return re.findall(r'(?:href|hx-get)="(\?[^"]*)"', page)


def test_workshop_list_links_keep_only_valid_filters(client):
    """« Page suivante » on /ateliers/ keeps the valid département and drops the refused
    region and the unknown parameter."""
    WorkshopFactory.create_batch(21)
    q = quote(PAYLOAD)
    response = client.get(f"{reverse('workshops:list')}?departement=69&region={q}&x={q}")
    links = _links(response.content.decode())
    assert any("page=2" in link for link in links), links
    for link in links:
        assert "departement=69" in link
        assert "svg" not in link and "region=" not in link and "x=" not in link


def test_repository_links_keep_only_valid_filters(client):
    """The repository's pagination drops a refused date and an unknown commitment."""
    plan = ActionPlan.objects.filter(is_current=True).first()
    evidence = EvidenceFactory(is_public=True, **({"commitment__plan": plan} if plan else {}))
    EvidenceFactory.create_batch(25, commitment=evidence.commitment, is_public=True)
    q = quote(PAYLOAD)
    response = client.get(f"{reverse('engagements:repository')}?start={q}&commitment={q}")
    assert response.status_code == 200
    links = _links(response.content.decode())
    for link in links:
        assert "svg" not in link and "start=" not in link and "commitment=" not in link


def test_htmx_fragment_links_keep_only_valid_filters(client):
    """The htmx fragment of /ateliers/ builds its links from the same cleaned filters."""
    WorkshopFactory.create_batch(21)
    q = quote(PAYLOAD)
    response = client.get(
        f"{reverse('workshops:list')}?departement={q}&format=presentiel", HTTP_HX_REQUEST="true"
    )
    links = _links(response.content.decode())
    assert links, "the fragment has its pagination"
    assert all("svg" not in link and "departement=" not in link for link in links), links
