"""The lists: open consultations first, then every contribution, filtered, sorted, paginated."""

import datetime

import pytest
from django.utils import timezone

from forum_ouvert.core.models import Departement
from participation.contributions.models import ResponseStatus

from .factories import (
    CommentFactory,
    ConsultationFactory,
    ContributionFactory,
    ResponseFactory,
    SupportFactory,
)

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [c.title for c in response.context["page"].object_list]


def test_open_consultations_come_first(client):
    """The page lists open consultations, not closed or draft ones, before the contributions."""
    open_one = ConsultationFactory(title="Consultation ouverte")
    ConsultationFactory(title="Consultation close", closed=True)
    ConsultationFactory(title="Brouillon invisible", draft=True)
    html = client.get("/contributions/").content.decode()
    assert "Consultation ouverte" in html
    assert "Brouillon invisible" not in html
    assert html.index(open_one.title) < html.index("Toutes les contributions")


def test_hidden_and_pending_are_not_listed(client, consultation):
    """Lists show published contributions only."""
    ContributionFactory(consultation=consultation, title="Visible")
    ContributionFactory(consultation=consultation, title="En attente", pending=True)
    ContributionFactory(consultation=consultation, title="Masquée", hidden=True)
    assert _titles(client.get("/contributions/")) == ["Visible"]


def test_sorts(client, consultation):
    """Most recent, most supported, and « a reçu une réponse » (answered ones, latest first)."""
    now = timezone.now()
    old = ContributionFactory(consultation=consultation, title="Ancienne", support_count=5)
    old.created_at = now - datetime.timedelta(days=3)
    old.save()
    new = ContributionFactory(consultation=consultation, title="Récente", support_count=1)
    answered = ContributionFactory(
        consultation=consultation, title="Répondue", responded_at=now, support_count=0
    )
    answered.created_at = now - datetime.timedelta(days=10)
    answered.save()
    ResponseFactory(contribution=answered)
    assert _titles(client.get("/contributions/")) == ["Récente", "Ancienne", "Répondue"]
    assert _titles(client.get("/contributions/?sort=soutiens")) == [
        "Ancienne",
        "Récente",
        "Répondue",
    ]
    assert _titles(client.get("/contributions/?sort=reponse")) == ["Répondue"]
    assert new.pk


def test_filters(client, consultation):
    """Filter by theme, département, response status (including « sans réponse »)."""
    theme_a, theme_b = consultation.themes.order_by("order")
    rhone = Departement.objects.get(code="69")
    a = ContributionFactory(consultation=consultation, theme=theme_a, departement=rhone)
    b = ContributionFactory(consultation=consultation, theme=theme_b, responded_at=timezone.now())
    ResponseFactory(contribution=b, status=ResponseStatus.NOT_ACCEPTED)
    url = consultation.get_absolute_url()
    assert _titles(client.get(url, {"theme": theme_a.pk})) == [a.title]
    assert _titles(client.get(url, {"departement": "69"})) == [a.title]
    assert _titles(client.get(url, {"status": "non_retenue"})) == [b.title]
    assert _titles(client.get(url, {"status": "sans_reponse"})) == [a.title]
    assert _titles(client.get("/contributions/", {"consultation": consultation.pk})) == [
        b.title,
        a.title,
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"departement": "'; DROP TABLE x; --"},
        {"theme": "abc"},
        {"consultation": "99999999999999999999999999"},
        {"commitment": "-1"},
        {"status": "<script>"},
        {"sort": "id; delete"},
        {"page": "abc"},
        {"page": "999999"},
        {"q": "x" * 5000},
        {"q": "a\x00b"},
        {"q": "'\"()&|!:*<>"},
        {"q": "😀 漢字 ﷽"},
    ],
)
def test_hostile_filters_never_break_the_page(client, consultation, query):
    """Invalid, SQL-looking, huge or binary filters give the page (with errors), never 500."""
    ContributionFactory(consultation=consultation)
    for url in ("/contributions/", consultation.get_absolute_url()):
        assert client.get(url, query).status_code == 200
        assert client.get(url, query, headers={"HX-Request": "true"}).status_code == 200


def test_pagination_keeps_the_filters(client, consultation):
    """Page 2 links keep the current filters."""
    for _i in range(25):
        ContributionFactory(consultation=consultation, departement_id="69")
    response = client.get("/contributions/", {"departement": "69"})
    assert len(response.context["page"].object_list) == 20
    assert "departement=69&amp;page=2" in response.content.decode()
    assert len(client.get("/contributions/?departement=69&page=2").context["page"]) == 5


def test_htmx_filter_returns_the_results_fragment(client, consultation):
    """A filter request from htmx gets the results only; the full page wraps the same markup."""
    ContributionFactory(consultation=consultation, title="Une proposition")
    fragment = client.get("/contributions/?sort=soutiens", headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html
    assert "Une proposition" in html
    page = client.get("/contributions/?sort=soutiens").content.decode()
    normalise = lambda s: " ".join(s.split())  # noqa: E731
    assert normalise(html) in normalise(page)


def test_history_restore_gets_the_full_page(client):
    """Going back after an htmx filter (history restore) reloads a full page."""
    response = client.get(
        "/contributions/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def _populate(consultation, n):
    themes = list(consultation.themes.all())
    for i in range(n):
        c = ContributionFactory(
            consultation=consultation,
            theme=themes[i % 2],
            departement_id="69",
            commitment=None,
        )
        SupportFactory(contribution=c)
        CommentFactory(contribution=c)
        if i % 2:
            ResponseFactory(contribution=c)


@pytest.mark.parametrize(
    "path",
    ["/contributions/", "/contributions/?sort=soutiens&departement=69", "CONSULTATION"],
)
def test_list_queries_do_not_grow_with_data(
    client, make_user, consultation, django_assert_max_num_queries, path
):
    """The number of SQL queries of a list is the same for 3 and 30 contributions."""
    client.force_login(make_user("citoyen"))
    path = consultation.get_absolute_url() if path == "CONSULTATION" else path
    _populate(consultation, 3)
    with django_assert_max_num_queries(18) as small:
        client.get(path)
    _populate(consultation, 27)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(path)


def test_contribution_page_queries_do_not_grow(
    client, make_user, consultation, django_assert_max_num_queries
):
    """A contribution page costs the same with 2 or 40 comments and supports."""
    client.force_login(make_user("citoyen"))
    contribution = ContributionFactory(consultation=consultation)
    ResponseFactory(contribution=contribution)

    def add(n):
        for _i in range(n):
            parent = CommentFactory(contribution=contribution)
            CommentFactory(contribution=contribution, parent=parent)
            SupportFactory(contribution=contribution)

    add(1)
    with django_assert_max_num_queries(12) as small:
        client.get(contribution.get_absolute_url())
    add(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(contribution.get_absolute_url())


def test_department_selector_for_territory_page(consultation):
    """``contributions_for_departement`` gives the latest published ones of a département."""
    from participation.contributions.selectors import contributions_for_departement

    for _i in range(7):
        ContributionFactory(consultation=consultation, departement_id="2A")
    ContributionFactory(consultation=consultation, departement_id="2A", hidden=True)
    ContributionFactory(consultation=consultation, departement_id="69")
    found = contributions_for_departement(code="2A", limit=5)
    assert len(found) == 5
    assert {c.departement_id for c in found} == {"2A"}


def test_commitment_page_lists_its_contributions(
    client, consultation, django_assert_max_num_queries
):
    """A commitment's page shows the contributions linked to it (bounded queries)."""
    from engagements.models import ActionPlan, Commitment

    plan = ActionPlan.objects.create(slug="plan", title="Plan", is_current=True)
    commitment = Commitment.objects.create(plan=plan, number=1, slug="engagement-1", title="Un")
    ContributionFactory(consultation=consultation, commitment=commitment, title="Liée")
    ContributionFactory(consultation=consultation, title="Sans lien")
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert "Liée" in html
    assert "Sans lien" not in html
    assert "1 contribution citoyenne" in html
    from participation.contributions.selectors import commitment_section

    for _i in range(10):
        ContributionFactory(consultation=consultation, commitment=commitment)
    with django_assert_max_num_queries(2):
        section = commitment_section(commitment=commitment)
    assert section.context["count"] == 11
