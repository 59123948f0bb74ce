"""Who may open each page of the workshops app: every URL × every role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver
from django.utils import timezone

from participation.workshops.models import Outcome
from tests.conftest import ROLES

from .factories import RegistrationFactory, TourStopFactory, WorkshopFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STAFF_ROLES = {"ditp", "admin"}


@pytest.fixture
def objects(db):
    workshop = WorkshopFactory(slug="atelier-public")
    registration = RegistrationFactory(workshop=workshop)
    stop = TourStopFactory()
    past = WorkshopFactory(slug="atelier-passe", past=True)
    Outcome.objects.create(
        workshop=past,
        text="Compte rendu.",
        document=SimpleUploadedFile("cr.pdf", PDF),
        published_at=timezone.now(),
    )
    WorkshopFactory(slug="atelier-brouillon", draft=True)
    return {"registration": registration, "stop": stop}


def _expected(kind: str, role: str | None) -> int:
    if kind == "public":
        return 200
    if kind == "draft":
        return 200 if role in STAFF_ROLES else 404
    if role is None:
        return 302
    if kind == "login":
        return 200
    if kind == "staff":
        return 200 if role in STAFF_ROLES else 403
    if kind == "staff_post":
        return 302 if role in STAFF_ROLES else 403
    raise AssertionError(kind)


PAGES = [
    ("list", "/ateliers/", "public"),
    ("calendar", "/ateliers/calendrier.ics", "public"),
    ("detail", "/ateliers/atelier-public/", "public"),
    ("detail", "/ateliers/atelier-brouillon/", "draft"),
    ("ics", "/ateliers/atelier-public.ics", "public"),
    ("ics", "/ateliers/atelier-brouillon.ics", "draft"),
    ("outcome_document", "/ateliers/atelier-passe/compte-rendu.pdf", "public"),
    ("register", "/ateliers/atelier-public/inscription/", "login"),
    ("cancel_by_token", "/ateliers/desinscription/{token}/", "public"),
    ("tour", "/tour-de-france/", "public"),
    ("staff_list", "/pilotage/ateliers/", "staff"),
    ("staff_create", "/pilotage/ateliers/nouveau/", "staff"),
    ("staff_edit", "/pilotage/ateliers/atelier-public/", "staff"),
    ("staff_publish", "/pilotage/ateliers/atelier-public/publier/", "staff_post"),
    ("staff_cancel", "/pilotage/ateliers/atelier-public/annuler/", "staff"),
    ("staff_registrations", "/pilotage/ateliers/atelier-public/inscriptions/", "staff"),
    ("staff_registrations_csv", "/pilotage/ateliers/atelier-public/inscriptions.csv", "staff"),
    ("staff_attendance", "/pilotage/ateliers/atelier-public/presences/", "staff"),
    (
        "staff_attendance_mark",
        "/pilotage/ateliers/atelier-public/presences/{registration}/",
        "staff_post",
    ),
    ("staff_outcome", "/pilotage/ateliers/atelier-public/compte-rendu/", "staff"),
    ("staff_tour", "/pilotage/tour-de-france/", "staff"),
    ("staff_tour_create", "/pilotage/tour-de-france/nouveau/", "staff"),
    ("staff_stop_create", "/pilotage/tour-de-france/etapes/nouvelle/", "staff"),
    ("staff_stop_edit", "/pilotage/tour-de-france/etapes/{stop}/", "staff"),
    ("portal:territories", "/territoires/", "public"),
    ("portal:territory", "/territoires/69/", "public"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "path", "kind"), PAGES)
def test_access_to_every_page(client_for, objects, role, name, path, kind):
    """Each page answers each role as its rule says (anonymous visitors go to the login)."""
    client, _user = client_for(role)
    url = path.format(
        token=objects["registration"].token,
        registration=objects["registration"].pk,
        stop=objects["stop"].pk,
    )
    response = client.get(url)
    assert response.status_code == _expected(kind, role), url
    if response.status_code == 302 and role is None:
        assert response["Location"].startswith("/compte/login/")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owner_may_cancel_from_my_space(client_for, objects, role):
    """Only the person registered opens their cancellation page (admins included: no); to
    others it does not exist (404)."""
    client, _user = client_for(role)
    url = f"/mon-espace/ateliers/{objects['registration'].pk}/annuler/"
    expected = {None: 302}.get(role, 404)
    assert client.get(url).status_code == expected
    client.force_login(objects["registration"].user)
    assert client.get(url).status_code == 200


def test_every_url_of_the_app_is_in_the_matrix():
    """No page of the app escapes the permission matrix."""
    names = {
        name
        for name, pattern in get_resolver().namespace_dict["workshops"][1].reverse_dict.items()
        if isinstance(name, str)
    }
    covered = {name for name, _path, _kind in PAGES} | {"registration_cancel"}
    assert names <= covered, names - covered
