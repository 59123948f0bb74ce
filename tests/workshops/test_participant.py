"""The participant's side: « Mon espace », the record, RGPD export and deletion."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagements.models import ActionPlan, Commitment
from forum_ouvert.portal.services import account_delete
from participation.workshops import selectors
from participation.workshops.models import Outcome, Registration, RegistrationStatus

from .factories import RegistrationFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def test_my_space_lists_my_workshops_with_rank(citizen):
    """« Mon espace » lists upcoming registrations, waiting rank included, and past attendance."""
    assert selectors.my_space_context(user=citizen) == {}
    mine = RegistrationFactory(user=citizen)
    full = WorkshopFactory(capacity=1)
    RegistrationFactory(workshop=full)
    RegistrationFactory(workshop=full, waiting=True)
    waiting = RegistrationFactory(workshop=full, user=citizen, waiting=True)
    attended = RegistrationFactory(user=citizen, workshop=WorkshopFactory(past=True), attended=True)
    with CaptureQueriesContext(connection) as ctx:
        context = selectors.my_space_context(user=citizen)
    assert len(ctx.captured_queries) <= 3
    assert [r.pk for r in context["upcoming"]] == [mine.pk, waiting.pk]
    assert context["upcoming"][1].rank == 2
    assert [r.pk for r in context["attended"]] == [attended.pk]


def test_verified_participations_give_kind_and_hours(citizen):
    """Attendance feeds the participant's record: « Atelier participatif », with its hours."""
    start = timezone.now() - timedelta(days=2)
    workshop = WorkshopFactory(
        title="Atelier vérifié", starts_at=start, ends_at=start + timedelta(hours=2, minutes=30)
    )
    RegistrationFactory(user=citizen, workshop=workshop, attended=True)
    RegistrationFactory(user=citizen, workshop=WorkshopFactory(past=True), attended=False)
    (participation,) = selectors.verified_participations(user=citizen)
    assert participation.kind == "Atelier participatif"
    assert participation.title == "Atelier vérifié"
    assert participation.hours == 2.5
    assert participation.date == timezone.localtime(start).date()
    assert participation.place.startswith("1 place de la Comédie")


def test_export_user_data(citizen):
    """« Télécharger mes données » includes my registrations and what I wrote in them."""
    RegistrationFactory(user=citizen, accessibility_need="Interprète LSF", mandate="Maire")
    (row,) = selectors.export_user_data(user=citizen)["inscriptions_ateliers"]
    assert row["besoin_accessibilite"] == "Interprète LSF" and row["mandat"] == "Maire"
    assert row["etat"] == "Inscription confirmée"


def test_account_deletion_frees_seats_and_anonymises(
    citizen, outbox, django_capture_on_commit_callbacks
):
    """Deleting an account frees its seats for the waiting list and erases what it wrote."""
    workshop = WorkshopFactory(capacity=1)
    RegistrationFactory(user=citizen, workshop=workshop, accessibility_need="Fauteuil")
    waiting = RegistrationFactory(workshop=workshop, waiting=True)
    past = RegistrationFactory(user=citizen, workshop=WorkshopFactory(past=True), attended=True)
    address = citizen.email
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=citizen)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    # The seat's new holder is told; the deleted account gets its confirmation.
    assert sorted(m.to for m in outbox) == sorted([[waiting.user.email], [address]])
    assert not Registration.objects.filter(user=citizen).exists()
    past.refresh_from_db()
    assert past.user is None and past.attended is True
    assert not Registration.objects.exclude(accessibility_need="").exists()


def test_commitment_page_lists_its_workshops_and_outcomes(client):
    """A commitment's page shows the workshops serving it and the comptes rendus informing it."""
    plan = ActionPlan.objects.create(slug="pan", title="Plan", is_current=True)
    commitment = Commitment.objects.create(plan=plan, number=3, slug="e3", title="Engagement 3")
    served = WorkshopFactory(title="Atelier servi")
    served.commitments.add(commitment)
    WorkshopFactory(title="Atelier brouillon", draft=True).commitments.add(commitment)
    past = WorkshopFactory(title="Atelier passé", past=True)
    outcome = Outcome.objects.create(workshop=past, text="CR", published_at=timezone.now())
    outcome.commitments.add(commitment)
    html = client.get("/engagements/e3/").content.decode()
    assert "Ateliers participatifs" in html
    assert "Atelier servi" in html and "Atelier brouillon" not in html
    assert "Comptes rendus qui éclairent cet engagement" in html and "Atelier passé" in html
    with CaptureQueriesContext(connection) as ctx:
        selectors.commitment_section(commitment=commitment)
    assert len(ctx.captured_queries) == 2
    other = Commitment.objects.create(plan=plan, number=4, slug="e4", title="Engagement 4")
    assert selectors.commitment_section(commitment=other) is None


def test_demo_seed_fills_the_pages(client, capsys):
    """After the demo seed, the pages show workshops, the Tour, a territory and a waiting list."""
    call_command("import_plan", "engagements/data/plan-2024-2026.json")
    call_command("seed_demo")
    call_command("seed_demo")
    html = client.get("/ateliers/").content.decode()
    assert "(démonstration)" in html and "Complet" in html
    assert "Saint-Denis" in client.get("/tour-de-france/").content.decode()
    territory = client.get("/territoires/69/").content.decode()
    assert "Ce qui change dans le Rhône" in territory and "fictives" not in territory
    from forum_ouvert.core.models import User

    camille = User.objects.get(email="citoyenne@demo.forum-ouvert.fr")
    assert selectors.verified_participations(user=camille)
    assert selectors.my_space_context(user=camille)["upcoming"]
