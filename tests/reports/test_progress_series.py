"""A chart of progress over time ends at the figure printed beside it (issue 22, item 1).

The snapshot job runs once a day: an update published after today's snapshot, or on a day
the job did not run, left the charts ending at an older value than the page's figure."""

import datetime as dt

import pytest
from django.utils import timezone

from engagements import services as engagement_services
from engagements.models import CommitmentStatus
from forum_ouvert.reports import services
from forum_ouvert.reports.content import build_report_data
from forum_ouvert.reports.models import Report
from forum_ouvert.reports.selectors import (
    commitment_progress_series,
    ending_at,
    plan_progress_series,
)
from tests.engagements.factories import CommitmentFactory

WHY = "Point d'étape validé en comité de pilotage."


def test_ending_at_replaces_a_same_day_point_and_drops_later_ones():
    d = dt.date(2026, 1, 1)
    points = [(d, 10), (d + dt.timedelta(days=1), 70), (d + dt.timedelta(days=5), 80)]
    assert ending_at(points, d + dt.timedelta(days=1), 95) == [
        (d, 10),
        (d + dt.timedelta(days=1), 95),
    ]
    assert ending_at(points[:1], d + dt.timedelta(days=3), 95)[-1] == (
        d + dt.timedelta(days=3),
        95,
    )


@pytest.fixture
def updated_after_snapshot(plan, make_user):
    """Snapshots at 70 %, then the lead publishes 95 % the same day."""
    staff = make_user("ditp", display_name="Agent DITP")
    commitment = CommitmentFactory(plan=plan, title="Instituer le Forum ouvert")
    other = CommitmentFactory(plan=plan, title="Former les agents publics")
    today = timezone.localdate()
    engagement_services.commitment_update(
        actor=staff,
        commitment=commitment,
        changes={"status": CommitmentStatus.SUBSTANTIAL, "progress": 70},
        justification=WHY,
    )
    for days_ago in (20, 10, 0):
        services.snapshot_take(day=today - dt.timedelta(days=days_ago))
    engagement_services.commitment_update(
        actor=staff, commitment=commitment, changes={"progress": 95}, justification=WHY
    )
    commitment.refresh_from_db()
    other.refresh_from_db()
    return staff, commitment, other


@pytest.mark.django_db
def test_commitment_chart_ends_at_the_current_progress(updated_after_snapshot):
    _, commitment, _ = updated_after_snapshot
    series = commitment_progress_series(commitment=commitment)
    assert series[-1] == (timezone.localdate(), 95)
    assert [v for _, v in series[:-1]] == [70, 70]


@pytest.mark.django_db
def test_plan_chart_ends_at_the_current_mean(plan, updated_after_snapshot):
    _, commitment, other = updated_after_snapshot
    series = plan_progress_series(plan=plan)
    assert series[-1] == (timezone.localdate(), round((95 + other.progress) / 2, 1))


@pytest.mark.django_db
def test_commitment_page_chart_and_figure_agree(client, updated_after_snapshot):
    _, commitment, _ = updated_after_snapshot
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert "Avancement déclaré : 95 %" in html
    # The data table under the chart: its last row is today's 95 %.
    rows = html[html.index("Avancement relevé par date") :].split("</tbody>")[0]
    assert rows.rstrip().endswith(f"<tr><td>{timezone.localdate():%d/%m/%Y}</td><td>95 %</td></tr>")


@pytest.mark.django_db
def test_report_series_ends_at_the_period_end_value(plan, updated_after_snapshot):
    staff, commitment, _ = updated_after_snapshot
    today = timezone.localdate()
    report = Report.objects.create(
        kind="engagement",
        plan=plan,
        commitment=commitment,
        author=staff,
        title="Rapport",
        period_start=today - dt.timedelta(days=30),
        period_end=today,
    )
    data = build_report_data(report)
    assert data.sections[0].progress_end == 95
    assert data.progress_series[-1] == (f"{today:%d/%m/%y}", 95)


def test_the_cover_carries_the_state_block_as_the_dsfr_draws_it():
    """The PDF cover has the State's block (Marianne on the tricolour, the motto), drawn
    from the DSFR's own logo, not « RÉPUBLIQUE FRANÇAISE » in text alone (issue 22)."""
    import re
    from pathlib import Path

    import dsfr

    logo = Path(dsfr.__file__).parent / "static/dsfr/dist/component/logo/logo.main.min.css"
    drawings = re.findall(r'url\("data:[^"]*"\)', logo.read_text())[:2]
    report_css = (Path(__file__).parents[2] / "static/forum_ouvert/report.css").read_text()
    assert len(drawings) == 2 and all(d in report_css for d in drawings)
    assert ".cover .marianne::before" in report_css and ".cover .marianne::after" in report_css
