"""/.well-known/security.txt (RFC 9116) and the vulnerability disclosure policy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _fields(text: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in text.splitlines())


def test_security_txt_names_the_contact_and_the_policy(client, settings):
    """A security researcher finds where to write, in which languages, and the policy."""
    settings.SECURITY_CONTACT = "securite@forum-ouvert.gouv.fr"
    settings.SITE_URL = "https://forum-ouvert.gouv.fr"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = _fields(response.content.decode())
    assert fields == {
        "Contact": "mailto:securite@forum-ouvert.gouv.fr",
        "Expires": fields["Expires"],
        "Preferred-Languages": "fr, en",
        "Canonical": "https://forum-ouvert.gouv.fr/.well-known/security.txt",
        "Policy": "https://forum-ouvert.gouv.fr/securite/",
    }
    expires = dt.datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%S%z")
    assert dt.timedelta(days=364) < expires - timezone.now() <= dt.timedelta(days=365)


def test_a_contact_url_is_kept_as_is(client, settings):
    """A contact form's address is published without « mailto: »."""
    settings.SECURITY_CONTACT = "https://forum-ouvert.gouv.fr/contact-securite"
    fields = _fields(client.get("/.well-known/security.txt").content.decode())
    assert fields["Contact"] == "https://forum-ouvert.gouv.fr/contact-securite"


def test_the_disclosure_policy_is_linked_from_every_page(client, settings):
    """The footer links to the policy, which gives the address to write to."""
    settings.SECURITY_CONTACT = "securite@forum-ouvert.gouv.fr"
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("core:security_policy")}"' in home
    page = client.get(reverse("core:security_policy")).content.decode()
    assert "Politique de divulgation des vulnérabilités" in page
    assert 'href="mailto:securite@forum-ouvert.gouv.fr"' in page
