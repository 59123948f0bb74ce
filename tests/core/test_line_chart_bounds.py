"""``line_chart`` as the Baromètre draws it (``scale="bounds"``, ``labelled``, a target):
valid SVG scaled between the series' bounds, every point labelled with its value, the
target dashed, labels escaped."""

import xml.etree.ElementTree as ET
from functools import partial

from forum_ouvert.core.charts import line_chart

SVG = "{http://www.w3.org/2000/svg}"
barometre_chart = partial(line_chart, scale="bounds", labelled=True, width=480, height=170)


def _root(svg) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 (our own markup)


def test_every_point_is_drawn_and_labelled_with_its_value():
    """Three points: a polyline of three, three dots, each labelled « value unit » in
    French and dated; the chart's title names it for screen readers."""
    points = [("01/2024", 12.5), ("06/2024", 13.0), ("<b>12/2024</b>", 14.25)]
    svg = str(barometre_chart(points, title="Évolution", chart_id="evolution-X", unit=" %"))
    root = _root(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "evolution-X"
    assert root.find(f"{SVG}title").text == "Évolution"
    assert len(root.find(f"{SVG}polyline").get("points").split()) == 3
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["12,5 %", "01/2024", "13 %", "06/2024", "14,25 %", "<b>12/2024</b>"]
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_the_series_is_scaled_between_its_bounds_and_the_target_dashed():
    """The lowest value sits on the bottom of the plot, the highest on its top, even when
    they differ by little; the target is a dashed line labelled « cible »."""
    svg = barometre_chart([("2023", 99.0), ("2024", 99.5)], title="T", target=100.0)
    root = _root(svg)
    ys = [int(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 1
    top, bottom = 24, 170 - 28  # the plot's margins
    assert ys[0] == bottom and int(dashed[0].get("y1")) == top and top < ys[1] < bottom
    assert "cible" in [t.text for t in root.iter(f"{SVG}text")]


def test_from_zero_the_same_series_hardly_moves():
    """The default scale starts at 0 (progress rates compare between charts): 99 and 99,5
    sit near the top, and the top value is written on the axis."""
    root = _root(line_chart([("2023", 99.0), ("2024", 99.5)], title="T", height=220))
    ys = [int(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    assert abs(ys[0] - ys[1]) <= 1 and ys[1] == 10
    assert "99,5" in [t.text for t in root.iter(f"{SVG}text")]


def test_a_flat_series_does_not_divide_by_zero():
    """Equal values give a chart (the bounds are widened), not an error."""
    root = _root(barometre_chart([("a", 5.0), ("b", 5.0)], title="Plat", chart_id="p"))
    ys = {int(c.get("cy")) for c in root.iter(f"{SVG}circle")}
    assert len(ys) == 1
