"""What a report says: the data of a plan (or one commitment) over a period.

Values at the start of the period are read from the journal: the first change after a
date carries, as its old value, what was true on that date. The journal is append-only
and complete from the import on, so this is exact; snapshots draw the curves.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Func, Prefetch, TextField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from engagements.models import (
    Commitment,
    CommitmentStatus,
    Evidence,
    JournalEntry,
    Milestone,
    MilestoneStatus,
)
from forum_ouvert.core.charts import Bar, bar_chart, line_chart

from .figures import PARTICIPATION_LABELS, participation_figures
from .models import CommitmentSnapshot, Report, ReportKind, SiteSnapshot
from .selectors import ending_at

STATUS_LABELS = dict(CommitmentStatus.choices)
#: The PDF shows the latest changes of the period per commitment; the annexes have them all.
CHANGES_IN_PDF = 10
EVIDENCE_IN_PDF = 10


@dataclass(frozen=True)
class Change:
    """A journal row as the report needs it (light: a plan may have 100,000 of them)."""

    created_at: dt.datetime
    field: str
    field_label: str
    old_value: str
    new_value: str
    justification: str
    author: str


def _aware(day: dt.date, end: bool = False) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    return timezone.make_aware(moment)


@dataclass
class CommitmentSection:
    commitment: Commitment
    status_start: str
    status_end: str
    progress_start: int
    progress_end: int
    milestones: list[Milestone]
    #: How many changes the period has (all of them are in the annexes, streamed).
    entries_count: int
    #: The latest changes of the period, newest first, for the PDF.
    entries_shown: list[Change]
    evidence: list[Evidence]
    milestones_due: int = 0
    milestones_reached: int = 0
    milestones_late: int = 0

    @property
    def progress_change(self) -> int:
        return self.progress_end - self.progress_start

    @property
    def entries_not_shown(self) -> int:
        return max(self.entries_count - len(self.entries_shown), 0)


@dataclass
class ReportData:
    report: Report
    sections: list[CommitmentSection]
    summary: dict = field(default_factory=dict)
    charts: dict = field(default_factory=dict)
    participation: list[tuple[str, int]] = field(default_factory=list)
    progress_series: list[tuple[str, float]] = field(default_factory=list)
    generated_at: dt.datetime = field(default_factory=timezone.now)


def _percent(text: str) -> int:
    try:
        return int(str(text).replace("%", "").strip() or 0)
    except ValueError:
        return 0


def _status_labels() -> dict[str, str]:
    """The journal's status values (French labels, as written) → the label in the active
    language (the report's): an English report says « Limited » for « Limité »."""
    with translation.override("fr"):
        french = {code: str(label) for code, label in CommitmentStatus.choices}
    return {french[code]: str(label) for code, label in CommitmentStatus.choices}


def build_report_data(report: Report) -> ReportData:
    """Collect everything the report shows, with a bounded number of queries, in the
    active language (``report_render`` sets the report's)."""
    start, end = _aware(report.period_start), _aware(report.period_end, end=True)
    commitments = Commitment.objects.filter(plan=report.plan)
    if report.kind == ReportKind.COMMITMENT:
        commitments = commitments.filter(pk=report.commitment_id)
    commitments = list(
        commitments.select_related("axis")
        .prefetch_related(
            "lead_institutions",
            "supporting_institutions",
            "leads",
            Prefetch("milestones", queryset=Milestone.objects.order_by("order", "ends_on", "id")),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(is_public=True, dated_on__lte=report.period_end)
                .select_related("milestone")
                .order_by("-dated_on", "-id"),
                to_attr="report_evidence",
            ),
        )
        .order_by("number", "pk")
    )
    ids = [c.pk for c in commitments]
    journal = JournalEntry.objects.filter(commitment_id__in=ids).order_by()
    in_period = journal.filter(created_at__gte=start, created_at__lte=end)
    counts = dict(
        in_period.values("commitment_id").annotate(n=Count("id")).values_list("commitment_id", "n")
    )
    latest = _latest_changes(in_period, ids)
    # What a field was worth at a moment: the old value of its first change after it.
    at_start = _first_changes(journal.filter(created_at__gte=start), ids)
    at_end = _first_changes(journal.filter(created_at__gt=end), ids)

    labels = _status_labels()
    sections = []
    for c in commitments:
        status, progress = str(STATUS_LABELS[c.status]), str(c.progress)
        milestones = list(c.milestones.all())
        due = [
            m
            for m in milestones
            if m.ends_on and report.period_start <= m.ends_on <= report.period_end
        ]
        sections.append(
            CommitmentSection(
                commitment=c,
                status_start=labels.get(at_start.get((c.pk, "status")), status),
                status_end=labels.get(at_end.get((c.pk, "status")), status),
                progress_start=_percent(at_start.get((c.pk, "progress"), progress)),
                progress_end=_percent(at_end.get((c.pk, "progress"), progress)),
                milestones=milestones,
                entries_count=counts.get(c.pk, 0),
                entries_shown=latest[c.pk],
                evidence=c.report_evidence,
                milestones_due=len(due),
                milestones_reached=sum(
                    1
                    for m in milestones
                    if m.reached_on and report.period_start <= m.reached_on <= report.period_end
                ),
                milestones_late=sum(
                    1
                    for m in milestones
                    if m.ends_on
                    and m.ends_on <= report.period_end
                    and m.ends_on < timezone.localdate()
                    and m.status not in (MilestoneStatus.REACHED, MilestoneStatus.CANCELLED)
                ),
            )
        )
    data = ReportData(report=report, sections=sections)
    data.summary = _summary(sections)
    data.progress_series = _progress_series(report, ids, end_value=data.summary["progress_end"])
    data.charts = _charts(data)
    if report.kind != ReportKind.COMMITMENT:
        data.participation = _participation(report)
    return data


CHANGE_FIELDS = (
    "created_at",
    "field",
    "field_label",
    "old_value",
    "new_value",
    "justification",
    "actor__display_name",
)


def _change(values) -> Change:
    *fields, author = values
    return Change(*fields, author or "")


def _union(parts: list):
    """One query for many small ones (``UNION ALL``): each part is a short index scan."""
    if len(parts) < 2:
        return parts[0] if parts else []
    return parts[0].union(*parts[1:], all=True).order_by()


def _latest_changes(in_period, ids: list[int]) -> dict[int, list[Change]]:
    """The ``CHANGES_IN_PDF`` latest changes of each commitment, newest first: one
    ``LIMIT`` per commitment on the journal's (commitment, date) index, in one query (a
    window over the period would sort its 100,000 rows to keep a few)."""
    parts = [
        in_period.filter(commitment_id=pk)
        .order_by("-created_at", "-id")
        .values_list("commitment_id", "id", *CHANGE_FIELDS)[:CHANGES_IN_PDF]
        for pk in ids
    ]
    rows = defaultdict(list)
    for commitment_id, entry_id, *values in _union(parts):
        rows[commitment_id].append((values[0], entry_id, _change(values)))
    latest = defaultdict(list)
    for commitment_id, found in rows.items():  # a union keeps no order: newest first
        latest[commitment_id] = [change for *_, change in sorted(found, reverse=True)]
    return latest


def _first_changes(journal, ids: list[int]) -> dict[tuple[int, str], str]:
    """``(commitment, field) → old value`` of the first status and progress change in
    ``journal``, one ``LIMIT 1`` per commitment and field, in one query."""
    parts = [
        journal.filter(commitment_id=pk, field=name)
        .order_by("created_at", "id")
        .values_list("commitment_id", "field", "old_value")[:1]
        for pk in ids
        for name in ("status", "progress")
    ]
    return {(commitment_id, name): old for commitment_id, name, old in _union(parts)}


class _JsonText(Func):
    """``json_build_object(k1, v1, …)::text``: a row as JSON, written by PostgreSQL."""

    function = "JSON_BUILD_OBJECT"
    template = "%(function)s(%(expressions)s)::text"
    output_field = TextField()


def period_changes_json(data: ReportData) -> Iterator[tuple[int, str]]:
    """Every change of the period as a JSON object, ``(commitment id, text)``, in the order
    of the report's sections then oldest first. Read as a stream (the annex), never held,
    and serialised by PostgreSQL: the period may hold 100,000 changes."""
    report = data.report
    start, end = _aware(report.period_start), _aware(report.period_end, end=True)
    entry = _JsonText(
        Value("date"), "created_at",
        Value("champ"), "field_label",
        Value("avant"), "old_value",
        Value("apres"), "new_value",
        Value("justification"), "justification",
        Value("auteur"), Coalesce("actor__display_name", Value("")),
    )  # fmt: skip
    rows = (
        JournalEntry.objects.filter(
            commitment_id__in=[s.commitment.pk for s in data.sections],
            created_at__gte=start,
            created_at__lte=end,
        )
        .order_by("commitment__number", "commitment_id", "created_at", "id")
        .values_list("commitment_id", entry)
    )
    yield from rows.iterator(chunk_size=5000)


def _summary(sections: list[CommitmentSection]) -> dict:
    count = len(sections) or 1
    by_status = defaultdict(int)
    for s in sections:
        by_status[s.status_end] += 1
    return {
        "commitments": len(sections),
        "progress_start": round(sum(s.progress_start for s in sections) / count, 1),
        "progress_end": round(sum(s.progress_end for s in sections) / count, 1),
        "by_status": [
            (str(label), by_status.get(str(label), 0)) for label in STATUS_LABELS.values()
        ],
        "milestones_due": sum(s.milestones_due for s in sections),
        "milestones_reached": sum(s.milestones_reached for s in sections),
        "milestones_late": sum(s.milestones_late for s in sections),
        "changes": sum(s.entries_count for s in sections),
        "to_complete": sum(1 for s in sections if s.commitment.needs_completion),
    }


def _progress_series(
    report: Report, ids: list[int], *, end_value: float
) -> list[tuple[str, float]]:
    """Mean progress per snapshot day over the period (at most ~60 points), ending at the
    period's end value printed in the report (``ending_at``)."""
    rows = defaultdict(list)
    for day, progress in (
        CommitmentSnapshot.objects.filter(
            commitment_id__in=ids, date__gte=report.period_start, date__lte=report.period_end
        )
        .order_by("date")
        .values_list("date", "progress")
    ):
        rows[day].append(progress)
    days = sorted(rows)
    if not days:
        return []
    step = max(len(days) // 60, 1)
    points = [(d, round(sum(rows[d]) / len(rows[d]), 1)) for d in days[::step]]
    end = min(report.period_end, timezone.localdate())
    shape = "%Y-%m-%d" if translation.get_language() == "en" else "%d/%m/%y"
    return [(d.strftime(shape), v) for d, v in ending_at(points, end, end_value)]


def _charts(data: ReportData) -> dict:
    S = CommitmentStatus
    colours = {
        str(S.NOT_STARTED.label): "grey",
        str(S.LIMITED.label): "orange",
        str(S.SUBSTANTIAL.label): "blue",
        str(S.COMPLETE.label): "green",
    }
    by_axis = defaultdict(lambda: defaultdict(int))
    for s in data.sections:
        axis = (
            _("Axe %(n)s") % {"n": s.commitment.axis.number}
            if s.commitment.axis
            else _("Axe à préciser")
        )
        by_axis[axis][s.status_end] += 1
    charts = {
        "status": bar_chart(
            [Bar(label, n, colours.get(label, "blue")) for label, n in data.summary["by_status"]],
            title=_("Engagements par état en fin de période"),
        ),
        "milestones": bar_chart(
            [
                Bar(_("Échus sur la période"), data.summary["milestones_due"], "blue"),
                Bar(_("Atteints sur la période"), data.summary["milestones_reached"], "green"),
                Bar(_("En retard"), data.summary["milestones_late"], "orange"),
            ],
            title=_("Jalons de la période"),
        ),
        "axes": [
            (
                axis,
                bar_chart(
                    [Bar(label, counts.get(label, 0), colours[label]) for label in colours],
                    title=_("%(axis)s : engagements par état") % {"axis": axis},
                ),
            )
            for axis, counts in sorted(by_axis.items())
        ],
    }
    if len(data.progress_series) >= 2:
        charts["progress"] = line_chart(
            data.progress_series,
            title=_("Avancement moyen sur la période"),
            unit="%" if translation.get_language() == "en" else " %",
        )
    return charts


def _participation(report: Report) -> list[tuple[str, int]]:
    """Participation figures at the end of the period (snapshot), or today's."""
    snapshot = SiteSnapshot.objects.filter(date__lte=report.period_end).order_by("-date").first()
    figures = snapshot.figures if snapshot else participation_figures()
    return [
        (str(PARTICIPATION_LABELS.get(k, k)), v)
        for k, v in figures.items()
        if k in PARTICIPATION_LABELS
    ]
