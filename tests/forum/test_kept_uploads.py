"""A valid PDF survives a refused form (issue 22, item 3): it is kept, shown as « fichier
joint », sent again with the corrected form, and can be removed or replaced."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from forum_ouvert.core.models import PendingUpload
from forum_ouvert.core.uploads import sweep_pending_uploads
from participation.forum.models import Application

from .conftest import application_data
from .factories import PDF_BYTES

pytestmark = pytest.mark.django_db


def _kept_token(page: str) -> str:
    return re.search(r'name="attachments__gardes" value="([^"]+)"', page).group(1)


def test_a_valid_pdf_is_kept_when_another_field_is_refused(client, call, applicant):
    client.force_login(applicant)
    url = reverse("forum:apply", args=[call.slug])
    refused = client.post(
        url,
        application_data(
            call,
            siret="123",
            action="deposer",
            attachments=SimpleUploadedFile("statuts.pdf", PDF_BYTES, "application/pdf"),
        ),
    )
    assert refused.status_code == 200 and not Application.objects.exists()
    page = refused.content.decode()
    assert "14 chiffres" in page
    assert "gardé de votre envoi précédent" in page and "« statuts.pdf »" in page
    token = _kept_token(page)

    # Corrected, without choosing the file again: the kept one is attached.
    done = client.post(url, application_data(call, action="deposer", attachments__gardes=token))
    assert done.status_code == 302
    application = Application.objects.get()
    assert [a.original_name for a in application.attachments.all()] == ["statuts.pdf"]
    with application.attachments.get().file.open("rb") as fh:
        assert fh.read() == PDF_BYTES


def test_a_kept_pdf_can_be_removed(client, call, applicant):
    client.force_login(applicant)
    url = reverse("forum:apply", args=[call.slug])
    page = client.post(
        url,
        application_data(
            call, siret="123", action="deposer", attachments=SimpleUploadedFile("a.pdf", PDF_BYTES)
        ),
    ).content.decode()
    token = _kept_token(page)
    client.post(
        url,
        application_data(
            call, action="deposer", attachments__gardes=token, attachments__retirer="1"
        ),
    )
    assert not Application.objects.get().attachments.exists()


def test_an_invalid_file_is_not_kept_and_tokens_are_not_guessable(client, call, applicant):
    client.force_login(applicant)
    url = reverse("forum:apply", args=[call.slug])
    page = client.post(
        url,
        application_data(
            call, action="deposer", attachments=SimpleUploadedFile("faux.pdf", b"pas un pdf")
        ),
    ).content.decode()
    assert "attachments__gardes" not in page and not PendingUpload.objects.exists()
    client.post(url, application_data(call, action="deposer", attachments__gardes="devine"))
    assert not Application.objects.get().attachments.exists()


def test_kept_files_are_swept_after_a_day(client, call, applicant):
    client.force_login(applicant)
    client.post(
        reverse("forum:apply", args=[call.slug]),
        application_data(
            call, siret="1", action="deposer", attachments=SimpleUploadedFile("a.pdf", PDF_BYTES)
        ),
    )
    row = PendingUpload.objects.get()
    assert sweep_pending_uploads() == 0
    assert sweep_pending_uploads(now=timezone.now() + dt.timedelta(hours=25)) == 1
    assert not PendingUpload.objects.exists()
    assert not row.file.storage.exists(row.file.name)
