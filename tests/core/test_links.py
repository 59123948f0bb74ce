"""Links that leave the site start at SITE_URL; the Sites record names « Forum ouvert »."""

from __future__ import annotations

import pytest
from django.contrib.sites.models import Site
from django.core import mail

from forum_ouvert.core.links import (
    absolute_url,
    absolute_url_maker,
    site_domain,
    sync_current_site,
)
from tests.factories import UserFactory


def test_absolute_url_starts_at_the_served_address(settings):
    """A link in an e-mail points at the address the site is served on, port included."""
    settings.SITE_URL = "http://127.0.0.1:8801/"
    assert absolute_url("/engagements/") == "http://127.0.0.1:8801/engagements/"
    assert site_domain() == "127.0.0.1:8801"


def test_absolute_url_refuses_a_relative_path(settings):
    """A path without its leading slash would glue itself to the port: it is refused."""
    with pytest.raises(ValueError, match="relatif"):
        absolute_url("engagements/")


@pytest.mark.django_db
def test_the_site_record_follows_site_url(settings):
    """After a migrate, the Sites record has the site's name and the served domain."""
    settings.SITE_URL = "https://forum-ouvert.gouv.fr"
    sync_current_site()
    site = Site.objects.get_current()
    assert (site.name, site.domain) == ("Forum ouvert", "forum-ouvert.gouv.fr")


@pytest.mark.django_db
def test_allauth_emails_greet_from_forum_ouvert(client, settings):
    """A password reset e-mail says « Forum ouvert », never the server's address."""
    settings.SITE_URL = "http://127.0.0.1:8801"
    sync_current_site()
    UserFactory(email="alice@exemple.fr")
    client.post("/compte/password/reset/", {"email": "alice@exemple.fr"})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert body.startswith("Bonjour, c'est Forum ouvert !")
    assert "Merci d'utiliser Forum ouvert !" in body


def test_a_url_maker_gives_what_reverse_gives(settings):
    """Reversed once, filled per row: the same address as ``reverse`` for any values,
    including a slug that holds the other placeholder's digits."""
    from django.urls import reverse

    settings.SITE_URL = "http://127.0.0.1:8801"
    make = absolute_url_maker(
        "cocreation:proposal_version", slug="plan-temoin", pk=987654321, number=876543219
    )
    for slug, pk, number in (("pan-2027-2029", 12, 3), ("plan-987654321", 7, 1)):
        expected = reverse(
            "cocreation:proposal_version", kwargs={"slug": slug, "pk": pk, "number": number}
        )
        assert make(slug=slug, pk=pk, number=number) == "http://127.0.0.1:8801" + expected


def test_a_url_maker_refuses_an_ambiguous_placeholder():
    with pytest.raises(ValueError, match="ambiguë"):
        absolute_url_maker("cocreation:proposal_version", slug="1", pk=1, number=2)
