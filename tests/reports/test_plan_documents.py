"""The documents published with a plan (issue 16, item 8): the plan in the OGP template
and the record of its co-creation, rendered by the reports' task, public once published
and linked from the plan's page."""

import contextlib
import csv
import datetime as dt
import io
import json
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from engagements import services as engagements_services
from engagements.models import PlanStatus
from forum_ouvert.core.choices import Role
from forum_ouvert.core.models import AuditLog
from forum_ouvert.reports import services
from forum_ouvert.reports.documents import build_plan_data, build_record_data
from forum_ouvert.reports.forms import ReportRequestForm
from forum_ouvert.reports.models import Report, ReportKind, ReportState
from forum_ouvert.reports.sections import plan_documents_section
from participation.cocreation import services as cocreation
from participation.cocreation.models import PhaseKind, ProposalFate, Verdict
from tests.cocreation.factories import ProcessFactory, ProposalFactory
from tests.engagements.factories import AxisFactory, CommitmentFactory, MilestoneFactory
from tests.factories import UserFactory
from tests.forum.factories import CallFactory, MemberFactory

pytestmark = pytest.mark.django_db

RESPONSE = "Le registre existe déjà sous une autre forme : la mesure est reprise par la n° 3."
OPINION = "Une mesure attendue, simple à mettre en œuvre."


def _text(pdf_name: str, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    with default_storage.open(pdf_name, "rb") as fh:
        path.write_bytes(fh.read())
    out = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    # French typography puts non-breaking spaces, and lines wrap: compare words.
    return " ".join(out.replace("\u202f", " ").replace("\u00a0", " ").split())


def _csv(report) -> list[dict]:
    with default_storage.open(report.annex_csv.name) as fh:
        return list(csv.DictReader(io.StringIO(fh.read().decode())))


@pytest.fixture
def co_created(django_capture_on_commit_callbacks):
    return seed_co_created(django_capture_on_commit_callbacks)


def seed_co_created(captured=None, staff=None):
    """A plan in deliberation: its calendar published then changed, two axes, commitments
    with milestones, proposals with a response and opinions from two colleges.
    ``captured``: the on-commit capture of a test in a transaction (none in the browser)."""
    if captured is None:
        captured = lambda execute: contextlib.nullcontext()  # noqa: E731
    staff = staff or UserFactory(role=Role.STAFF, display_name="Agent DITP")
    process = ProcessFactory(unpublished=True, current=PhaseKind.DELIBERATION)
    plan = process.plan
    plan.summary = "Le cinquième plan de la France, co-construit avec la société civile."
    plan.save()
    with captured(execute=True):
        cocreation.calendar_publish(
            actor=staff, process=process, override_reason="Démarrage avancé pour la démonstration."
        )
        publication = process.phases.get(kind=PhaseKind.PUBLICATION)
        cocreation.phase_save(
            actor=staff,
            process=process,
            kind=PhaseKind.PUBLICATION,
            starts_on=publication.starts_on,
            ends_on=publication.ends_on + dt.timedelta(days=7),
            activities=publication.activities,
            reason="Une semaine de plus pour la publication, à la demande du forum.",
        )
    axis1 = AxisFactory(plan=plan, number=1, title="Transparence de l'action publique")
    axis2 = AxisFactory(plan=plan, number=2, title="Participation citoyenne")
    registry = CommitmentFactory(plan=plan, axis=axis1, title="Ouvrir le registre des lobbies")
    MilestoneFactory(commitment=registry, deliverable="Registre publié en données ouvertes")
    CommitmentFactory(plan=plan, axis=axis2, title="Former les élus à la participation")

    author = UserFactory(role=Role.ASSOCIATION, display_name="Léa V.", public_display_consent=True)
    citizen = UserFactory(role=Role.CITIZEN)
    kept = ProposalFactory(process=process, author=author, submitted=True, title="Budget ouvert")
    refused = ProposalFactory(
        process=process, author=citizen, submitted=True, title="Registre des délibérations"
    )
    call = CallFactory(published=True)
    members = [
        MemberFactory(
            application__call=call,
            application__college=call.colleges.get(name=college),
            application__organisation_name=name,
        )
        for college, name in (("Associations", "Voix citoyennes"), ("Chercheurs", "LabDémo"))
    ]
    with captured(execute=True):
        for member, verdict in zip(members, (Verdict.FAVORABLE, Verdict.RESERVED), strict=True):
            cocreation.opinion_give(
                actor=member.application.applicant,
                proposal=kept,
                verdict=verdict,
                argument=OPINION,
            )
        cocreation.proposal_respond(
            actor=staff, proposal=refused, status=ProposalFate.NOT_ACCEPTED, text=RESPONSE
        )
    return staff, plan, kept, refused


def _render(staff, plan, kind, captured):
    with captured(execute=True):
        report = services.report_request(
            author=staff,
            kind=kind,
            plan=plan,
            period_start=timezone.localdate(),
            period_end=timezone.localdate(),
        )
    report.refresh_from_db()
    assert report.state == ReportState.READY, report.error
    return report


def test_the_plan_document_has_its_commitments_and_milestones(
    co_created, django_capture_on_commit_callbacks, tmp_path
):
    """The plan's PDF reads its foreword, its axes and each commitment with its milestones;
    its CSV annex has one row per milestone."""
    staff, plan, *_ = co_created
    report = _render(staff, plan, ReportKind.PLAN, django_capture_on_commit_callbacks)
    assert report.title == plan.title
    assert report.page_count >= 2
    text = _text(report.pdf.name, tmp_path)
    for expected in (
        "Avant-propos",
        "Le cinquième plan de la France, co-construit avec la société civile.",
        "Axe 1 — Transparence de l'action publique",
        "Ouvrir le registre des lobbies",
        "Former les élus à la participation",
        "Quel est le problème ?",
        "Registre publié en données ouvertes",
    ):
        assert expected in text, expected
    rows = list(
        csv.DictReader(io.StringIO(default_storage.open(report.annex_csv.name).read().decode()))
    )
    assert [r["engagement_intitule"] for r in rows] == [
        "Ouvrir le registre des lobbies",
        "Former les élus à la participation",
    ]
    assert rows[0]["jalon_livrable"] == "Registre publié en données ouvertes"
    annex = json.loads(default_storage.open(report.annex_json.name).read())
    assert annex["engagements"][0]["jalons"][0]["jalon_livrable"] == (
        "Registre publié en données ouvertes"
    )
    assert annex["engagements"][1]["jalons"] == []


def test_the_cocreation_record_has_calendar_figures_fates_responses_and_opinions(
    co_created, django_capture_on_commit_callbacks, tmp_path
):
    """The record reads the calendar as announced and as held, participation by kind of
    participant, every proposal with its fate and reasoned response, the opinions by
    college; its annexes carry the proposals, the responses and the opinions."""
    staff, plan, kept, refused = co_created
    report = _render(staff, plan, ReportKind.COCREATION, django_capture_on_commit_callbacks)
    text = _text(report.pdf.name, tmp_path)
    for expected in (
        "Rapport de co-construction",
        "Le calendrier, annoncé et tenu",
        "(modifiée)",
        "Une semaine de plus pour la publication, à la demande du forum.",
        "Démarrage avancé pour la démonstration.",
        "Représentant·e d'association",
        "Citoyen·ne",
        f"Proposition n° {refused.pk} : Registre des délibérations",
        "Non retenue",
        RESPONSE,
        "En attente de la réponse du gouvernement",
        "Collège « Associations »",
        "Collège « Chercheurs »",
        "Voix citoyennes",
        "LabDémo",
        "Réservé",
        OPINION,
    ):
        assert expected in text, expected
    rows = list(
        csv.DictReader(io.StringIO(default_storage.open(report.annex_csv.name).read().decode()))
    )
    assert {r["id"]: r["suite"] for r in rows} == {
        str(kept.pk): "en_attente",
        str(refused.pk): "non_retenue",
    }
    annex = json.loads(default_storage.open(report.annex_json.name).read())
    assert [r["texte"] for r in annex["reponses"]] == [RESPONSE]
    assert sorted(o["college"] for o in annex["avis"]) == ["Associations", "Chercheurs"]
    assert annex["calendrier"][0]["annoncee"] is not None


def test_the_documents_read_a_bounded_number_of_queries(
    co_created, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """Collecting a document's data does not grow with its proposals or opinions."""
    staff, plan, kept, _refused = co_created
    report = Report(kind=ReportKind.COCREATION, plan=plan, title="t")
    with django_assert_max_num_queries(14):
        build_record_data(report)
    for n in range(5):
        ProposalFactory(process=kept.process, submitted=True, title=f"Encore {n}")
    with django_assert_max_num_queries(14):
        build_record_data(report)
    with django_assert_max_num_queries(8):
        build_plan_data(Report(kind=ReportKind.PLAN, plan=plan, title="t"))


def test_other_cocreations_stay_out_of_the_record(
    co_created, django_capture_on_commit_callbacks, tmp_path
):
    """The record's annex holds its own co-creation's proposals, not another plan's."""
    staff, plan, *_ = co_created
    other = ProposalFactory(submitted=True, title="Proposition d'un autre plan")
    report = _render(staff, plan, ReportKind.COCREATION, django_capture_on_commit_callbacks)
    annex = json.loads(default_storage.open(report.annex_json.name).read())
    assert other.pk not in {p["id"] for p in annex["propositions"]}
    assert "Proposition d'un autre plan" not in _text(report.pdf.name, tmp_path)


def test_a_plan_without_cocreation_has_no_record(db):
    """Staff asking the record of a plan that was not co-created here get a French error."""
    staff = UserFactory(role=Role.STAFF)
    plan = CommitmentFactory().plan
    with pytest.raises(ValidationError) as error:
        services.report_request(
            author=staff,
            kind=ReportKind.COCREATION,
            plan=plan,
            period_start=timezone.localdate(),
            period_end=timezone.localdate(),
        )
    assert "co-construit" in str(error.value)


def test_the_request_form_needs_no_period_for_a_plan_document(co_created):
    """The staff form accepts the plan's documents without dates, and still asks the
    dates of a progress report."""
    _staff, plan, *_ = co_created
    form = ReportRequestForm({"kind": ReportKind.PLAN, "plan": plan.pk})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["period_start"] == timezone.localdate()
    form = ReportRequestForm({"kind": ReportKind.PROGRESS, "plan": plan.pk})
    assert not form.is_valid()
    assert form.errors["period_start"] and form.errors["period_end"]


def test_the_plan_page_links_both_published_documents(
    co_created, client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """Once staff published them, the plan's page links the plan and the record, whose
    PDFs anyone downloads; before, nothing is shown and the files are private."""
    staff, plan, *_ = co_created
    documents = [
        _render(staff, plan, kind, django_capture_on_commit_callbacks)
        for kind in (ReportKind.PLAN, ReportKind.COCREATION)
    ]
    url = reverse("engagements:plan_detail", kwargs={"slug": plan.slug})
    page = client.get(url).content.decode()
    assert "Documents du plan" not in page
    pdf = reverse("reports:download", args=[documents[0].pk, "rapport.pdf"])
    assert client.get(pdf).status_code == 404
    for report in documents:
        services.report_publish(actor=staff, report=report)
    with django_assert_num_queries(1):
        assert plan_documents_section(plan=plan) is not None
    page = client.get(url).content.decode()
    assert "Documents du plan" in page
    assert "Le plan d'action" in page and "Le rapport de co-construction" in page
    for report in documents:
        assert reverse("reports:download", args=[report.pk, "rapport.pdf"]) in page
        assert reverse("reports:download", args=[report.pk, "annexe.csv"]) in page
    listed = client.get(reverse("reports:public_list")).content.decode()
    assert f"au {timezone.localdate():%d/%m/%Y}" in listed  # a date, not a period
    response = client.get(pdf)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_latest_published_document_of_each_kind_is_linked(
    co_created, client, django_capture_on_commit_callbacks
):
    """A plan generated again shows only its latest published document."""
    staff, plan, *_ = co_created
    old, new = (
        _render(staff, plan, ReportKind.PLAN, django_capture_on_commit_callbacks) for _ in range(2)
    )
    services.report_publish(actor=staff, report=old)
    services.report_publish(actor=staff, report=new)
    page = client.get(reverse("engagements:plan_detail", kwargs={"slug": plan.slug})).content
    assert reverse("reports:download", args=[new.pk, "rapport.pdf"]).encode() in page
    assert reverse("reports:download", args=[old.pk, "rapport.pdf"]).encode() not in page
    assert Report.objects.filter(plan=plan).count() == 2


def test_staff_generate_both_documents_from_the_plans_back_office(
    co_created, client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """On the plan's back-office page, one button generates the plan and the record; the
    page then shows each with its progress and links to its page."""
    staff, plan, *_ = co_created
    client.force_login(staff)
    page = reverse("engagements:bo_plan_edit", kwargs={"slug": plan.slug})
    assert "Générer les documents du plan" in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:staff_plan_documents", args=[plan.slug]))
    assert response.status_code == 302
    assert response["Location"] == page + "#documents"
    reports = list(Report.objects.filter(plan=plan).order_by("kind"))
    assert [r.kind for r in reports] == [ReportKind.COCREATION, ReportKind.PLAN]
    assert {r.state for r in reports} == {ReportState.READY}
    with django_assert_max_num_queries(30):
        html = client.get(page).content.decode()
    assert "Générer à nouveau les documents du plan" in html
    for report in reports:
        assert report.get_absolute_url() in html
        assert f'id="rapport-{report.pk}-etat"' in html


def test_a_plan_not_co_created_gets_only_its_document(
    db, client, django_capture_on_commit_callbacks
):
    """The current plan, not co-created on the platform, gets its document only."""
    staff = UserFactory(role=Role.STAFF)
    plan = CommitmentFactory(title="Instituer le Forum ouvert").plan
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:staff_plan_documents", args=[plan.slug]))
    assert list(Report.objects.values_list("kind", flat=True)) == [ReportKind.PLAN]


def test_only_staff_generate_the_documents(co_created, client):
    """A citizen posting to the generation gets a refusal and nothing is queued."""
    _staff, plan, *_ = co_created
    client.force_login(UserFactory(role=Role.CITIZEN))
    response = client.post(reverse("reports:staff_plan_documents", args=[plan.slug]))
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_a_calendar_published_without_its_record_says_so(
    django_capture_on_commit_callbacks, tmp_path
):
    """A calendar published before the platform kept its publication (the demo's) is shown
    as held, saying that the calendar as announced was not recorded."""
    staff = UserFactory(role=Role.STAFF)
    process = ProcessFactory(current=PhaseKind.DELIBERATION)
    ProposalFactory(process=process, submitted=True, title="Budget ouvert")
    report = _render(staff, process.plan, ReportKind.COCREATION, django_capture_on_commit_callbacks)
    text = _text(report.pdf.name, tmp_path)
    assert "n'a pas enregistré le calendrier tel qu'il a été publié" in text
    assert "non enregistrée" in text
    assert "(modifiée)" not in text


def _plan_form(plan, **changes) -> dict:
    """The back-office plan form as posted, with ``changes``."""
    data = {
        "title": plan.title,
        "title_en": plan.title_en,
        "slug": plan.slug,
        "summary": plan.summary,
        "status": plan.status,
        "ogp_cycle": plan.ogp_cycle,
        "coordinator": plan.coordinator,
        "launched_on": plan.launched_on or "",
        "starts_on": plan.starts_on or "",
        "ends_on": plan.ends_on or "",
    }
    if plan.is_current:
        data["is_current"] = "on"
    return {**data, **changes}


def test_publishing_the_plan_generates_both_documents(
    co_created, client, django_capture_on_commit_callbacks
):
    """Staff publish the plan under co-construction (it becomes « en cours ») from its
    back-office form: the plan and the record of its co-creation are rendered by the task,
    marked automatic, and wait on the plan's page to be published as any report."""
    staff, plan, *_ = co_created
    client.force_login(staff)
    page = reverse("engagements:bo_plan_edit", kwargs={"slug": plan.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, _plan_form(plan, status=PlanStatus.CURRENT))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CURRENT
    reports = list(Report.objects.filter(plan=plan).order_by("kind"))
    assert [(r.kind, r.state, r.is_automatic, r.author) for r in reports] == [
        (ReportKind.COCREATION, ReportState.READY, True, staff),
        (ReportKind.PLAN, ReportState.READY, True, staff),
    ]
    html = client.get(page).content.decode()
    for report in reports:
        assert report.get_absolute_url() in html


def test_only_the_publication_generates_the_documents(
    co_created, client, django_capture_on_commit_callbacks
):
    """Saving the plan under co-construction, or again once published, or closing it,
    generates nothing: the documents go with the publication only, once."""
    staff, plan, *_ = co_created
    client.force_login(staff)
    page = reverse("engagements:bo_plan_edit", kwargs={"slug": plan.slug})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, _plan_form(plan, summary="Une présentation revue."))
    assert not Report.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, _plan_form(plan, status=PlanStatus.CURRENT))
    assert Report.objects.count() == 2
    plan.refresh_from_db()
    for status in (PlanStatus.CURRENT, PlanStatus.CLOSED):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(page, _plan_form(plan, status=status))
    assert Report.objects.count() == 2


def test_a_publication_whose_documents_fail_is_undone(co_created, monkeypatch):
    """The documents are requested in the publication's transaction: if that fails, the
    plan stays under co-construction, with no audit row of a publication."""
    staff, plan, *_ = co_created

    def broken(**kwargs):
        raise ValidationError("Stockage indisponible.")

    monkeypatch.setattr(services, "plan_documents_request", broken)
    plan.status = PlanStatus.CURRENT
    with pytest.raises(ValidationError):
        engagements_services.plan_save(actor=staff, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CO_CONSTRUCTION
    assert not AuditLog.objects.filter(action="engagements.plan.update").exists()
