"""Public pages run a number of SQL queries that does not grow with the data."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.models import Commitment, Evidence, JournalEntry, Milestone

from .factories import AxisFactory, InstitutionFactory

PAGES = ["/", "/engagements/", "/engagements/?status=limite&q=donn%C3%A9es", "{detail}", "/depot/"]
#: 17 since the commitment page asks the co-creation whether it came from a proposal
#: (« issu de la proposition n° … », one query through core.extensions, issue 16).
MAX_QUERIES = 17


def _populate(plan, *, commitments: int, milestones: int, evidence: int, journal: int):
    rng = random.Random(commitments)
    axes = [AxisFactory(plan=plan, number=n) for n in (1, 2, 3)]
    institutions = [InstitutionFactory(name=f"Institution {n}", slug=f"inst-{n}") for n in range(5)]
    created = Commitment.objects.bulk_create(
        Commitment(
            plan=plan,
            number=n + 1,
            slug=f"engagement-{n + 1}",
            title=f"Ouvrir les données n° {n + 1}",
            title_confirmed=True,
            axis=axes[n % 3],
            status="limite",
            progress=rng.randint(1, 99),
        )
        for n in range(commitments)
    )
    through = Commitment.lead_institutions.through
    through.objects.bulk_create(
        through(commitment=c, institution=institutions[i % 5]) for i, c in enumerate(created)
    )
    Milestone.objects.bulk_create(
        Milestone(
            commitment=c, order=k, deliverable=f"Jalon {k}", ends_on=dt.date(2020 + k % 9, 1, 1)
        )
        for c in created
        for k in range(milestones)
    )
    Evidence.objects.bulk_create(
        Evidence(
            commitment=c,
            title=f"Preuve {k}",
            url="https://example.org/",
            dated_on=dt.date(2025, 1, 1),
        )
        for c in created
        for k in range(evidence)
    )
    JournalEntry.objects.bulk_create(
        JournalEntry(
            commitment=created[k % 3],
            field="progress",
            field_label="Avancement (%)",
            old_value=f"{k} %",
            new_value=f"{k + 1} %",
            justification="Point d'étape.",
        )
        for k in range(journal)
    )
    return created[0]


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("as_lead", [False, True])
def test_query_counts_do_not_grow_with_data(
    client, plan, make_user, django_assert_max_num_queries, as_lead
):
    """17 → 170 commitments, 50 → 5,000 journal rows: the same number of queries per page."""
    if as_lead:
        client.force_login(make_user("pilote"))
    first = _populate(plan, commitments=17, milestones=2, evidence=1, journal=50)
    client.get("/")  # warm the per-site caches (demo flag) so that every count is alike
    small = {}
    for page in PAGES:
        path = page.format(detail=first.get_absolute_url())
        small[page] = _count(client, path)
    _populate_more(plan, first)
    for page in PAGES:
        path = page.format(detail=first.get_absolute_url())
        with django_assert_max_num_queries(MAX_QUERIES):
            big = _count(client, path)
        assert big == small[page], f"{path}: {small[page]} → {big} requêtes"


def _populate_more(plan, first):
    """Grow the same plan tenfold (the journal is append-only: we add, never delete)."""
    rng = random.Random(5)
    axes = list(plan.axes.all())
    institutions = list(Commitment.lead_institutions.field.related_model.objects.all())
    created = Commitment.objects.bulk_create(
        Commitment(
            plan=plan,
            number=100 + n,
            slug=f"engagement-plus-{n}",
            title=f"Données ouvertes n° {n}",
            title_confirmed=True,
            axis=axes[n % 3],
            status="substantiel",
            progress=rng.randint(1, 99),
        )
        for n in range(153)
    )
    through = Commitment.lead_institutions.through
    through.objects.bulk_create(
        through(commitment=c, institution=institutions[i % 5]) for i, c in enumerate(created)
    )
    Milestone.objects.bulk_create(
        Milestone(commitment=c, order=k, deliverable=f"Jalon {k}", ends_on=dt.date(2030, 1, 1))
        for c in [*created, first]
        for k in range(5)
    )
    Evidence.objects.bulk_create(
        Evidence(
            commitment=c,
            title=f"Preuve {k}",
            url="https://example.org/",
            dated_on=dt.date(2025, 2, 1),
        )
        for c in [*created, first]
        for k in range(3)
    )
    JournalEntry.objects.bulk_create(
        JournalEntry(
            commitment=first,
            field="status",
            field_label="État",
            old_value="Limité",
            new_value="Substantiel",
            justification="Point d'étape.",
        )
        for _ in range(4950)
    )
    assert Commitment.objects.count() == 170
    assert JournalEntry.objects.count() == 5000


@pytest.mark.django_db
def test_english_pages_run_the_queries_of_the_french_ones(
    client, plan, django_assert_max_num_queries
):
    """The /en/ twin of each page runs exactly the French page's queries: the English
    texts are columns of the rows already read, the interface a catalogue in memory."""
    first = _populate(plan, commitments=17, milestones=2, evidence=1, journal=50)
    client.get("/")
    for page in [*PAGES, f"/plans/{plan.slug}/", "/plans/"]:
        path = page.format(detail=first.get_absolute_url())
        french = _count(client, path)
        with django_assert_max_num_queries(MAX_QUERIES):
            english = _count(client, "/en" + path)
        assert english == french, f"{path}: {french} → {english} requêtes en anglais"
