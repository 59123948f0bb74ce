"""Registering, the waiting list, cancelling and promotion, by services and by pages."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from forum_ouvert.core.models import AuditLog
from participation.workshops import services
from participation.workshops.models import (
    Notice,
    Registration,
    RegistrationStatus,
    WorkshopStatus,
)
from tests.factories import UserFactory

from .factories import RegistrationFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def _register(workshop, user, capture):
    with capture(execute=True):
        return services.registration_create(user=user, workshop=workshop)


def test_register_confirms_and_sends_a_confirmation(
    client, citizen, workshop, outbox, django_capture_on_commit_callbacks
):
    """A logged-in person registers: the seat is theirs and an e-mail with the .ics follows."""
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/ateliers/{workshop.slug}/inscription/",
            {"accessibility_need": "Boucle magnétique", "mandate": ""},
        )
    assert response.status_code == 302
    registration = Registration.objects.get(user=citizen)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.accessibility_need == "Boucle magnétique"
    assert len(outbox) == 1
    assert outbox[0].subject.startswith("[Forum ouvert] Inscription confirmée")
    assert outbox[0].attachments[0].filename.endswith(".ics")
    assert f"/ateliers/desinscription/{registration.token}/" in outbox[0].body
    assert AuditLog.objects.filter(action="workshops.registration.create").exists()
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "Vous êtes inscrit·e" in page


def test_full_workshop_puts_people_on_the_waiting_list_with_their_rank(
    workshop, outbox, django_capture_on_commit_callbacks
):
    """Once every seat is taken, people join the waiting list in order and are told their rank."""
    workshop.capacity = 2
    workshop.save()
    people = UserFactory.create_batch(4)
    registrations = [_register(workshop, p, django_capture_on_commit_callbacks) for p in people]
    assert [r.status for r in registrations] == ["confirmee", "confirmee", "attente", "attente"]
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.FULL
    assert "position 2" in outbox[-1].body
    assert outbox[-1].subject.startswith("[Forum ouvert] Liste d'attente")


def test_register_twice_is_refused(workshop, citizen):
    """A person cannot hold two registrations to the same workshop."""
    services.registration_create(user=citizen, workshop=workshop)
    with pytest.raises(ValidationError, match="déjà inscrit"):
        services.registration_create(user=citizen, workshop=workshop)


@pytest.mark.parametrize(
    "fields",
    [
        {"status": WorkshopStatus.DRAFT},
        {"status": WorkshopStatus.CANCELLED},
        {"registration_closes_at": timezone.now() - timedelta(hours=1)},
        {"registration_opens_at": timezone.now() + timedelta(days=1)},
    ],
)
def test_registration_outside_its_window_is_refused(citizen, fields):
    """Registration is refused, with a French reason, when it is not open."""
    workshop = WorkshopFactory(**fields)
    with pytest.raises(ValidationError):
        services.registration_create(user=citizen, workshop=workshop)
    assert not Registration.objects.exists()


def test_cancellation_promotes_exactly_one_person(
    workshop, outbox, django_capture_on_commit_callbacks
):
    """Cancelling a confirmed seat gives it to the first person waiting, who gets an e-mail."""
    workshop.capacity = 1
    workshop.save()
    holder, first, second = UserFactory.create_batch(3)
    seat = _register(workshop, holder, django_capture_on_commit_callbacks)
    _register(workshop, first, django_capture_on_commit_callbacks)
    _register(workshop, second, django_capture_on_commit_callbacks)
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=holder, registration=seat)
    statuses = dict(Registration.objects.values_list("user_id", "status"))
    assert statuses == {
        holder.pk: RegistrationStatus.CANCELLED,
        first.pk: RegistrationStatus.CONFIRMED,
        second.pk: RegistrationStatus.WAITING,
    }
    assert [m.to for m in outbox] == [[first.email]]
    assert outbox[0].subject.startswith("[Forum ouvert] Une place s'est libérée")
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.FULL


def test_leaving_the_waiting_list_promotes_nobody(workshop, django_capture_on_commit_callbacks):
    """Someone leaving the waiting list frees no seat: nobody is promoted."""
    workshop.capacity = 1
    workshop.save()
    holder, waiting, after = UserFactory.create_batch(3)
    _register(workshop, holder, django_capture_on_commit_callbacks)
    leaving = _register(workshop, waiting, django_capture_on_commit_callbacks)
    _register(workshop, after, django_capture_on_commit_callbacks)
    services.registration_cancel(actor=waiting, registration=leaving)
    assert Registration.objects.get(user=after).status == RegistrationStatus.WAITING


def test_cancel_from_my_space(client, citizen, workshop):
    """From « Mon espace », a person confirms and cancels their registration."""
    registration = services.registration_create(user=citizen, workshop=workshop)
    client.force_login(citizen)
    my_space = client.get("/mon-espace/").content.decode()
    assert workshop.title in my_space
    url = f"/mon-espace/ateliers/{registration.pk}/annuler/"
    assert url in my_space
    assert "Confirmer l'annulation" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/mon-espace/"
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_cancel_someone_elses_registration_is_forbidden(client, citizen, workshop, make_user):
    """Nobody can cancel another person's registration: to them it does not exist."""
    registration = services.registration_create(user=citizen, workshop=workshop)
    client.force_login(make_user("citoyen"))
    assert client.post(f"/mon-espace/ateliers/{registration.pk}/annuler/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_cancel_with_the_link_of_the_email(client, workshop, outbox):
    """The link of the e-mail cancels without logging in, after a confirmation."""
    registration = RegistrationFactory(workshop=workshop)
    url = f"/ateliers/desinscription/{registration.token}/"
    assert "Confirmer l'annulation" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert "déjà annulée" in client.get(url).content.decode()
    assert client.get("/ateliers/desinscription/pas-un-jeton/").status_code == 404


def test_cannot_cancel_once_started(citizen):
    """Once the workshop has started, the registration can no longer be cancelled."""
    workshop = WorkshopFactory(
        starts_at=timezone.now() - timedelta(minutes=5),
        ends_at=timezone.now() + timedelta(hours=1),
    )
    registration = RegistrationFactory(workshop=workshop, user=citizen)
    with pytest.raises(ValidationError, match="commencé"):
        services.registration_cancel(actor=citizen, registration=registration)


def test_registering_again_after_cancelling(workshop, citizen):
    """A person who cancelled may register again, at the end of the queue if it is full."""
    first = services.registration_create(user=citizen, workshop=workshop)
    services.registration_cancel(actor=citizen, registration=first)
    again = services.registration_create(user=citizen, workshop=workshop)
    assert again.pk == first.pk and again.status == RegistrationStatus.CONFIRMED


def test_more_seats_promote_people_waiting(
    staff, workshop, outbox, django_capture_on_commit_callbacks
):
    """When staff add seats, the first people waiting get them and are told."""
    workshop.capacity = 1
    workshop.save()
    people = UserFactory.create_batch(3)
    for person in people:
        _register(workshop, person, django_capture_on_commit_callbacks)
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.workshop_update(actor=staff, workshop=workshop, fields={"capacity": 2})
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 2
    assert [m.to for m in outbox] == [[people[1].email]]


def test_fewer_seats_than_confirmed_people_is_refused(staff, workshop):
    """Staff cannot cut the seats below the people already confirmed."""
    RegistrationFactory.create_batch(3, workshop=workshop)
    with pytest.raises(ValidationError) as error:
        services.workshop_update(actor=staff, workshop=workshop, fields={"capacity": 2})
    assert "capacity" in error.value.error_dict


def test_staff_cancellation_tells_everyone(
    staff, workshop, outbox, django_capture_on_commit_callbacks
):
    """Cancelling a workshop e-mails every person confirmed or waiting, once each."""
    workshop.capacity = 1
    workshop.save()
    people = UserFactory.create_batch(3)
    for person in people:
        _register(workshop, person, django_capture_on_commit_callbacks)
    services.registration_cancel(
        actor=people[2], registration=Registration.objects.get(user=people[2])
    )
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.workshop_cancel(actor=staff, workshop=workshop, reason="Salle indisponible")
    assert sorted(m.to[0] for m in outbox) == sorted(p.email for p in people[:2])
    assert all("Salle indisponible" in m.body for m in outbox)
    workshop.refresh_from_db()
    assert workshop.status == WorkshopStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.workshop_cancel(actor=staff, workshop=workshop, reason="encore")


def test_state_machine_refuses_illegal_moves(staff, workshop):
    """A finished workshop cannot be published again; a draft cannot become full."""
    with pytest.raises(ValidationError):
        services.workshop_transition(actor=staff, workshop=workshop, to=WorkshopStatus.DRAFT)
    draft = WorkshopFactory(draft=True)
    with pytest.raises(ValidationError):
        services.workshop_transition(actor=staff, workshop=draft, to=WorkshopStatus.FULL)


def test_finish_past_workshops(workshop):
    """The periodic task marks ended workshops as « terminé »."""
    ended = WorkshopFactory(
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
    )
    from participation.workshops.tasks import finish_past

    assert finish_past.delay().get() == 1
    ended.refresh_from_db()
    workshop.refresh_from_db()
    assert ended.status == WorkshopStatus.FINISHED
    assert workshop.status == WorkshopStatus.PUBLISHED


def test_register_page_shows_errors_and_waiting_list(client, citizen, workshop):
    """The registration page works without JavaScript; a full workshop offers the waiting list."""
    workshop.capacity = 1
    workshop.save()
    RegistrationFactory(workshop=workshop)
    workshop.status = WorkshopStatus.FULL
    workshop.save()
    client.force_login(citizen)
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "Rejoindre la liste d'attente" in page
    response = client.post(
        f"/ateliers/{workshop.slug}/inscription/", {"mandate": "x" * 300}, follow=True
    )
    assert "Assurez-vous que cette valeur comporte au plus 200 caractères" in (
        response.content.decode()
    )
    response = client.post(f"/ateliers/{workshop.slug}/inscription/", {}, follow=True)
    assert "vous êtes sur la liste d'attente, en position 1" in html.unescape(
        response.content.decode()
    )
    assert Notice.objects.filter(kind="attente").count() == 1
