"""Public links are web pages: ftp:// and other schemes are refused with a French message
(found by the hostile-input test: an application's website « FTP://0.AA » was accepted)."""

import pytest
from django.core.exceptions import ValidationError

from engagements.models import Commitment, Evidence
from participation.forum.models import Application, Meeting, Member
from participation.workshops.models import Workshop

FIELDS = [
    (Commitment, "source"),
    (Evidence, "url"),
    (Application, "website"),
    (Member, "website"),
    (Meeting, "visio_url"),
    (Workshop, "visio_url"),
]


@pytest.mark.parametrize(("model", "name"), FIELDS)
@pytest.mark.parametrize(
    "url", ["FTP://0.AA", "ftps://exemple.fr/x", "javascript://x.fr/%0Aalert(1)"]
)
def test_other_schemes_are_refused(model, name, url):
    with pytest.raises(ValidationError, match="https://"):
        model._meta.get_field(name).run_validators(url)


@pytest.mark.parametrize(("model", "name"), FIELDS)
def test_web_addresses_pass(model, name):
    for url in ("https://www.exemple.fr/page", "http://exemple.fr"):
        model._meta.get_field(name).run_validators(url)


ONE_LINE_FIELDS = [
    ("engagements", "actionplan", "title"),
    ("engagements", "commitment", "title"),
    ("engagements", "evidence", "title"),
    ("contributions", "consultation", "title"),
    ("contributions", "theme", "title"),
    ("contributions", "contribution", "title"),
    ("cocreation", "proposal", "title"),
    ("cocreation", "proposal", "organisation"),
    ("cocreation", "proposalversion", "title"),
    ("forum", "call", "title"),
    ("forum", "application", "organisation_name"),
    ("forum", "application", "contact_name"),
    ("forum", "member", "organisation_name"),
    ("forum", "meeting", "title"),
    ("workshops", "tour", "title"),
    ("workshops", "workshop", "title"),
    ("core", "user", "display_name"),
]


@pytest.mark.parametrize(("app", "model", "name"), ONE_LINE_FIELDS)
@pytest.mark.parametrize("breaker", ["\n", "\r\n", "\r", "\t", "\x00", "\u2028"])
def test_titles_and_names_hold_one_line(app, model, name, breaker):
    """A title or a name holding a line break or a control character is refused, in French."""
    from django.apps import apps

    field = apps.get_model(app, model)._meta.get_field(name)
    field.run_validators("Atelier de Lyon")
    with pytest.raises(ValidationError, match="Ce champ tient sur une ligne"):
        field.run_validators(f"Atelier{breaker}de Lyon")


LOCAL_ADDRESSES = [
    "http://localhost/admin/",
    "http://LOCALHOST:8000/",
    "http://127.0.0.1/",
    "http://10.1.2.3/intranet",
    "http://192.168.1.1/",
    "http://172.16.0.5/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://[fe80::1]/",
    "http://0.0.0.0/",
    "http://serveur.local/",
    "https://wiki.corp/",
    "http://site.test/",
    "http://app.localhost/",
]


@pytest.mark.parametrize(("model", "name"), FIELDS)
@pytest.mark.parametrize("url", LOCAL_ADDRESSES)
def test_local_and_private_addresses_are_refused(model, name, url):
    """A public link leads somewhere for its readers: loopback, private, link-local and
    names without a public domain are refused (issue 22, item 6: an evidence link to
    ``http://localhost/admin/`` was published in the repository and the PDF)."""
    with pytest.raises(ValidationError, match="page publique"):
        model._meta.get_field(name).run_validators(url)


@pytest.mark.parametrize(
    "url", ["https://8.8.8.8/", "https://[2001:4860:4860::8888]/", "https://service-public.fr."]
)
def test_public_addresses_and_ip_literals_pass(url):
    Evidence._meta.get_field("url").run_validators(url)


def test_active_pdfs_are_told_from_plain_ones():
    """``is_active_pdf`` finds every active PDF of the hostile corpus (automatic action,
    script, launch, attached file, actions on events, an escaped name, a compressed object
    stream), and lets plain PDFs through: names that only start like an active one, and a
    binary image stream that holds ``/JS`` by chance."""
    import zlib

    from forum_ouvert.core.uploads import is_active_pdf
    from tests.forum.factories import PDF_BYTES
    from tests.security.strategies import ACTIVE_PDFS

    assert all(is_active_pdf(content) for content in ACTIVE_PDFS.values())
    assert not is_active_pdf(PDF_BYTES)
    assert not is_active_pdf(b"%PDF-1.7\n1 0 obj << /JSON (x) /AAB 1 /Launched 2 >> endobj\n%%EOF")
    image = b"\xff\xd8 /JS /AA \xff" * 100
    header = b"%PDF-1.7\n1 0 obj << /Type /XObject /Subtype /Image /Length "
    assert not is_active_pdf(
        header + str(len(image)).encode() + b" >>\nstream\n" + image + b"\nendstream endobj\n%%EOF"
    )
    compressed_page = zlib.compress(b"BT /F1 12 Tf (Bonjour) Tj ET")
    assert not is_active_pdf(
        b"%PDF-1.7\n1 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n"
        + compressed_page
        + b"\nendstream endobj\n%%EOF"
    )
