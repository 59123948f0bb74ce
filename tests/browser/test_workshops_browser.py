"""In Chromium: postcode → workshop, register, cancel, promotion; attendance on a phone."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from forum_ouvert.core.choices import Role
from participation.workshops import services
from participation.workshops.models import Registration, RegistrationStatus
from tests.conftest import browser_login
from tests.factories import UserFactory
from tests.workshops.conftest import ensure_territories
from tests.workshops.factories import RegistrationFactory, TourStopFactory, WorkshopFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _territories(transactional_db):
    """The live server's tests flush the database: the départements are loaded again."""
    ensure_territories()


def test_citizen_finds_registers_cancels_and_the_next_person_is_promoted(
    page, live_server, axe, csp_violations
):
    """From « Ce qui change chez vous » to a seat, then a cancellation that promotes the next."""
    call_command(
        "import_barometre",
        "participation/workshops/data/barometre/data/ind-218.csv",
        "--indicator-metadata",
        "participation/workshops/data/barometre/metadata/meta_indicateurs.csv",
    )
    stop = TourStopFactory(city="Lyon")
    workshop = WorkshopFactory(title="Atelier des Pentes", capacity=1, tour_stop=stop)
    WorkshopFactory(title="Atelier de Lille", departement_id="59")
    citizen = UserFactory(role=Role.CITIZEN, display_name="Camille")
    next_in_line = UserFactory(role=Role.CITIZEN)

    browser_login(page, live_server, citizen.email)
    page.goto(f"{live_server.url}/territoires/")
    expect(page.get_by_role("link", name="Rhône (69)").first).to_be_visible()
    axe(page)
    page.get_by_label("Votre code postal").fill("69003")
    page.get_by_role("button", name="Voir mon département").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce qui change dans le Rhône")
    axe(page)

    page.get_by_role("link", name="Atelier des Pentes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier des Pentes")
    axe(page)
    page.get_by_label("Un besoin d'accessibilité ?").fill("Boucle magnétique")
    page.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_text("Votre inscription est confirmée")).to_be_visible()
    axe(page)
    assert Registration.objects.get(user=citizen).status == RegistrationStatus.CONFIRMED

    # Meanwhile the workshop fills up: the next person joins the waiting list.
    services.registration_create(user=next_in_line, workshop=workshop)
    assert Registration.objects.get(user=next_in_line).status == RegistrationStatus.WAITING

    page.goto(f"{live_server.url}/mon-espace/")
    axe(page)
    page.get_by_role("link", name=re.compile("Annuler mon inscription à")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler mon inscription")
    axe(page)
    mail.outbox.clear()
    page.get_by_role("button", name="Confirmer l'annulation").click()
    expect(page.get_by_text("Votre inscription est annulée")).to_be_visible()
    axe(page)

    assert Registration.objects.get(user=citizen).status == RegistrationStatus.CANCELLED
    assert Registration.objects.get(user=next_in_line).status == RegistrationStatus.CONFIRMED
    assert [m.to for m in mail.outbox] == [[next_in_line.email]]
    assert "Une place s'est libérée" in mail.outbox[0].subject

    page.goto(f"{live_server.url}/tour-de-france/")
    expect(page.get_by_role("link", name=re.compile(r"^Rhône \(69\)"))).to_be_visible()
    axe(page)
    assert csp_violations == []


def test_workshop_filters_with_htmx_and_without_javascript(page, live_server, axe, csp_violations):
    """Choosing a département updates the results in place and the address bar follows."""
    WorkshopFactory(title="Atelier lyonnais")
    WorkshopFactory(title="Atelier lillois", departement_id="59")
    page.goto(f"{live_server.url}/ateliers/")
    axe(page)
    expect(page.get_by_text("Atelier lillois")).to_be_visible()
    page.get_by_label("Département").select_option("59")
    expect(page.get_by_text("Atelier lyonnais")).to_have_count(0)
    expect(page.get_by_text("Atelier lillois")).to_be_visible()
    expect(page).to_have_url(re.compile(r"departement=59"))
    axe(page)
    page.reload()
    expect(page.get_by_label("Département")).to_have_value("59")
    expect(page.get_by_text("Atelier lyonnais")).to_have_count(0)
    assert csp_violations == []


def test_attendance_on_a_phone(page, live_server, axe, csp_violations):
    """On a phone, staff tick people present; the row and the counter update in place."""
    page.set_viewport_size({"width": 390, "height": 800})
    workshop = WorkshopFactory(
        title="Atelier du jour",
        starts_at=timezone.now() - timedelta(minutes=15),
        ends_at=timezone.now() + timedelta(hours=2),
    )
    person = UserFactory(display_name="Dominique Présente")
    registration = RegistrationFactory(workshop=workshop, user=person)
    RegistrationFactory(workshop=workshop)
    staff = UserFactory(role=Role.STAFF)
    browser_login(page, live_server, staff.email)
    page.goto(f"{live_server.url}/pilotage/ateliers/{workshop.slug}/presences/")
    axe(page)
    expect(page.get_by_role("status").filter(has_text="sur 2")).to_contain_text(
        "Aucune personne présente"
    )
    page.get_by_role("button", name="Présent·e : Dominique Présente").click()
    expect(page.get_by_role("button", name="Présent·e : Dominique Présente")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_role("status").filter(has_text="sur 2")).to_contain_text("1 personne")
    axe(page)
    registration.refresh_from_db()
    assert registration.attended is True
    assert csp_violations == []
