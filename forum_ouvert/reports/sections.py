"""Blocks the reports add to lower floors' pages (registered in ``apps.ready``): the
progress over time on a commitment's page, the published documents on a plan's page."""

from __future__ import annotations

from forum_ouvert.core.charts import line_chart
from forum_ouvert.core.extensions import Section

from .models import PLAN_DOCUMENT_KINDS, Report
from .selectors import commitment_progress_series


def commitment_progress_section(*, commitment) -> Section | None:
    series = commitment_progress_series(commitment=commitment)
    if len(series) < 2:
        return None
    chart = line_chart(
        [(d.strftime("%d/%m/%y"), v) for d, v in series],
        title="Avancement de l'engagement au fil du temps",
        unit=" %",
    )
    return Section(
        "reports/includes/_progress_over_time.html", {"series": series, "chart": chart}, order=50
    )


def plan_documents_section(*, plan) -> Section | None:
    """On a plan's page: the latest published document of the plan and record of its
    co-creation (one query; nothing until staff published one)."""
    latest = {}
    for report in (
        Report.objects.filter(plan=plan, kind__in=PLAN_DOCUMENT_KINDS, is_published=True)
        .only("id", "kind", "title", "pdf_size", "page_count", "published_at", "plan_id")
        .order_by("-published_at", "-id")
    ):
        latest.setdefault(report.kind, report)
    if not latest:
        return None
    documents = [latest[kind] for kind in PLAN_DOCUMENT_KINDS if kind in latest]
    return Section("reports/includes/_plan_documents.html", {"documents": documents}, order=5)


def plan_documents_staff_section(*, plan) -> Section:
    """On a plan's back-office page: generate its documents, follow their rendering and
    reach the latest of each kind, published or not (one query)."""
    latest = {}
    for report in Report.objects.filter(plan=plan, kind__in=PLAN_DOCUMENT_KINDS).order_by(
        "-created_at", "-id"
    ):
        latest.setdefault(report.kind, report)
    documents = [latest[kind] for kind in PLAN_DOCUMENT_KINDS if kind in latest]
    return Section(
        "reports/includes/_plan_documents_staff.html",
        {"plan": plan, "documents": documents},
        order=50,
    )
