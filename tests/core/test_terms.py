"""Terms of use (issue 19, item 5): accepted at sign-up, versioned, asked again when a new
version comes into force, and named in the person's data download."""

import datetime as dt
import html
import json
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum_ouvert.core import terms
from forum_ouvert.core.models import AuditLog, User
from forum_ouvert.core.services import terms_accept
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ACCEPT_URL = "/mon-espace/conditions-generales/"


@pytest.fixture
def new_version(monkeypatch):
    """Version 2 of the terms comes into force (its text is version 1's)."""
    version = terms.TermsVersion(
        id="2",
        date=dt.date(2027, 1, 15),
        summary="Les contributions sont désormais conservées cinq ans après le plan.",
        template_name="core/terms/1.html",
    )
    monkeypatch.setattr(terms, "VERSIONS", (*terms.VERSIONS, version))
    return version


def _signup_data(**extra):
    return {
        "email": "aline@exemple.fr",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": "Aline",
        **extra,
    }


def test_signup_refused_without_the_box_then_accepted(client):
    """Without the box ticked, sign-up is refused in French with the input kept; ticked,
    the account records the version and the date, and the acceptance is audited."""
    response = client.post("/compte/signup/", _signup_data())
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert "cochez la case « J'ai lu et j'accepte les conditions générales" in body
    assert 'value="aline@exemple.fr"' in body and 'value="Aline"' in body
    assert body.index('name="password2"') < body.index('name="accept_terms"')
    assert f'href="{reverse("core:terms")}"' in body  # the box's text links to the terms
    assert not User.objects.filter(email="aline@exemple.fr").exists()

    response = client.post("/compte/signup/", _signup_data(accept_terms="on"))
    assert response.status_code == 302
    user = User.objects.get(email="aline@exemple.fr")
    assert user.terms_version == terms.current().id
    assert user.terms_accepted_at is not None
    row = AuditLog.objects.get(action="core.user.accept_terms", target_id=str(user.pk))
    assert row.actor == user and row.changes == {"terms_version": ["", terms.current().id]}


def test_the_terms_page_shows_its_version_and_date(client):
    """The public page says which version is in force and since when, in French."""
    body = client.get(reverse("core:terms")).content.decode()
    assert "Conditions générales d'utilisation" in body
    assert "Version 1, en vigueur depuis le 4 décembre 2026." in body
    assert "Règles de participation" in body
    assert client.get(reverse("core:terms") + "?version=99").status_code == 404


def test_the_footer_links_to_the_terms(client):
    """Every page's footer links to the terms of use."""
    body = client.get("/").content.decode()
    assert f'href="{reverse("core:terms")}"' in body


def test_an_outdated_version_is_asked_again_at_the_next_page(client, new_version):
    """After a new version, the next page sends me to accept it (what changed is said),
    and accepting it stores the new version and takes me back where I was going."""
    user = UserFactory(terms_version="1")
    client.force_login(user)
    response = client.get("/mon-espace/?onglet=1")
    assert response.status_code == 302
    assert response.url == f"{ACCEPT_URL}?next={quote('/mon-espace/?onglet=1', safe='')}"

    page = client.get(response.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "vous aviez accepté la version 1" in body
    assert "Les contributions sont désormais conservées cinq ans" in body  # what changed
    assert 'name="version" value="2"' in body

    refused = client.post(ACCEPT_URL, {"version": "2", "next": "/mon-espace/?onglet=1"})
    assert refused.status_code == 400
    assert "cochez la case" in refused.content.decode()
    user.refresh_from_db()
    assert user.terms_version == "1"

    response = client.post(
        ACCEPT_URL, {"version": "2", "accept": "on", "next": "/mon-espace/?onglet=1"}
    )
    assert response.status_code == 302 and response.url == "/mon-espace/?onglet=1"
    user.refresh_from_db()
    assert user.terms_version == "2" and user.terms_accepted_at is not None
    row = AuditLog.objects.get(action="core.user.accept_terms", target_id=str(user.pk))
    assert row.changes == {"terms_version": ["1", "2"]}
    assert client.get("/mon-espace/").status_code == 200


def test_a_version_published_meanwhile_is_not_accepted_unread(client, new_version):
    """The form of the version shown is refused once another is in force, with the new
    version in its place."""
    user = UserFactory(terms_version="1")
    client.force_login(user)
    response = client.post(ACCEPT_URL, {"version": "1", "accept": "on"})
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "n'est plus en vigueur" in body
    assert 'name="version" value="2"' in body
    user.refresh_from_db()
    assert user.terms_version == "1"
    with pytest.raises(ValidationError):
        terms_accept(user=user, version="1")


def test_the_way_back_is_a_page_of_this_site(client):
    """A ``next`` to another site is ignored: accepting leads to « Mon espace »."""
    client.force_login(UserFactory(terms_version=""))
    response = client.post(
        ACCEPT_URL,
        {"version": terms.current().id, "accept": "on", "next": "https://ailleurs.example/"},
    )
    assert response.status_code == 302 and response.url == "/mon-espace/"


def test_posts_and_downloads_are_never_held_back(client, new_version):
    """A form posted with an outdated version is handled (nothing typed is lost), and my
    data can be read and downloaded before accepting."""
    user = UserFactory(terms_version="1")
    client.force_login(user)
    response = client.post(reverse("core:notification_read_all"))
    assert response.status_code == 302 and not response.url.startswith(ACCEPT_URL)
    for name in ("portal:data_export", "portal:data_export_csv", "portal:data_page"):
        assert client.get(reverse(name)).status_code == 200, name
    for path in (reverse("core:terms"), reverse("core:privacy"), "/compte/email/"):
        assert client.get(path).status_code == 200, path
    htmx = client.get("/mon-espace/", headers={"HX-Request": "true"})
    assert htmx.status_code == 200  # a fragment is not replaced by a redirect
    assert client.get("/mon-espace/").status_code == 302


def test_english_pages_ask_in_english(client, new_version):
    """The redirection keeps the page's language."""
    client.force_login(UserFactory(terms_version="1"))
    response = client.get("/en/mon-espace/")
    assert response.status_code == 302
    assert response.url.startswith(f"/en{ACCEPT_URL}?next=")


def test_who_already_accepted_is_told_so(client):
    """Opening the acceptance page with the version in force accepted says when."""
    client.force_login(UserFactory())
    body = client.get(ACCEPT_URL).content.decode()
    assert "Vous avez accepté la version 1" in body
    assert 'name="accept"' not in body


def test_the_data_download_names_the_accepted_version_and_date(client):
    """« Mes données » (JSON, page and CSV) says which version I accepted and when."""
    user = UserFactory()
    client.force_login(user)
    data = json.loads(client.get(reverse("portal:data_export")).content)
    assert data["compte"]["conditions_generales_version"] == "1"
    assert data["compte"]["conditions_generales_acceptees_le"] == (
        user.terms_accepted_at.isoformat()
    )
    page = client.get(reverse("portal:data_page")).content.decode()
    assert "Conditions générales version" in page
    assert "Conditions générales acceptées le" in page
    response = client.get(reverse("portal:data_export_csv"))
    csv = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Conditions générales version;1" in csv


def test_the_check_costs_no_query(client, settings):
    """A page read by someone who accepted the terms costs the same queries with the check
    as without it."""
    client.force_login(UserFactory())
    client.get("/mon-espace/")  # warm caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/mon-espace/").status_code == 200
        return len(queries)

    with_check = count()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("TermsMiddleware")]
    assert count() == with_check


def test_the_database_keeps_version_and_date_together():
    """A version without its date (or a date without a version) is refused by the database."""
    user = UserFactory()
    user.terms_accepted_at = None
    with pytest.raises(ValidationError, match="va avec sa date"):
        user.validate_constraints()


def test_middleware_is_last():
    """The check runs inside every other middleware (it reads the page the view rendered)."""
    assert settings.MIDDLEWARE[-1] == "forum_ouvert.core.middleware.TermsMiddleware"


def test_messages_of_the_page_held_back_are_shown_on_the_terms(client, new_version):
    """The login's confirmation, meant for the page the person was sent away from, is shown
    on the acceptance page instead of being lost."""
    user = UserFactory(terms_version="1")
    response = client.post(
        "/compte/login/", {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(ACCEPT_URL)
    body = html.unescape(response.content.decode())
    assert f"Connexion avec {user.display_name} réussie" in body


def test_every_published_version_keeps_its_text():
    """Versions have distinct ids, come in date order, and each has its text (a person's
    data download names the version they accepted: its text must stay readable)."""
    from django.template.loader import get_template

    ids = [v.id for v in terms.VERSIONS]
    assert len(ids) == len(set(ids))
    dates = [v.date for v in terms.VERSIONS]
    assert dates == sorted(dates)
    for version in terms.VERSIONS:
        get_template(version.template)
        assert len(version.id) <= User._meta.get_field("terms_version").max_length
    assert not terms.VERSIONS[0].summary or len(terms.VERSIONS) > 1
    assert all(v.summary for v in terms.VERSIONS[1:]), "a new version says what changed"


def test_my_account_says_which_version_i_accepted(client):
    """« Mon compte » says the version I accepted and when, with a link to the terms."""
    user = UserFactory()
    client.force_login(user)
    body = client.get(reverse("portal:account")).content.decode()
    assert "Vous avez accepté la version 1 le" in body
    assert f'href="{reverse("core:terms")}"' in body


@pytest.mark.parametrize("version", ["", "9" * 300, "1\x00", "<b>2</b>"])
def test_junk_versions_are_refused_in_words(client, version):
    """Whatever version is posted, the page answers with the French refusal and the
    version in force to accept; nothing is stored."""
    user = UserFactory(terms_version="")
    client.force_login(user)
    response = client.post(ACCEPT_URL, {"version": version, "accept": "on"})
    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "n'est plus en vigueur" in body or "Le caractère nul n’est pas autorisé" in body
    assert f'name="version" value="{terms.current().id}"' in body
    user.refresh_from_db()
    assert user.terms_version == ""
