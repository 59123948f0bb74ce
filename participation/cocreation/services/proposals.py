"""What participants do with commitment proposals: write a draft, submit it, edit it.

A draft is edited in place (it is private). Submitting writes version 1; every later
edit writes the next version, never changing an earlier one. Every save carries the
``revision`` the editor started from: when someone else saved in between, the edit is
refused with the other text (``VersionConflict``), so that nothing is silently lost.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum_ouvert.core import access
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.dates import date_label
from forum_ouvert.core.models import User

from ..models import (
    MILESTONES_MAX,
    PROPOSAL_STATES,
    SECTION_MAX,
    Process,
    Proposal,
    ProposalStatus,
    ProposalText,
    ProposalVersion,
)

LONG_SECTIONS = ("problem", "description", "how_it_helps", "partners")


class VersionConflict(ValidationError):
    """Someone saved the proposal since the editor opened it: ``current`` is their text."""

    def __init__(self, current: Proposal):
        self.current = current
        when = timezone.localtime(current.last_version_at or current.updated_at)
        super().__init__(
            _(
                "La proposition a été modifiée pendant que vous écriviez (révision "
                "enregistrée le %(date)s à %(time)s). Votre texte n'a pas été enregistré : "
                "comparez-le avec le texte actuel ci-dessous, puis enregistrez de nouveau."
            )
            % {"date": date_label(when.date()), "time": when.strftime("%H:%M")},
            code="conflict",
        )


def _iso(value: datetime.date | str | None) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value or ""


def clean_milestones(milestones: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The draft milestones as stored: a deliverable each, dates as ``AAAA-MM-JJ``."""
    cleaned = []
    for item in milestones:
        deliverable = (item.get("deliverable") or "").strip()
        starts_on, ends_on = _iso(item.get("starts_on")), _iso(item.get("ends_on"))
        if not deliverable and not (starts_on or ends_on):
            continue
        if not deliverable:
            raise ValidationError({"milestones": _("Chaque jalon a un livrable.")})
        if starts_on and ends_on and ends_on < starts_on:
            raise ValidationError(
                {
                    "milestones": _("Le jalon « %(name)s » finit avant de commencer.")
                    % {"name": deliverable[:60]}
                }
            )
        cleaned.append({"deliverable": deliverable, "starts_on": starts_on, "ends_on": ends_on})
    if len(cleaned) > MILESTONES_MAX:
        raise ValidationError({"milestones": _("Au plus %(n)d jalons.") % {"n": MILESTONES_MAX}})
    return cleaned


def _apply_text(target: ProposalText, text: dict[str, Any]) -> list[str]:
    """Copy the template's sections onto ``target``; returns the names of those changed."""
    unknown = set(text) - set(ProposalText.SECTIONS)
    if unknown:
        raise TypeError(f"unknown sections: {sorted(unknown)}")
    values = dict(text)
    if "milestones" in values:
        values["milestones"] = clean_milestones(values["milestones"])
    for name in LONG_SECTIONS:
        if len(values.get(name) or "") > SECTION_MAX:
            raise ValidationError({name: _("Ce texte est trop long.")})
    if "ogp_values" in values:
        values["ogp_values"] = sorted(set(values["ogp_values"]))
    changed = []
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(target, name) != value:
            changed.append(name)
        setattr(target, name, value)
    return changed


def write_version(
    proposal: Proposal, author: User, now: datetime.datetime, *, amendment=None
) -> ProposalVersion:
    """Append the proposal's current text as its next version (inside the caller's
    transaction, the proposal locked)."""
    version = ProposalVersion(
        proposal=proposal,
        number=proposal.version_count + 1,
        author=author,
        created_at=now,
        amendment=amendment,
        **proposal.text_fields(),
    )
    version.full_clean()
    version.save(force_insert=True)
    proposal.version_count = version.number
    proposal.last_version_at = now
    return version


def missing_sections(proposal: Proposal) -> list[str]:
    """The labels of the required sections still empty (a draft may be incomplete)."""
    return [
        str(Proposal._meta.get_field(name).verbose_name)
        for name in ProposalText.REQUIRED_SECTIONS
        if not getattr(proposal, name).strip()
    ]


def _closed_error() -> ValidationError:
    return ValidationError(
        _("La phase de propositions n'est pas ouverte : la proposition ne peut pas être déposée."),
        code="phase",
    )


@transaction.atomic
def proposal_create(
    *, actor: User, process: Process, organisation: str = "", **text: Any
) -> Proposal:
    """Start a draft proposal (private to its author until it is submitted)."""
    access.require_may_write(actor)
    if not process.accepts_drafts():
        raise ValidationError(
            _("La phase de propositions est close : il n'est plus possible d'en rédiger."),
            code="phase",
        )
    access.require(actor, "cocreation.add_proposal", process)
    proposal = Proposal(process=process, author=actor, organisation=organisation.strip())
    _apply_text(proposal, text)
    proposal.full_clean()
    proposal.save()
    audit_log(
        actor=actor,
        action="cocreation.proposal.create",
        target=proposal,
        changes={"process": process.pk, "organisation": proposal.organisation},
    )
    return proposal


@transaction.atomic
def proposal_edit(
    *,
    actor: User,
    proposal: Proposal,
    base_revision: int,
    organisation: str | None = None,
    **text: Any,
) -> Proposal:
    """Save an edit made from ``base_revision``: in place for a draft, as a new version
    once submitted. Refused with ``VersionConflict`` when someone saved in between."""
    access.require_may_write(actor)
    current = (
        Proposal.objects.select_for_update()
        .select_related("process__plan", "author")
        .get(pk=proposal.pk)
    )
    if current.revision != base_revision:
        raise VersionConflict(current)
    if not current.is_draft and not current.process.accepts_submissions():
        raise ValidationError(
            _("La phase de propositions est close : la proposition ne peut plus être modifiée."),
            code="phase",
        )
    access.require(actor, "cocreation.change_proposal", current)
    changed = _apply_text(current, text)
    if organisation is not None and organisation.strip() != current.organisation:
        if actor.pk != current.author_id:
            raise ValidationError(
                {"organisation": _("Seul l'auteur choisit au nom de qui la proposition est faite.")}
            )
        current.organisation = organisation.strip()
        changed.append("organisation")
    if not current.is_draft:
        empty = {
            name: _("Une proposition déposée ne peut pas laisser cette section vide.")
            for name in ProposalText.REQUIRED_SECTIONS
            if not getattr(current, name)
        }
        if empty:
            raise ValidationError(empty)
    if not changed:
        raise ValidationError(_("Rien n'a changé : aucune version n'a été ajoutée."), code="same")
    current.full_clean()
    now = timezone.now()
    # The organisation signs the proposal; it is not a section: no version for it alone.
    sections_changed = [name for name in changed if name != "organisation"]
    version = (
        None if current.is_draft or not sections_changed else write_version(current, actor, now)
    )
    current.revision += 1
    current.save()
    audit_log(
        actor=actor,
        action="cocreation.proposal.edit",
        target=current,
        changes={"sections": changed, "version": version.number if version else None},
    )
    return current


@transaction.atomic
def proposal_submit(*, actor: User, proposal: Proposal) -> Proposal:
    """Submit a draft during the proposals phase: it becomes public, as version 1."""
    access.require_may_write(actor)
    current = (
        Proposal.objects.select_for_update()
        .select_related("process__plan", "author")
        .get(pk=proposal.pk)
    )
    PROPOSAL_STATES.check(current.status, ProposalStatus.SUBMITTED)
    if not current.process.accepts_submissions():
        raise _closed_error()
    access.require(actor, "cocreation.submit_proposal", current)
    missing = missing_sections(current)
    if missing:
        raise ValidationError(
            _("Avant de la déposer, complétez : %(sections)s.")
            % {"sections": ", ".join(f"« {label} »" for label in missing)},
            code="incomplete",
        )
    current.full_clean()
    now = timezone.now()
    version = write_version(current, actor, now)
    current.submitted_at = now
    current.revision += 1
    PROPOSAL_STATES.move(
        current,
        ProposalStatus.SUBMITTED,
        actor=actor,
        changes={"version": version.number},
        update_fields=[
            "submitted_at",
            "revision",
            "version_count",
            "last_version_at",
        ],
    )
    return current
