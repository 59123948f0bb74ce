"""The terms of use (conditions générales d'utilisation, issue 19 item 5), versioned in code.

Each version is a :class:`TermsVersion`: an id, the date it came into force, its text (one
template per version, ``core/terms/<id>.html``, kept forever: a person's data download
names the version they accepted) and, from the second one on, what changed. The last of
:data:`VERSIONS` is the one in force. Publishing a new version is one commit: its template
and a new row here; everyone is asked to accept it at their next page
(``core.middleware.TermsMiddleware``), and their acceptance is recorded by
``core.services.terms_accept`` (with its audit row).

Accounts that are no one's (the demo, the bench and verification datasets, tests'
factories) are created as having accepted the version in force with :func:`accepted_now`,
a documented bulk path without an audit row: nobody accepted anything there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TermsVersion:
    """One version of the terms of use."""

    #: Short and stable: stored on each account that accepted it (``User.terms_version``).
    id: str
    #: The day it came into force.
    date: dt.date
    #: What changed since the previous version (empty for the first one).
    summary: Promise | str = ""
    #: The text's template, ``core/terms/<id>.html`` unless given.
    template_name: str = ""

    @property
    def template(self) -> str:
        return self.template_name or f"core/terms/{self.id}.html"


#: Every version ever published, oldest first; the last one is in force. Never remove or
#: edit a published version's text: add a new one.
VERSIONS: tuple[TermsVersion, ...] = (TermsVersion(id="1", date=dt.date(2026, 12, 4)),)


def current() -> TermsVersion:
    """The version in force."""
    return VERSIONS[-1]


def get(version_id: str) -> TermsVersion | None:
    """The version of that id, or None."""
    return next((v for v in VERSIONS if v.id == version_id), None)


def is_current(user) -> bool:
    """Whether ``user`` accepted the version in force (read on the loaded row: no query)."""
    return getattr(user, "terms_version", "") == current().id


def accepted_now() -> dict:
    """The fields of an account created as having accepted the version in force, for the
    paths that create accounts of no one (``User(**accepted_now())``, ``bulk_create``)."""
    return {"terms_version": current().id, "terms_accepted_at": timezone.now()}


def not_required(view):
    """Mark a page that a person who has not accepted the terms in force still sees (the
    terms, the legal pages, « Mes données », deleting one's account): the middleware lets
    it through. Works under or over the access decorators (they copy the mark)."""
    view.terms_not_required = True
    return view


TITLE = _("Conditions générales d'utilisation")
