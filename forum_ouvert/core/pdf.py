"""The sealed PDF renderer: the only place in the project that calls WeasyPrint.

WeasyPrint's default URL fetcher reads local files and fetches any URL: a user-supplied
``<link rel=attachment href=file:///etc/passwd>`` would be embedded in the PDF, and an
``<img src=http://127.0.0.1:…>`` would reach internal services. Here the fetcher serves
only the project's own static files and ``data:`` URLs; everything else is refused.
"""

from __future__ import annotations

import base64
import gc
import logging
import mimetypes
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

#: Relative URLs in rendered HTML resolve against this fake origin, which never leaves
#: the process: ``/static/x.css`` becomes ``https://pdf.forum-ouvert.invalid/static/x.css``.
BASE_URL = "https://pdf.forum-ouvert.invalid/"


class PdfRenderError(Exception):
    """The document could not be rendered (a missing resource in strict mode, bad HTML…)."""


class ForbiddenResource(ValueError):
    """A resource outside the project's static files and data: URLs was requested."""


def _static_path(url: str) -> Path | None:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        return None
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL):
        return None
    relative = path[len(settings.STATIC_URL) :]
    if not relative or ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if not found and settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / relative
        found = str(candidate) if candidate.is_file() else None
    return Path(found) if found else None


def _make_fetcher(*, strict: bool):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SealedURLFetcher(URLFetcher):
        """Serves ``data:`` URLs and the project's static files; refuses everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                header, _, payload = url[5:].partition(",")
                mime = header.split(";")[0] or "text/plain"
                body = (
                    base64.b64decode(payload)
                    if header.endswith(";base64")
                    else unquote(payload).encode()
                )
                return URLFetcherResponse(url, body, {"Content-Type": mime})
            path = _static_path(url)
            if path is None:
                logger.warning("PDF: ressource refusée %s", url[:200])
                raise ForbiddenResource(f"Ressource non autorisée dans un PDF : {url[:200]}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    return SealedURLFetcher(fail_on_errors=strict, allowed_protocols={"data", "https"})


@contextmanager
def _collector_paused():
    """No cyclic garbage collection during a render. WeasyPrint builds hundreds of
    thousands of small objects (boxes, styles, PDF operators) that live until the end:
    each automatic collection walks them all again for nothing. Measured on the 39-page
    accountability report at bench scale: 5.4 s of CPU with the collector, 4.2 s without,
    for 6 MB more at the peak (issue 21). The document is freed by reference counting
    when the render returns; the collector, enabled again, takes any cycle in its time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_pdf(html: str, *, strict: bool = False, variant: str | None = "pdf/ua-1") -> bytes:
    """Render ``html`` to PDF bytes (tagged PDF/UA by default) with the sealed fetcher.

    ``strict``: a resource that cannot be fetched (broken image, refused URL) fails the
    render with ``PdfRenderError`` instead of being left out.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    try:
        with _collector_paused():
            fetcher = _make_fetcher(strict=strict)
            document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
            return document.write_pdf(pdf_variant=variant, attachments=[])
    except FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise PdfRenderError(f"Ressource introuvable ou refusée : {cause}") from exc
    except (ValueError, TypeError, OSError) as exc:
        raise PdfRenderError(str(exc)) from exc


def preload() -> None:
    """Load the PDF engine now rather than in the first render: WeasyPrint and its
    libraries (Pango, fontconfig, fontTools) cost about 0.6 s of CPU to import, 2 s or
    more on a loaded machine. Each Celery worker process calls this when it starts
    (``forum_ouvert/celery.py``), so that no report pays it; web processes never do."""
    render_pdf('<html lang="fr"><body><p>Forum ouvert</p></body></html>', variant=None)


def render_pdf_from_template(
    template_name: str, context: dict, *, strict: bool = False, variant: str | None = "pdf/ua-1"
) -> bytes:
    """Render a Django template, then the PDF, through :func:`render_pdf`."""
    return render_pdf(render_to_string(template_name, context), strict=strict, variant=variant)
