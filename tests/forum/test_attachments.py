"""Attachments: checked by content, 10 MB at most, three at most, stored under a random
name, read only by their applicant and by reviewers."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participation.forum.models import Application, Attachment
from tests.security.strategies import ACTIVE_PDFS

from .conftest import application_data
from .factories import PDF_BYTES, ApplicationFactory, AttachmentFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
ELEVEN_MB = b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024) + b"\n%%EOF\n"


def _apply(client, call, *files):
    return client.post(
        reverse("forum:apply", args=[call.slug]),
        {**application_data(call, action="deposer"), "attachments": list(files)},
    )


def test_a_real_pdf_is_stored_under_a_random_name(client, call, applicant, pdf, stored_files):
    """A PDF is kept under a random name; its original name is only shown."""
    client.force_login(applicant)
    response = _apply(client, call, pdf("Statuts de l'association.pdf"))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "Statuts de l'association.pdf"
    assert "Statuts" not in attachment.file.name
    assert attachment.file.name.startswith("forum/candidatures/")
    assert len(stored_files()) == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("photo.pdf", PNG), "n'est pas un document PDF valide"),
        (SimpleUploadedFile("vide.pdf", b""), "est vide"),
        (SimpleUploadedFile("enorme.pdf", ELEVEN_MB), "taille maximale de 10 Mo"),
        (
            SimpleUploadedFile("<script>alert(1)</script>.pdf", PDF_BYTES),
            "caractères non autorisés",
        ),
        (SimpleUploadedFile("rapport;rm -rf.pdf", PDF_BYTES), "caractères non autorisés"),
        (SimpleUploadedFile("programme.exe", PDF_BYTES), "Seuls les documents PDF"),
        *(
            (SimpleUploadedFile("statuts.pdf", content), "Ce PDF contient du contenu actif")
            for content in ACTIVE_PDFS.values()
        ),
    ],
    ids=[
        "renamed-png",
        "empty",
        "11-mb",
        "script-name",
        "shell-name",
        "not-pdf-name",
        *(f"active-{name}" for name in ACTIVE_PDFS),
    ],
)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_is_stored(
    client, call, applicant, stored_files, upload, message
):
    """A renamed PNG, an empty file, an 11 MB file, a script-like name or an active PDF
    (issue 23) is refused with a message saying why, the rest of the form kept; neither the
    application nor any file is stored."""
    client.force_login(applicant)
    response = _apply(client, call, upload)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert message in page
    assert "Les Amis du Gouvernement Ouvert" in page  # the input is kept
    assert not Application.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_at_most_three_attachments(client, application, applicant, pdf):
    """A fourth PDF is refused; removing one makes room again."""
    for _ in range(3):
        AttachmentFactory(application=application)
    client.force_login(applicant)
    url = reverse("forum:application_edit", args=[application.pk])
    data = application_data(application.call, organisation_name=application.organisation_name)
    response = client.post(url, {**data, "action": "enregistrer", "attachments": [pdf()]})
    assert response.status_code == 200
    assert application.attachments.count() == 3

    first = application.attachments.first()
    response = client.post(reverse("forum:attachment_delete", args=[application.pk, first.pk]))
    assert response.status_code == 302
    assert application.attachments.count() == 2
    response = client.post(url, {**data, "action": "enregistrer", "attachments": [pdf()]})
    assert response.status_code == 302
    assert application.attachments.count() == 3


def test_the_service_checks_content_too(application, applicant):
    """Even called without the form, the service refuses a file that is not a PDF."""
    from django.core.exceptions import ValidationError

    from participation.forum.services.applications import application_update

    with pytest.raises(ValidationError):
        application_update(
            actor=applicant,
            application=application,
            attachments=[SimpleUploadedFile("x.pdf", PNG)],
        )
    assert not application.attachments.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("owner", 200), ("other_applicant", 404), ("staff", 200), ("admin", 200)],
)
def test_who_may_download_an_attachment(client, make_user, application, applicant, who, status):
    """Only the applicant and reviewers download an attachment; another applicant gets
    404 (as if it did not exist), an anonymous visitor the login page."""
    attachment = AttachmentFactory(application=application)
    ApplicationFactory(call=application.call, applicant=make_user("association"))
    users = {
        "anonymous": None,
        "owner": applicant,
        "other_applicant": make_user("association"),
        "staff": make_user("ditp"),
        "admin": make_user("admin"),
    }
    if users[who]:
        client.force_login(users[who])
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in response["Content-Disposition"]


def test_reviewers_read_an_attachment_in_the_browser(client, application, staff):
    """« Lire » serves the PDF inline, for the browser's viewer."""
    attachment = AttachmentFactory(application=application)
    client.force_login(staff)
    response = client.get(attachment.get_absolute_url() + "?lire=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")


def test_an_attachment_is_not_reachable_through_another_application(client, application, applicant):
    """The attachment's URL is tied to its application: swapping ids gives 404."""
    mine = AttachmentFactory(application=application)
    theirs = AttachmentFactory()
    client.force_login(applicant)
    url = reverse("forum:attachment", args=[application.pk, theirs.pk])
    assert client.get(url).status_code == 404
    assert client.get(mine.get_absolute_url()).status_code == 200
