"""With Redis away, pages are still served: the cache degrades to "no cache"."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from participation.contributions.models import Contribution
from tests.contributions.factories import ConsultationFactory, ThemeFactory

pytestmark = pytest.mark.django_db

#: Nothing listens on the discard port: every connection is refused at once.
UNREACHABLE = {
    "default": {
        "BACKEND": "forum_ouvert.core.cache.FailSoftRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.fixture
def redis_away(settings):
    settings.CACHES = UNREACHABLE


def test_reads_miss_and_writes_are_skipped(redis_away):
    """Reads are misses, writes do nothing, computed values are still returned."""
    assert cache.set("k", "v") is None
    assert cache.get("k", "défaut") == "défaut"
    assert cache.add("k", "v") is False
    assert cache.get_or_set("k", lambda: "calculé") == "calculé"
    assert cache.get_many(["a", "b"]) == {}
    with pytest.raises(ValueError):  # as for a missing key: callers start a new count
        cache.incr("compteur")
    assert cache.delete("k") is False


def test_pages_and_contributions_without_redis(redis_away, client, make_user):
    """Public pages answer 200 and a contribution is accepted while Redis is away."""
    consultation = ConsultationFactory()
    theme = ThemeFactory(consultation=consultation)
    for path in ("/", "/contributions/", "/ateliers/", consultation.get_absolute_url()):
        assert client.get(path).status_code == 200, path
    client.force_login(make_user("citoyen"))
    response = client.post(
        reverse("contributions:create", args=[consultation.slug]),
        {
            "title": "Une idée envoyée sans cache",
            "body": "Le texte de la contribution, envoyé pendant que Redis redémarre.",
            "theme": theme.pk,
        },
    )
    assert response.status_code == 302
    assert Contribution.objects.filter(title="Une idée envoyée sans cache").exists()


def test_healthz_still_names_the_cache(redis_away, client):
    """/healthz is not fooled: it answers 503 and names the cache."""
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "error"}
