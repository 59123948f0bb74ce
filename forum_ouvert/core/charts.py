"""Server-drawn SVG charts: they work without JavaScript, in PDFs, and under a strict CSP.

pygal was considered: its SVG embeds a ``<style>`` element, which ``style-src 'self'``
blocks when the chart is inline in a page. Bars and lines need no path maths beyond
rectangles and polylines, drawn here with presentation attributes (allowed by the CSP).
Every chart is paired in its template with a table of the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .numbers import number_label

#: DSFR illustrative colours with enough contrast against white (WCAG 1.4.11 ≥ 3:1).
PALETTE = {
    "grey": "#666666",
    "blue": "#000091",
    "orange": "#B34000",
    "green": "#18753C",
    "purple": "#6E445A",
    "red": "#CE0500",
}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str = "blue"


def bar_chart(
    bars: list[Bar],
    *,
    title: str,
    unit: str = "",
    width: int = 560,
    label_width: int = 170,
    number: Callable[[float], str] | None = None,
    top: float | None = None,
) -> SafeString:
    """A horizontal bar chart as inline SVG, with a title for assistive technologies.

    ``number`` formats each value (French decimals, say); ``top`` is the value of a full
    bar (the largest value by default; 100 for rates, so that bars of charts compare).
    """
    row, label_w, gap = 32, label_width, 8
    height = max(row * len(bars), row)
    top = top or max((b.value for b in bars), default=0) or 1
    plot_w = width - label_w - 60

    def rows():
        for i, bar in enumerate(bars):
            y = i * row
            w = round(plot_w * bar.value / top) if bar.value else 0
            value = (number or number_label)(bar.value) + unit
            yield (
                label_w - gap,
                y + row / 2 + 5,
                bar.label,
                label_w,
                y + 4,
                w,
                row - 10,
                PALETTE.get(bar.colour, bar.colour),
                label_w + w + gap,
                y + row / 2 + 5,
                value,
            )

    body = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="14">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" rx="2"></rect>'
        '<text x="{}" y="{}" font-size="14" font-weight="bold">{}</text>',
        rows(),
    )
    return format_html(
        '<svg class="fo-chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-labelledby="{}" xmlns="http://www.w3.org/2000/svg"><title id="{}">{}</title>{}</svg>',
        width,
        height,
        width,
        height,
        _slug(title),
        _slug(title),
        title,
        body,
    )


def line_chart(
    points: list[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    width: int = 560,
    height: int = 220,
    scale: str = "zero",
    target: float | None = None,
    labelled: bool = False,
    chart_id: str | None = None,
    number: Callable[[float], str] | None = None,
) -> SafeString:
    """A line chart of a series (labels on the x axis), as inline SVG.

    ``scale="zero"`` draws from 0 to the largest value, written on the axis (progress
    rates, which readers compare between charts); ``scale="bounds"`` draws between the
    series' lowest and highest values, target included, so that a small change shows (a
    Baromètre indicator moving from 99 to 99,5). ``target`` adds a dashed line labelled
    « cible ». ``labelled`` writes every point's value above it and every label below (a
    short series); otherwise each dot carries its value in a ``<title>`` and at most about
    six labels are written. ``number`` formats values (``number_label`` by default);
    ``chart_id`` is the id of the title (derived from it by default).

    Built with f-strings over integers and escaped text: a territory page draws twenty of
    these, and ``format_html`` per point was a third of its time.
    """
    number = number or number_label
    left, right, top, bottom = (44, 64, 24, 28) if labelled else (40, 10, 10, 30)
    if target is not None:
        right = 64
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, v in points] + ([target] if target is not None else [])
    if scale == "bounds" and values:
        low, high = min(values), max(values)
        if high == low:
            low, high = low - 1, high + 1
    else:
        low, high = 0, max(values, default=0) or 1
    n = max(len(points) - 1, 1)

    def y_of(value: float) -> int:
        return round(top + plot_h * (1 - (value - low) / (high - low)))

    coords = [(round(left + plot_w * i / n), y_of(v)) for i, (_, v) in enumerate(points)]
    ident = escape(chart_id or _slug(title))
    axis_y = top + plot_h + (6 if labelled else 0)
    axis_x = left - 20 if labelled else left
    parts = [
        f'<svg class="fo-chart" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{ident}" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{ident}">{escape(title)}</title>'
        f'<line x1="{axis_x}" y1="{axis_y}" x2="{width - right + (4 if labelled else 0)}" '
        f'y2="{axis_y}" stroke="{PALETTE["grey"]}"></line>'
    ]
    if scale != "bounds":
        parts.append(
            f'<text x="4" y="{top + 10}" font-size="11">{escape(number(high) + unit)}</text>'
        )
    if target is not None:
        y = y_of(target)
        parts.append(
            f'<line x1="{axis_x}" y1="{y}" x2="{width - right + 4}" y2="{y}" '
            f'stroke="{PALETTE["grey"]}" stroke-dasharray="4 3"></line>'
            f'<text x="{width - right + 8}" y="{y + 4}" font-size="11">{escape(_("cible"))}</text>'
        )
    polyline = " ".join(f"{x},{y}" for x, y in coords)
    parts.append(
        f'<polyline points="{polyline}" fill="none" stroke="{PALETTE["blue"]}" '
        'stroke-width="2"></polyline>'
    )
    step = 1 if labelled else max(len(points) // 6, 1)
    for i, ((x, y), (label, value)) in enumerate(zip(coords, points, strict=True)):
        said = escape(number(value) + unit)
        if labelled:
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="3.5" fill="{PALETTE["blue"]}"></circle>'
                f'<text x="{x}" y="{y - 8}" text-anchor="middle" font-size="11">{said}</text>'
            )
        else:
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="3" fill="{PALETTE["blue"]}">'
                f"<title>{escape(label)} : {said}</title></circle>"
            )
        if i % step == 0:
            parts.append(
                f'<text x="{x}" y="{height - 8}" text-anchor="middle" font-size="11">'
                f"{escape(label)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec  # nosemgrep: fo-mark-safe-non-literal (escaped)


def _slug(text: str) -> str:
    return "chart-" + "".join(ch if ch.isalnum() else "-" for ch in text.lower())[:40]
