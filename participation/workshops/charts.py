"""The small series chart of a Baromètre indicator, as inline SVG (paired with a table).

It differs from ``forum_ouvert.core.charts.line_chart`` (which now takes floats) by what it
draws: the series scaled between its bounds (so that a small change shows), every point
labelled with its value in the indicator's unit, and the target as a dashed line; and it
is built with f-strings, for a page that draws twenty of them. Folding it into
``core.charts`` (options of ``line_chart``) is still to do;
``tests/workshops/test_series_chart.py`` says what it must keep drawing.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BLUE = "#000091"


def _number(value: float) -> str:
    return number_format(round(value, 1))


GREY = "#666666"


def series_chart(
    points: list[tuple[str, float]],
    *,
    title: str,
    chart_id: str,
    unit: str = "",
    target: float | None = None,
    width: int = 480,
    height: int = 170,
    number=None,
) -> SafeString:
    """A line chart of ``points`` (label, value), each point labelled with its value, and
    the target as a dashed line.

    Built with f-strings over integers and escaped text (a territory page draws twenty of
    these: ``format_html`` per point was a third of its time).
    """
    left, right, top, bottom = 44, 64, 24, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, v in points] + ([target] if target is not None else [])
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    n = max(len(points) - 1, 1)
    number = number or _number

    def y_of(value: float) -> int:
        return round(top + plot_h * (1 - (value - low) / (high - low)))

    coords = [(round(left + plot_w * i / n), y_of(v)) for i, (_, v) in enumerate(points)]
    parts = [
        f'<svg class="fo-chart" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{escape(chart_id)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{escape(chart_id)}">{escape(title)}'
        f'</title><line x1="{left - 20}" y1="{top + plot_h + 6}" x2="{width - right + 4}" '
        f'y2="{top + plot_h + 6}" stroke="{GREY}"></line>'
    ]
    if target is not None:
        y = y_of(target)
        parts.append(
            f'<line x1="{left - 20}" y1="{y}" x2="{width - right + 4}" y2="{y}" '
            f'stroke="{GREY}" stroke-dasharray="4 3"></line>'
            f'<text x="{width - right + 8}" y="{y + 4}" font-size="11">cible</text>'
        )
    polyline = " ".join(f"{x},{y}" for x, y in coords)
    parts.append(
        f'<polyline points="{polyline}" fill="none" stroke="{BLUE}" stroke-width="2"></polyline>'
    )
    for (x, y), (label, value) in zip(coords, points, strict=True):
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="3.5" fill="{BLUE}"></circle>'
            f'<text x="{x}" y="{y - 8}" text-anchor="middle" font-size="11">'
            f"{escape(number(value) + unit)}</text>"
            f'<text x="{x}" y="{height - 8}" text-anchor="middle" font-size="11">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec  # nosemgrep: fo-mark-safe-non-literal (escaped)
