"""The two documents published with a plan (issue 16, item 8): the plan itself (foreword,
axes, each commitment in the OGP template with its milestones) and the record of its
co-creation (*rapport de co-construction*: the calendar as announced and as held, who took
part, every proposal with its fate, the reasoned response and the forum's opinions).

They are ``Report`` rows like the others (``ReportKind.PLAN``, ``ReportKind.COCREATION``),
rendered by the same task with the same progress, files and publication: this module only
says what they contain. The site's top floor may read both apps: ``engagements`` and the
co-creation never import this.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import groupby
from typing import IO

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from engagements.models import Axis, Commitment, Milestone
from forum_ouvert.core import spreadsheet
from forum_ouvert.core.choices import Role
from forum_ouvert.core.models import AuditLog
from participation.cocreation import exports as cocreation_exports
from participation.cocreation.models import (
    Amendment,
    CoAuthorInvitation,
    Opinion,
    PhaseKind,
    Process,
    Proposal,
    ProposalStatus,
    Verdict,
)
from participation.contributions.models import Response

from .models import Report, ReportKind

LICENCE = "Licence Ouverte / Etalab 2.0"


# --- The plan ------------------------------------------------------------------------


@dataclass
class AxisChapter:
    axis: Axis | None
    commitments: list[Commitment]

    @property
    def anchor(self) -> str:
        return f"axe-{self.axis.number}" if self.axis else "hors-axe"


@dataclass
class PlanData:
    report: Report
    chapters: list[AxisChapter]
    process: Process | None
    #: commitment id → the number of the proposal it came from (« issu de la proposition »).
    origins: dict[int, int] = field(default_factory=dict)
    generated_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def commitments(self) -> list[Commitment]:
        return [c for chapter in self.chapters for c in chapter.commitments]

    @property
    def is_demo(self) -> bool:
        return bool(self.process and self.process.is_demo)

    @property
    def milestones_count(self) -> int:
        return sum(len(c.document_milestones) for c in self.commitments)


def _process_of(plan) -> Process | None:
    return Process.objects.filter(plan=plan).prefetch_related("phases").first()


def build_plan_data(report: Report) -> PlanData:
    """The plan's axes and commitments with their milestones (a bounded number of queries)."""
    commitments = list(
        Commitment.objects.filter(plan=report.plan)
        .select_related("axis")
        .prefetch_related(
            "lead_institutions",
            "supporting_institutions",
            Prefetch(
                "milestones",
                queryset=Milestone.objects.order_by("order", "ends_on", "id"),
                to_attr="document_milestones",
            ),
        )
        .order_by("axis__number", "number", "pk")
    )
    by_axis = {a.pk: AxisChapter(a, []) for a in report.plan.axes.order_by("number")}
    loose = AxisChapter(None, [])
    for c in commitments:
        (by_axis.get(c.axis_id) or loose).commitments.append(c)
    chapters = [ch for ch in by_axis.values() if ch.commitments]
    if loose.commitments:
        chapters.append(loose)
    origins = dict(
        Proposal.objects.filter(commitment__in=commitments).values_list("commitment_id", "id")
    )
    for c in commitments:
        c.origin_proposal = origins.get(c.pk)
    return PlanData(
        report=report, chapters=chapters, process=_process_of(report.plan), origins=origins
    )


PLAN_COLUMNS = [
    "engagement_numero",
    "engagement_intitule",
    "axe",
    "pilotes",
    "partenaires",
    "valeurs_ogp",
    "probleme",
    "engagement",
    "effets",
    "pertinence_ogp",
    "debut",
    "fin",
    "issu_de_la_proposition",
    "jalon_numero",
    "jalon_livrable",
    "jalon_resultat_attendu",
    "jalon_debut",
    "jalon_echeance",
]


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _plan_rows(data: PlanData):
    """One row per milestone, its commitment's columns repeated (a commitment without
    milestones has one row, its milestone columns empty)."""
    for c in data.commitments:
        head = [
            c.number,
            c.display_title,
            c.axis.number if c.axis else "",
            " ; ".join(i.name for i in c.lead_institutions.all()),
            " ; ".join(i.name for i in c.supporting_institutions.all()),
            " ; ".join(str(v.label) for v in c.ogp_values),
            c.problem,
            c.description,
            c.how_it_helps,
            c.why_relevant,
            _iso(c.starts_on),
            _iso(c.ends_on),
            data.origins.get(c.pk, ""),
        ]
        milestones = c.document_milestones or [None]
        for index, m in enumerate(milestones, start=1):
            if m is None:
                yield [*head, "", "", "", "", ""]
            else:
                yield [
                    *head,
                    index,
                    m.deliverable,
                    m.expected_result,
                    _iso(m.starts_on),
                    _iso(m.ends_on),
                ]


def plan_annex_csv(data: PlanData) -> bytes:
    out = io.StringIO()
    writer = spreadsheet.writer(out)
    writer.writerow(PLAN_COLUMNS)
    writer.writerows(_plan_rows(data))
    return out.getvalue().encode("utf-8")


def plan_annex_json(data: PlanData, out: IO[bytes]) -> None:
    """The plan as JSON: its commitments, each with its milestones."""
    commitments = []
    for rows in (list(g) for _k, g in groupby(_plan_rows(data), key=lambda r: r[0])):
        record = dict(zip(PLAN_COLUMNS[:13], rows[0][:13], strict=True))
        record["jalons"] = [
            dict(zip(PLAN_COLUMNS[13:], row[13:], strict=True)) for row in rows if row[13] != ""
        ]
        commitments.append(record)
    document = {
        "document": data.report.title,
        "plan": data.report.plan.slug,
        "genere_le": data.generated_at.isoformat(),
        "licence": LICENCE,
        "engagements": commitments,
    }
    out.write(json.dumps(document, ensure_ascii=False, indent=1, default=str).encode("utf-8"))


# --- The record of the co-creation ----------------------------------------------------


@dataclass
class CalendarRow:
    kind: str
    label: str
    announced: tuple[dt.date, dt.date] | None
    held: tuple[dt.date, dt.date] | None

    @property
    def changed(self) -> bool:
        return self.announced != self.held


@dataclass
class CollegeFigures:
    name: str
    members: int
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class ProposalRecord:
    proposal: Proposal
    response: Response | None
    #: ``[(college name, [opinions])]`` in the colleges' order.
    colleges: list[tuple[str, list[Opinion]]]


@dataclass
class RecordData:
    report: Report
    process: Process
    calendar: list[CalendarRow]
    calendar_changes: list[AuditLog]
    figures: list[tuple[str, int]]
    by_role: list[tuple[str, int]]
    by_departement: list[tuple[str, int]]
    colleges: list[CollegeFigures]
    by_fate: list[tuple[str, int]]
    proposals: list[ProposalRecord]
    #: Whether the platform recorded the calendar as it was published (its audit row).
    announced_known: bool = True
    generated_at: dt.datetime = field(default_factory=timezone.now)


def _dates(start, end) -> tuple[dt.date, dt.date]:
    return (dt.date.fromisoformat(str(start)), dt.date.fromisoformat(str(end)))


def _calendar(process: Process) -> tuple[list[CalendarRow], list[AuditLog]]:
    """The calendar as published (the audit row of its publication keeps the phases) and
    as held (the phases now), with every change made after the publication and its reason."""
    rows = AuditLog.objects.filter(target_type__model="process", target_id=str(process.pk))
    published = rows.filter(action="cocreation.calendar.publish").order_by("created_at").first()
    announced = {}
    if published is not None:
        for kind, start, end in published.changes.get("phases", []):
            announced[kind] = _dates(start, end)
    held = {p.kind: (p.starts_on, p.ends_on) for p in process.phases.all()}
    labels = dict(PhaseKind.choices)
    calendar = [
        CalendarRow(kind, str(labels[kind]), announced.get(kind), held.get(kind))
        for kind in PhaseKind.values
        if kind in announced or kind in held
    ]
    changes = []
    if published is not None:
        changes = list(
            AuditLog.objects.filter(
                action="cocreation.phase.save",
                target_type__model="calendarphase",
                target_id__in=[str(p.pk) for p in process.phases.all()],
                created_at__gt=published.created_at,
            ).order_by("created_at", "id")
        )
        for entry in changes:
            entry.phase_label = str(labels.get(entry.changes.get("kind"), ""))
    return calendar, changes


def _participants(process: Process) -> dict[int, tuple[str, str]]:
    """Everyone who took part, ``{user id: (role, département)}``: authors and co-authors
    of submitted proposals, amenders, and the people who gave the forum's opinions."""
    submitted = Proposal.objects.filter(process=process, status=ProposalStatus.SUBMITTED)
    people = {}
    sources = [
        submitted.values_list("author_id", "author__role", "author__departement__name"),
        CoAuthorInvitation.objects.filter(
            proposal__in=submitted, accepted_by__isnull=False
        ).values_list("accepted_by_id", "accepted_by__role", "accepted_by__departement__name"),
        Amendment.objects.filter(proposal__in=submitted).values_list(
            "author_id", "author__role", "author__departement__name"
        ),
        Opinion.objects.filter(proposal__in=submitted).values_list(
            "author_id", "author__role", "author__departement__name"
        ),
    ]
    for rows in sources:
        for pk, role, departement in rows.order_by():
            people[pk] = (role, departement or "")
    return people


def build_record_data(report: Report) -> RecordData:
    """Everything the record shows, with a bounded number of queries."""
    process = Process.objects.prefetch_related("phases").get(plan=report.plan)
    calendar, calendar_changes = _calendar(process)
    proposals = list(
        Proposal.objects.filter(process=process, status=ProposalStatus.SUBMITTED)
        .select_related("author", "merged_into", "commitment")
        .order_by("pk")
    )
    responses = {
        r.proposal_id: r for r in Response.objects.filter(proposal__in=proposals).order_by()
    }
    opinions = defaultdict(list)
    for o in (
        Opinion.objects.filter(proposal__in=proposals)
        .select_related("member__college")
        .order_by(
            "proposal_id",
            "member__college__order",
            "member__college__name",
            "member__college_id",
            "member__organisation_name",
            "id",
        )
    ):
        opinions[o.proposal_id].append(o)
    records, colleges = [], {}
    verdicts = [v for v, _label in Verdict.choices]
    for p in proposals:
        grouped = [
            (group[0].member.college.name, group)
            for group in (
                list(g) for _k, g in groupby(opinions[p.pk], key=lambda o: o.member.college_id)
            )
        ]
        records.append(ProposalRecord(p, responses.get(p.pk), grouped))
        for o in opinions[p.pk]:
            college = o.member.college
            entry = colleges.setdefault(
                college.pk,
                (college.order, college.name, set(), Counter()),
            )
            entry[2].add(o.member_id)
            entry[3][o.verdict] += 1
    people = _participants(process)
    roles = dict(Role.choices)
    by_role = Counter(str(roles.get(role, role)) for role, _d in people.values())
    by_departement = Counter(d or _("Non renseigné") for _r, d in people.values())
    fates = Counter(p.get_fate_display() for p in proposals)
    return RecordData(
        report=report,
        process=process,
        calendar=calendar,
        calendar_changes=calendar_changes,
        figures=[
            (_("Propositions déposées"), len(proposals)),
            (_("Personnes ayant pris part"), len(people)),
            (_("Versions déposées"), sum(p.version_count for p in proposals)),
            (_("Amendements proposés"), Amendment.objects.filter(proposal__in=proposals).count()),
            (_("Avis du Forum ouvert"), sum(len(v) for v in opinions.values())),
            (_("Retours argumentés publiés"), len(responses)),
        ],
        by_role=sorted(by_role.items(), key=lambda kv: (-kv[1], kv[0])),
        by_departement=sorted(by_departement.items(), key=lambda kv: (-kv[1], kv[0])),
        colleges=[
            CollegeFigures(name, len(members), {v: counts.get(v, 0) for v in verdicts})
            for _o, name, members, counts in sorted(colleges.values(), key=lambda e: e[:2])
        ],
        by_fate=sorted(fates.items(), key=lambda kv: (-kv[1], kv[0])),
        proposals=records,
        announced_known=any(row.announced for row in calendar),
    )


def _table_csv(columns, rows) -> str:
    out = io.StringIO()
    writer = spreadsheet.writer(out)
    names = [name for name, _description in columns]
    writer.writerow(names)
    for row in rows:
        writer.writerow([row[name] for name in names])
    return out.getvalue()


def record_annex_csv(data: RecordData) -> bytes:
    """Every proposal with its fate and its current reasoned response (the columns of
    the open data's ``propositions.csv``)."""
    rows = cocreation_exports.proposal_rows(csv=True, process=data.process)
    return _table_csv(cocreation_exports.PROPOSAL_COLUMNS, rows).encode("utf-8")


def record_annex_json(data: RecordData, out: IO[bytes]) -> None:
    """The proposals, every revision of the responses and the forum's opinions, as JSON."""
    process = data.process
    document = {
        "document": data.report.title,
        "plan": data.report.plan.slug,
        "genere_le": data.generated_at.isoformat(),
        "licence": LICENCE,
        "calendrier": [
            {
                "phase": row.kind,
                "annoncee": [d.isoformat() for d in row.announced] if row.announced else None,
                "tenue": [d.isoformat() for d in row.held] if row.held else None,
            }
            for row in data.calendar
        ],
        "participation": {str(label): n for label, n in data.figures},
        "participants_par_type": dict(data.by_role),
        "participants_par_departement": dict(data.by_departement),
        "propositions": list(cocreation_exports.proposal_rows(process=process)),
        "reponses": list(cocreation_exports.response_rows(process=process)),
        "avis": list(cocreation_exports.opinion_rows(process=process)),
    }
    out.write(json.dumps(document, ensure_ascii=False, indent=1, default=str).encode("utf-8"))


# --- What the renderer needs per kind ----------------------------------------------------


@dataclass(frozen=True)
class Document:
    template: str
    build: object
    annex_csv: object
    annex_json: object


DOCUMENTS = {
    ReportKind.PLAN: Document(
        "reports/pdf/plan.html", build_plan_data, plan_annex_csv, plan_annex_json
    ),
    ReportKind.COCREATION: Document(
        "reports/pdf/cocreation.html", build_record_data, record_annex_csv, record_annex_json
    ),
}
