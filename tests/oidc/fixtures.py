"""The real OpenID providers of the tests (tests/oidc/provider.mjs, panva's oidc-provider),
one like FranceConnect and one like ProConnect, started once per test session on free
loopback ports, and the helpers that log in through their own login page."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

HERE = Path(__file__).resolve().parent
SECRET = "un-secret-de-test-assez-long-pour-hs256-0123456789"


@dataclass
class OIDCServer:
    provider: str  # "proconnect" or "franceconnect"
    issuer: str
    client_id: str
    secret: str
    process: subprocess.Popen

    @property
    def origin(self) -> str:
        parts = urlsplit(self.issuer)
        return f"{parts.scheme}://{parts.netloc}"

    def fault(self, name: str | None) -> None:
        """Make the next answers lie in one way (provider.mjs lists them), or stop lying."""
        response = requests.post(f"{self.origin}/__control", data={"fault": name or ""}, timeout=5)
        response.raise_for_status()

    def app_settings(self) -> dict:
        return {
            "APPS": [
                {
                    "client_id": self.client_id,
                    "secret": self.secret,
                    "settings": {"issuer": self.issuer},
                }
            ],
            "EMAIL_AUTHENTICATION": True,
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(provider: str) -> OIDCServer:
    node = shutil.which("node")
    if node is None or not (HERE / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            "Le fournisseur OpenID de test manque : lancez `make test` (npm ci dans tests/oidc)."
        )
    client_id = f"forum-ouvert-{provider}"
    port = _free_port()
    process = subprocess.Popen(
        [node, str(HERE / "provider.mjs"), provider, client_id, SECRET, str(port)],
        cwd=HERE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = process.stdout.readline().strip()
    if not line.startswith("READY "):
        process.kill()
        pytest.fail(f"Le fournisseur OpenID {provider} n'a pas démarré : {line!r}")
    return OIDCServer(provider, line.removeprefix("READY "), client_id, SECRET, process)


@pytest.fixture(scope="session")
def oidc_servers():
    """Both providers, started on first use and stopped at the end of the session."""
    servers: dict[str, OIDCServer] = {}

    def get(provider: str) -> OIDCServer:
        if provider not in servers:
            servers[provider] = _start(provider)
        return servers[provider]

    yield get
    for server in servers.values():
        server.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.process.wait(timeout=5)
        server.process.stdout.close()


def _configured(provider, oidc_servers, settings):
    server = oidc_servers(provider)
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        provider: server.app_settings(),
    }
    # As settings/base.py does for a configured issuer: the button may lead there.
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], server.origin],
    }
    server.fault(None)
    yield server
    server.fault(None)


@pytest.fixture
def proconnect(oidc_servers, settings):
    """The site configured with the ProConnect-like provider."""
    yield from _configured("proconnect", oidc_servers, settings)


@pytest.fixture
def franceconnect(oidc_servers, settings):
    """The site configured with the FranceConnect-like provider."""
    yield from _configured("franceconnect", oidc_servers, settings)


def provider_login(
    authorize_url: str, *, email: str, given_name="Camille", family_name="Martin", amr="pwd"
) -> str:
    """Log in on the provider's own page (as a browser would, without JavaScript) and
    return the URL it sends the person back to (our callback, with code and state)."""
    session = requests.Session()
    url = authorize_url
    for _ in range(10):
        response = session.get(url, allow_redirects=False, timeout=5)
        if response.status_code in (302, 303):
            url = urljoin(url, response.headers["Location"])
            if not url.startswith("http://127.0.0.1"):
                return url
            continue
        assert response.status_code == 200, response.text
        assert 'name="login"' in response.text, response.text
        action = urljoin(url, response.text.split('action="', 1)[1].split('"', 1)[0])
        form = {
            "login": email,
            "password": "peu-importe",
            "given_name": given_name,
            "family_name": family_name,
            "amr": amr,
        }
        response = session.post(action, data=form, allow_redirects=False, timeout=5)
        assert response.status_code in (302, 303), response.text
        url = urljoin(action, response.headers["Location"])
    raise AssertionError("le fournisseur n'a jamais renvoyé vers le site")


def start_login(client, provider: str, *, process: str = "login"):
    """Press the provider's button (a POST) and return the provider's authorize URL."""
    from django.urls import reverse

    response = client.post(reverse(f"{provider}_login"), {"process": process})
    assert response.status_code == 302, response.content
    return response["Location"]


def come_back(client, callback_url: str):
    """Follow the provider's redirect back to our callback with the test client."""
    parts = urlsplit(callback_url)
    return client.get(f"{parts.path}?{parts.query}")


def full_login(client, server: OIDCServer, *, email: str, **kwargs):
    """The whole journey: button, the provider's login page, back to our callback."""
    return come_back(
        client, provider_login(start_login(client, server.provider), email=email, **kwargs)
    )
