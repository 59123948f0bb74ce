"""Addresses that leave the site: e-mails, PDFs, calendars, feeds, open data.

Every absolute link the platform writes is built here, from ``SITE_URL``: the address the
site is served on (``make run`` sets it from ``PORT``; production from its environment).
A link written by a Celery worker or a PDF has no request to read a host from, so none of
them does. The Sites framework's record (allauth's e-mails say its name) follows the same
setting after every ``migrate``.
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme

#: The name allauth's e-mails greet with (« Bonjour de la part de Forum ouvert ! »).
SITE_NAME = "Forum ouvert"


class HasAbsoluteUrl(Protocol):
    def get_absolute_url(self) -> str: ...


def site_url() -> str:
    """The site's address without a trailing slash, e.g. ``http://127.0.0.1:8801``."""
    return settings.SITE_URL.rstrip("/")


def site_domain() -> str:
    """The host (and port, when not the scheme's default) of ``SITE_URL``."""
    return urlsplit(site_url()).netloc


def absolute_url(target: str | HasAbsoluteUrl) -> str:
    """The full address of a path of the site (``"/engagements/"``) or of an object with
    ``get_absolute_url()``."""
    path = target if isinstance(target, str) else target.get_absolute_url()
    if not path.startswith("/"):
        raise ValueError(f"Chemin relatif attendu, reçu : {path!r}")
    return site_url() + path


def absolute_url_maker(viewname: str, **placeholders: str | int):
    """A function ``(**kwargs) -> absolute URL`` of ``viewname``, reversed once: for exports
    that write a link on each of 50,000 rows, rather than ``reverse`` on every row.

    ``placeholders`` give a sample value of each argument that its URL converter accepts
    and that appears nowhere else in the path (e.g. ``pk=987654321``). The values given to
    the function are written as they are: slugs and numbers, which need no quoting."""
    from django.urls import reverse

    template = absolute_url(reverse(viewname, kwargs=placeholders))
    spots = []
    for name, value in placeholders.items():
        if template.count(str(value)) != 1:
            raise ValueError(f"Valeur témoin ambiguë pour {viewname} : {value!r}")
        spots.append((template.index(str(value)), len(str(value)), name))
    pieces, names, at = [], [], 0
    for start, length, name in sorted(spots):
        pieces.append(template[at:start])
        names.append(name)
        at = start + length
    tail = template[at:]

    def make(**kwargs) -> str:
        return "".join(p + str(kwargs[n]) for p, n in zip(pieces, names, strict=True)) + tail

    return make


def sync_current_site(*, using: str = "default", **kwargs) -> None:
    """Give the Sites framework's record the name « Forum ouvert » and the domain of
    ``SITE_URL`` (a ``post_migrate`` receiver: every ``migrate`` and test flush)."""
    from django.contrib.sites.models import Site
    from django.db import connections

    if Site._meta.db_table not in connections[using].introspection.table_names():
        return  # a partial migrate that stopped before the sites app
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": site_domain(), "name": SITE_NAME}
    )
    Site.objects.clear_cache()


def safe_next(request, default: str) -> str:
    """``next`` (POST, else GET) when it is a path of this site, else ``default``. A path,
    not any relative string: ``redirect()`` would try a bare word as a URL name (a 500 on
    junk input), and another host would make an open redirect."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
