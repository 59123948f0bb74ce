"""The evidence back-office (issue 19, item 13): every evidence listed with its links; title
and visibility edited; withdrawn with a reason (journaled, never deleted); a file replaced
with the old one kept."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from engagements.models import Evidence, JournalEntry
from engagements.services import evidence_add
from forum_ouvert.core.models import AuditLog

from .factories import CommitmentFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET = "Arbitrage budgétaire confidentiel"


def _pdf(name="rapport.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def world(plan, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lead = make_user("pilote")
    commitment = CommitmentFactory(plan=plan, leads=[lead], status="limite", progress=20)
    public = evidence_add(
        actor=lead,
        commitment=commitment,
        title="Compte rendu du comité",
        dated_on=dt.date(2026, 3, 1),
        justification="Compte rendu de la première séance.",
        document=_pdf(),
    )
    internal = evidence_add(
        actor=lead,
        commitment=commitment,
        title=SECRET,
        dated_on=dt.date(2026, 3, 2),
        justification="Note interne pour le cabinet.",
        url="https://www.example.org/note",
        is_public=False,
    )
    return {"lead": lead, "commitment": commitment, "public": public, "internal": internal}


def _url(name, world, evidence=None):
    kwargs = {"slug": world["commitment"].slug}
    if evidence is not None:
        kwargs["pk"] = evidence.pk
    return reverse(f"engagements:{name}", kwargs=kwargs)


def test_list_shows_every_evidence_with_links_in_constant_queries(
    client, world, django_assert_max_num_queries
):
    """The lead sees public, internal and withdrawn evidence with their links and actions;
    the page's queries do not grow with the evidence."""
    client.force_login(world["lead"])
    with django_assert_max_num_queries(12) as few:
        page = client.get(_url("bo_evidence_list", world)).content.decode()
    assert reverse("engagements:evidence_download", args=[world["public"].pk]) in page
    assert "https://www.example.org/note" in page and "Interne" in page
    assert _url("bo_evidence_withdraw", world, world["public"]) in page
    for n in range(5):
        evidence_add(
            actor=world["lead"],
            commitment=world["commitment"],
            title=f"Annexe {n}",
            dated_on=dt.date(2026, 4, 1),
            justification="Annexe du compte rendu.",
            url=f"https://www.example.org/annexe-{n}",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_url("bo_evidence_list", world)).status_code == 200


def test_edit_title_is_journaled(client, world):
    """A new title of a public evidence is in the public history, with its reason."""
    client.force_login(world["lead"])
    response = client.post(
        _url("bo_evidence_edit", world, world["public"]),
        {
            "title": "Compte rendu du comité de suivi",
            "is_public": "on",
            "justification": "Le titre précise le comité.",
        },
    )
    assert response.status_code == 302
    assert Evidence.objects.get(pk=world["public"].pk).title == "Compte rendu du comité de suivi"
    entry = JournalEntry.objects.latest("id")
    assert entry.field_label == "Justificatif : titre"
    assert (entry.old_value, entry.new_value) == (
        "Compte rendu du comité",
        "Compte rendu du comité de suivi",
    )


def test_edit_form_keeps_input_on_error(client, world):
    """A missing justification is said and the typed title stays in the form."""
    client.force_login(world["lead"])
    response = client.post(
        _url("bo_evidence_edit", world, world["public"]), {"title": "Nouveau titre"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "resume-erreurs" in page
    assert 'value="Nouveau titre"' in page
    assert JournalEntry.objects.filter(field_label__startswith="Justificatif :").count() == 0


def test_publishing_an_internal_evidence_and_back(client, world):
    """Publishing an internal evidence shows it in the repository; making it internal again
    takes it off, and the public history never names it while internal."""
    client.force_login(world["lead"])
    internal = world["internal"]
    client.post(
        _url("bo_evidence_edit", world, internal),
        {"title": "Note publiée", "is_public": "on", "justification": "La note peut être publiée."},
    )
    assert "Note publiée" in client.get(reverse("engagements:repository")).content.decode()
    client.post(
        _url("bo_evidence_edit", world, internal),
        {"title": "Note publiée", "justification": "La note redevient interne."},
    )
    assert "Note publiée" not in client.get(reverse("engagements:repository")).content.decode()
    assert SECRET not in client.get(world["commitment"].get_absolute_url()).content.decode()


def test_withdraw_keeps_the_evidence_and_says_why(client, world):
    """Withdrawn: off the public repository and download, kept for the lead, the reason in
    the public history; it cannot be changed afterwards."""
    client.force_login(world["lead"])
    public = world["public"]
    response = client.post(
        _url("bo_evidence_withdraw", world, public),
        {"reason": "Document publié par erreur, une version corrigée suit."},
    )
    assert response.status_code == 302
    withdrawn = Evidence.objects.get(pk=public.pk)
    assert withdrawn.is_withdrawn and not withdrawn.is_public and withdrawn.document
    entry = JournalEntry.objects.latest("id")
    assert entry.field_label == "Justificatif retiré"
    assert entry.justification == "Document publié par erreur, une version corrigée suit."
    assert AuditLog.objects.filter(action="engagements.evidence.withdraw").count() == 1
    download = reverse("engagements:evidence_download", args=[public.pk])
    assert client.get(download).status_code == 200  # the lead still has it
    listing = client.get(_url("bo_evidence_list", world)).content.decode()
    assert "Retiré" in listing and _url("bo_evidence_edit", world, public) not in listing
    again = client.post(_url("bo_evidence_withdraw", world, public), {"reason": "Encore une fois."})
    assert "a été retiré le" in again.content.decode()
    client.logout()
    assert client.get(download).status_code == 404
    public_page = client.get(world["commitment"].get_absolute_url()).content.decode()
    assert "Justificatif retiré" in public_page


def test_withdrawing_an_internal_evidence_says_nothing_of_it_publicly(client, world):
    """The public history says an internal document was withdrawn, never what or why."""
    client.force_login(world["lead"])
    client.post(
        _url("bo_evidence_withdraw", world, world["internal"]),
        {"reason": "Arbitrage rendu, la note est caduque."},
    )
    client.logout()
    page = client.get(world["commitment"].get_absolute_url()).content.decode()
    assert "Justificatif interne retiré" in page
    assert SECRET not in page and "caduque" not in page


def test_replace_keeps_the_old_file(client, world):
    """A new version replaces the document in the repository; the old one is kept,
    withdrawn and pointing to it, and the history says « Justificatif remplacé »."""
    client.force_login(world["lead"])
    old = world["public"]
    response = client.post(
        _url("bo_evidence_replace", world, old),
        {"document": _pdf("v2.pdf"), "justification": "Version signée du compte rendu."},
    )
    assert response.status_code == 302
    old = Evidence.objects.get(pk=old.pk)
    new = old.replaced_by
    assert new is not None and new.is_public and new.title == "Compte rendu du comité"
    assert old.is_withdrawn and old.document and old.document.name != new.document.name
    assert JournalEntry.objects.latest("id").field_label == "Justificatif remplacé"
    repository = client.get(reverse("engagements:repository")).content.decode()
    assert reverse("engagements:evidence_download", args=[new.pk]) in repository
    assert reverse("engagements:evidence_download", args=[old.pk]) not in repository
    listing = client.get(_url("bo_evidence_list", world)).content.decode()
    assert "Remplacé" in listing


def test_replace_refuses_a_non_pdf_and_keeps_nothing_written(client, world):
    """A renamed PNG is refused on the form; the evidence stays as it was."""
    client.force_login(world["lead"])
    response = client.post(
        _url("bo_evidence_replace", world, world["public"]),
        {
            "document": SimpleUploadedFile("v2.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50),
            "justification": "Version signée du compte rendu.",
        },
    )
    assert response.status_code == 200 and "PDF" in response.content.decode()
    assert not Evidence.objects.get(pk=world["public"].pk).is_withdrawn


def test_another_lead_gets_404_for_internal_and_403_for_public(client, world, make_user):
    """Private evidence looks missing to a lead of another commitment."""
    client.force_login(make_user("pilote"))
    assert client.get(_url("bo_evidence_edit", world, world["internal"])).status_code == 404
    assert client.get(_url("bo_evidence_edit", world, world["public"])).status_code == 403
    assert client.get(_url("bo_evidence_list", world)).status_code == 403
