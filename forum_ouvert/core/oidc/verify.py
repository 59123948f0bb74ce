"""What the State's OpenID providers send, checked before anything is believed.

allauth's generic OpenID Connect client skips the id_token's signature when the token came
straight from the token endpoint, takes the algorithm from the token's own header, sends no
nonce and reads userinfo as plain JSON. ProConnect and FranceConnect sign both the id_token
and the userinfo answer: every signature is checked here against the provider's published
keys (fetched again once when an unknown key id appears: keys rotate), with the algorithms
this site expects only (never ``none``), and ``iss``, ``aud``, ``exp``, ``iat`` and ``nonce``.
"""

from __future__ import annotations

import hmac
import json

import jwt
import requests
from allauth.socialaccount.providers.base import ProviderException
from django.core.cache import cache

#: Seconds a discovery document or key set is kept before being fetched again.
CACHE_SECONDS = 3600
#: Seconds of clock difference tolerated on ``exp`` and ``iat``.
LEEWAY = 60
TIMEOUT = 5


class OIDCError(ProviderException):
    """A check failed. ``code`` names it (for the audit row); ``unavailable`` says the
    provider could not be reached, as opposed to an answer that was refused."""

    def __init__(self, code: str, *, unavailable: bool = False) -> None:
        super().__init__(code)
        self.code = code
        self.unavailable = unavailable


def _get(url: str, **kwargs) -> requests.Response:
    try:
        response = requests.get(url, timeout=TIMEOUT, **kwargs)
        response.raise_for_status()
    except requests.RequestException as exc:
        raise OIDCError("provider_unavailable", unavailable=True) from exc
    return response


def discovery(issuer: str) -> dict:
    """The provider's discovery document, whose ``issuer`` must be the configured one."""
    key = f"oidc:discovery:{issuer}"
    config = cache.get(key)
    if config is None:
        try:
            config = _get(f"{issuer}/.well-known/openid-configuration").json()
        except ValueError as exc:
            raise OIDCError("discovery_unreadable", unavailable=True) from exc
        if config.get("issuer") != issuer:
            raise OIDCError("discovery_wrong_issuer")
        cache.set(key, config, CACHE_SECONDS)
    return config


def _keys(jwks_uri: str, *, refresh: bool = False) -> list[dict]:
    key = f"oidc:jwks:{jwks_uri}"
    keys = None if refresh else cache.get(key)
    if keys is None:
        try:
            keys = _get(jwks_uri).json()["keys"]
        except (ValueError, KeyError) as exc:
            raise OIDCError("jwks_unreadable", unavailable=True) from exc
        cache.set(key, keys, CACHE_SECONDS)
    return keys


def _find_key(keys: list[dict], kid: str | None, alg: str) -> jwt.PyJWK | None:
    kty = {"RS": "RSA", "PS": "RSA", "ES": "EC"}.get(alg[:2])
    candidates = [
        k
        for k in keys
        if k.get("kty") == kty and k.get("use", "sig") == "sig" and k.get("alg", alg) == alg
    ]
    if kid is not None:
        candidates = [k for k in candidates if k.get("kid") == kid]
    elif len(candidates) != 1:
        return None
    if not candidates:
        return None
    try:
        return jwt.PyJWK(candidates[0], algorithm=alg)
    except jwt.PyJWTError as exc:  # a published key this library cannot read
        raise OIDCError("unknown_key") from exc


def verify_signed(
    token: str,
    *,
    config: dict,
    algorithms: list[str],
    audience: str,
    require: tuple[str, ...] = ("iss", "aud", "exp", "iat", "sub"),
) -> dict:
    """The claims of a signed JWT from this provider, or OIDCError: the algorithm must be
    one of ``algorithms`` (asymmetric only), the key one the provider publishes, and
    ``iss``/``aud``/``exp``/``iat`` right when present (and present when ``require``d)."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise OIDCError("jwt_unreadable") from exc
    alg = header.get("alg")
    if alg not in algorithms or alg[:2] not in {"RS", "PS", "ES"}:
        raise OIDCError("unexpected_alg")
    key = _find_key(_keys(config["jwks_uri"]), header.get("kid"), alg)
    if key is None:
        # An unknown key id: the provider may have rotated its keys since our last fetch.
        key = _find_key(_keys(config["jwks_uri"], refresh=True), header.get("kid"), alg)
    if key is None:
        raise OIDCError("unknown_key")
    try:
        claims = jwt.decode(
            token,
            key=key,
            algorithms=[alg],
            audience=audience,
            issuer=config["issuer"],
            leeway=LEEWAY,
            options={
                "require": list(require),
                "verify_aud": "aud" in require,
                "verify_iss": "iss" in require,
            },
        )
    except jwt.ExpiredSignatureError as exc:
        raise OIDCError("expired") from exc
    except jwt.ImmatureSignatureError as exc:
        raise OIDCError("issued_in_future") from exc
    except jwt.InvalidAudienceError as exc:
        raise OIDCError("wrong_audience") from exc
    except jwt.InvalidIssuerError as exc:
        raise OIDCError("wrong_issuer") from exc
    except jwt.InvalidSignatureError as exc:
        raise OIDCError("bad_signature") from exc
    except jwt.PyJWTError as exc:
        raise OIDCError("invalid_token") from exc
    # Optional claims, when sent, must still be right (userinfo: OIDC Core 5.3.2).
    if "iss" not in require and "iss" in claims and claims["iss"] != config["issuer"]:
        raise OIDCError("wrong_issuer")
    if "aud" not in require and "aud" in claims:
        aud = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if audience not in aud:
            raise OIDCError("wrong_audience")
    return claims


def verify_id_token(
    token: str, *, config: dict, algorithms: list[str], client_id: str, nonce: str
) -> dict:
    """The id_token's claims once signature, issuer, audience, dates and nonce hold."""
    claims = verify_signed(token, config=config, algorithms=algorithms, audience=client_id)
    if not nonce or not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OIDCError("wrong_nonce")
    aud = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(aud) > 1 and claims.get("azp") != client_id:
        raise OIDCError("wrong_audience")
    return claims


def fetch_userinfo(
    access_token: str, *, config: dict, algorithms: list[str], client_id: str, sub: str
) -> dict:
    """The userinfo answer, which both providers sign (``application/jwt``): a plain JSON
    answer, a bad signature or another person's ``sub`` is refused."""
    response = _get(
        config["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {access_token}", "Accept": "application/jwt"},
    )
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    if content_type != "application/jwt":
        raise OIDCError("userinfo_not_signed")
    claims = verify_signed(
        response.text.strip(),
        config=config,
        algorithms=algorithms,
        audience=client_id,
        require=("sub",),
    )
    if not hmac.compare_digest(str(claims["sub"]), str(sub)):
        raise OIDCError("userinfo_sub_mismatch")
    return claims


def exchange_code(*, config: dict, client_id: str, secret: str, code: str, redirect_uri: str):
    """The token endpoint's answer to the code (``client_secret`` posted in the body)."""
    try:
        response = requests.post(
            config["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": client_id,
                "client_secret": secret,
            },
            timeout=TIMEOUT,
        )
    except requests.RequestException as exc:
        raise OIDCError("provider_unavailable", unavailable=True) from exc
    if response.status_code != 200:
        raise OIDCError("token_refused")
    try:
        data = response.json()
    except json.JSONDecodeError as exc:
        raise OIDCError("token_unreadable") from exc
    if not data.get("access_token") or not data.get("id_token"):
        raise OIDCError("token_incomplete")
    return data
