"""The co-creation's benchmark: its dataset loads, its pages answer in at most 10 queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participation.cocreation import bench

pytestmark = pytest.mark.django_db


def test_bench_pages_answer_with_few_queries_whatever_the_size(client):
    """With 40 proposals × 10 versions, each benchmark page: 200, at most 10 queries."""
    lines = []
    bench.populate(out=lines.append, proposals=40, versions=10)
    bench.populate(out=lines.append, proposals=40, versions=10)  # idempotent
    assert "déjà là" in lines[-1]
    for scenario in bench.scenarios():
        path = scenario.path() if callable(scenario.path) else scenario.path
        if "page=100" in path:
            continue  # beyond 40 proposals: the paginator's last page, same queries
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        assert len(queries) <= 10, (path, len(queries))


def test_the_diff_timing_runs():
    """``measure`` reports a time (the target itself is for ``make bench``, not tests)."""
    assert bench.diff_timing(size=2_000, repeat=2) > 0
