"""Server-drawn SVG charts: they work without JavaScript, in PDFs, and under a strict CSP.

pygal was considered: its SVG embeds a ``<style>`` element, which ``style-src 'self'``
blocks when the chart is inline in a page. Bars and lines need no path maths beyond
rectangles and polylines, drawn here with presentation attributes (allowed by the CSP).
Every chart is paired in its template with a table of the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

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
) -> SafeString:
    """A line chart of a series (labels on the x axis), as inline SVG."""
    left, right, top_pad, bottom = 40, 10, 10, 30
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    values = [v for _, v in points]
    vmax = max(values, default=0) or 1
    n = max(len(points) - 1, 1)
    # Coordinates are formatted here: format_html turns its arguments into strings.
    coords = [
        (f"{left + plot_w * i / n:.1f}", f"{top_pad + plot_h * (1 - v / vmax):.1f}")
        for i, (_, v) in enumerate(points)
    ]
    polyline = " ".join(f"{x},{y}" for x, y in coords)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3" fill="#000091"><title>{}</title></circle>',
        (
            (x, y, f"{label} : {number_label(v)}{unit}")
            for (x, y), (label, v) in zip(coords, points, strict=True)
        ),
    )
    step = max(len(points) // 6, 1)
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>',
        (
            (x, height - 8, label)
            for i, ((x, _), (label, _)) in enumerate(zip(coords, points, strict=True))
            if i % step == 0
        ),
    )
    return format_html(
        '<svg class="fo-chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}" xmlns="http://www.w3.org/2000/svg"><title id="{id}">{t}</title>'
        '<line x1="{l}" y1="{b}" x2="{r}" y2="{b}" stroke="#666666"></line>'
        '<text x="4" y="{tp}" font-size="11">{vmax}{unit}</text>'
        '<polyline points="{pl}" fill="none" stroke="#000091" stroke-width="2"></polyline>'
        "{dots}{labels}</svg>",
        w=width,
        h=height,
        id=_slug(title),
        t=title,
        l=left,
        r=width - right,
        b=top_pad + plot_h,
        tp=top_pad + 10,
        vmax=number_label(vmax),
        unit=unit,
        pl=polyline,
        dots=dots,
        labels=labels,
    )


def _slug(text: str) -> str:
    return "chart-" + "".join(ch if ch.isalnum() else "-" for ch in text.lower())[:40]
