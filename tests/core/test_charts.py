"""Server-drawn charts: valid SVG, labelled, escaped."""

import xml.etree.ElementTree as ET

from forum_ouvert.core.charts import Bar, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_labelled_svg():
    """Each bar has its label and value; the chart has a title for screen readers."""
    svg = bar_chart([Bar("Limité", 4, "orange"), Bar("Achevé", 1, "green")], title="États")
    root = ET.fromstring(str(svg))  # noqa: S314 (our own markup)
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "États"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Limité", "4", "Achevé", "1"]
    assert len(list(root.iter(f"{SVG}rect"))) == 2


def test_line_chart_plots_every_point_and_escapes_labels():
    """A series of points becomes a polyline; labels are escaped."""
    points = [("01/24", 0), ("<b>06/24</b>", 25.5), ("12/24", 60)]
    svg = str(line_chart(points, title="Avancement", unit=" %"))
    root = ET.fromstring(svg)  # noqa: S314 (our own markup)
    assert len(root.find(f"{SVG}polyline").get("points").split()) == 3
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_empty_charts_do_not_fail():
    assert "<svg" in bar_chart([], title="Vide")
    assert "<svg" in line_chart([], title="Vide")
