"""The public space: the forum's page (members by collège, rules, meetings) and the calls."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from participation.forum.models import ApplicationStatus, CallPhase, Member
from participation.forum.services.calls import call_set_phase, charter_update
from participation.forum.services.reviews import application_decide

from .factories import (
    ApplicationFactory,
    CallFactory,
    MeetingFactory,
    MemberFactory,
    bulk_applications,
)

pytestmark = pytest.mark.django_db

INDEX = reverse("forum:index")


def test_publishing_results_makes_retained_organisations_public_members(client, staff):
    """Once results are published, the retained organisations appear on /forum/ under
    their collège; the others do not."""
    call = CallFactory(review=True)
    associations, chercheurs = call.colleges.order_by("order")
    kept = ApplicationFactory(
        call=call, organisation_name="Réseau Transparence", college=chercheurs
    )
    waiting = ApplicationFactory(call=call, organisation_name="Collectif en Attente")
    application_decide(actor=staff, application=kept, decision="retenue", message="Oui.")
    application_decide(actor=staff, application=waiting, decision="attente", message="Peut-être.")
    assert "Réseau Transparence" not in client.get(INDEX).content.decode()
    call_set_phase(actor=staff, call=call, phase=CallPhase.PUBLISHED)
    page = client.get(INDEX).content.decode()
    assert "Réseau Transparence" in page
    assert "Collectif en Attente" not in page
    assert page.index(chercheurs.name) < page.index("Réseau Transparence")
    assert Member.objects.get().college == chercheurs


def test_the_forum_page_shows_rules_and_meetings(client, staff):
    """Staff-written rules, upcoming and past meetings with their minutes are public."""
    charter_update(
        actor=staff, presentation="Le forum de démonstration.", rules="Règle n° 1 : écouter."
    )
    MeetingFactory(title="Séance de printemps", starts_at=timezone.now() + dt.timedelta(days=10))
    past = MeetingFactory(
        title="Séance d'hiver",
        starts_at=timezone.now() - dt.timedelta(days=60),
        minutes_text="Le forum a adopté ses règles.",
        minutes_published_at=timezone.now() - dt.timedelta(days=50),
    )
    page = client.get(INDEX).content.decode()
    assert "Règle n° 1 : écouter." in page
    assert "Séance de printemps" in page
    assert "Compte rendu publié" in page
    detail = client.get(past.get_absolute_url()).content.decode()
    assert "Le forum a adopté ses règles." in detail


def test_minutes_are_hidden_until_published(client):
    """A past meeting without published minutes says they will come; its PDF is 404."""
    meeting = MeetingFactory(
        starts_at=timezone.now() - dt.timedelta(days=2), minutes_text="Brouillon"
    )
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Brouillon" not in page
    assert "sera publié prochainement" in page
    assert client.get(reverse("forum:meeting_minutes_pdf", args=[meeting.pk])).status_code == 404


@pytest.mark.parametrize("size", [10, 1000])
def test_the_forum_page_uses_a_bounded_number_of_queries(
    client, size, django_assert_max_num_queries
):
    """/forum/ runs the same few queries with 10 or 1,000 applications and their members."""
    call = CallFactory(published=True)
    applications = bulk_applications(call, size, status=ApplicationStatus.RETAINED)
    today = timezone.localdate()
    Member.objects.bulk_create([Member.from_application(a, joined_on=today) for a in applications])
    MeetingFactory.create_batch(3)
    with django_assert_max_num_queries(8):
        response = client.get(INDEX)
    assert response.status_code == 200
    assert response.content.decode().count("Organisation ") >= size


def test_calls_open_one_first(client):
    """The list of calls shows the open call first, then those to come, then past ones."""
    past = CallFactory(published=True, title="Appel passé")
    open_call = CallFactory(title="Appel ouvert")
    coming = CallFactory(scheduled=True, title="Appel à venir")
    page = client.get(reverse("forum:call_list")).content.decode()
    positions = [page.index(c.get_absolute_url()) for c in (open_call, coming, past)]
    assert positions == sorted(positions)


def test_the_open_call_shows_candidater_and_closed_does_not(client, applicant):
    """« Candidater » shows while the call is open, not once it is closed."""
    open_call = CallFactory()
    closed = CallFactory(closed=True)
    client.force_login(applicant)
    assert "Candidater" in client.get(open_call.get_absolute_url()).content.decode()
    page = client.get(closed.get_absolute_url()).content.decode()
    assert "Les candidatures sont closes" in page
    response = client.get(reverse("forum:apply", args=[closed.slug]), follow=True)
    assert "est clos" in response.content.decode()


def test_members_who_left_are_not_listed(client):
    """A member who left the forum no longer appears."""
    MemberFactory(organisation_name="Toujours Là")
    MemberFactory(organisation_name="Partie en 2025", left_on=timezone.localdate())
    page = client.get(INDEX).content.decode()
    assert "Toujours Là" in page and "Partie en 2025" not in page


def test_a_draft_call_does_not_exist_for_the_public(client, make_user):
    """A call still in draft answers 404 on its page and on its application form, to
    visitors and applicants alike, as a slug that was never used: nothing tells it exists."""
    draft = CallFactory(draft=True)
    client.force_login(make_user("association"))
    for url in (draft.get_absolute_url(), reverse("forum:apply", args=[draft.slug])):
        assert client.get(url).status_code == 404
        assert client.get(url.replace(draft.slug, "jamais-publie")).status_code == 404
