"""A report in English (issue 18, item 5): asked for on the request form, stored on the
report, its PDF rendered in English (words, dates, numbers, the English texts of the plan
where they exist) and tagged ``/Lang (en)``; the French report stays as it was."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone, translation

from engagements import services as engagement_services
from engagements.models import CommitmentStatus
from forum_ouvert.reports import services
from forum_ouvert.reports.models import Report, ReportKind, ReportState
from tests.core.test_pdf import _inflate
from tests.engagements.factories import AxisFactory, CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

WHY = "Point d'étape validé en comité de pilotage."


@pytest.fixture
def history(plan, make_user):
    staff = make_user("ditp", display_name="Agent DITP", preferred_language="en")
    axis = AxisFactory(plan=plan, number=1, title="Participation citoyenne")
    first = CommitmentFactory(
        plan=plan,
        axis=axis,
        title="Instituer le Forum ouvert",
        title_en="Establish the Open Forum",
    )
    CommitmentFactory(plan=plan, axis=axis, title="Former les agents publics")
    engagement_services.commitment_update(
        actor=staff,
        commitment=first,
        changes={"status": CommitmentStatus.SUBSTANTIAL, "progress": 60},
        justification=WHY,
    )
    MilestoneFactory(commitment=first, deliverable="Charte publiée", deliverable_en="Charter out")
    return staff


def _render(staff, plan, language, callbacks) -> Report:
    today = timezone.localdate()
    with callbacks(execute=True):
        report = services.report_request(
            author=staff,
            kind=ReportKind.ACCOUNTABILITY,
            plan=plan,
            period_start=today - dt.timedelta(days=30),
            period_end=today,
            language=language,
        )
    report.refresh_from_db()
    assert report.state == ReportState.READY, report.error
    return report


def _pdf(report) -> bytes:
    with default_storage.open(report.pdf.name, "rb") as fh:
        return fh.read()


def _text(report, tmp_path) -> str:
    path = tmp_path / f"rapport-{report.pk}.pdf"
    path.write_bytes(_pdf(report))
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    # Words hyphenated at a line end come back as "Fo‐ rum": join them again.
    return re.sub(r"\u2010 ", "", " ".join(out.split()))


def test_an_english_report_is_in_english_and_tagged_en(
    plan, history, tmp_path, django_capture_on_commit_callbacks
):
    """Requested in English: English headings, statuses, dates and titles (the French where
    no English exists), ``/Lang (en)`` in the catalog, the e-mail in English too —
    rendered from a French worker."""
    with translation.override("fr"):
        report = _render(history, plan, "en", django_capture_on_commit_callbacks)
    assert report.language == "en"
    assert report.title.startswith("Accountability report — ")
    text = _text(report, tmp_path)
    for expected in [
        "Contents",
        "Summary",
        "Completion at the end of the period",
        "Establish the Open Forum",
        "Former les agents publics",  # no English title: the French, marked lang="fr"
        "Not started → Substantial",
        "0% → 60%",
        "Charter out",
        "Milestones of commitment no.",
        "Annex: methods and sources",
        f"Period from {report.period_start.day} ",
    ]:
        assert expected in text, expected
    # The journal's own words stay French (« Non commencé » in a change's old value).
    for french in ["Sommaire", "Synthèse", "Annexe : méthodes", "Jalons de", " sur 7", "Axe 1"]:
        assert french not in text, french
    assert "Page 1 of " in text or "Page 2 of " in text
    inflated = _inflate(_pdf(report))
    assert re.search(rb"/Lang\s*\(en\)", inflated)
    assert not re.search(rb"/Lang\s*\(fr\)", inflated)
    message = mail.outbox[-1]
    assert message.subject.startswith("[Forum ouvert] Report ready: Accountability report")
    assert "/en/" in message.body


def test_the_french_report_is_unchanged(
    plan, history, tmp_path, django_capture_on_commit_callbacks
):
    """Requested in French (the default) — even from an English page — the PDF is French,
    tagged ``/Lang (fr)``, its dates and numbers as before."""
    with translation.override("en"):
        report = _render(history, plan, "fr", django_capture_on_commit_callbacks)
    assert report.language == "fr"
    assert report.title.startswith("Rapport de redevabilité — ")
    text = _text(report, tmp_path)
    for expected in [
        "Sommaire",
        "Synthèse",
        "Instituer le Forum ouvert",
        "Non commencé → Substantiel",
        "0 % → 60 %",
        "Charte publiée",
        "Annexe : méthodes et sources",
        f"{timezone.localdate():%d/%m/%Y}",
    ]:
        assert expected in text, expected
    assert "Establish the Open Forum" not in text and "Contents" not in text
    assert re.search(rb"/Lang\s*\(fr\)", _inflate(_pdf(report)))


def test_the_request_form_offers_english_and_keeps_input_when_refused(client, plan, make_user):
    """Staff choose the language on the form; a language the site does not speak is
    refused in French, the other choices kept."""
    client.force_login(make_user("ditp"))
    url = reverse("reports:staff_list")
    page = client.get(url).content.decode()
    assert "Langue du rapport" in page and 'value="en"' in page
    today = timezone.localdate()
    data = {
        "kind": ReportKind.PROGRESS,
        "plan": plan.pk,
        "period_start": (today - dt.timedelta(days=7)).isoformat(),
        "period_end": today.isoformat(),
        "language": "de",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sélectionnez un choix valide" in body
    assert f'value="{data["period_start"]}"' in body
    assert not Report.objects.exists()
    response = client.post(url, data | {"language": "en"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.language == "en" and report.title.startswith("Progress report, from ")
    # On the French staff pages, the English title is marked as English (RGAA 8.7).
    detail = client.get(report.get_absolute_url()).content.decode()
    assert f'<h1 class="fr-h2" lang="en">{report.title}</h1>' in detail and "en anglais" in detail
    listing = client.get(url).content.decode()
    assert f'lang="en">{report.title}</a>' in listing


def test_the_plans_documents_stay_french(plan, make_user):
    """The plan's document and the co-creation record are not translated yet: English is
    refused for them, in words."""
    with pytest.raises(ValidationError) as refused:
        services.report_request(
            author=make_user("ditp"),
            kind=ReportKind.PLAN,
            plan=plan,
            period_start=timezone.localdate(),
            period_end=timezone.localdate(),
            language="en",
        )
    assert "qu'en français" in str(refused.value)
