"""/healthz tells an operator whether the database and the cache answer."""

import pytest


@pytest.mark.django_db
def test_healthz_ok(client):
    """With PostgreSQL and Redis up, /healthz answers 200 and says so."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_healthz_names_a_broken_cache(client, settings):
    """With the cache unreachable, /healthz answers 503 and names the cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "forum_ouvert.core.cache.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "error"}
