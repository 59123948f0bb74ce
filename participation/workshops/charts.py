"""The small series chart of a Baromètre indicator, as inline SVG (paired with a table).

``forum_ouvert.core.charts.line_chart`` cannot be used for now: it formats escaped values
with ``{:.1f}`` and raises ``ValueError`` (reported to the lead). This one pre-formats
every number, and scales between the series' bounds so that a change shows.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BLUE = "#000091"
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
) -> SafeString:
    """A line chart of ``points`` (label, value), each point labelled with its value, and
    the target as a dashed line."""
    left, right, top, bottom = 44, 64, 24, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, v in points] + ([target] if target is not None else [])
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 1, high + 1
    n = max(len(points) - 1, 1)

    def y_of(value: float) -> int:
        return round(top + plot_h * (1 - (value - low) / (high - low)))

    def fmt(value: float) -> str:
        return f"{number_format(round(value, 1))}{unit}"

    coords = [(round(left + plot_w * i / n), y_of(v)) for i, (_, v) in enumerate(points)]
    marks = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3.5" fill="' + BLUE + '"></circle>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>',
        (
            (x, y, x, y - 8, fmt(value), x, height - 8, label)
            for (x, y), (label, value) in zip(coords, points, strict=True)
        ),
    )
    target_line = ""
    if target is not None:
        target_line = format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-dasharray="4 3"></line>'
            '<text x="{}" y="{}" font-size="11">{}</text>',
            left - 20,
            y_of(target),
            width - right + 4,
            y_of(target),
            GREY,
            width - right + 8,
            y_of(target) + 4,
            "cible",
        )
    return format_html(
        '<svg class="fo-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}" xmlns="http://www.w3.org/2000/svg"><title id="{id}">{t}</title>'
        '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="{grey}"></line>'
        "{target}"
        '<polyline points="{pl}" fill="none" stroke="{blue}" stroke-width="2"></polyline>'
        "{marks}</svg>",
        w=width,
        h=height,
        id=chart_id,
        t=title,
        l=left - 20,
        r=width - right + 4,
        b=top + plot_h + 6,
        grey=GREY,
        blue=BLUE,
        target=target_line,
        pl=" ".join(f"{x},{y}" for x, y in coords),
        marks=marks,
    )
