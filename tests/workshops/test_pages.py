"""The public pages: the list and its filters, the calendar, the Tour, bounded queries."""

from datetime import UTC, timedelta
from pathlib import Path

import icalendar
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagements.models import ActionPlan, Commitment
from participation.workshops.barometre import import_barometre
from participation.workshops.models import Audience, WorkshopFormat, WorkshopStatus

from .factories import RegistrationFactory, TourFactory, TourStopFactory, WorkshopFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
#: One real file of the DITP (IND-218).
SAMPLE = "participation/workshops/data/barometre/data/ind-218.csv"


@pytest.fixture
def commitment(db):
    plan = ActionPlan.objects.create(slug="pan-4", title="Plan 4", is_current=True)
    return Commitment.objects.create(plan=plan, number=1, slug="engagement-1", title="Ouvrir")


def _titles(response) -> list[str]:
    return [w.title for w in response.context["page"]]


def test_list_shows_upcoming_workshops_first_with_seats_left(client):
    """The list shows upcoming workshops, soonest first, each with its seats left."""
    later = WorkshopFactory(title="Plus tard", starts_at=timezone.now() + timedelta(days=20))
    soon = WorkshopFactory(title="Bientôt", capacity=10)
    RegistrationFactory.create_batch(3, workshop=soon)
    WorkshopFactory(title="Passé", past=True)
    WorkshopFactory(title="Brouillon", draft=True)
    response = client.get("/ateliers/")
    assert _titles(response) == ["Bientôt", "Plus tard"]
    assert "7 places restantes sur 10" in response.content.decode()
    response = client.get("/ateliers/", {"periode": "tous"})
    assert _titles(response) == ["Bientôt", "Plus tard", "Passé"]
    assert later.title in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"departement": "2A"}, ["Ajaccio"]),
        ({"region": "84"}, ["Lyon", "En ligne élus"]),
        ({"format": "en_ligne"}, ["En ligne élus"]),
        ({"public": "elus_locaux"}, ["En ligne élus"]),
        ({"engagement": "engagement-1"}, ["Lyon"]),
        ({"du": "{in15}"}, ["Ajaccio"]),
        ({"au": "{in15}"}, ["Lyon", "En ligne élus"]),
    ],
)
def test_filters(client, commitment, params, expected):
    """Each filter narrows the list: département, region, format, audience, commitment, dates."""
    lyon = WorkshopFactory(title="Lyon")
    lyon.commitments.add(commitment)
    WorkshopFactory(
        title="En ligne élus",
        format=WorkshopFormat.ONLINE,
        departement_id="01",
        visio_url="https://visio.exemple.fr/x",
        audience=Audience.ELECTED,
        starts_at=timezone.now() + timedelta(days=11),
    )
    WorkshopFactory(
        title="Ajaccio", departement_id="2A", starts_at=timezone.now() + timedelta(days=30)
    )
    in15 = (timezone.localdate() + timedelta(days=15)).isoformat()
    query = {k: v.format(in15=in15) for k, v in params.items()}
    assert _titles(client.get("/ateliers/", query)) == expected


def test_htmx_request_gets_only_the_results(client):
    """With htmx, the filter returns the results fragment, the same as in the full page."""
    WorkshopFactory(title="Atelier lyonnais")
    fragment = client.get("/ateliers/?departement=69", headers=HTMX).content.decode()
    full = client.get("/ateliers/?departement=69").content.decode()
    assert "<html" not in fragment and "Atelier lyonnais" in fragment
    assert fragment.strip() in full


@pytest.mark.parametrize(
    "query",
    [
        {"departement": "' OR 1=1 --"},
        {"region": "x" * 5000},
        {"engagement": "😀"},
        {"du": "pas-une-date"},
        {"du": "2026-05-01", "au": "2026-01-01"},
        {"page": "abc"},
        {"page": "99999"},
        {"periode": "<script>"},
        {"format": "\x00"},
    ],
)
def test_bad_filters_never_break_the_list(client, query):
    """Odd input is explained or ignored: the list always answers."""
    WorkshopFactory()
    response = client.get("/ateliers/", query)
    assert response.status_code == 200
    assert client.get("/ateliers/", query, headers=HTMX).status_code == 200


def test_calendar_feed_parses_and_lists_upcoming_workshops(client):
    """The iCalendar feed is valid and lists upcoming public workshops only."""
    upcoming = WorkshopFactory(title="À venir")
    WorkshopFactory(title="Passé", past=True)
    WorkshopFactory(title="Brouillon", draft=True)
    cancelled = WorkshopFactory(title="Annulé", status=WorkshopStatus.CANCELLED)
    response = client.get("/ateliers/calendrier.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["version"]) == "2.0" and calendar["prodid"]
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"À venir", "Annulé"}
    assert str(events["Annulé"]["status"]) == "CANCELLED"
    assert events["À venir"].decoded("dtstart") == upcoming.starts_at.astimezone(UTC).replace(
        microsecond=0
    )
    assert cancelled.title in events
    single = icalendar.Calendar.from_ical(client.get(f"/ateliers/{upcoming.slug}.ics").content)
    assert [str(e["summary"]) for e in single.walk("VEVENT")] == ["À venir"]


def test_online_link_is_only_for_people_with_a_seat(client, citizen):
    """The visio link of an online workshop is shown only to people holding a seat."""
    workshop = WorkshopFactory(online=True)
    assert workshop.visio_url not in client.get(workshop.get_absolute_url()).content.decode()
    assert workshop.visio_url not in client.get(f"/ateliers/{workshop.slug}.ics").content.decode()
    RegistrationFactory(workshop=workshop, user=citizen)
    client.force_login(citizen)
    assert workshop.visio_url in client.get(workshop.get_absolute_url()).content.decode()


def test_tour_page_shows_route_map_and_stops(client):
    """The Tour page shows the route on the map and as a list, past and upcoming stops."""
    tour = TourFactory(title="Tour 2026")
    TourStopFactory(tour=tour, city="Lyon")
    TourStopFactory(
        tour=tour,
        city="Lille",
        departement_id="59",
        date=timezone.localdate() - timedelta(days=5),
        summary="Bilan de Lille.",
    )
    workshop = WorkshopFactory(title="Atelier du Tour", tour_stop=tour.stops.get(city="Lyon"))
    html = client.get("/tour-de-france/").content.decode()
    assert "Tour 2026" in html
    assert html.count("fo-map__tile--active") == 2
    assert "Bilan de Lille." in html and workshop.title in html
    assert 'href="/territoires/69/"' in html and 'href="/territoires/59/"' in html
    assert html.index("Prochaines étapes") < html.index("Lyon — ") < html.index("Étapes passées")


def test_workshop_page_links_to_its_departement_page(client):
    """« Rhône (69) » on a workshop page opens « Ce qui change dans le Rhône »."""
    workshop = WorkshopFactory(departement_id="69", status=WorkshopStatus.PUBLISHED)
    html = client.get(workshop.get_absolute_url()).content.decode()
    assert '<a href="/territoires/69/">Rhône (69)</a>' in html
    assert 'href=""' not in html


def test_tour_stop_links_to_its_departement_page_with_its_preposition(client):
    """Each stop of the Tour says « Ce qui change à Paris » and links to that page."""
    TourStopFactory(city="Paris", departement_id="75")
    html = client.get("/tour-de-france/").content.decode()
    assert '<a href="/territoires/75/">Ce qui change à Paris</a>' in html


def _count(client, url) -> int:
    """Queries of one request with the fragment cache empty (the costly case)."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(n: int, commitment) -> None:
    tour = TourFactory()
    for i in range(n):
        workshop = WorkshopFactory(departement_id="69", tour_stop=None)
        workshop.commitments.add(commitment)
        RegistrationFactory.create_batch(2, workshop=workshop)
        RegistrationFactory(workshop=workshop, waiting=True)
        stop = TourStopFactory(tour=tour, departement_id="69" if i % 2 else "59")
        WorkshopFactory(tour_stop=stop)


@pytest.mark.parametrize("url", ["/ateliers/", "/territoires/69/", "/tour-de-france/"])
def test_pages_use_a_bounded_number_of_queries(client, commitment, url):
    """The list, territory and Tour pages cost the same number of queries at any size."""
    import_barometre(data=Path(SAMPLE).read_bytes())
    _grow(1, commitment)
    client.get(url)  # warm the caches (content types, demo flag)
    small = _count(client, url)
    _grow(15, commitment)
    assert _count(client, url) <= small


def test_cached_fragments_follow_their_data(client):
    """The Tour, Baromètre and calendar fragments are cached, yet every change shows at once."""
    tour = TourFactory(title="Tour caché")
    stop = TourStopFactory(tour=tour, city="Lyon")
    assert "Lyon" in client.get("/tour-de-france/").content.decode()
    stop.city = "Villeurbanne"
    stop.save()
    assert "Villeurbanne" in client.get("/tour-de-france/").content.decode()
    WorkshopFactory(title="Atelier ajouté", tour_stop=stop)
    assert "Atelier ajouté" in client.get("/tour-de-france/").content.decode()

    assert "Aucun indicateur" in client.get("/territoires/69/").content.decode()
    import_barometre(data=Path(SAMPLE).read_bytes())
    assert "IND-218" in client.get("/territoires/69/").content.decode()

    feed = client.get("/ateliers/calendrier.ics").content
    assert b"Atelier ajout" in feed
    WorkshopFactory(title="Encore un atelier")
    assert b"Encore un atelier" in client.get("/ateliers/calendrier.ics").content
