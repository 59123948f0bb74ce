"""Uploaded documents: checked by content, size-limited, stored under a random name."""

from __future__ import annotations

import secrets
import unicodedata
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

_UNSAFE_NAME_CHARS = set('<>:"/\\|?*`$;&{}%') | {chr(c) for c in range(32)}


def validate_pdf_upload(upload) -> None:
    """Accept only a real PDF of at most ``MAX_DOCUMENT_SIZE`` bytes with a plain name.

    The content decides, not the name: the file must start with the PDF signature and
    end with its end-of-file marker. A renamed PNG, an empty file, an oversized file or a
    name carrying markup are refused with a message that says why.
    """
    max_size = settings.MAX_DOCUMENT_SIZE
    name = upload.name or ""
    if not name or any(ch in _UNSAFE_NAME_CHARS for ch in name) or name.startswith("."):
        raise ValidationError(
            _("Le nom du fichier contient des caractères non autorisés : renommez-le."),
            code="unsafe_name",
        )
    if not name.lower().endswith(".pdf"):
        raise ValidationError(_("Seuls les documents PDF sont acceptés."), code="not_pdf")
    if upload.size == 0:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    if upload.size > max_size:
        raise ValidationError(
            _("Le fichier dépasse la taille maximale de %(max)d Mo.")
            % {"max": max_size // (1024 * 1024)},
            code="too_big",
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(0, upload.size - 2048))
    tail = upload.read()
    upload.seek(0)
    if b"%PDF-" not in head[:1024] or b"%%EOF" not in tail:
        raise ValidationError(
            _("Ce fichier n'est pas un document PDF valide (son contenu ne correspond pas)."),
            code="not_pdf",
        )


@deconstructible
class RandomUploadTo:
    """An ``upload_to`` that stores under ``prefix/`` with a random name (never the user's)."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePath(filename).suffix.lower()[:8]
        return f"{self.prefix}/{secrets.token_urlsafe(24)}{suffix}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomUploadTo) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


def safe_download_name(title: str, default: str = "document") -> str:
    """An ASCII file name derived from a title, for Content-Disposition."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    name = get_valid_filename(ascii_title.replace(" ", "-"))[:80] or default
    return name if name.lower().endswith(".pdf") else f"{name}.pdf"


def document_response(file_field, *, download_name: str, inline: bool = False) -> FileResponse:
    """Serve a stored document with a safe name, ``nosniff`` and no caching by proxies."""
    response = FileResponse(
        file_field.open("rb"),
        as_attachment=not inline,
        filename=download_name,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if not inline:
        # A sandboxed document cannot run anything; inline PDFs are left to the browser's
        # own viewer, which a sandbox would block.
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    return response
