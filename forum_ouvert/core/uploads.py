"""Uploaded documents: checked by content, size-limited, stored under a random name."""

from __future__ import annotations

import itertools
import re
import secrets
import unicodedata
import zlib
from datetime import timedelta
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

_UNSAFE_NAME_CHARS = set('<>:"/\\|?*`$;&{}%') | {chr(c) for c in range(32)}

#: The PDF names that make a document act when it is opened or used (issue 23): an action
#: run at opening, script, a program to launch, attached files, actions on events, rich media.
ACTIVE_PDF_NAMES = (
    "OpenAction",
    "AA",
    "JavaScript",
    "JS",
    "Launch",
    "EmbeddedFile",
    "EmbeddedFiles",
    "RichMedia",
)
# A name ends at white space or a delimiter (ISO 32000-1, 7.2.2); ``#xx`` escapes are
# decoded first, so that ``/J#61vaScript`` is ``/JavaScript``.
_ACTIVE_NAME = re.compile(
    rb"/(?:" + b"|".join(n.encode() for n in ACTIVE_PDF_NAMES) + rb")(?=[\s/<>\[\]()%{}]|$)"
)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"(?<!end)stream\r?\n(.*?)endstream", re.DOTALL)
#: Decompressed bytes read at most from the object streams of one document (a bomb stops).
_MAX_INFLATED = 64 * 1024 * 1024


def _object_streams(data: bytes):
    """The object streams of a PDF (``/Type /ObjStm``: dictionaries stored compressed),
    decompressed, within ``_MAX_INFLATED`` bytes in all."""
    budget = _MAX_INFLATED
    for match in _STREAM.finditer(data):
        header = data[max(0, data.rfind(b"obj", 0, match.start())) : match.start()]
        if b"/ObjStm" not in _decoded_names(header) or budget <= 0:
            continue
        try:
            inflated = zlib.decompressobj().decompress(match.group(1), budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        yield inflated


def _decoded_names(chunk: bytes) -> bytes:
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), chunk)


def is_active_pdf(data: bytes) -> bool:
    """Whether a PDF holds an automatic action, script, launch, attached file or rich
    media: in its objects, or in its compressed object streams. The other streams (page
    contents, images, fonts) are left out: their bytes are not dictionaries, and a long
    image would hold ``/JS`` by chance."""
    objects = _STREAM.sub(b"stream\nendstream", data)
    for chunk in itertools.chain((objects,), _object_streams(data)):
        if _ACTIVE_NAME.search(_decoded_names(chunk)):
            return True
    return False


def validate_pdf_upload(upload) -> None:
    """Accept only a real PDF of at most ``MAX_DOCUMENT_SIZE`` bytes with a plain name.

    The content decides, not the name: the file must start with the PDF signature and
    end with its end-of-file marker. A renamed PNG, an empty file, an oversized file, a
    name carrying markup or an active PDF (``is_active_pdf``: served with a sandbox, it is
    still opened by readers outside the browser) are refused with a message that says why.
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
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if is_active_pdf(content):
        raise ValidationError(
            _(
                "Ce PDF contient du contenu actif (script, action automatique, lancement "
                "d'application ou fichier joint) : enregistrez-le à nouveau sans ce contenu, "
                "par exemple avec « Imprimer en PDF », puis déposez-le."
            ),
            code="active_pdf",
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


# --- Files kept across a refused form -------------------------------------------------

#: How long a kept file waits for the form to be sent again (then swept).
PENDING_UPLOAD_LIFETIME = 24 * 3600


class KeptFileInput(forms.FileInput):
    """A file input whose file survives a refused form (issue 22, item 3: a valid PDF was
    dropped when another field had an error).

    When the form is refused, each valid file it carried is kept (``PendingUpload``) and
    the input shows « Fichier joint : statuts.pdf (12 Ko) » with a « Retirer » box; the
    next submission sends the kept file again unless the person chooses another or ticks
    « Retirer ». Use it as the widget of any ``FileField`` of a ``BaseForm``; the form's
    ``full_clean`` does the keeping (``keep_uploads``)."""

    template_name = "core/widgets/kept_file.html"

    def __init__(self, attrs=None, *, multiple: bool = False):
        super().__init__(attrs)
        self.allow_multiple_selected = multiple
        self.kept: list = []  # PendingUpload rows shown under the input (set per form)
        self.resolved: list = []  # the kept files this submission sent again

    def kept_key(self, name: str) -> str:
        return f"{name}__gardes"

    def remove_key(self, name: str) -> str:
        return f"{name}__retirer"

    def value_from_datadict(self, data, files, name):
        fresh = super().value_from_datadict(data, files, name)
        self.resolved = []
        if fresh or data.get(self.remove_key(name)):
            return fresh
        tokens = [t for t in str(data.get(self.kept_key(name), "")).split(",") if t][:10]
        self.resolved = pending_uploads(tokens)
        if not self.resolved:
            return fresh
        files_again = [pending_file(row) for row in self.resolved]
        return files_again if self.allow_multiple_selected else files_again[0]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            kept=self.kept,
            kept_tokens=",".join(row.token for row in self.kept),
            kept_key=self.kept_key(name),
            remove_key=self.remove_key(name),
        )
        return context


def pending_uploads(tokens: list[str]) -> list:
    from .models import PendingUpload

    if not tokens:
        return []
    since = timezone.now() - timedelta(seconds=PENDING_UPLOAD_LIFETIME)
    rows = {
        r.token: r for r in PendingUpload.objects.filter(token__in=tokens, created_at__gte=since)
    }
    return [rows[t] for t in tokens if t in rows]


def pending_file(row) -> ContentFile:
    """The kept file, as an upload the form and the service read like a fresh one."""
    with row.file.open("rb") as fh:
        return ContentFile(fh.read(), name=row.original_name)


def keep_uploads(form) -> None:
    """When a form is refused — by its own validation (``full_clean``) or by the service
    (``core.forms.add_errors``) — keep each valid file of a ``KeptFileInput`` (fresh ones
    are stored; files sent again stay kept), so that the form shows them and sends them
    again. An accepted form keeps nothing."""
    if not form.is_bound or not form.errors:
        return
    for name, field in form.fields.items():
        widget = field.widget
        if not isinstance(widget, KeptFileInput):
            continue
        widget.kept = []
        if name in form.errors:
            continue
        value = form.cleaned_data.get(name)
        uploads = [u for u in (value if isinstance(value, list | tuple) else [value]) if u]
        if widget.resolved:
            widget.kept = list(widget.resolved)
            continue
        widget.kept = [keep_file(upload) for upload in uploads]


def keep_file(upload):
    """Keep one uploaded file for a later request (a refused form sent again, a preview
    to confirm): a ``PendingUpload`` whose unguessable ``token`` finds it again, within
    ``PENDING_UPLOAD_LIFETIME`` (``pending_uploads``)."""
    from .models import PendingUpload

    upload.seek(0)
    row = PendingUpload(
        token=secrets.token_urlsafe(32),
        original_name=str(upload.name)[:255],
        size=upload.size or 0,
    )
    row.file.save(upload.name, upload, save=False)
    row.save()
    upload.seek(0)
    return row


def forget_file(row) -> None:
    """Delete a kept file once its step is done (the row and the stored file)."""
    row.file.delete(save=False)
    row.delete()


def sweep_pending_uploads(now=None) -> int:
    """Delete the kept files older than ``PENDING_UPLOAD_LIFETIME`` (rows and files)."""
    from .models import PendingUpload

    limit = (now or timezone.now()) - timedelta(seconds=PENDING_UPLOAD_LIFETIME)
    count = 0
    for row in PendingUpload.objects.filter(created_at__lt=limit).iterator():
        row.file.delete(save=False)
        row.delete()
        count += 1
    return count


class PdfField(forms.FileField):
    """One PDF document, checked by content (``validate_pdf_upload``) and kept across a
    refused form (``KeptFileInput``): the field every form with a PDF uses."""

    default_validators = [validate_pdf_upload]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", KeptFileInput(attrs={"accept": "application/pdf"}))
        super().__init__(**kwargs)
