"""Public pages of the workshops and the Tour de France, and the participant's acts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from forum_ouvert.core import access, htmx, pagecache
from forum_ouvert.core.models import Departement
from forum_ouvert.core.uploads import document_response, safe_download_name

from . import francemap, selectors, services
from .forms import RegistrationForm, WorkshopFilterForm
from .fragments import cached_html, filter_form_key, tour_version, workshops_version
from .ics import calendar_bytes
from .models import Outcome, Registration, RegistrationStatus, Tour, Workshop

PAGE_SIZE = 20

WORKSHOP_LIST = htmx.Page(
    "workshops/workshop_list.html", htmx.Fragment("results", target="resultats")
)


def posted_data(request):
    """The submitted data, or None for a GET (an empty POST still binds the form)."""
    return request.POST if request.method == "POST" else None


def _messages_from(error: ValidationError) -> str:
    return " ".join(error.messages)


@access.public
def workshop_list(request):
    """Upcoming workshops first, with filters (htmx swaps the results, the URL follows)."""
    form = WorkshopFilterForm(request.GET or None)
    filters = form.filters()
    form_html = None
    if not WORKSHOP_LIST.fragment_for(request):
        form_html = cached_html(
            f"workshops:filters:{filter_form_key(request.GET)}", lambda: form.render()
        )
    page = Paginator(selectors.workshops_filtered(filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.attach_seats(page.object_list)
    return WORKSHOP_LIST.render(
        request,
        {
            "title": _("Ateliers participatifs"),
            "form": form,
            "form_html": form_html,
            "page": page,
            "can_manage": access.may(request.user, "workshops.manage_workshops"),
        },
    )


def _visible_workshop(request, slug: str) -> Workshop:
    workshop = selectors.workshop_detail(slug=slug)
    if workshop is None or not access.may(request.user, "workshops.view_workshop", workshop):
        raise Http404
    return workshop


@access.public
def workshop_detail(request, slug: str):
    """A workshop: details, seats left, « S'inscrire », the .ics file, its outcome."""
    workshop = _visible_workshop(request, slug)
    registration = selectors.registration_of(user=request.user, workshop=workshop)
    outcome = Outcome.objects.filter(workshop=workshop, published_at__isnull=False).first()
    return render(
        request,
        "workshops/workshop_detail.html",
        {
            "title": workshop.title,
            "workshop": workshop,
            "registration": registration,
            "holds_seat": registration is not None
            and registration.status == RegistrationStatus.CONFIRMED,
            "refusal": workshop.registration_refusal(),
            "outcome": outcome,
            "form": RegistrationForm(),
            "can_manage": access.may(request.user, "workshops.manage_workshops"),
            "territory_url": francemap.territory_href(workshop.departement_id)
            if workshop.departement_id
            else None,
        },
    )


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@access.public
def workshop_ics(request, slug: str):
    """The workshop as an iCalendar file, to add it to one's calendar."""
    workshop = _visible_workshop(request, slug)
    return _calendar_response(
        calendar_bytes([workshop], name=workshop.title), f"atelier-{workshop.slug[:60]}.ics"
    )


@access.public
def calendar_feed(request):
    """An iCalendar feed of every upcoming workshop (to subscribe to)."""
    content = pagecache.cached_value(
        f"workshops:calendar:{workshops_version()}",
        lambda: calendar_bytes(
            selectors.upcoming_calendar(), name=_("Ateliers participatifs — Forum ouvert")
        ),
        3600,
    )
    return _calendar_response(content, "ateliers-forum-ouvert.ics")


@access.public
def outcome_document(request, slug: str):
    """The compte rendu in PDF, once published (staff may read it before)."""
    outcome = Outcome.objects.select_related("workshop").filter(workshop__slug=slug).first()
    if (
        outcome is None
        or not outcome.document
        or not access.may(request.user, "workshops.view_outcome_document", outcome)
    ):
        raise Http404
    return document_response(
        outcome.document,
        download_name=safe_download_name(f"compte-rendu-{outcome.workshop.slug}"),
        inline=True,
    )


def _workshop_for_registration(request, slug: str) -> Workshop:
    return get_object_or_404(Workshop, slug=slug)


@access.permission("workshops.register", get_object=_workshop_for_registration)
def workshop_register(request, slug: str):
    """Register (or join the waiting list), optionally with an accessibility need."""
    workshop = request.permission_object
    form = RegistrationForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                user=request.user,
                workshop=workshop,
                accessibility_need=form.cleaned_data["accessibility_need"],
                mandate=form.cleaned_data["mandate"],
            )
        except ValidationError as error:
            messages.error(request, _messages_from(error))
            return redirect(workshop.get_absolute_url())
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(
                request,
                _("Votre inscription est confirmée. Un e-mail de confirmation vous a été envoyé."),
            )
        else:
            messages.info(
                request,
                _(
                    "L'atelier est complet : vous êtes sur la liste d'attente, en position "
                    "%(rank)d. Nous vous écrirons si une place se libère."
                )
                % {"rank": selectors.waiting_rank(registration)},
            )
        return redirect(workshop.get_absolute_url())
    return render(
        request,
        "workshops/workshop_register.html",
        {
            "title": _("S'inscrire : %(title)s") % {"title": workshop.title},
            "workshop": workshop,
            "form": form,
            "refusal": workshop.registration_refusal(),
        },
    )


def _own_registration(request, pk: int) -> Registration:
    return get_object_or_404(Registration.objects.select_related("workshop"), pk=pk)


def _cancel(request, registration: Registration, *, template: str, done_url: str):
    if request.method == "POST":
        try:
            services.registration_cancel(actor=registration.user, registration=registration)
        except ValidationError as error:
            messages.error(request, _messages_from(error))
        else:
            # No title in the message: django-dsfr renders messages unescaped.
            messages.success(
                request, _("Votre inscription est annulée. Merci d'avoir libéré la place.")
            )
        return redirect(done_url)
    return render(
        request,
        template,
        {
            "title": _("Annuler mon inscription : %(workshop)s")
            % {"workshop": registration.workshop.title},
            "registration": registration,
            "workshop": registration.workshop,
            "is_active": registration.is_active and not registration.workshop.has_started,
        },
    )


@access.permission("workshops.cancel_registration", get_object=_own_registration, private=True)
def registration_cancel(request, pk: int):
    """Cancel my registration from « Mon espace » (asks for confirmation first)."""
    return _cancel(
        request,
        request.permission_object,
        template="workshops/registration_cancel.html",
        done_url=reverse("portal:my_space"),
    )


@access.public
def registration_cancel_by_token(request, token: str):
    """Cancel a registration from the link of the e-mail (the link is the credential)."""
    registration = get_object_or_404(
        Registration.objects.select_related("workshop"), token=token[:64], user__isnull=False
    )
    return _cancel(
        request,
        registration,
        template="workshops/registration_cancel.html",
        done_url=registration.workshop.get_absolute_url(),
    )


def _tour_route(*, tour: Tour) -> str:
    """The map, the list of stops and each stop's details (the same for everyone)."""
    stops = selectors.tour_stops(tour=tour)
    notes = {}
    for number, stop in enumerate(stops, start=1):
        notes.setdefault(stop.departement_id, []).append(
            _("étape %(n)d, %(city)s, le %(date)s")
            % {"n": number, "city": stop.city, "date": stop.date.strftime("%d/%m/%Y")}
        )
    france = francemap.france_map(
        departements=Departement.objects.order_by("code"),
        href=francemap.territory_href,
        active={code: "; ".join(items) for code, items in notes.items()},
    )
    return render_to_string(
        "workshops/includes/_tour_route.html",
        {
            "stops": stops,
            "upcoming": [s for s in stops if not s.is_past],
            "past": [s for s in stops if s.is_past],
            "map": france,
        },
    )


@access.public
def tour(request):
    """The Tour de France: the route (list and map), past and upcoming stops."""
    tour = selectors.current_tour(slug=(request.GET.get("tour") or "")[:80] or None)
    route = None
    if tour is not None:
        route = cached_html(f"workshops:tour:{tour_version(tour)}", lambda: _tour_route(tour=tour))
    return render(
        request,
        "workshops/tour.html",
        {
            "title": _("Tour de France « Ce qui change chez vous »"),
            "tour": tour,
            "route": route,
            "other_tours": list(
                Tour.objects.exclude(pk=getattr(tour, "pk", None)).order_by("-starts_on", "-id")
            ),
        },
    )
