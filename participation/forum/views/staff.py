"""The back-office of the AMI (``/pilotage/ami/``): calls, the review queue, one
application (scores, decision), bulk actions, CSV export and PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from forum_ouvert.core import access, htmx, spreadsheet
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.forms import add_errors
from forum_ouvert.core.pdf import render_pdf_from_template
from forum_ouvert.core.uploads import safe_download_name

from .. import selectors as app_selectors
from ..forms import (
    PHASE_ACTIONS,
    BulkActionForm,
    CallForm,
    CharterForm,
    CollegeForm,
    ConflictForm,
    CriterionForm,
    DecisionForm,
    QueueFilterForm,
    ReviewForm,
)
from ..models import CALL_STATES, DECISIONS, Application, Call, CallPhase, College, Criterion
from ..rules import application_abilities
from ..selectors import public as public_selectors
from ..selectors import review as selectors
from ..services import calls as call_services
from ..services import reviews as review_services
from .common import get_call

PAGE_SIZE = 50
#: What the queue does not show: not worth reading 50 times per page.
LONG_TEXTS = ("motivation", "experience", "decision_message")

QUEUE = htmx.Page("forum/staff/queue.html", htmx.Fragment("results", target="queue-results"))


@access.permission("forum.review")
def staff_home(request):
    """The AMI's back-office: calls, applications to review, the meeting rhythm."""
    calls = Call.objects.annotate(
        submitted=Count("applications", filter=Q(applications__status="deposee")),
        received=Count(
            "applications", filter=~Q(applications__status__in=("brouillon", "retiree"))
        ),
    ).order_by("-opens_at", "slug")
    return render(
        request,
        "forum/staff/home.html",
        {
            "title": _("Forum ouvert — pilotage"),
            "calls": calls,
            "figures": app_selectors.dashboard_figures(),
        },
    )


# --- Calls -------------------------------------------------------------------------


@access.permission("forum.manage_calls")
def call_create(request):
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = call_services.call_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("L'appel est créé en brouillon : ajoutez ses collèges."))
            return redirect("forum:call_manage", slug=call.slug)
    return render(request, "forum/staff/call_form.html", {"title": _("Nouvel appel"), "form": form})


@access.permission("forum.manage_calls", get_object=get_call)
def call_manage(request, slug: str):
    """One call: its phase and the actions the phase allows, collèges, criteria, seats."""
    call = get_object_or_404(Call, slug=slug)
    return render(request, "forum/staff/call_manage.html", _call_context(call))


def _call_context(call: Call, **forms) -> dict:
    phase = call.phase_at()
    return {
        "title": call.title,
        "call": call,
        "phase_actions": [
            (key, label)
            for key, (target, label) in PHASE_ACTIONS.items()
            if CALL_STATES.allows(phase, target)
            and not (key == "rouvrir" and phase != CallPhase.CLOSED)
            and not (key == "ouvrir" and phase == CallPhase.CLOSED)
        ],
        "colleges": selectors.colleges_with_seats(call),
        "criteria": list(call.criteria.order_by("order", "pk")),
        "college_form": forms.get("college_form") or CollegeForm(prefix="college"),
        "criterion_form": forms.get("criterion_form") or CriterionForm(prefix="criterion"),
        "editable": phase != CallPhase.PUBLISHED,
        "to_notify": call.applications.filter(status__in=DECISIONS)
        .exclude(decision_notified=F("status"))
        .count(),
    }


@access.permission("forum.change_call", get_object=get_call)
def call_edit(request, slug: str):
    call = request.permission_object
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            call_services.call_update(actor=request.user, call=call, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("L'appel est mis à jour."))
            return redirect("forum:call_manage", slug=call.slug)
    return render(
        request,
        "forum/staff/call_form.html",
        {"title": _("Modifier l'appel"), "form": form, "call": call},
    )


@require_POST
@access.permission("forum.manage_calls", get_object=get_call)
def call_phase(request, slug: str):
    """Move the call to another phase (open, close, start the review, publish results)."""
    call = request.permission_object
    action = PHASE_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Action inconnue."))
        return redirect("forum:call_manage", slug=call.slug)
    try:
        call_services.call_set_phase(actor=request.user, call=call, phase=action[0])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("L'appel est maintenant « %(phase)s ».") % {"phase": CallPhase(action[0]).label},
        )
    return redirect("forum:call_manage", slug=call.slug)


@require_POST
@access.permission("forum.manage_calls", get_object=get_call)
def call_notify(request, slug: str):
    """Send every decision of the call not told yet."""
    call = request.permission_object
    try:
        count = review_services.applications_notify(
            actor=request.user, applications=call.applications.filter(status__in=DECISIONS)
        )
    except PermissionDenied:
        messages.error(request, _("Les décisions se notifient pendant l'examen."))
    else:
        messages.success(
            request,
            ngettext("%(n)d décision en cours d'envoi.", "%(n)d décisions en cours d'envoi.", count)
            % {"n": count},
        )
    return redirect("forum:call_manage", slug=call.slug)


#: A call's parts that staff add, change and delete from the call's page.
_PARTS = {
    "college": (
        College,
        CollegeForm,
        call_services.college_save,
        call_services.college_delete,
        _("Modifier le collège"),
    ),
    "criterion": (
        Criterion,
        CriterionForm,
        call_services.criterion_save,
        call_services.criterion_delete,
        _("Modifier le critère"),
    ),
}


@access.permission("forum.change_call", get_object=get_call)
def call_part_edit(request, slug: str, part: str, pk: int | None = None):
    """Add (POST without ``pk``), change or delete a collège or a criterion of a call."""
    call = request.permission_object
    if request.method == "GET" and pk is None:
        return redirect("forum:call_manage", slug=call.slug)
    model, form_class, save, delete, label = _PARTS[part]
    obj = get_object_or_404(model, call=call, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=obj, prefix=part)
    if request.method == "POST" and request.POST.get("action") == "supprimer" and obj:
        try:
            delete(actor=request.user, **{part: obj})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("« %(name)s » est supprimé.") % {"name": obj.name})
        return redirect("forum:call_manage", slug=call.slug)
    if request.method == "POST" and form.is_valid():
        try:
            save(actor=request.user, call=call, **{part: obj}, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("« %(name)s » est enregistré.") % {"name": form.cleaned_data["name"]}
            )
            return redirect("forum:call_manage", slug=call.slug)
    if obj is None:
        # An invalid addition is shown again on the call's page, with the user's input.
        context = _call_context(call, **{f"{part}_form": form})
        return render(request, "forum/staff/call_manage.html", context)
    return render(
        request,
        "forum/staff/child_form.html",
        {"title": label, "call": call, "form": form, "object": obj},
    )


@access.permission("forum.manage_calls")
def charter_edit(request):
    """The forum's public presentation and rules of participation."""
    charter = public_selectors.charter()
    form = CharterForm(
        request.POST or None,
        initial={"presentation": charter.presentation, "rules": charter.rules},
    )
    if request.method == "POST" and form.is_valid():
        call_services.charter_update(actor=request.user, **form.cleaned_data)
        messages.success(request, _("La présentation du Forum ouvert est publiée."))
        return redirect("forum:index")
    return render(
        request,
        "forum/staff/charter_form.html",
        {"title": _("Présentation et règles du Forum ouvert"), "form": form},
    )


# --- The review queue ----------------------------------------------------------------


def _queue_context(request, query: QueryDict, *, bulk_form=None) -> dict:
    filter_form = QueueFilterForm(query)
    filters = filter_form.filters()
    applications = selectors.review_queue(**filters).defer(*LONG_TEXTS)
    page = Paginator(applications, PAGE_SIZE).get_page(query.get("page"))
    base = query.copy()
    base.pop("page", None)
    return {
        "title": _("Candidatures à l'AMI"),
        "is_fragment": QUEUE.fragment_for(request) is not None,
        "filter_form": filter_form,
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "base_query": base.urlencode(),
        "colleges": selectors.colleges_with_seats(filters["call"]),
        "bulk_form": bulk_form or BulkActionForm(),
    }


@access.permission("forum.review")
def queue(request):
    """The review queue: filters in the URL, one page of applications, bulk actions.
    An htmx request gets the results fragment only."""
    return QUEUE.render(request, _queue_context(request, request.GET))


def _run_bulk(request, form: BulkActionForm) -> None:
    data = form.cleaned_data
    applications = list(data["ids"].select_related("call", "college").order_by("pk"))
    action = data["action"]
    if action == "assigner":
        count = review_services.applications_assign(
            actor=request.user, applications=applications, reviewer=data["reviewer"]
        )
        messages.success(
            request,
            ngettext(
                "%(n)d candidature assignée à %(who)s.",
                "%(n)d candidatures assignées à %(who)s.",
                count,
            )
            % {"n": count, "who": data["reviewer"]},
        )
    elif action in DECISIONS:
        count = review_services.applications_decide(
            actor=request.user,
            applications=applications,
            decision=action,
            message=data["message"],
            allow_over_seats=data["allow_over_seats"],
        )
        messages.success(request, _("%(n)d décision(s) enregistrée(s).") % {"n": count})
    else:
        count = review_services.applications_notify(actor=request.user, applications=applications)
        messages.success(
            request,
            ngettext("%(n)d décision en cours d'envoi.", "%(n)d décisions en cours d'envoi.", count)
            % {"n": count},
        )


@require_POST
@access.permission("forum.review")
def queue_actions(request):
    """Bulk actions on the checked applications; all or nothing."""
    query = QueryDict(request.POST.get("filters", ""))
    form = BulkActionForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                _run_bulk(request, form)
        except PermissionDenied:
            messages.error(
                request,
                _(
                    "Cette action n'est pas possible pour l'une des candidatures cochées "
                    "(l'examen de son appel n'est pas ouvert ?)."
                ),
            )
        except ValidationError as exc:
            add_errors(form, exc)
    fragment = QUEUE.fragment_for(request)
    if not form.errors and not fragment:
        return redirect(f"{reverse('forum:queue')}?{query.urlencode()}")
    context = _queue_context(request, query, bulk_form=form if form.errors else None)
    # htmx swaps only successful responses: the errors travel in a 200 fragment.
    return QUEUE.render(request, context, status=200 if fragment else 400)


@access.permission("forum.review")
def queue_export(request):
    """The applications of the queue (same filters) and their scores, as CSV."""
    filters = QueueFilterForm(request.GET).filters()
    applications = selectors.review_queue(**filters)
    with transaction.atomic():
        audit_log(
            actor=request.user,
            action="forum.application.export",
            changes={"filtres": [None, request.GET.urlencode()]},
        )
    rows = selectors.export_rows(applications, filters["call"])
    header = next(rows)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return spreadsheet.csv_response(
        rows,
        header=header,
        filename=f"ami-candidatures-{stamp}.csv",
        delimiter=";",
        bom=True,
        private=True,
    )


# --- One application -----------------------------------------------------------------


def _review_context(request, application: Application, **forms) -> dict:
    criteria = list(application.call.criteria.order_by("order", "pk"))
    reviews = selectors.application_reviews(application)
    mine = next((r for r in reviews if r.reviewer_id == request.user.pk), None)
    can = application_abilities(request.user, application)
    review_form = forms.get("review_form")
    if review_form is None and can["score"] and not (mine and mine.has_conflict):
        initial = {
            f"criterion_{s.criterion_id}": s.value for s in (mine.scores.all() if mine else [])
        }
        initial["comment"] = mine.comment if mine else ""
        review_form = ReviewForm(
            criteria=criteria,
            declared=bool(mine and mine.no_conflict_declared_at),
            initial=initial,
            prefix="review",
        )
    decision_form = forms.get("decision_form") or DecisionForm(
        prefix="decision",
        initial={
            "decision": application.status if application.is_decided else None,
            "message": application.decision_message,
        },
    )
    return {
        "title": application.organisation_name,
        "application": application,
        "attachments": application.attachments.all(),
        "criteria": criteria,
        "reviews": reviews,
        "my_review": mine,
        "can": can,
        "review_form": review_form,
        "conflict_form": forms.get("conflict_form") or ConflictForm(prefix="conflict"),
        "decision_form": decision_form,
        "seats_warning": forms.get("seats_warning", False),
        "college_seats": next(
            (
                c
                for c in selectors.colleges_with_seats(application.call)
                if c.pk == application.college_id
            ),
            None,
        ),
        "journal": selectors.application_history(application),
    }


def _get_reviewable(request, pk: int, **kwargs) -> Application:
    try:
        return selectors.application_for_review(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def _on_application(perm: str):
    """``perm`` on one application under review; who may not see it gets 404."""
    return access.permission(perm, get_object=_get_reviewable, private="forum.view_application")


@_on_application("forum.review")
def review_application(request, pk: int):
    """One application for reviewers: content, attachments, scores, decision, history."""
    application = request.permission_object
    return render(request, "forum/staff/application.html", _review_context(request, application))


@require_POST
@_on_application("forum.score_application")
def review_score(request, pk: int):
    application = request.permission_object
    reviews = {r.reviewer_id: r for r in application.reviews.all()}
    mine = reviews.get(request.user.pk)
    criteria = list(application.call.criteria.order_by("order", "pk"))
    form = ReviewForm(
        request.POST,
        criteria=criteria,
        declared=bool(mine and mine.no_conflict_declared_at),
        prefix="review",
    )
    if form.is_valid():
        try:
            review_services.review_score(
                reviewer=request.user,
                application=application,
                marks=form.marks(),
                declares_no_conflict=form.cleaned_data.get("no_conflict", False),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Votre évaluation est enregistrée."))
            return redirect(application.get_staff_url())
    context = _review_context(request, application, review_form=form)
    return render(request, "forum/staff/application.html", context, status=400)


@require_POST
@_on_application("forum.score_application")
def review_conflict(request, pk: int):
    application = request.permission_object
    form = ConflictForm(request.POST, prefix="conflict")
    if form.is_valid():
        try:
            review_services.review_declare_conflict(
                reviewer=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("Votre conflit d'intérêts est déclaré : vous ne notez pas ce dossier.")
            )
            return redirect(application.get_staff_url())
    context = _review_context(request, application, conflict_form=form)
    return render(request, "forum/staff/application.html", context, status=400)


@require_POST
@_on_application("forum.decide_application")
def application_decide(request, pk: int):
    """Retain, waitlist or reject, with a reasoned message; warns past the seats."""
    application = request.permission_object
    form = DecisionForm(request.POST, prefix="decision")
    seats_warning = False
    if form.is_valid():
        try:
            review_services.application_decide(
                actor=request.user,
                application=application,
                decision=form.cleaned_data["decision"],
                message=form.cleaned_data["message"],
                allow_over_seats=form.cleaned_data["allow_over_seats"],
                notify=form.cleaned_data["notify"],
            )
        except ValidationError as exc:
            seats_warning = getattr(exc, "code", "") == "seats_exceeded"
            add_errors(form, exc)
        else:
            messages.success(request, _("La décision est enregistrée."))
            return redirect(application.get_staff_url())
    context = _review_context(request, application, decision_form=form, seats_warning=seats_warning)
    return render(request, "forum/staff/application.html", context, status=400)


@require_POST
@_on_application("forum.notify_decision")
def application_notify(request, pk: int):
    application = request.permission_object
    count = review_services.applications_notify(actor=request.user, applications=[application])
    if count:
        messages.success(request, _("La décision est en cours d'envoi à la candidate."))
    else:
        messages.info(request, _("Cette décision a déjà été notifiée."))
    return redirect(application.get_staff_url())


@_on_application("forum.review")
def application_pdf(request, pk: int):
    """The application as a PDF for the file (sealed renderer)."""
    application = request.permission_object
    context = _review_context(request, application)
    context["generated_at"] = timezone.now()
    pdf = render_pdf_from_template("forum/pdf/application.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = safe_download_name(f"candidature-{application.pk}-{application.organisation_name}")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
