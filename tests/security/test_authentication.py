"""Authentication hardening: lockout, reset throttling, passwords, staff 2FA, idle sessions."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache

from forum_ouvert.core.middleware import MFA_SESSION_KEY
from tests.factories import PASSWORD, totp_code


@pytest.mark.django_db
def test_five_failed_logins_lock_the_account_for_15_minutes(client, make_user):
    """The sixth attempt within 15 minutes is refused with HTTP 429, even with the right
    password; after 15 minutes the account opens again."""
    user = make_user(email="cible@exemple.fr")
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(5):
            response = client.post(
                "/compte/login/", {"login": user.email, "password": "mauvais-mot-de-passe"}
            )
            assert response.status_code == 200
        response = client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
        assert response.status_code == 429
        assert response["Retry-After"] == "900"
        # The page says how long (it said « quelques minutes »).
        assert "Réessayez dans 15 minutes." in response.content.decode()
        assert "_auth_user_id" not in client.session
        clock.shift(dt.timedelta(minutes=16))
        response = client.post("/compte/login/", {"login": user.email, "password": PASSWORD})
        assert response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
def test_lockout_is_per_account(client, make_user):
    """Failures on one account do not lock another."""
    target, other = make_user(email="a@exemple.fr"), make_user(email="b@exemple.fr")
    for _ in range(6):
        client.post("/compte/login/", {"login": target.email, "password": "faux-faux-faux"})
    response = client.post("/compte/login/", {"login": other.email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_password_reset_is_throttled(client, make_user):
    """A fourth reset request for the same address within 15 minutes gets HTTP 429."""
    user = make_user(email="oubli@exemple.fr")
    codes = [
        client.post("/compte/password/reset/", {"email": user.email}).status_code for _ in range(4)
    ]
    assert codes[:3] == [302, 302, 302] and codes[3] == 429
    assert len(mail.outbox) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["court-11car", "password1234", "123456789012"])
def test_weak_passwords_are_refused(client, password):
    """At least 12 characters, not a common password, not only digits."""
    response = client.post(
        "/compte/signup/",
        {"email": "nouveau@exemple.fr", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("ditp", "/pilotage/"),
        ("admin", "/pilotage/"),
        ("admin", "/admin/"),
        ("pilote", "/pilotage/"),
        ("pilote", "/pilotage/engagements/"),
    ],
)
def test_staff_need_two_factor_authentication(client, make_user, role, path):
    """Without an authenticator, staff and commitment leads (who change the public record
    too, issue 17, item 4) are sent to set one up; with it, they get in."""
    without = make_user(role, second_factor=False)
    client.force_login(without)
    response = client.get(path)
    assert response.status_code == 302 and response.url == "/compte/2fa/totp/activate/"
    client.force_login(make_user(role))
    assert client.get(path).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["citoyen", "association"])
def test_participants_are_not_asked_for_a_second_factor(client, make_user, role):
    """Citizens and associations change nothing of the public record: no second factor,
    whatever page they open."""
    client.force_login(make_user(role, second_factor=False))
    for path in ("/mon-espace/", "/pilotage/"):
        response = client.get(path)
        assert response.status_code in (200, 403), path
        assert "2fa" not in response.get("Location", "")


@pytest.mark.django_db
def test_real_login_asks_staff_for_the_code(client, make_user):
    """Logging in with a password only is not enough for an account with 2FA."""
    staff = make_user("ditp")
    response = client.post("/compte/login/", {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302 and "/compte/2fa/authenticate/" in response.url
    assert "_auth_user_id" not in client.session
    response = client.post(response.url, {"code": totp_code()})
    assert response.status_code == 302 and client.session[MFA_SESSION_KEY] is True
    assert client.get("/pilotage/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["ditp", "pilote"])
def test_staff_sessions_expire_after_30_idle_minutes(client, make_user, role):
    """31 minutes without a request log a staff member or a commitment lead out; 29 do
    not."""
    staff = make_user(role)
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client.force_login(staff)
        assert client.get("/pilotage/").status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/pilotage/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/pilotage/")
        assert response.status_code == 302 and "/compte/login/" in response.url
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("timeout", "said"), [(15 * 60, "15 minutes"), (90 * 60, "1 heure 30 minutes")]
)
def test_the_idle_timeout_message_says_the_configured_delay(
    client, make_user, settings, timeout, said
):
    """The message names the setting's delay, not « 30 minutes » whatever it is (issue 22,
    item 19)."""
    settings.STAFF_SESSION_IDLE_TIMEOUT = timeout
    staff = make_user("ditp")
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client.force_login(staff)
        assert client.get("/pilotage/").status_code == 200
        clock.shift(dt.timedelta(seconds=timeout + 60))
        page = client.get("/pilotage/", follow=True).content.decode()
    assert f"Votre session a expiré après {said} d&#x27;inactivité" in page


def test_durations_are_said_in_french():
    from forum_ouvert.core.durations import duration_text

    assert duration_text(1800) == "30 minutes"
    assert duration_text(60) == "1 minute"
    assert duration_text(3600) == "1 heure"
    assert duration_text(dt.timedelta(days=2, seconds=90)) == "2 jours 1 minute 30 secondes"


@pytest.mark.django_db
def test_citizen_sessions_do_not_expire_after_30_minutes(client, make_user):
    citizen = make_user()
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client.force_login(citizen)
        client.get("/mon-espace/")
        clock.shift(dt.timedelta(minutes=45))
        assert client.get("/mon-espace/").status_code == 200


@pytest.mark.django_db
def test_behind_the_proxy_each_visitor_has_their_own_address_budget(client, settings):
    """Through the reverse proxy every request comes from its address; with the header the
    proxy sets (production: ``TRUSTED_CLIENT_IP_HEADER``), allauth's per-address limit of
    failed logins (10 a minute) counts each visitor apart."""
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"

    def fail(n: int, address: str) -> int:
        return client.post(
            "/compte/login/",
            {"login": f"inconnu{n}@exemple.fr", "password": "mauvais-mot-de-passe"},
            headers={"X-Real-IP": address},
        ).status_code

    assert [fail(n, "203.0.113.7") for n in range(10)] == [200] * 10
    assert fail(10, "203.0.113.7") == 429
    assert fail(11, "198.51.100.23") == 200  # another visitor, same proxy


def test_production_reads_the_proxy_header_from_the_environment(monkeypatch):
    import importlib.util

    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "forum-ouvert.example")
    monkeypatch.setenv("EMAIL_HOST", "smtp.example")
    spec = importlib.util.find_spec("forum_ouvert.settings.production")
    for value, expected in (("X-Real-IP", "X-Real-IP"), ("", None)):
        monkeypatch.setenv("TRUSTED_CLIENT_IP_HEADER", value)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        header = module.ALLAUTH_TRUSTED_CLIENT_IP_HEADER
        assert header == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "lands_on"),
    [("pilote", "/pilotage/engagements/"), ("citoyen", "/mon-espace/")],
)
def test_a_lead_lands_on_their_commitments_after_login(client, make_user, role, lands_on):
    """A lead comes to update their commitments: login lands them on « Mes engagements »,
    which the header also offers them (issue 22, item 16); others land on « Mon espace »;
    ``?next=`` still wins."""
    user = make_user(role)

    def log_in(path: str = "/compte/login/"):
        response = client.post(path, {"login": user.email, "password": PASSWORD})
        if role == "pilote":  # leads have a second factor (issue 17, item 4)
            assert response.url == "/compte/2fa/authenticate/"
            response = client.post(response.url, {"code": totp_code()})
        return response

    response = log_in()
    assert response.status_code == 302 and response.url == lands_on
    page = client.get(lands_on).content.decode()
    assert ("Mes engagements</a>" in page) is (role == "pilote")
    client.logout()
    cache.clear()  # the code just used may not be used twice
    response = log_in("/compte/login/?next=/contributions/")
    assert response.url == "/contributions/"
