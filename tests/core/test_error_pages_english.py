"""The 400 and 500 pages speak the language of their URL (issue 18): English under
``/en/``, French elsewhere — read from the path alone, as the 404 page does."""

from __future__ import annotations

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.test import RequestFactory
from django.urls import path

from forum_ouvert.core import views

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("le service a échoué")


urlpatterns = i18n_patterns(path("boum/", _boom), prefix_default_language=False)
handler500 = "forum_ouvert.core.views.server_error"


def test_a_server_error_under_en_is_in_english(client, settings):
    """A crash on an English page shows « Unexpected error », ``lang="en"``, the reference,
    and a way back to the English home page; on a French page, the French one."""
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/en/boum/")
    assert response.status_code == 500
    page = response.content.decode()
    rid = response["X-Request-ID"]
    assert '<html lang="en">' in page and "<h1>Unexpected error</h1>" in page
    assert f"Error reference: <code>{rid}</code>" in page
    assert 'href="/en/"' in page and "Erreur" not in page
    french = client.get("/boum/").content.decode()
    assert '<html lang="fr">' in french and "<h1>Erreur inattendue</h1>" in french
    assert 'href="/"' in french


@pytest.mark.parametrize(
    ("url", "lang", "heading"),
    [("/en/engagements/", "en", "Bad request"), ("/engagements/", "fr", "Requête incorrecte")],
)
def test_a_bad_request_speaks_the_language_of_its_url(url, lang, heading):
    """The 400 page: « Bad request » under /en/, « Requête incorrecte » elsewhere."""
    response = views.bad_request(RequestFactory().post(url))
    page = response.content.decode()
    assert response.status_code == 400
    assert f'<html lang="{lang}">' in page and f"<h1>{heading}</h1>" in page


def test_an_error_page_leaves_the_thread_in_french():
    """Rendering the English 500 page does not leave English active for what runs next."""
    from django.utils import translation

    views.server_error(RequestFactory().get("/en/engagements/"))
    assert translation.get_language() == "fr"
