"""Bulk progress update from a spreadsheet (issue 19, item 12), as Decidim's accountability
import: one row per commitment or milestone, its new state, progress and justification.

``bulk_progress_check`` runs every row through the plan's own services (``commitment_update``,
``milestone_update``: state machines, consistency, justification) inside a transaction that
is then rolled back: the preview shows exactly what confirming would do, or why a row would
be refused, and nothing is written. ``bulk_progress_apply`` runs the same rows for real in
one transaction: any refused row and nothing is written (``BulkRefused``). Each row is one
act of the public history (the journal rows of one service call, same justification).

The columns (``COLUMNS``) are read by ``core.spreadsheet.read_table``; ``template_rows`` is
the pre-filled template people download.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from forum_ouvert.core.models import User
from forum_ouvert.core.spreadsheet import Table, TableRow, column_key

from . import selectors, services
from .models import Commitment, CommitmentStatus, Milestone, MilestoneStatus

#: The columns of the file: key (as ``column_key`` reads a header) → what the page says.
COLUMNS: dict[str, object] = {
    "engagement": _lazy("Numéro de l'engagement dans le plan en cours (obligatoire)."),
    "jalon": _lazy(
        "Identifiant du jalon (celui du modèle) ; vide pour une ligne qui porte sur "
        "l'engagement lui-même."
    ),
    "intitule": _lazy("Pour mémoire : l'intitulé de l'engagement ou du jalon ; non lu."),
    "etat": _lazy(
        "Nouvel état ; vide : inchangé. Engagement : Non commencé, Limité, Substantiel, "
        "Achevé. Jalon : À venir, En cours, Atteint, Abandonné."
    ),
    "avancement": _lazy(
        "Engagement seulement : avancement en %, un nombre entier de 0 à 100 ; vide : inchangé."
    ),
    "justification": _lazy(
        "Obligatoire pour toute ligne qui change quelque chose (10 caractères au moins) ; "
        "publique : elle figure dans l'historique de l'engagement."
    ),
}
REQUIRED = ("engagement", "justification")
#: How the columns are named in the error messages.
COLUMN_LABELS = {
    "engagement": _lazy("engagement"),
    "jalon": _lazy("jalon"),
    "etat": _lazy("état"),
    "avancement": _lazy("avancement"),
    "justification": _lazy("justification"),
    "": _lazy("ligne"),
}
#: A service's error field → the column it comes from.
_FIELD_COLUMNS = {"status": "etat", "progress": "avancement", "justification": "justification"}


@dataclass
class RowReport:
    """What one row of the file does (``changes``: ``(label, before, after)``) or why it is
    refused (``errors``: ``(column, message)``)."""

    line: int
    reference: str = ""
    name: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not self.changes and not self.errors

    def error(self, column: str, message) -> None:
        self.errors.append((str(COLUMN_LABELS.get(column, column)), str(message)))


@dataclass
class BulkReport:
    rows: list[RowReport]

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def error_rows(self) -> list[RowReport]:
        return [r for r in self.rows if r.errors]

    @property
    def changed_count(self) -> int:
        return sum(1 for r in self.rows if r.changes and not r.errors)

    @property
    def unchanged_count(self) -> int:
        return sum(1 for r in self.rows if r.unchanged)

    @property
    def ok(self) -> bool:
        return not self.error_rows


class BulkRefused(Exception):
    """A row was refused: nothing was written. ``report`` says which and why."""

    def __init__(self, report: BulkReport):
        super().__init__(_("Le fichier contient des erreurs : rien n'a été enregistré."))
        self.report = report


def _choice(value: str, choices) -> str | None:
    """The code of a state given by its label or its code, accents and case ignored."""
    key = column_key(value)
    for code, label in choices:
        if key in (column_key(code), column_key(label)):
            return code
    return None


def _progress(value: str) -> int | None:
    text = value.replace("%", "").replace("\u202f", "").replace("\xa0", "").strip()
    if not text.isdigit():
        raise ValueError
    number = int(text)
    if not 0 <= number <= 100:
        raise ValueError
    return number


def _put_errors(report: RowReport, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            column = _FIELD_COLUMNS.get(name, "")
            for error in errors:
                report.error(column, " ".join(error.messages))
    else:
        for message in exc.messages:
            report.error("", message)


def _run_row(actor: User, row: TableRow, commitments: dict[int, Commitment]) -> RowReport:
    cells = row.cells
    report = RowReport(line=row.line)
    number_text = cells.get("engagement", "")
    if not number_text:
        report.error("engagement", _("Indiquez le numéro de l'engagement."))
        return report
    commitment = commitments.get(int(number_text)) if number_text.isdigit() else None
    if commitment is None:
        report.error(
            "engagement",
            _("Engagement « %(n)s » inconnu dans le plan en cours, ou que vous ne pilotez pas.")
            % {"n": number_text},
        )
        return report
    report.reference = _("Engagement n° %(n)s") % {"n": commitment.number}
    report.name = commitment.display_title
    milestone_text = cells.get("jalon", "")
    state_text, progress_text = cells.get("etat", ""), cells.get("avancement", "")
    justification = cells.get("justification", "")
    if milestone_text:
        milestone = None
        if milestone_text.isdigit():
            milestone = Milestone.objects.filter(
                pk=int(milestone_text), commitment=commitment
            ).first()
        if milestone is None:
            report.error(
                "jalon",
                _("Jalon « %(m)s » inconnu pour l'engagement n° %(n)s.")
                % {"m": milestone_text, "n": commitment.number},
            )
            return report
        report.reference = _("Jalon %(m)s de l'engagement n° %(n)s") % {
            "m": milestone.pk,
            "n": commitment.number,
        }
        report.name = str(milestone)
        if progress_text:
            report.error("avancement", _("Un jalon n'a pas d'avancement : laissez la case vide."))
        status = _choice(state_text, MilestoneStatus.choices) if state_text else milestone.status
        if status is None:
            report.error("etat", _("État de jalon inconnu : « %(s)s ».") % {"s": state_text})
        if report.errors or status == milestone.status:
            return report
        report.changes.append(
            (
                _("État"),
                milestone.get_status_display(),
                str(dict(MilestoneStatus.choices)[status]),
            )
        )
        _call(
            report,
            lambda: services.milestone_update(
                actor=actor,
                milestone=milestone,
                changes={"status": status},
                justification=justification,
            ),
        )
        return report
    current = Commitment.objects.get(pk=commitment.pk)
    status = _choice(state_text, CommitmentStatus.choices) if state_text else current.status
    if status is None:
        report.error("etat", _("État d'engagement inconnu : « %(s)s ».") % {"s": state_text})
    try:
        progress = _progress(progress_text) if progress_text else current.progress
    except ValueError:
        report.error(
            "avancement",
            _("« %(p)s » n'est pas un pourcentage entier de 0 à 100.") % {"p": progress_text},
        )
    if report.errors:
        return report
    changes = {}
    if status != current.status:
        changes["status"] = status
        report.changes.append(
            (_("État"), current.get_status_display(), str(dict(CommitmentStatus.choices)[status]))
        )
    if progress != current.progress:
        changes["progress"] = progress
        report.changes.append((_("Avancement"), f"{current.progress} %", f"{progress} %"))
    if changes:
        _call(
            report,
            lambda: services.commitment_update(
                actor=actor,
                commitment=current,
                changes={"status": status, "progress": progress},
                justification=justification,
                allowed_fields=services.LEAD_FIELDS,
            ),
        )
    return report


def _call(report: RowReport, write) -> None:
    """Run one row's service in a savepoint: a refused row leaves the others as they were."""
    try:
        with transaction.atomic():
            write()
    except ValidationError as exc:
        _put_errors(report, exc)


def _run(actor: User, table: Table) -> BulkReport:
    commitments = {c.number: c for c in selectors.back_office_commitments(user=actor)}
    return BulkReport(rows=[_run_row(actor, row, commitments) for row in table.rows])


def bulk_progress_check(*, actor: User, table: Table) -> BulkReport:
    """The preview: what every row would change, or why it would be refused. Every row goes
    through the services, in order, then everything is rolled back: nothing is written."""
    with transaction.atomic():
        report = _run(actor, table)
        transaction.set_rollback(True)
    return report


@transaction.atomic
def bulk_progress_apply(*, actor: User, table: Table) -> BulkReport:
    """Apply every row through the services in one transaction, each row one act of the
    public history; if any row is refused, nothing is written (``BulkRefused``)."""
    report = _run(actor, table)
    if not report.ok:
        raise BulkRefused(report)  # leaving the atomic block rolls every row back
    return report


TEMPLATE_HEADER = ["engagement", "jalon", "intitule", "etat", "avancement", "justification"]


def template_rows(*, user: User):
    """The template's rows, pre-filled with the current values of what ``user`` may update:
    each commitment, then each of its milestones."""
    commitments = selectors.back_office_commitments(user=user).prefetch_related("milestones")
    for commitment in commitments:
        yield [
            commitment.number,
            "",
            commitment.display_title,
            commitment.get_status_display(),
            commitment.progress,
            "",
        ]
        for milestone in sorted(commitment.milestones.all(), key=lambda m: (m.order, m.pk)):
            # A milestone has no progress of its own: that cell stays empty.
            yield [commitment.number, milestone.pk, str(milestone), milestone.get_status_display()]
