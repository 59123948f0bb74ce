"""The progress-over-time block on a commitment's page (registered in ``apps.ready``)."""

from __future__ import annotations

from forum_ouvert.core.charts import line_chart
from forum_ouvert.core.extensions import Section

from .selectors import commitment_progress_series


def commitment_progress_section(*, commitment) -> Section | None:
    series = commitment_progress_series(commitment=commitment)
    if len(series) < 2:
        return None
    chart = line_chart(
        [(d.strftime("%d/%m/%y"), v) for d, v in series],
        title="Avancement de l'engagement au fil du temps",
        unit=" %",
    )
    return Section(
        "reports/includes/_progress_over_time.html", {"series": series, "chart": chart}, order=50
    )
