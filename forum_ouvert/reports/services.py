"""Reports and snapshots: request, render (in the background), publish, sweep, snapshot.

The report's state machine: PENDING → RENDERING → READY, or FAILED (staff may retry:
FAILED → PENDING). Rendering is idempotent: it claims the report under a row lock, writes
its files under fixed names (replacing any earlier attempt's), and a READY report is
never rendered again. A worker that dies leaves the report RENDERING with a stale
heartbeat: the sweeper puts it back to PENDING and queues it again.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import subprocess
import tempfile
import time
from itertools import groupby
from operator import itemgetter
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import OperationalError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from engagements.models import ActionPlan, Commitment, MilestoneStatus
from engagements.selectors import commitments_with_badges
from forum_ouvert.core import spreadsheet
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.choices import Role
from forum_ouvert.core.i18n import translated
from forum_ouvert.core.links import absolute_url, site_url
from forum_ouvert.core.mail import language_of, mail_send, speaking_to
from forum_ouvert.core.models import DemoDataset, User
from forum_ouvert.core.outbox import enqueue
from forum_ouvert.core.pdf import render_pdf
from forum_ouvert.core.states import StateMachine
from participation.cocreation.models import Process

from .content import ReportData, build_report_data, period_changes_json
from .documents import DOCUMENTS, Document
from .figures import participation_figures
from .models import (
    PLAN_DOCUMENT_KINDS,
    CommitmentSnapshot,
    Report,
    ReportKind,
    ReportState,
    SiteSnapshot,
)

logger = logging.getLogger(__name__)
R = ReportState

TRANSITIONS: dict[str, set[str]] = {
    R.PENDING: {R.RENDERING, R.FAILED},
    # PENDING: re-queued by the sweeper; RENDERING: a dead worker's claim taken over.
    R.RENDERING: {R.READY, R.FAILED, R.PENDING, R.RENDERING},
    R.READY: set(),
    R.FAILED: {R.PENDING},
}
REPORT_STATES = StateMachine(
    field="state", states=ReportState, transitions=TRANSITIONS, action="reports.report.state"
)


def _title(kind: str, plan: ActionPlan, start: dt.date, end: dt.date, commitment=None) -> str:
    """The report's title in the active language (``report_request`` sets the report's)."""
    plan_title = translated(plan, "title")[0]
    if kind == ReportKind.PLAN:
        return plan_title
    if kind == ReportKind.COCREATION:
        return _("Rapport de co-construction — %(plan)s") % {"plan": plan_title}
    shape = "%Y-%m-%d" if translation.get_language() == "en" else "%d/%m/%Y"
    period = _("du %(start)s au %(end)s") % {
        "start": start.strftime(shape),
        "end": end.strftime(shape),
    }
    if kind == ReportKind.COMMITMENT and commitment is not None:
        return _("Rapport de l'engagement n° %(n)s, %(period)s") % {
            "n": commitment.number,
            "period": period,
        }
    if kind == ReportKind.ACCOUNTABILITY:
        return _("Rapport de redevabilité — %(plan)s, %(period)s") % {
            "plan": plan_title,
            "period": period,
        }
    return _("Rapport d'avancement, %(period)s") % {"period": period}


def _queue(report_id: int) -> None:
    enqueue("reports.render", report_id)


@transaction.atomic
def report_request(
    *,
    author: User | None,
    kind: str,
    plan: ActionPlan,
    period_start: dt.date,
    period_end: dt.date,
    commitment: Commitment | None = None,
    automatic: bool = False,
    language: str = settings.LANGUAGE_CODE,
) -> Report:
    """Create a PENDING report, written in ``language`` (its title now, its PDF when
    rendered), and queue its rendering once the transaction commits."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choisissez le français ou l'anglais.")})
    if language != settings.LANGUAGE_CODE and kind in PLAN_DOCUMENT_KINDS:
        raise ValidationError(
            {
                "language": _(
                    "Le document du plan et le rapport de co-construction n'existent qu'en "
                    "français pour l'instant."
                )
            }
        )
    if kind != ReportKind.COMMITMENT:
        commitment = None
    if commitment is not None and commitment.plan_id != plan.pk:
        raise ValidationError({"commitment": _("Cet engagement n'appartient pas à ce plan.")})
    if kind == ReportKind.COCREATION and not Process.objects.filter(plan=plan).exists():
        raise ValidationError({"plan": _("Ce plan n'a pas été co-construit sur la plateforme.")})
    if kind in PLAN_DOCUMENT_KINDS:  # the day of the document, not a period
        period_start = period_end = timezone.localdate()
    report = Report(
        kind=kind,
        plan=plan,
        commitment=commitment,
        period_start=period_start,
        period_end=period_end,
        author=author,
        is_automatic=automatic,
        language=language,
    )
    with translation.override(language):
        report.title = _title(kind, plan, period_start, period_end, commitment)
    report.full_clean()
    report.save()
    changes = (
        {"kind": kind}
        if language == settings.LANGUAGE_CODE
        else {"kind": kind, "language": language}
    )
    audit_log(actor=author, action="reports.report.request", target=report, changes=changes)
    _queue(report.pk)
    return report


@transaction.atomic
def plan_documents_request(
    *, author: User, plan: ActionPlan, automatic: bool = False
) -> list[Report]:
    """Generate the documents published with ``plan``: the plan itself, and the record of
    its co-creation when it was co-created here (each a report, queued on commit).
    ``automatic``: asked by the plan's publication (:func:`documents_at_publication`)."""
    today = timezone.localdate()
    kinds = [ReportKind.PLAN]
    if Process.objects.filter(plan=plan).exists():
        kinds.append(ReportKind.COCREATION)
    return [
        report_request(
            author=author,
            kind=kind,
            plan=plan,
            period_start=today,
            period_end=today,
            automatic=automatic,
        )
        for kind in kinds
    ]


def documents_at_publication(sender, *, plan: ActionPlan, actor: User, **kwargs) -> None:
    """``engagements.signals.plan_published``: the plan just published gets its documents
    (issue 16, item 8), in the publication's transaction; staff follow their progress and
    publish them from the plan's back-office page, as any report."""
    plan_documents_request(author=actor, plan=plan, automatic=True)


def _claim(report_id: int) -> Report | None:
    """Take the report for rendering; None when there is nothing (left) to do."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.state in (R.READY, R.FAILED):
            return None
        if report.state == R.RENDERING and not _is_stale(report):
            return None  # another worker is on it
        REPORT_STATES.move(report, R.RENDERING, actor=None, save=False)
        now = timezone.now()
        report.attempts += 1
        report.started_at = report.heartbeat_at = now
        report.progress, report.progress_label, report.error = 1, _("Préparation"), ""
        report.save()
        return report


def _is_stale(report: Report) -> bool:
    limit = dt.timedelta(seconds=settings.REPORTS_STALE_AFTER)
    return report.heartbeat_at is None or report.heartbeat_at < timezone.now() - limit


def _step(report: Report, progress: int, label: str) -> None:
    """Record progress (its own tiny write, visible at once to the polling page)."""
    report.progress, report.progress_label, report.heartbeat_at = progress, label, timezone.now()
    Report.objects.filter(pk=report.pk, state=R.RENDERING).update(
        progress=progress, progress_label=label, heartbeat_at=report.heartbeat_at
    )
    delay = getattr(settings, "REPORTS_STEP_DELAY", 0)
    if delay:  # lets a test kill a worker in the middle of a render
        time.sleep(delay)


def _store(name: str, content: bytes | IO[bytes]) -> str:
    if default_storage.exists(name):
        default_storage.delete(name)
    if isinstance(content, bytes):
        return default_storage.save(name, ContentFile(content))
    content.seek(0)
    return default_storage.save(name, File(content, name=name))


def report_render(*, report_id: int) -> Report | None:
    """Render a report's PDF and its CSV/JSON annex; READY or FAILED at the end."""
    report = _claim(report_id)
    if report is None:
        return None
    try:
        document = DOCUMENTS.get(report.kind, REPORT)
        _step(report, 10, _("Collecte des données"))
        # The PDF in the report's language, whatever the worker's: its words, dates and
        # numbers, and <html lang> (WeasyPrint writes it as the catalog's /Lang).
        with translation.override(report.language):
            data = document.build(report)
        _step(report, 35, _("Mise en page"))
        with translation.override(report.language):
            html = render_to_string(
                document.template,
                {
                    "data": data,
                    "report": report,
                    "demo": DemoDataset.objects.exists(),
                    "site_url": site_url(),
                },
            )
        _step(report, 50, _("Rendu du PDF"))
        pdf = render_pdf(html, strict=True)
        _step(report, 85, _("Annexes"))
        base = f"reports/{report.pk}"
        names = {
            "pdf": _store(f"{base}/rapport-{report.pk}.pdf", pdf),
            "annex_csv": _store(f"{base}/annexe-{report.pk}.csv", document.annex_csv(data)),
        }
        with tempfile.TemporaryFile() as annex:  # streamed: the period's whole journal
            document.annex_json(data, annex)
            _step(report, 95, _("Enregistrement"))
            names["annex_json"] = _store(f"{base}/annexe-{report.pk}.json", annex)
    except OperationalError:
        raise  # a passing failure: the task retries (core.tasks)
    except Exception as exc:  # any rendering failure must end in a readable FAILED state
        logger.exception("Échec du rendu du rapport %s", report_id)
        return _finish_failed(report_id, exc)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.state != R.RENDERING:
            return report
        REPORT_STATES.move(report, R.READY, actor=None, save=False)
        report.pdf.name, report.annex_csv.name, report.annex_json.name = (
            names["pdf"],
            names["annex_csv"],
            names["annex_json"],
        )
        report.pdf_size, report.page_count = len(pdf), _page_count(pdf)
        report.progress, report.progress_label = 100, _("Prêt")
        report.finished_at = timezone.now()
        report.save()
        _notify(report.pk)
    return report


def _finish_failed(report_id: int, exc: Exception) -> Report:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.state == R.RENDERING:
            REPORT_STATES.move(report, R.FAILED, actor=None, save=False, reason=str(exc)[:500])
            report.error = f"{type(exc).__name__} : {exc}"[:2000]
            report.finished_at = timezone.now()
            report.save()
            _notify(report.pk)
    return report


def _page_count(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        try:
            out = subprocess.run(  # noqa: S603 (fixed command, our own temporary file)
                ["pdfinfo", fh.name],  # noqa: S607 (poppler-utils, installed by make)
                capture_output=True,
                text=True,
                timeout=30,
                check=True,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return pdf.count(b"/Type /Page\n") or 0
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def _notify(report_id: int) -> None:
    enqueue("reports.notify", report_id)


def report_notify(*, report_id: int) -> int:
    """E-mail the requester (or every DITP agent for automatic reports): ready or failed.

    Once per outcome: the sending is recorded under a row lock, so that a second delivery
    of the task sends nothing (a report retried after a failure is notified again).
    """
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("author")
            .get(pk=report_id)
        )
        if report.state not in (R.READY, R.FAILED) or (
            report.notified_at and report.finished_at and report.notified_at >= report.finished_at
        ):
            return 0
        reader = None
        if report.author and report.author.is_active:
            reader, recipients = report.author, [report.author.email]
        else:
            recipients = list(
                User.objects.filter(is_active=True, role__in=[Role.STAFF, Role.ADMIN]).values_list(
                    "email", flat=True
                )
            )
        with speaking_to(reader):  # the requester's language; French to every agent
            mail_send(
                template="reports/emails/report_done",
                context={"report": report, "url": absolute_url(report)},
                to=recipients,
                once=f"reports.notify:{report.pk}:{report.state}:{report.finished_at or ''}",
                language=language_of(reader),
            )
        report.notified_at = timezone.now()
        report.save(update_fields=["notified_at"])
    return len(recipients)


@transaction.atomic
def report_publish(*, actor: User, report: Report, published: bool = True) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if published and report.state != R.READY:
        raise ValidationError(_("Seul un rapport prêt peut être publié."))
    report.is_published = published
    report.published_at = timezone.now() if published else None
    report.save(update_fields=["is_published", "published_at"])
    audit_log(
        actor=actor,
        action="reports.report.publish" if published else "reports.report.unpublish",
        target=report,
    )
    return report


@transaction.atomic
def report_retry(*, actor: User, report: Report) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    REPORT_STATES.move(report, R.PENDING, actor=actor, action="reports.report.retry", save=False)
    report.progress, report.progress_label, report.error = 0, "", ""
    report.save()
    _queue(report.pk)
    return report


def sweep_stale_reports() -> list[int]:
    """Re-queue reports whose worker died (stale RENDERING) or whose message was lost."""
    limit = timezone.now() - dt.timedelta(seconds=settings.REPORTS_STALE_AFTER)
    requeued = []
    with transaction.atomic():
        stale = Report.objects.select_for_update(skip_locked=True).filter(
            Q(state=R.RENDERING, heartbeat_at__lt=limit)
            | Q(state=R.PENDING, created_at__lt=limit, heartbeat_at__isnull=True)
            | Q(state=R.PENDING, heartbeat_at__lt=limit)
        )
        for report in stale:
            if report.state == R.RENDERING:
                REPORT_STATES.move(
                    report, R.PENDING, actor=None, action="reports.report.requeue", save=False
                )
            report.heartbeat_at = timezone.now()
            report.progress_label = _("Relancé après interruption")
            report.save()
            requeued.append(report.pk)
            _queue(report.pk)
    return requeued


# --- Snapshots --------------------------------------------------------------------


@transaction.atomic
def snapshot_take(*, day: dt.date | None = None) -> int:
    """Record today's status and progress of every commitment of the current plan, and the
    participation figures. Running it again the same day updates, never duplicates."""
    day = day or timezone.localdate()
    commitments = commitments_with_badges(Commitment.objects.filter(plan__is_current=True))
    counts = {
        row["pk"]: row
        for row in Commitment.objects.filter(plan__is_current=True)
        .annotate(
            m_total=Count("milestones"),
            m_reached=Count("milestones", filter=Q(milestones__status=MilestoneStatus.REACHED)),
        )
        .values("pk", "m_total", "m_reached")
    }
    for c in commitments:
        CommitmentSnapshot.objects.update_or_create(
            date=day,
            commitment=c,
            defaults={
                "status": c.status,
                "progress": c.progress,
                "is_late": c.is_late,
                "milestones_total": counts[c.pk]["m_total"],
                "milestones_reached": counts[c.pk]["m_reached"],
            },
        )
    SiteSnapshot.objects.update_or_create(date=day, defaults={"figures": participation_figures()})
    return len(commitments)


# --- Annexes ------------------------------------------------------------------------

ANNEX_COLUMNS = [
    "numero",
    "intitule",
    "axe",
    "pilotes",
    "etat_debut",
    "etat_fin",
    "avancement_debut",
    "avancement_fin",
    "jalons_total",
    "jalons_echus_periode",
    "jalons_atteints_periode",
    "jalons_en_retard",
    "changements_periode",
    "justificatifs_publics",
]


def _annex_rows(data: ReportData):
    for s in data.sections:
        c = s.commitment
        yield [
            c.number,
            c.display_title,
            c.axis.number if c.axis else "",
            "; ".join(i.name for i in c.lead_institutions.all()),
            s.status_start,
            s.status_end,
            s.progress_start,
            s.progress_end,
            len(s.milestones),
            s.milestones_due,
            s.milestones_reached,
            s.milestones_late,
            s.entries_count,
            len(s.evidence),
        ]


def annex_csv(data: ReportData) -> bytes:
    out = io.StringIO()
    writer = spreadsheet.writer(out)
    writer.writerow(ANNEX_COLUMNS)
    writer.writerows(_annex_rows(data))
    return out.getvalue().encode("utf-8")


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def annex_json(data: ReportData, out: IO[bytes]) -> None:
    """Write the JSON annex to ``out``: every commitment with its milestones and all the
    period's changes. The changes come from the database as JSON text, streamed into the
    file (a plan's period may hold 100,000 of them): neither the rows nor the document sit
    in memory."""
    report = data.report
    head = {
        "rapport": report.title,
        "plan": report.plan.slug,
        "periode": {"debut": report.period_start.isoformat(), "fin": report.period_end.isoformat()},
        "genere_le": data.generated_at.isoformat(),
        "licence": "Licence Ouverte / Etalab 2.0",
        "synthese": data.summary,
        "participation": dict(data.participation),
    }
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=False)
    # The head's closing brace is replaced by the list of commitments, written piece by piece.
    text.write(json.dumps(head, ensure_ascii=False, indent=1, default=str)[:-2])
    text.write(',\n "engagements": [')
    changes = groupby(period_changes_json(data), key=itemgetter(0))
    group = next(changes, None)
    for index, (row, section) in enumerate(zip(_annex_rows(data), data.sections, strict=True)):
        commitment = {
            **dict(zip(ANNEX_COLUMNS, row, strict=True)),
            "jalons": [
                {
                    "livrable": m.deliverable,
                    "echeance": m.ends_on.isoformat() if m.ends_on else None,
                    "etat": m.get_status_display(),
                    "atteint_le": m.reached_on.isoformat() if m.reached_on else None,
                }
                for m in section.milestones
            ],
        }
        text.write(("," if index else "") + "\n  " + _json(commitment)[:-1])
        text.write(', "historique": [')
        if group is not None and group[0] == section.commitment.pk:
            for position, (_, entry) in enumerate(group[1]):
                text.write(("," if position else "") + "\n   " + entry)
            group = next(changes, None)
        text.write("]}")
    text.write("\n ]\n}\n")
    text.detach()  # flushed; ``out`` stays open for the caller


#: The reports over a period (progress, accountability, one commitment).
REPORT = Document("reports/pdf/report.html", build_report_data, annex_csv, annex_json)


def monthly_progress_report(*, today: dt.date | None = None) -> Report | None:
    """The automatic progress report of last month (waits for a staff member to publish it)."""
    today = today or timezone.localdate()
    end = today.replace(day=1) - dt.timedelta(days=1)
    start = end.replace(day=1)
    plan = ActionPlan.objects.filter(is_current=True).first()
    if plan is None:
        return None
    existing = Report.objects.filter(
        kind=ReportKind.PROGRESS, plan=plan, period_start=start, period_end=end, is_automatic=True
    ).first()
    if existing:
        return existing
    return report_request(
        author=None,
        kind=ReportKind.PROGRESS,
        plan=plan,
        period_start=start,
        period_end=end,
        automatic=True,
    )
