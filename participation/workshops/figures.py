"""The Baromètre's figures for a département, beside its région and France (reads only).

Each indicator comes with three kinds of rows (see ``barometre.VALUE_COLUMNS``): an initial
value, current values over time (the latest one carries the published progress rate), and
a target. For every indicator this gathers, for the département, its région and France,
the initial, latest and target values with their dates, and the progress rate: the one
the DITP published where there is one, else computed the DITP's way (``progress_rate``).

Two queries whatever the number of indicators: the figures of the three zones, and the
indicators with their chantier and government engagement.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from forum_ouvert.core.charts import Bar, bar_chart, line_chart
from forum_ouvert.core.dates import date_label
from forum_ouvert.core.models import Departement
from forum_ouvert.core.numbers import number_label

from .barometre import DATASET_DATE
from .models import Indicator, IndicatorValue, Maille

#: How far (in points of %) a published rate may be from the one the values shown give
#: before the page says so (the DITP computes on unrounded values: a few hundredths).
RATE_TOLERANCE = 0.5


def progress_rate(
    *,
    initial: float | None,
    current: float | None,
    target: float | None,
    published: float | None = None,
) -> float | None:
    """Progress toward the target in % (0–100, 2 decimals): the published ``indic_ta``
    where there is one, else (current − initial) / (target − initial), clipped to 0–100.

    None when it cannot be computed (a value missing, or a target equal to the start).
    """
    if published is not None:
        return round(max(0.0, min(100.0, published)), 2)
    if None in (initial, current, target) or target == initial:
        return None
    return round(max(0.0, min(100.0, (current - initial) / (target - initial) * 100)), 2)


#: The Baromètre's figures in French (core.numbers.number_label).
fr_figure = number_label


def source_line() -> str:
    """The source and date of every figure of the Baromètre, as the DITP asks."""
    return _("Source : Baromètre des résultats de l'action publique, DITP, données du %(date)s") % {
        "date": date_label(DATASET_DATE)
    }


@dataclass
class ZoneFigures:
    """An indicator's figures for one zone (département, région or France)."""

    label: str
    published: bool = True
    initial: float | None = None
    initial_date: date | None = None
    current: float | None = None
    current_date: date | None = None
    target: float | None = None
    target_date: date | None = None
    published_rate: float | None = None
    series: list[tuple[date, float, float | None]] = field(default_factory=list)

    def add(self, when: date, vi, va, vc, ta) -> None:
        """Take one row, the rows coming in date order."""
        if vi is not None and self.initial is None:
            self.initial, self.initial_date = vi, when
        if va is not None:
            self.current, self.current_date, self.published_rate = va, when, ta
            self.series.append((when, va, ta))
        if vc is not None:
            self.target, self.target_date = vc, when

    @property
    def has_value(self) -> bool:
        return self.published and self.current is not None

    @property
    def computed_rate(self) -> float | None:
        """The rate that the values shown give."""
        return progress_rate(initial=self.initial, current=self.current, target=self.target)

    @property
    def rate(self) -> float | None:
        if not self.has_value:
            return None
        return progress_rate(
            initial=self.initial,
            current=self.current,
            target=self.target,
            published=self.published_rate,
        )

    @property
    def rate_differs(self) -> bool:
        """The published rate is not what the values shown give (the page says so)."""
        if self.rate is None or self.published_rate is None:
            return False
        computed = self.computed_rate
        return computed is None or abs(computed - self.rate) > RATE_TOLERANCE


@dataclass
class IndicatorFigures:
    """What the département page shows of one indicator."""

    indicator: Indicator
    departement: ZoneFigures
    region: ZoneFigures
    france: ZoneFigures
    unit: str

    @property
    def zones(self) -> list[ZoneFigures]:
        return [self.departement, self.region, self.france]

    def value(self, number: float | None) -> str:
        """A value with its unit (« 76 % », « 12 km »)."""
        if number is None:
            return "—"
        return fr_figure(number) + (f"\u00a0{self.unit}" if self.unit else "")

    @property
    def unit_label(self) -> str:
        """The unit in words, when values carry no unit sign (« élèves », « places »)."""
        if self.unit:
            return ""
        words = self.indicator.short_unit.strip()
        for article in ("d'", "d’", "de "):
            words = words.removeprefix(article)
        return words

    @property
    def trend(self) -> str:
        """What the trend means, in French: which way is better, and where it went."""
        better = self.indicator.higher_is_better
        if better is None:
            wanted = ""
        elif better:
            wanted = _("Une hausse est favorable : l'objectif est d'augmenter cette valeur.")
        else:
            wanted = _("Une baisse est favorable : l'objectif est de réduire cette valeur.")
        zone = self.departement if self.departement.has_value else None
        if zone is None or zone.initial is None or better is None:
            return wanted
        if zone.current == zone.initial:
            moved = _("Depuis la valeur initiale, elle n'a pas changé.")
        elif (zone.current > zone.initial) == better:
            moved = _("Depuis la valeur initiale, elle a évolué dans le bon sens.")
        else:
            moved = _("Depuis la valeur initiale, elle a évolué dans le mauvais sens.")
        return f"{wanted} {moved}"

    @property
    def rate_note(self) -> str:
        """Why the rate shown is not what the values shown give, when it is not."""
        zone = self.departement
        if not zone.rate_differs:
            return ""
        computed = zone.computed_rate
        if computed is None:
            return _(
                "Taux publié par la DITP : la cible étant égale à la valeur initiale, les "
                "valeurs affichées ne permettent pas de le recalculer."
            )
        return _(
            "Taux publié par la DITP ; calculé sur les valeurs affichées, (actuelle − "
            "initiale) / (cible − initiale) donnerait %(rate)s %%."
        ) % {"rate": fr_figure(computed)}

    @property
    def comparison_chart(self) -> SafeString | None:
        """The progress rates of the département, its région and France, as bars."""
        bars = [Bar(zone.label, zone.rate) for zone in self.zones if zone.rate is not None]
        if not bars:
            return None
        return bar_chart(
            bars,
            title=_("Avancement vers la cible : %(name)s") % {"name": self.indicator.name},
            unit="\u00a0%",
            width=480,
            label_width=220,
            number=fr_figure,
            top=100,
        )

    @property
    def series_chart(self) -> SafeString | None:
        zone = self.departement
        points = [(f"{when:%m/%Y}", va) for when, va, _ta in zone.series]
        if not zone.has_value or len(points) < 2:
            return None
        return line_chart(
            points,
            title=_("Évolution : %(name)s — %(zone)s")
            % {"name": self.indicator.name, "zone": zone.label},
            chart_id=f"evolution-{self.indicator.code}",
            unit=f"\u00a0{self.unit}" if self.unit else "",
            width=480,
            height=170,
            scale="bounds",
            target=zone.target,
            labelled=True,
            number=fr_figure,
        )

    @property
    def series_rows(self) -> SafeString:
        """The ``<tr>`` of the evolution's table (built here: it is most of the page)."""
        return mark_safe(  # noqa: S308  # nosec  # nosemgrep: fo-mark-safe-non-literal (cells escaped)
            "".join(
                f"<tr><td>{when:%d/%m/%Y}</td><td>{escape(self.value(va))}</td>"
                f"<td>{'—' if ta is None else escape(fr_figure(ta)) + '&nbsp;%'}</td></tr>"
                for when, va, ta in self.departement.series
            )
        )


@dataclass
class Theme:
    name: str
    slug: str
    indicators: list[IndicatorFigures]


def barometre_for_departement(*, departement: Departement) -> list[Theme]:
    """Every indicator of the Baromètre for the département, its région and France,
    grouped by theme (2 queries; ``departement.region`` must be loaded)."""
    region = departement.region
    rows = (
        IndicatorValue.objects.filter(
            Q(maille=Maille.DEPARTEMENTAL, departement=departement)
            | Q(maille=Maille.REGIONAL, region_id=region.pk)
            | Q(maille=Maille.NATIONAL)
        )
        .order_by("indicator_id", "maille", "date")
        .values_list(
            "indicator_id",
            "maille",
            "date",
            "initial_value",
            "current_value",
            "target_value",
            "progress_rate",
        )
    )
    labels = {
        Maille.DEPARTEMENTAL: departement.name,
        Maille.REGIONAL: region.name,
        Maille.NATIONAL: _("France"),
    }
    zones: dict[tuple[int, str], ZoneFigures] = defaultdict(lambda: ZoneFigures(label=""))
    for indicator_id, maille, when, vi, va, vc, ta in rows:
        zones[(indicator_id, maille)].add(when, vi, va, vc, ta)
    indicators = Indicator.objects.select_related("chantier__engagement").order_by(
        "theme", "name", "code"
    )
    themes: dict[str, Theme] = {}
    for indicator in indicators:
        figures = {}
        for maille, label in labels.items():
            zone = zones.get((indicator.pk, maille)) or ZoneFigures(label="")
            zone.label = label
            zone.published = indicator.is_published_at(maille)
            figures[maille] = zone
        name = indicator.theme or _("Autres indicateurs")
        theme = themes.setdefault(name, Theme(name, f"theme-{len(themes) + 1}", []))
        theme.indicators.append(
            IndicatorFigures(
                indicator=indicator,
                departement=figures[Maille.DEPARTEMENTAL],
                region=figures[Maille.REGIONAL],
                france=figures[Maille.NATIONAL],
                unit="%" if indicator.is_percentage else indicator.value_unit,
            )
        )
    return list(themes.values())
