"""Request ids: on the response, on every log line (JSON in production), on error pages."""

from __future__ import annotations

import json
import logging

import pytest
from celery import shared_task
from django.urls import path, reverse

from forum_ouvert.core.logging import JsonFormatter, RequestIdFilter, get_request_id

pytestmark = pytest.mark.django_db


def _boom(request):
    logging.getLogger("forum_ouvert.tests").info("about to fail")
    raise RuntimeError("le service a échoué")


# A test URLconf (``settings.ROOT_URLCONF = __name__``): a view that fails.
urlpatterns = [path("boum/", _boom)]
handler500 = "forum_ouvert.core.views.server_error"


class JsonLines(logging.Handler):
    """Formats records as production does (request id filter + JSON formatter)."""

    def __init__(self):
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.setFormatter(JsonFormatter())
        self.lines: list[dict] = []

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def json_logs():
    handler = JsonLines()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler.lines
    root.removeHandler(handler)


def test_every_response_carries_a_request_id(client):
    """A page answers with an ``X-Request-ID`` header, a fresh one for each request."""
    first = client.get(reverse("core:legal"))["X-Request-ID"]
    second = client.get(reverse("core:legal"))["X-Request-ID"]
    assert len(first) == 32 and int(first, 16) >= 0
    assert first != second


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("0f8fad5b-d9cb-469f-a165-70867728950e", True),
        ("lb-1234567890.abc", True),
        ("<script>alert(1)</script>", False),
        ("court", False),
        ("x" * 129, False),
    ],
)
def test_the_proxy_request_id_is_kept_when_it_is_a_sane_token(client, incoming, kept):
    """The reverse proxy's id is reused when sane; anything else is replaced."""
    rid = client.get(reverse("core:legal"), headers={"X-Request-ID": incoming})["X-Request-ID"]
    assert (rid == incoming) is kept
    if not kept:
        assert len(rid) == 32


def test_a_server_error_shows_its_reference_in_the_page_the_header_and_the_logs(
    client, settings, json_logs
):
    """A crash shows « Référence de l'erreur : <id> »; the same id is in the response header
    and on the log lines of the request, the traceback included."""
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/boum/")
    assert response.status_code == 500
    rid = response["X-Request-ID"]
    page = response.content.decode()
    assert f"Référence de l'erreur : <code>{rid}</code>" in page
    assert "Erreur inattendue" in page
    mine = [line for line in json_logs if line["request_id"] == rid]
    assert [line["logger"] for line in mine] == ["forum_ouvert.tests", "django.request"]
    assert mine[0]["message"] == "about to fail"
    error = mine[1]
    assert error["level"] == "ERROR"
    assert "RuntimeError: le service a échoué" in error["exc_info"]
    assert get_request_id() == ""  # nothing leaks to the next request


def test_a_missing_page_shows_its_reference(client):
    """The 404 page shows the reference of the request too."""
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    rid = response["X-Request-ID"]
    assert f"<code>{rid}</code>" in response.content.decode()


def test_log_lines_outside_a_request_are_plain_json(json_logs):
    """A log line written by a command has no request id and is still one JSON object."""
    logging.getLogger("forum_ouvert.tests").warning("hors requête %s", "é")
    line = json_logs[-1]
    assert line["message"] == "hors requête é"
    assert line["request_id"] is None
    assert line["level"] == "WARNING"
    assert set(line) == {"time", "level", "logger", "message", "request_id"}


@shared_task(name="tests.log_something")
def log_something() -> str:
    logging.getLogger("forum_ouvert.tests").info("dans la tâche")
    return get_request_id()


def test_a_celery_task_logs_with_its_task_id(json_logs):
    """In a task, the log lines carry the task id as request id."""
    result = log_something.apply(task_id="tache-0123456789")
    assert result.get() == "tache-0123456789"
    line = next(line for line in json_logs if line["message"] == "dans la tâche")
    assert line["request_id"] == "tache-0123456789"
    assert get_request_id() == ""


def test_a_failed_csrf_check_answers_in_french_with_its_reference():
    """A form posted without its token (a page left open, cookies refused): 403, the
    site's French page with the request id, never Django's English « CSRF » page."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@exemple.fr"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulaire expiré" in html and "rien n'a été enregistré" in html
    assert "CSRF" not in html and "Forbidden" not in html
    assert response["X-Request-ID"] in html
