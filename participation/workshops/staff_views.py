"""Pilotage of the workshops and the Tour de France (DITP staff and admins)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from forum_ouvert.core import access, htmx, spreadsheet
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.forms import add_errors

from . import selectors, services
from .forms import OutcomeForm, TourForm, TourStopForm, WorkshopCancelForm, WorkshopForm
from .models import Outcome, Registration, RegistrationStatus, Tour, TourStop, Workshop
from .views import posted_data

MANAGE = "workshops.manage_workshops"
MANAGE_TOUR = "workshops.manage_tour"

ATTENDANCE = htmx.Page("workshops/staff/attendance.html", htmx.Fragment("row", target="presence-*"))


def _workshop(request, slug: str) -> Workshop:
    return get_object_or_404(Workshop, slug=slug)


@access.permission(MANAGE)
def workshop_admin_list(request):
    """Every workshop, drafts included, with seats taken and waiting lists."""
    qs = selectors.workshops_for_list(include_drafts=True).order_by("-starts_at", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    page.object_list = selectors.attach_seats(page.object_list)
    return render(
        request,
        "workshops/staff/workshop_list.html",
        {"title": _("Pilotage des ateliers"), "page": page},
    )


@access.permission(MANAGE)
def workshop_create(request):
    form = WorkshopForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        commitments = data.pop("commitments", [])
        try:
            workshop = services.workshop_create(
                actor=request.user, fields=data, commitments=commitments
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Atelier enregistré en brouillon : relisez-le puis publiez-le.")
            )
            return redirect("workshops:staff_edit", slug=workshop.slug)
    return render(
        request,
        "workshops/staff/workshop_form.html",
        {"title": _("Nouvel atelier"), "form": form, "workshop": None},
    )


@access.permission(MANAGE, get_object=_workshop)
def workshop_edit(request, slug: str):
    workshop = request.permission_object
    form = WorkshopForm(posted_data(request), instance=workshop)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        commitments = data.pop("commitments", [])
        try:
            services.workshop_update(
                actor=request.user, workshop=workshop, fields=data, commitments=commitments
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("L'atelier a été mis à jour."))
            return redirect("workshops:staff_edit", slug=workshop.slug)
    workshop = selectors.attach_seats([workshop])[0]
    return render(
        request,
        "workshops/staff/workshop_form.html",
        {"title": _("Modifier l'atelier"), "form": form, "workshop": workshop},
    )


@access.permission(MANAGE, get_object=_workshop)
def workshop_publish(request, slug: str):
    workshop = request.permission_object
    if request.method == "POST":
        try:
            services.workshop_publish(actor=request.user, workshop=workshop)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("L'atelier est publié : les inscriptions sont ouvertes."))
    return redirect("workshops:staff_edit", slug=workshop.slug)


@access.permission(MANAGE, get_object=_workshop)
def workshop_cancel(request, slug: str):
    """Cancel the workshop: everyone registered or waiting receives an e-mail."""
    workshop = request.permission_object
    form = WorkshopCancelForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.workshop_cancel(
                actor=request.user, workshop=workshop, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("L'atelier est annulé. Les personnes inscrites sont prévenues.")
            )
            return redirect("workshops:staff_edit", slug=workshop.slug)
    return render(
        request,
        "workshops/staff/workshop_cancel.html",
        {"title": _("Annuler l'atelier"), "form": form, "workshop": workshop},
    )


@access.permission(MANAGE, get_object=_workshop)
def registration_list(request, slug: str):
    """The people registered (confirmed, then the waiting list in order), and the CSV."""
    workshop = request.permission_object
    registrations = selectors.registrations_for_staff(workshop=workshop)
    return render(
        request,
        "workshops/staff/registration_list.html",
        {
            "title": _("Inscriptions : %(title)s") % {"title": workshop.title},
            "workshop": workshop,
            "registrations": registrations,
        },
    )


@access.permission(MANAGE, get_object=_workshop)
def registration_csv(request, slug: str):
    """The registrations as CSV (semicolons, UTF-8 with BOM for spreadsheets); audited."""
    workshop = request.permission_object
    with transaction.atomic():
        audit_log(actor=request.user, action="workshops.registration.export", target=workshop)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="inscriptions-{workshop.slug}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = spreadsheet.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Nom"),
            _("Adresse e-mail"),
            _("État"),
            _("Rang sur la liste d'attente"),
            _("Inscrit·e le"),
            _("Mandat"),
            _("Besoin d'accessibilité"),
            _("Présence"),
        ]
    )
    for registration in selectors.registrations_for_staff(workshop=workshop):
        user = registration.user
        presence = {True: _("présent·e"), False: _("absent·e"), None: ""}[registration.attended]
        writer.writerow(
            [
                user.display_name if user else _("Compte supprimé"),
                user.email if user else "",
                registration.get_status_display(),
                registration.rank or "",
                timezone.localtime(registration.created_at).strftime("%d/%m/%Y %H:%M"),
                registration.mandate,
                registration.accessibility_need,
                presence,
            ]
        )
    return response


@access.permission(MANAGE, get_object=_workshop)
def attendance(request, slug: str):
    """The checklist of the day: one large button per person, usable on a phone."""
    workshop = request.permission_object
    registrations = list(selectors.attendance_list(workshop=workshop))
    return render(
        request,
        "workshops/staff/attendance.html",
        {
            "title": _("Présences : %(title)s") % {"title": workshop.title},
            "workshop": workshop,
            "registrations": registrations,
            "present_count": sum(1 for r in registrations if r.attended),
            "confirmed_count": len(registrations),
        },
    )


def _registration_of_workshop(request, slug: str, pk: int) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("workshop", "user"), pk=pk, workshop__slug=slug
    )


@access.permission(MANAGE, get_object=_registration_of_workshop)
def attendance_mark(request, slug: str, pk: int):
    """Mark one person present or absent; htmx swaps their row and the counter."""
    registration = request.permission_object
    if request.method != "POST":
        return redirect("workshops:staff_attendance", slug=slug)
    attended = request.POST.get("attended") == "1"
    error = None
    try:
        registration = services.attendance_mark(
            actor=request.user, registration=registration, attended=attended
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("workshops:staff_attendance", slug=slug)
    # The row, and the counter swapped out of band.
    context = {
        "registration": registration,
        "workshop": registration.workshop,
        "error": error,
        "oob": True,
        **_attendance_counts(registration.workshop_id),
    }
    return ATTENDANCE.render_fragment(request, "presence-*", context, oob=("counter",))


def _attendance_counts(workshop_id: int) -> dict:
    return Registration.objects.filter(
        workshop_id=workshop_id, status=RegistrationStatus.CONFIRMED
    ).aggregate(confirmed_count=Count("id"), present_count=Count("id", filter=Q(attended=True)))


@access.permission(MANAGE, get_object=_workshop)
def outcome_edit(request, slug: str):
    """Publish the compte rendu (text and/or PDF) and the commitments it informs."""
    workshop = request.permission_object
    outcome = Outcome.objects.filter(workshop=workshop).first()
    initial = {}
    if outcome is not None:
        initial = {"text": outcome.text, "commitments": list(outcome.commitments.all())}
    form = OutcomeForm(
        posted_data(request),
        request.FILES if request.method == "POST" else None,
        initial=initial,
        has_document=bool(outcome and outcome.document),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_publish(
                actor=request.user,
                workshop=workshop,
                text=form.cleaned_data["text"],
                document=form.cleaned_data["document"],
                commitments=form.cleaned_data["commitments"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Le compte rendu est publié sur la page de l'atelier."))
            return redirect(workshop.get_absolute_url())
    return render(
        request,
        "workshops/staff/outcome_form.html",
        {
            "title": _("Compte rendu : %(title)s") % {"title": workshop.title},
            "form": form,
            "workshop": workshop,
            "outcome": outcome,
        },
    )


# --- Tour de France ------------------------------------------------------------------


@access.permission(MANAGE_TOUR)
def tour_admin(request):
    tours = list(
        Tour.objects.prefetch_related(
            Prefetch("stops", queryset=TourStop.objects.select_related("departement"))
        ).order_by("-starts_on", "-id")
    )
    return render(
        request,
        "workshops/staff/tour_admin.html",
        {"title": _("Pilotage du Tour de France"), "tours": tours},
    )


@access.permission(MANAGE_TOUR)
def tour_create(request):
    form = TourForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.tour_create(actor=request.user, tour=form.save(commit=False))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Le Tour est créé : ajoutez-lui des étapes."))
            return redirect("workshops:staff_tour")
    return render(
        request,
        "workshops/staff/simple_form.html",
        {"title": _("Nouveau Tour de France"), "form": form, "back": "workshops:staff_tour"},
    )


def _stop(request, pk: int) -> TourStop:
    return get_object_or_404(TourStop, pk=pk)


def _stop_form(request, stop: TourStop | None, title: str):
    form = TourStopForm(posted_data(request), instance=stop)
    if request.method == "POST" and form.is_valid():
        try:
            services.tour_stop_save(actor=request.user, stop=form.save(commit=False))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("L'étape est enregistrée."))
            return redirect("workshops:staff_tour")
    return render(
        request,
        "workshops/staff/simple_form.html",
        {"title": title, "form": form, "back": "workshops:staff_tour"},
    )


@access.permission(MANAGE_TOUR)
def stop_create(request):
    return _stop_form(request, None, _("Nouvelle étape"))


@access.permission(MANAGE_TOUR, get_object=_stop)
def stop_edit(request, pk: int):
    return _stop_form(request, request.permission_object, _("Modifier l'étape"))
