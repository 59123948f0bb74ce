"""Staff pages: create and edit workshops, registrations and CSV, attendance, compte rendu."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forum_ouvert.core.models import AuditLog
from participation.workshops.models import (
    Outcome,
    Registration,
    Tour,
    TourStop,
    Workshop,
    WorkshopStatus,
)
from participation.workshops.selectors import dashboard_figures, verified_participations

from .factories import RegistrationFactory, WorkshopFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _local(days: int, hour: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat() + f"T{hour:02d}:00"


def _form(**overrides):
    data = {
        "title": "Atelier <b>citoyen</b> à Lille",
        "description": "Parlons des services publics.",
        "format": "presentiel",
        "starts_at": _local(10, 18),
        "ends_at": _local(10, 20),
        "address": "Place du Général-de-Gaulle",
        "city": "Lille",
        "departement": "59",
        "audience": "tout_public",
        "capacity": "25",
        "organiser": "DITP",
        "step_free_access": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_staff_creates_then_publishes_a_workshop(staff_client):
    """Staff create a workshop as a draft, then publish it; both acts are audited."""
    response = staff_client.post("/pilotage/ateliers/nouveau/", _form())
    workshop = Workshop.objects.get()
    assert response["Location"] == f"/pilotage/ateliers/{workshop.slug}/"
    assert workshop.status == WorkshopStatus.DRAFT
    assert timezone.localtime(workshop.starts_at).hour == 18  # Europe/Paris
    assert workshop.slug == "atelier-bcitoyenb-a-lille"
    staff_client.post(f"/pilotage/ateliers/{workshop.slug}/publier/")
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.PUBLISHED
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"workshops.workshop.create", "workshops.workshop.status"} <= actions
    page = staff_client.get(workshop.get_absolute_url()).content.decode()
    assert "&lt;b&gt;citoyen&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": _local(10, 17)}, "ends_at", "La fin de l'atelier doit suivre son début."),
        ({"departement": "", "city": ""}, "departement", "Indiquez le département"),
        ({"format": "en_ligne", "departement": ""}, "visio_url", "lien de visioconférence"),
        ({"capacity": "0"}, "capacity", "supérieure ou égale à 1"),
        ({"starts_at": "demain"}, "starts_at", "Saisissez une date et une heure valides."),
        ({"title": ""}, "title", "Ce champ est obligatoire."),
    ],
)
def test_bad_workshop_form_is_redisplayed_with_a_message(staff_client, overrides, field, message):
    """A mistake re-displays the form with what was typed and a French message."""
    response = staff_client.post("/pilotage/ateliers/nouveau/", _form(**overrides))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert "Parlons des services publics." in response.content.decode()
    assert not Workshop.objects.exists()


def test_edit_cannot_go_below_confirmed_seats(staff_client):
    """Editing refuses fewer seats than people already confirmed, on the capacity field."""
    workshop = WorkshopFactory(capacity=5)
    RegistrationFactory.create_batch(3, workshop=workshop)
    data = _form(capacity="2", departement="69", city="Lyon")
    response = staff_client.post(f"/pilotage/ateliers/{workshop.slug}/", data)
    assert response.status_code == 200
    assert "3 personnes ont déjà une place confirmée" in " ".join(
        response.context["form"].errors["capacity"]
    )
    response = staff_client.post(f"/pilotage/ateliers/{workshop.slug}/", _form(capacity="8"))
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.capacity == 8 and workshop.city == "Lille"


def test_staff_cancel_needs_a_reason(staff_client, workshop):
    """Cancelling asks for the reason that goes to every registered person."""
    url = f"/pilotage/ateliers/{workshop.slug}/annuler/"
    response = staff_client.post(url, {"reason": ""})
    assert response.status_code == 200 and "Ce champ est obligatoire." in response.content.decode()
    assert staff_client.post(url, {"reason": "Grève des transports"}).status_code == 302
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.CANCELLED
    assert "Grève des transports" in staff_client.get(workshop.get_absolute_url()).content.decode()


def test_registrations_list_and_csv(staff_client, workshop):
    """Staff see the registrations and export them as CSV, spreadsheet formulas defused."""
    RegistrationFactory(workshop=workshop, mandate='=HYPERLINK("http://x")')
    RegistrationFactory(workshop=workshop, waiting=True, accessibility_need="LSF")
    html = staff_client.get(f"/pilotage/ateliers/{workshop.slug}/inscriptions/").content.decode()
    assert "position 1" in html and "LSF" in html
    response = staff_client.get(f"/pilotage/ateliers/{workshop.slug}/inscriptions.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Nom" and len(rows) == 3
    assert rows[1][5].startswith("'=HYPERLINK")
    assert rows[2][2] == "Sur liste d'attente" and rows[2][3] == "1"
    assert AuditLog.objects.filter(action="workshops.registration.export").count() == 1


def test_attendance_checklist_with_htmx(staff_client):
    """On the day, staff tick people present with htmx; the row and the counter update."""
    workshop = WorkshopFactory(
        starts_at=timezone.now() - timedelta(minutes=30),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    first, second = RegistrationFactory.create_batch(2, workshop=workshop)
    page = staff_client.get(f"/pilotage/ateliers/{workshop.slug}/presences/").content.decode()
    assert "Aucune personne présente sur 2" in page
    url = f"/pilotage/ateliers/{workshop.slug}/presences/{first.pk}/"
    response = staff_client.post(url, {"attended": "1"}, headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<li id="presence-{first.pk}">')
    assert 'aria-pressed="true"' in fragment
    assert 'id="compteur-presences" role="status" data-hx-swap-oob="true"' in fragment
    assert "1 personne présente sur 2" in fragment
    # Without JavaScript, the same form posts and comes back to the list.
    response = staff_client.post(
        f"/pilotage/ateliers/{workshop.slug}/presences/{second.pk}/", {"attended": "0"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.attended is True and second.attended is False
    assert [p.title for p in verified_participations(user=first.user)] == [workshop.title]
    assert verified_participations(user=second.user) == []


def test_attendance_before_the_day_is_refused(staff_client, workshop):
    """Attendance cannot be ticked before the day of the workshop."""
    registration = RegistrationFactory(workshop=workshop)
    url = f"/pilotage/ateliers/{workshop.slug}/presences/{registration.pk}/"
    response = staff_client.post(url, {"attended": "1"}, headers={"HX-Request": "true"})
    assert "à partir du jour de l&#x27;atelier" in response.content.decode()
    registration.refresh_from_db()
    assert registration.attended is None


def test_publish_the_outcome_with_a_pdf(staff_client, client):
    """Staff publish the compte rendu with a PDF; the public reads it on the workshop's page."""
    workshop = WorkshopFactory(past=True, status=WorkshopStatus.PUBLISHED)
    url = f"/pilotage/ateliers/{workshop.slug}/compte-rendu/"
    response = staff_client.post(url, {"text": "", "document": SimpleUploadedFile("cr.png", PDF)})
    assert "Seuls les documents PDF sont acceptés." in response.content.decode()
    response = staff_client.post(url, {"text": ""})
    assert "Rédigez le compte rendu ou joignez-le en PDF" in response.content.decode()
    response = staff_client.post(
        url, {"text": "Trois propositions.", "document": SimpleUploadedFile("cr.pdf", PDF)}
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert outcome.published_at and outcome.document.name.startswith("workshops/outcomes/")
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.FINISHED
    client.logout()
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "Trois propositions." in page
    pdf = client.get(f"/ateliers/{workshop.slug}/compte-rendu.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content) == PDF
    assert pdf["X-Content-Type-Options"] == "nosniff"
    if pdf["Content-Disposition"].startswith("attachment"):
        assert (
            pdf["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
        )
    else:  # shown inline: the browser's PDF viewer would be blocked by a sandbox
        assert "unsafe" not in pdf["Content-Security-Policy"]


def test_outcome_before_the_workshop_is_refused(staff_client, workshop):
    """A compte rendu waits for the workshop to have taken place."""
    response = staff_client.post(
        f"/pilotage/ateliers/{workshop.slug}/compte-rendu/", {"text": "Trop tôt"}
    )
    assert response.status_code == 200
    assert "une fois l&#x27;atelier commencé" in response.content.decode()
    assert not Outcome.objects.exists()


def test_tour_and_stops(staff_client):
    """Staff create a Tour and its stops, and later write the stop's summary."""
    staff_client.post(
        "/pilotage/tour-de-france/nouveau/",
        {"title": "Tour 2027", "description": "", "starts_on": "", "ends_on": ""},
    )
    tour = Tour.objects.get()
    assert tour.slug == "tour-2027"
    date = (timezone.localdate() + timedelta(days=3)).isoformat()
    data = {"tour": tour.pk, "date": date, "city": "Rennes", "departement": "35"}
    assert staff_client.post("/pilotage/tour-de-france/etapes/nouvelle/", data).status_code == 302
    stop = TourStop.objects.get()
    response = staff_client.post(
        f"/pilotage/tour-de-france/etapes/{stop.pk}/", {**data, "summary": "Belle étape."}
    )
    assert response.status_code == 302
    stop.refresh_from_db()
    assert stop.summary == "Belle étape."
    response = staff_client.post("/pilotage/tour-de-france/etapes/nouvelle/", {**data, "date": ""})
    assert "Ce champ est obligatoire." in response.content.decode()


def test_dashboard_figures():
    """The staff dashboard's figures: upcoming workshops, seats, waiting lists, to-dos."""
    workshop = WorkshopFactory(capacity=3)
    RegistrationFactory.create_batch(3, workshop=workshop)
    RegistrationFactory(workshop=workshop, waiting=True)
    WorkshopFactory(capacity=10)
    past = WorkshopFactory(past=True)
    RegistrationFactory(workshop=past)
    figures = dashboard_figures()
    assert figures["upcoming_workshops"] == 2
    assert figures["upcoming_seats"] == 13 and figures["seats_left"] == 10
    assert figures["confirmed"] == 3 and figures["waiting"] == 1
    assert figures["attendance_to_mark"] == 1 and figures["outcomes_to_publish"] == 1
    assert [w.seats_left for w in figures["next_workshops"]] == [0, 10]
    assert Registration.objects.count() == 5
