"""The sealed PDF renderer reads only the project's static files and data: URLs."""

import http.server
import re
import subprocess
import threading
import zlib

import pytest

from forum_ouvert.core.pdf import PdfRenderError, render_pdf

PNG_1PX = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _inflate(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


@pytest.fixture
def canary_server():
    """A local HTTP server that records every request it receives."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def test_hostile_html_reads_no_file_and_calls_no_url(canary_server, tmp_path):
    """file:// attachments and images, and internal URLs, are refused; the PDF still renders."""
    url, hits = canary_server
    html = f"""<!DOCTYPE html><html lang="fr"><head><title>Hostile</title>
    <link rel="attachment" href="file:///etc/passwd">
    <link rel="stylesheet" href="{url}/style.css">
    </head><body><h1>Rapport</h1>
    <img src="file:///etc/hostname" alt="x"><img src="{url}/pixel.png" alt="y">
    <a rel="attachment" href="file:///etc/passwd">pièce jointe</a>
    <img src="{PNG_1PX}" alt="data est autorisé">
    </body></html>"""
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert hits == []
    assert b"root:x:0:0" not in pdf
    inflated = _inflate(pdf)
    assert b"root:x:0:0" not in inflated
    assert b"/EmbeddedFile" not in inflated
    assert b"/Filespec" not in inflated
    assert "Rapport" in _pdf_text(pdf, tmp_path)


def test_project_static_files_are_allowed():
    """A stylesheet from the project's static files is used."""
    html = (
        '<html lang="fr"><head><title>T</title>'
        '<link rel="stylesheet" href="/static/forum_ouvert/site.css"></head>'
        "<body><p>ok</p></body></html>"
    )
    assert render_pdf(html).startswith(b"%PDF-")


def test_strict_mode_fails_on_a_refused_resource():
    """In strict mode a broken image is a readable error, not a silent gap."""
    html = '<html lang="fr"><head><title>T</title></head><body><img src="file:///etc/passwd"></body></html>'
    with pytest.raises(PdfRenderError, match="refusée"):
        render_pdf(html, strict=True)


def test_pdf_is_tagged_with_title_and_language(tmp_path):
    """Reports are accessible PDFs: tagged (PDF/UA), with a title and the French language."""
    html = (
        '<html lang="fr"><head><title>Rapport de redevabilité</title></head>'
        "<body><h1>Titre</h1><p>Texte.</p></body></html>"
    )
    pdf = render_pdf(html)
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert "Rapport de redevabilité" in info
    assert re.search(rb"/Lang\s*\(fr\)", _inflate(pdf))
