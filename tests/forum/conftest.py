"""Fixtures of the Forum ouvert's tests: uploads in a temporary folder, PDFs, people."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forum_ouvert.core.choices import Role

from .factories import PDF_BYTES, ApplicationFactory, CallFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded files go to a folder of this test only."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def stored_files(_media):
    """The files stored so far under MEDIA_ROOT."""

    def files():
        return sorted(p for p in _media.rglob("*") if p.is_file()) if _media.exists() else []

    return files


@pytest.fixture
def pdf():
    """``pdf("statuts.pdf")``: a small real PDF upload."""

    def make(name: str = "statuts.pdf", content: bytes = PDF_BYTES):
        return SimpleUploadedFile(name, content, content_type="application/pdf")

    return make


@pytest.fixture
def call(db):
    return CallFactory()


@pytest.fixture
def applicant(make_user):
    return make_user(Role.CITIZEN)


@pytest.fixture
def other_applicant(make_user):
    return make_user(Role.ASSOCIATION)


@pytest.fixture
def staff(make_user):
    return make_user(Role.STAFF)


@pytest.fixture
def application(call, applicant):
    return ApplicationFactory(call=call, applicant=applicant)


def application_data(call, **overrides) -> dict:
    """The POST data of a complete application form."""
    data = {
        "organisation_name": "Les Amis du Gouvernement Ouvert",
        "legal_form": "association",
        "rna_number": "W751234567",
        "siret": "",
        "departement": "33",
        "website": "https://amis.exemple.fr",
        "contact_name": "Camille Exemple",
        "contact_email": "camille@amis.exemple.fr",
        "contact_phone": "",
        "college": str(call.colleges.order_by("order").first().pk),
        "motivation": "Nous voulons suivre le plan.",
        "experience": "Budgets participatifs depuis 2015.",
        "accepts_accuracy": "on",
        "accepts_privacy": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
