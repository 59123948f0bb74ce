"""Reports: staff request and follow them; the public downloads the published ones."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from engagements.models import ActionPlan
from forum_ouvert.core import access, htmx

from . import services
from .forms import ReportRequestForm
from .models import Report

STAFF_DETAIL = htmx.Page("reports/staff_detail.html", htmx.Fragment("state", target="rapport-*"))


@access.public
def public_list(request):
    """Published reports, newest first, with their date, period and size."""
    reports = (
        Report.objects.filter(is_published=True)
        .select_related("plan")
        .order_by("-published_at", "-id")
    )
    return render(
        request,
        "reports/public_list.html",
        {"title": _("Rapports de redevabilité"), "reports": reports},
    )


@access.permission("reports.manage_reports")
def staff_list(request):
    """Request a report and follow the latest ones rendering (htmx polling)."""
    form = ReportRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_request(
                author=request.user,
                kind=data["kind"],
                plan=data["plan"],
                commitment=data.get("commitment"),
                period_start=data["period_start"],
                period_end=data["period_end"],
                language=data.get("language") or settings.LANGUAGE_CODE,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Rapport demandé : sa préparation a commencé."))
            return redirect(report)
    reports = Report.objects.select_related("plan", "author").order_by("-created_at", "-id")[:30]
    return render(
        request,
        "reports/staff_list.html",
        {"title": _("Rapports"), "form": form, "reports": reports},
    )


def _report(request, pk, **kwargs):
    return get_object_or_404(Report.objects.select_related("plan", "author", "commitment"), pk=pk)


@access.permission("reports.manage_reports", _report, private="reports.download_report")
def staff_detail(request, pk: int):
    return render(
        request,
        "reports/staff_detail.html",
        {"title": request.permission_object.title, "report": request.permission_object},
    )


@access.permission("reports.manage_reports", _report, private="reports.download_report")
def staff_state(request, pk: int):
    """The small fragment the page polls while a report renders.

    Once the report is ready (or failed), htmx reloads the whole page, which then shows
    the files and the publication buttons. Opened without htmx (a bookmark, a browser
    without JavaScript), it leads to the report's page, never to a bare fragment.
    """
    report = request.permission_object
    if not request.htmx:
        return redirect("reports:staff_detail", pk=report.pk)
    response = STAFF_DETAIL.render_fragment(request, "rapport-*", {"report": report})
    if request.htmx and not report.is_active:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@access.permission("reports.manage_reports", _report, private="reports.download_report")
def staff_publish(request, pk: int):
    report = request.permission_object
    publish = request.POST.get("publier") == "1"
    try:
        services.report_publish(actor=request.user, report=report, published=publish)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Rapport publié sur /rapports/.") if publish else _("Rapport dépublié.")
        )
    return redirect(report)


@require_POST
@access.permission("reports.manage_reports", _report, private="reports.download_report")
def staff_retry(request, pk: int):
    report = request.permission_object
    try:
        services.report_retry(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Rapport relancé."))
    return redirect(report)


@require_POST
@access.permission("reports.manage_reports")
def staff_plan_documents(request, slug: str):
    """Generate the plan's documents (the plan, and the record of its co-creation), then
    follow their rendering on the plan's back-office page."""
    plan = get_object_or_404(ActionPlan, slug=slug)
    reports = services.plan_documents_request(author=request.user, plan=plan)
    messages.success(
        request,
        ngettext(
            "Document demandé : sa préparation a commencé.",
            "Documents demandés : leur préparation a commencé.",
            len(reports),
        ),
    )
    return redirect(reverse("engagements:bo_plan_edit", kwargs={"slug": plan.slug}) + "#documents")


FILES = {
    "rapport.pdf": ("pdf", "application/pdf"),
    "annexe.csv": ("annex_csv", "text/csv; charset=utf-8"),
    "annexe.json": ("annex_json", "application/json"),
}


@access.permission("reports.download_report", _report, anonymous=True, private=True)
def download(request, pk: int, filename: str):
    """A report's PDF or annex: anyone once published, staff before."""
    report = request.permission_object
    field, content_type = FILES.get(filename, (None, None))
    stored = getattr(report, field) if field else None
    if not stored:
        raise Http404
    response = FileResponse(
        stored.open("rb"),
        as_attachment=request.GET.get("voir") != "1",
        filename=f"forum-ouvert-rapport-{report.pk}-{filename}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if response.get("Content-Disposition", "").startswith("attachment"):
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    return response
