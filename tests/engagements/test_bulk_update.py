"""Bulk progress update from a spreadsheet (issue 19, item 12): preview, errors by line and
column, nothing written before confirmation, all or nothing, one act per row."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from engagements.models import Commitment, JournalEntry, Milestone
from engagements.selectors import commitment_journal, journal_acts
from forum_ouvert.core.models import PendingUpload
from forum_ouvert.core.spreadsheet import SpreadsheetError, read_table

from .factories import CommitmentFactory, MilestoneFactory

UPLOAD = reverse("engagements:bo_bulk_update")
CONFIRM = reverse("engagements:bo_bulk_confirm")
HEADER = "engagement;jalon;etat;avancement;justification\n"


def _csv(text: str, name: str = "maj.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _xlsx(rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("maj.xlsx", out.getvalue())


@pytest.fixture
def world(make_user, plan):
    lead = make_user("pilote")
    mine = CommitmentFactory(plan=plan, number=1, leads=[lead])
    other = CommitmentFactory(plan=plan, number=2)
    milestone = MilestoneFactory(commitment=mine)
    return {"lead": lead, "mine": mine, "other": other, "milestone": milestone}


def _token(page: str) -> str:
    marker = 'name="jeton" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


@pytest.mark.django_db
def test_lead_previews_then_applies_a_file(client, world):
    """A lead sees every row's change (before → after), nothing is written until they
    confirm, then each row is one act of the public history."""
    client.force_login(world["lead"])
    m = world["milestone"]
    text = HEADER + (
        "1;;Limité;30;Premier livrable remis au comité.\n"
        f"1;{m.pk};En cours;;Le chantier du jalon a démarré.\n"
    )
    page = client.post(UPLOAD, {"fichier": _csv(text)}).content.decode()
    assert "2 lignes lues" in page and "2 changements" in page
    assert "Non commencé → Limité" in page and "0 % → 30 %" in page
    assert "À venir → En cours" in page
    assert JournalEntry.objects.count() == 0
    assert Commitment.objects.get(pk=world["mine"].pk).status == "non_commence"

    response = client.post(CONFIRM, {"jeton": _token(page)})
    assert response.status_code == 302
    mine = Commitment.objects.get(pk=world["mine"].pk)
    assert (mine.status, mine.progress) == ("limite", 30)
    assert Milestone.objects.get(pk=m.pk).status == "en_cours"
    acts = journal_acts(commitment_journal(commitment=mine))
    assert len(acts) == 2  # one act per row (a row's state and progress together)
    assert PendingUpload.objects.count() == 0
    followed = client.get(response.url).content.decode()
    assert "2 lignes publiées" in followed


@pytest.mark.django_db
def test_bad_rows_are_shown_by_line_and_column_and_nothing_is_written(client, world):
    """Every error is named by its line and column; no confirmation is offered."""
    client.force_login(world["lead"])
    text = HEADER + (
        "1;;Limité;30;Premier livrable remis au comité.\n"
        "2;;Limité;10;Pas mon engagement du tout.\n"
        "1;;Bientôt;140;court\n"
        "1;999999;Atteint;;Jalon qui n'existe pas ici.\n"
    )
    page = client.post(UPLOAD, {"fichier": _csv(text)}).content.decode()
    assert "rien n&#x27;a été enregistré" in page or "rien n'a été enregistré" in page
    assert "3 lignes en erreur" in page
    assert "<td>3</td><td>engagement</td>" in page
    assert "<td>4</td><td>état</td>" in page and "<td>4</td><td>avancement</td>" in page
    assert "<td>5</td><td>jalon</td>" in page
    assert 'name="jeton"' not in page
    assert JournalEntry.objects.count() == 0


@pytest.mark.django_db
def test_a_row_the_service_refuses_is_an_error_of_its_column(client, world):
    """The services' own checks (missing justification, 100 % without « Achevé ») are
    reported on their row and column, and the dry run leaves nothing behind."""
    client.force_login(world["lead"])
    text = HEADER + "1;;Limité;100;Livrable final remis au comité.\n1;;Limité;20;\n"
    page = client.post(UPLOAD, {"fichier": _csv(text)}).content.decode()
    assert "<td>2</td><td>état</td>" in page
    assert "<td>3</td><td>justification</td>" in page
    assert JournalEntry.objects.count() == 0
    assert not Commitment.objects.exclude(status="non_commence").exists()


@pytest.mark.django_db
def test_confirmation_is_all_or_nothing(client, world):
    """If the plan changed since the preview so that one row is now refused, confirming
    writes no row at all and says why."""
    client.force_login(world["lead"])
    m = world["milestone"]
    text = HEADER + (
        "1;;Limité;30;Premier livrable remis au comité.\n"
        f"1;{m.pk};Atteint;;Le livrable du jalon est remis.\n"
    )
    page = client.post(UPLOAD, {"fichier": _csv(text)}).content.decode()
    Milestone.objects.filter(pk=m.pk).update(status="abandonne")  # atteint is now refused
    refused = client.post(CONFIRM, {"jeton": _token(page)})
    assert refused.status_code == 200
    assert "<td>3</td><td>état</td>" in refused.content.decode()
    assert JournalEntry.objects.count() == 0
    assert Commitment.objects.get(pk=world["mine"].pk).status == "non_commence"


@pytest.mark.django_db
def test_someone_elses_token_is_refused(client, world, make_user):
    """A confirmation token works only for the person who uploaded the file."""
    client.force_login(world["lead"])
    page = client.post(
        UPLOAD, {"fichier": _csv(HEADER + "1;;Limité;30;Premier livrable remis.\n")}
    ).content.decode()
    client.force_login(make_user("ditp"))
    response = client.post(CONFIRM, {"jeton": _token(page)})
    assert "n&#x27;est plus disponible" in response.content.decode()
    assert JournalEntry.objects.count() == 0


@pytest.mark.django_db
def test_staff_apply_an_xlsx_on_any_commitment(client, world, make_user):
    """Staff may update every commitment of the plan, from an XLSX file too."""
    client.force_login(make_user("ditp"))
    upload = _xlsx(
        [
            ["Engagement", "État", "Avancement", "Justification"],
            [2, "substantiel", 60, "Point d'étape du comité de suivi."],
        ]
    )
    page = client.post(UPLOAD, {"fichier": upload}).content.decode()
    assert "Non commencé → Substantiel" in page
    assert client.post(CONFIRM, {"jeton": _token(page)}).status_code == 302
    assert Commitment.objects.get(pk=world["other"].pk).progress == 60


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("maj.pdf", b"%PDF-1.4"), "Seuls les fichiers CSV et XLSX"),
        (SimpleUploadedFile("maj.csv", b""), "Le fichier est vide"),
        (SimpleUploadedFile("maj.csv", "engagement;état\n1;Limité\n".encode("cp1252")), "UTF-8"),
        (SimpleUploadedFile("maj.csv", b"engagement;couleur\n1;bleu\n"), "inconnues"),
        (SimpleUploadedFile("maj.csv", b"etat;justification\nlimite;x\n"), "manquantes"),
        (SimpleUploadedFile("maj.csv", HEADER.encode()), "que l&#x27;en-tête"),
        (SimpleUploadedFile("maj.xlsx", b"PK\x03\x04 pas un classeur"), "illisible"),
        (SimpleUploadedFile("maj.csv", b"x" * (2 * 1024 * 1024 + 1)), "taille maximale"),
    ],
)
@pytest.mark.django_db
def test_a_bad_file_gets_a_french_error(client, world, upload, message):
    """A wrong type, encoding, empty, unknown columns, too large: a clear French error on
    the form, never a 500, nothing kept."""
    client.force_login(world["lead"])
    response = client.post(UPLOAD, {"fichier": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "resume-erreurs" in page
    assert PendingUpload.objects.count() == 0


def test_reader_counts_rows_and_refuses_long_files():
    """Too many rows: the reader says how many it takes."""
    text = "engagement;justification\n" + "1;x\n" * 5
    table = read_table(_csv(text), columns=["engagement", "justification"], max_rows=5)
    assert [row.line for row in table.rows] == [2, 3, 4, 5, 6]
    with pytest.raises(SpreadsheetError, match="plus de 4 lignes"):
        read_table(_csv(text), columns=["engagement", "justification"], max_rows=4)


def test_reader_undoes_the_formula_apostrophe():
    """A cell the site wrote as « '=… » (CSV injection) is read back as it was."""
    text = "engagement,justification\n1,'=baisse du budget de 10 %\n"
    table = read_table(_csv(text), columns=["engagement", "justification"])
    assert table.rows[0].cells["justification"] == "=baisse du budget de 10 %"


@pytest.mark.django_db
def test_template_is_prefilled_with_the_current_values(
    client, world, django_assert_max_num_queries
):
    """The template lists a lead's commitments and milestones with their current values,
    in constant queries."""
    client.force_login(world["lead"])
    MilestoneFactory.create_batch(3, commitment=world["mine"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("engagements:bo_bulk_template"))
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0] == "engagement;jalon;intitule;etat;avancement;justification"
    assert lines[1].startswith("1;;") and ";Non commencé;0;" in lines[1]
    assert len(lines) == 1 + 1 + 4  # the lead's commitment and its four milestones
    assert f"1;{world['milestone'].pk};" in body


@pytest.mark.django_db
def test_upload_page_documents_the_columns(client, world, django_assert_max_num_queries):
    """The page names every column and links the template."""
    client.force_login(world["lead"])
    with django_assert_max_num_queries(10):
        page = client.get(UPLOAD).content.decode()
    for column in ("engagement", "jalon", "etat", "avancement", "justification"):
        assert f"<code>{column}</code>" in page
    assert reverse("engagements:bo_bulk_template") in page
