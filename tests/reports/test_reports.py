"""Reports: snapshots, the state machine, the PDF's content, idempotent rendering, failures."""

import datetime as dt
import json
import re
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from engagements import services as engagement_services
from engagements.models import CommitmentStatus
from forum_ouvert.reports import services
from forum_ouvert.reports.models import CommitmentSnapshot, Report, ReportState, SiteSnapshot
from tests.engagements.factories import AxisFactory, CommitmentFactory, MilestoneFactory

R = ReportState
WHY = "Point d'étape validé en comité de pilotage."


@pytest.fixture
def plan_with_history(plan, make_user):
    staff = make_user("ditp", display_name="Agent DITP")
    axis = AxisFactory(plan=plan, number=1, title="Participation citoyenne")
    commitments = [
        CommitmentFactory(plan=plan, axis=axis, title="Instituer le Forum ouvert"),
        CommitmentFactory(plan=plan, axis=axis, title="Former les agents publics"),
        CommitmentFactory(plan=plan, title="", title_confirmed=False),
    ]
    engagement_services.commitment_update(
        actor=staff,
        commitment=commitments[0],
        changes={"status": CommitmentStatus.SUBSTANTIAL, "progress": 60},
        justification=WHY,
    )
    MilestoneFactory(commitment=commitments[1], deliverable="Référentiel de formation publié")
    return staff, commitments


def _pdftotext(report) -> str:
    with (
        default_storage.open(report.pdf.name, "rb") as fh,
        open("/tmp/fo-report-test.pdf", "wb") as out,
    ):
        out.write(fh.read())
    return subprocess.run(
        ["pdftotext", "-layout", "/tmp/fo-report-test.pdf", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _request(staff, plan, **kwargs):
    today = timezone.localdate()
    return services.report_request(
        author=staff,
        kind=kwargs.pop("kind", "redevabilite"),
        plan=plan,
        period_start=kwargs.pop("period_start", today - dt.timedelta(days=30)),
        period_end=kwargs.pop("period_end", today),
        **kwargs,
    )


@pytest.mark.django_db
def test_snapshot_twice_a_day_does_not_duplicate(plan_with_history):
    """The daily snapshot can run twice: one row per commitment and one site row per day."""
    services.snapshot_take()
    services.snapshot_take()
    assert CommitmentSnapshot.objects.count() == 3
    assert SiteSnapshot.objects.count() == 1
    snap = CommitmentSnapshot.objects.get(commitment=plan_with_history[1][0])
    assert (snap.status, snap.progress) == ("substantiel", 60)
    services.snapshot_take(day=timezone.localdate() + dt.timedelta(days=1))
    assert CommitmentSnapshot.objects.count() == 6


@pytest.mark.django_db
def test_report_content_states_every_commitment(
    plan, plan_with_history, django_capture_on_commit_callbacks
):
    """The PDF names every commitment, its status and the period's figures; it is tagged."""
    staff, commitments = plan_with_history
    for days_ago in (20, 10, 0):
        services.snapshot_take(day=timezone.localdate() - dt.timedelta(days=days_ago))
    with django_capture_on_commit_callbacks(execute=True):
        report = _request(staff, plan)
    report.refresh_from_db()
    assert report.state == R.READY, report.error
    assert report.progress == 100 and report.page_count >= 6
    # Words hyphenated at a line end come back as "Fo‐ rum": join them again.
    text = re.sub(r"\u2010 ", "", " ".join(_pdftotext(report).split()))
    for expected in [
        "Instituer le Forum ouvert",
        "Former les agents publics",
        "Intitulé à compléter",
        "Non commencé → Substantiel",
        "0 % → 60 %",
        "Référentiel de formation publié",
        WHY,
        "Sommaire",
        "Avancement moyen sur la période",
        "Annexe : méthodes et sources",
    ]:
        assert expected in text, expected
    with default_storage.open(report.pdf.name, "rb") as fh:
        pdf = fh.read()
    with open("/tmp/fo-report-test.pdf", "wb") as out:
        out.write(pdf)
    info = subprocess.run(
        ["pdfinfo", "/tmp/fo-report-test.pdf"], capture_output=True, text=True, check=True
    ).stdout
    assert "Tagged:          yes" in info and report.title[:30] in info
    annex = json.loads(default_storage.open(report.annex_json.name).read())
    assert len(annex["engagements"]) == 3
    assert annex["engagements"][0]["avancement_fin"] == 60
    csv_lines = default_storage.open(report.annex_csv.name).read().decode().splitlines()
    assert len(csv_lines) == 4 and csv_lines[0].startswith("numero,intitule")
    assert len(mail.outbox) == 1 and "Rapport prêt" in mail.outbox[0].subject


@pytest.mark.django_db
def test_rendering_twice_gives_one_set_of_files(
    plan, plan_with_history, django_capture_on_commit_callbacks
):
    """A second run of the task leaves the ready report and its three files alone."""
    staff, _ = plan_with_history
    with django_capture_on_commit_callbacks(execute=True):
        report = _request(staff, plan)
    assert services.report_render(report_id=report.pk) is None
    # Even a forced second render (a redelivered message after a crash) replaces, not adds.
    Report.objects.filter(pk=report.pk).update(state=R.RENDERING, heartbeat_at=None)
    services.report_render(report_id=report.pk)
    _, files = default_storage.listdir(f"reports/{report.pk}")
    assert sorted(files) == [
        f"annexe-{report.pk}.csv",
        f"annexe-{report.pk}.json",
        f"rapport-{report.pk}.pdf",
    ]
    report.refresh_from_db()
    assert report.state == R.READY and report.attempts == 2


@pytest.mark.django_db
def test_a_broken_render_ends_in_failure_with_a_readable_error(
    plan, plan_with_history, monkeypatch, django_capture_on_commit_callbacks
):
    """A broken image in the document fails the render visibly, never hangs."""
    staff, _ = plan_with_history
    from forum_ouvert.reports import services as svc

    original = svc.render_to_string
    monkeypatch.setattr(
        svc,
        "render_to_string",
        lambda *a, **k: original(*a, **k).replace(
            "<body>", '<body><img src="/static/nexiste-pas.png" alt="">'
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = _request(staff, plan)
    report.refresh_from_db()
    assert report.state == R.FAILED
    assert "nexiste-pas.png" in report.error or "introuvable" in report.error
    assert "Échec du rapport" in mail.outbox[-1].subject


@pytest.mark.django_db
def test_state_machine(plan, plan_with_history):
    """Publishing needs a ready report; only a failed report can be retried."""
    staff, _ = plan_with_history
    report = Report.objects.create(
        kind="avancement",
        plan=plan,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 1, 31),
        title="T",
    )
    with pytest.raises(ValidationError, match="prêt"):
        services.report_publish(actor=staff, report=report)
    with pytest.raises(ValidationError, match="impossible ; états possibles"):
        services.report_retry(actor=staff, report=report)
    Report.objects.filter(pk=report.pk).update(state=R.FAILED, error="boum")
    report = services.report_retry(actor=staff, report=report)
    assert report.state == R.PENDING and report.error == ""


@pytest.mark.django_db
def test_sweeper_requeues_a_report_whose_worker_died(
    plan, plan_with_history, settings, django_capture_on_commit_callbacks
):
    """A report left « en cours » by a dead worker is put back and finished."""
    settings.REPORTS_STALE_AFTER = 60
    staff, _ = plan_with_history
    report = Report.objects.create(
        kind="avancement",
        plan=plan,
        period_start=dt.date(2025, 1, 1),
        period_end=timezone.localdate(),
        title="Interrompu",
        state=R.RENDERING,
        attempts=1,
        heartbeat_at=timezone.now() - dt.timedelta(minutes=5),
    )
    fresh = Report.objects.create(
        kind="avancement",
        plan=plan,
        period_start=dt.date(2025, 1, 1),
        period_end=timezone.localdate(),
        title="Vivant",
        state=R.RENDERING,
        attempts=1,
        heartbeat_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_stale_reports() == [report.pk]
    report.refresh_from_db()
    fresh.refresh_from_db()
    assert report.state == R.READY and report.attempts == 2
    assert fresh.state == R.RENDERING


@pytest.mark.django_db
def test_monthly_report_is_created_once(
    plan, plan_with_history, django_capture_on_commit_callbacks
):
    """The monthly report covers last month, waits unpublished, and is not duplicated."""
    with django_capture_on_commit_callbacks(execute=True):
        first = services.monthly_progress_report(today=dt.date(2026, 11, 3))
    second = services.monthly_progress_report(today=dt.date(2026, 11, 20))
    assert first.pk == second.pk
    assert (first.period_start, first.period_end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    first.refresh_from_db()
    assert first.is_automatic and not first.is_published and first.state == R.READY
    assert {m.to[0] for m in mail.outbox} == {plan_with_history[0].email}


@pytest.mark.django_db
def test_the_report_e_mail_is_sent_once_per_outcome(
    plan, plan_with_history, django_capture_on_commit_callbacks
):
    """A second delivery of the notification task sends nothing; a report finished again
    after a retry is announced again."""
    staff, _ = plan_with_history
    with django_capture_on_commit_callbacks(execute=True):
        report = _request(staff, plan)
    assert len(mail.outbox) == 1
    assert services.report_notify(report_id=report.pk) == 0
    assert len(mail.outbox) == 1
    Report.objects.filter(pk=report.pk).update(finished_at=timezone.now())
    assert services.report_notify(report_id=report.pk) == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_annex_holds_the_period_s_changes_and_the_pdf_the_latest_ten(plan, make_user):
    """A commitment changed 13 times within the period, once before and once after it: the
    JSON annex lists the 13, oldest first, with their authors; the PDF's section counts 13
    and shows the 10 latest, newest first; the values at the period's bounds come from the
    changes just outside it."""
    import tempfile

    from forum_ouvert.reports.content import build_report_data
    from tests.engagements.factories import JournalEntryFactory

    staff = make_user("ditp", display_name="Agente DITP")
    commitment = CommitmentFactory(plan=plan, status=CommitmentStatus.SUBSTANTIAL, progress=90)
    day = dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)

    def change(days: int, old: int, new: int, actor=None):
        JournalEntryFactory(
            commitment=commitment,
            actor=actor,
            created_at=day + dt.timedelta(days=days),
            old_value=f"{old} %",
            new_value=f"{new} %",
        )

    change(-10, 0, 5)  # before the period
    for n in range(13):
        change(n, 5 + n, 6 + n, actor=staff if n % 2 else None)
    change(40, 18, 90)  # after the period
    report = Report(
        kind="redevabilite",
        plan=plan,
        title="Rapport",
        period_start=dt.date(2025, 3, 1),
        period_end=dt.date(2025, 3, 20),
    )
    data = build_report_data(report)
    section = data.sections[0]
    assert (section.progress_start, section.progress_end) == (5, 18)
    assert (section.entries_count, section.entries_not_shown) == (13, 3)
    assert [e.new_value for e in section.entries_shown] == [f"{n} %" for n in range(18, 8, -1)]
    assert data.summary["changes"] == 13
    with tempfile.TemporaryFile() as out:
        services.annex_json(data, out)
        out.seek(0)
        annex = json.loads(out.read())
    history = annex["engagements"][0]["historique"]
    assert [h["apres"] for h in history] == [f"{n} %" for n in range(6, 19)]
    assert [h["auteur"] for h in history[:2]] == ["", "Agente DITP"]
    assert dt.datetime.fromisoformat(history[0]["date"]) == day
    assert annex["engagements"][0]["changements_periode"] == 13
