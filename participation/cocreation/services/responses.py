"""The government's answer to every proposal (issue 16, items 6 and 7).

DITP staff record a reasoned response — retenue, retenue avec modifications, fusionnée
avec …, non retenue — with its reasons. It is the platform's one notion of reasoned
response (``contributions.Response`` and its append-only ``ResponseRevision``, written by
``contributions.services.response_record``); the proposal's fate moves along
``FATE_STATES`` in the same transaction, with its audit row. The authors, co-authors and
amenders are told by e-mail, once per revision.

A merge is a response: the proposal points to the one it joined (« fusionnée avec la
proposition n° … ») and keeps its own page. A retained proposal becomes a draft
commitment of the plan through ``engagements.services.commitment_create`` (its journal
starts there); the link back is kept here, on ``Proposal.commitment``.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from engagements.models import Commitment, OgpValue
from engagements.services import commitment_create
from forum_ouvert.core import access, notifications
from forum_ouvert.core.accounts import verified_email
from forum_ouvert.core.mail import mail_send, speaking_to
from forum_ouvert.core.models import User
from forum_ouvert.core.outbox import enqueue
from participation.contributions.models import PROPOSAL_DECISIONS, Response, ResponseStatus
from participation.contributions.services import response_record

from ..models import FATE_STATES, SECTION_MAX, Proposal, ProposalFate, ProposalStatus
from ..selectors import coauthors

#: The ``MailDelivery`` keys of the e-mails about a proposal's response start with this.
RESPONSE_MAIL = "cocreation.response:"

_OGP_FLAGS = {
    OgpValue.TRANSPARENCY: "value_transparency",
    OgpValue.PARTICIPATION: "value_participation",
    OgpValue.ACCOUNTABILITY: "value_accountability",
    OgpValue.TECHNOLOGY: "value_technology",
}


def response_mail_key(*, response_id: int, revision: int, user_id: int) -> str:
    """The key of the e-mail about one revision of a proposal's response, to one person."""
    return f"{RESPONSE_MAIL}{response_id}:{revision}:{user_id}"


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update()
        .select_related("process__plan", "author")
        .get(pk=proposal.pk)
    )


def _merge_target(current: Proposal, into: Proposal | None) -> Proposal:
    """The proposal ``current`` joins, checked: same co-creation, submitted, not itself,
    not itself merged (the result is the one that lives on)."""
    if into is None:
        raise ValidationError(
            {"merged_into": _("Choisissez la proposition avec laquelle elle est fusionnée.")}
        )
    target = Proposal.objects.select_for_update().get(pk=into.pk)
    if target.pk == current.pk:
        raise ValidationError({"merged_into": _("Une proposition ne fusionne pas avec elle-même.")})
    if target.process_id != current.process_id or target.status != ProposalStatus.SUBMITTED:
        raise ValidationError(
            {"merged_into": _("Choisissez une proposition déposée de la même co-construction.")}
        )
    if target.fate == ProposalFate.MERGED:
        raise ValidationError(
            {
                "merged_into": _(
                    "La proposition n° %(n)d est elle-même fusionnée avec la n° %(m)d : "
                    "choisissez celle-ci."
                )
                % {"n": target.pk, "m": target.merged_into_id}
            }
        )
    if current.fate == ProposalFate.MERGED and current.merged_into_id != target.pk:
        raise ValidationError(
            {
                "merged_into": _(
                    "Cette proposition est déjà fusionnée avec la n° %(n)d : une fusion ne "
                    "change pas de résultat, seul son motif peut être corrigé."
                )
                % {"n": current.merged_into_id}
            }
        )
    return target


@transaction.atomic
def proposal_respond(
    *,
    actor: User,
    proposal: Proposal,
    status: str,
    text: str,
    merged_into: Proposal | None = None,
    notify: bool = True,
    base_revision: int | None = None,
) -> Response:
    """Give (or correct) the government's reasoned response to a submitted proposal.

    ``status`` is one of ``PROPOSAL_DECISIONS``; « fusionnée » names ``merged_into``. A
    first response is always notified; a correction when staff choose to (``notify``).
    The same decision and text again is refused: nothing would change. ``base_revision``
    is the revision the editor read (0: none yet): when a colleague published another in
    the meantime, the save is refused rather than silently replacing theirs.
    """
    current = _locked(proposal)
    access.require(actor, "cocreation.respond_proposal", current)
    if base_revision is not None:
        existing = Response.objects.filter(proposal=current).values_list("revision", flat=True)
        now_at = existing.first() or 0
        if now_at != base_revision:
            raise ValidationError(
                _(
                    "Une autre réponse a été publiée entre-temps (version %(n)d) : relisez-la "
                    "ci-dessus avant de la corriger."
                )
                % {"n": now_at},
                code="conflict",
            )
    text = (text or "").strip()
    errors = {}
    if status not in PROPOSAL_DECISIONS:
        errors["status"] = _(
            "Choisissez une décision : retenue, retenue avec modifications, fusionnée ou "
            "non retenue."
        )
    if not text:
        errors["text"] = _("Expliquez la décision : ses motifs sont publics.")
    elif len(text) > SECTION_MAX:
        errors["text"] = _("Au plus %(n)d caractères.") % {"n": SECTION_MAX}
    if errors:
        raise ValidationError(errors)
    target = _merge_target(current, merged_into) if status == ResponseStatus.MERGED else None
    FATE_STATES.check(current.fate, status)
    done = response_record(
        actor=actor, target={"proposal": current}, status=status, text=text, notify=notify
    )
    if not done.changed:
        raise ValidationError(_("Cette réponse est déjà publiée : rien n'a changé."))
    response = done.response
    current.merged_into = target
    FATE_STATES.move(
        current,
        status,
        actor=actor,
        reason=text,
        action="cocreation.proposal.merge" if target else "cocreation.proposal.respond",
        changes={
            "response_status": [done.old_status, status],
            "revision": response.revision,
            "merged_into": target.pk if target else None,
        },
        update_fields=["merged_into"],
    )
    proposal.fate, proposal.merged_into = current.fate, target
    if done.notify:
        enqueue("cocreation.notify_response", response.pk, response.revision)
        _tell_response(proposal, response, actor=actor)
    return response


def proposal_merge(
    *, actor: User, proposal: Proposal, into: Proposal, text: str, notify: bool = True
) -> Response:
    """Merge ``proposal`` into ``into``: its response says « fusionnée avec la proposition
    n° … » with the reasons; both keep their pages, the merged one points to the result."""
    return proposal_respond(
        actor=actor,
        proposal=proposal,
        status=ResponseStatus.MERGED,
        text=text,
        merged_into=into,
        notify=notify,
    )


def _names(text: str) -> tuple[list[str], str]:
    """Institution names from a free-text list (one a line, or separated by « ; »); what
    does not look like a name (a sentence) is given back to be kept as a note."""
    names, rest = [], []
    for part in re.split(r"[\n;]+", text or ""):
        part = " ".join(part.split()).strip(" .-•*")
        if not part:
            continue
        (names if len(part) <= 120 else rest).append(part)
    return names, "\n".join(rest)


def credits(proposal: Proposal) -> str:
    """« Camille D., pour Voix citoyennes, Lou M. »: who wrote the proposal."""
    people = [proposal.signature, *(u.public_name for u in coauthors(proposal=proposal))]
    return ", ".join(people)


@transaction.atomic
def proposal_promote(*, actor: User, proposal: Proposal) -> Commitment:
    """Turn a retained proposal into a draft commitment of its plan, pre-filled from the
    proposal (the OGP template's sections, values, leading institution and partners, its
    milestones as ``Milestone`` rows). The commitment's journal starts with where it comes
    from; the proposal keeps the permanent link (``Proposal.commitment``)."""
    current = _locked(proposal)
    access.require(actor, "cocreation.promote_proposal", current)
    FATE_STATES.check(current.fate, ProposalFate.PROMOTED)
    decision = current.get_fate_display().lower()
    origin = _("Issu de la proposition n° %(n)d « %(title)s », co-écrite par %(who)s (%(d)s).") % {
        "n": current.pk,
        "title": current.title,
        "who": credits(current),
        "d": decision,
    }
    partners, partner_notes = _names(current.partners)
    leads, lead_notes = _names(current.lead_institution)
    notes = "\n".join(
        n
        for n in (
            origin,
            _("Partenaires proposés : %(t)s") % {"t": partner_notes} if partner_notes else "",
            _("Pilote proposé : %(t)s") % {"t": lead_notes} if lead_notes else "",
        )
        if n
    )
    rows = [r for r in current.milestone_rows() if r["deliverable"].strip()]
    data = {
        "title": current.title,
        "problem": current.problem,
        "description": current.description,
        "how_it_helps": current.how_it_helps,
        "notes": notes,
        **{flag: value in current.ogp_values for value, flag in _OGP_FLAGS.items()},
    }
    starts = [r["starts_on"] for r in rows if r["starts_on"]]
    ends = [r["ends_on"] for r in rows if r["ends_on"]]
    if starts and ends and min(starts) <= max(ends):
        data |= {"starts_on": min(starts), "ends_on": max(ends)}
    commitment = commitment_create(
        actor=actor,
        plan=current.process.plan,
        data=data,
        justification=origin,
        lead_names=leads,
        partner_names=partners,
        milestones=[
            {"deliverable": r["deliverable"], "starts_on": r["starts_on"], "ends_on": r["ends_on"]}
            for r in rows
        ],
    )
    current.commitment = commitment
    FATE_STATES.move(
        current,
        ProposalFate.PROMOTED,
        actor=actor,
        reason=origin,
        action="cocreation.proposal.promote",
        changes={"commitment": commitment.pk},
        update_fields=["commitment"],
    )
    proposal.fate, proposal.commitment = current.fate, commitment
    return commitment


def _people(proposal: Proposal) -> list[tuple[User, str]]:
    """(person, role): the author, the co-authors, the amenders, then the supporters, each
    once; deleted accounts get nothing."""
    people: list[tuple[User, str]] = [(proposal.author, "author")]
    people += [(u, "coauthor") for u in coauthors(proposal=proposal)]
    amenders = (
        User.objects.filter(cocreation_amendments__proposal=proposal).distinct().order_by("pk")
    )
    people += [(u, "amender") for u in amenders]
    supporters = User.objects.filter(cocreation_supports__proposal=proposal).order_by("pk")
    people += [(u, "supporter") for u in supporters]
    seen: set[int] = set()
    found = []
    for user, role in people:
        if user.pk in seen or user.anonymised_at is not None:
            continue
        seen.add(user.pk)
        found.append((user, role))
    return found


def _recipients(proposal: Proposal) -> list[tuple[User, str, str]]:
    """(person, address, role): ``_people`` at a confirmed address."""
    found = []
    for user, role in _people(proposal):
        address = verified_email(user)
        if address:
            found.append((user, address, role))
    return found


def _tell_response(proposal: Proposal, response: Response, *, actor: User) -> None:
    """The authors, co-authors and amenders in their notification centre (issue 19, item 1:
    « a reasoned response to something I wrote »), in the response's transaction; their
    e-mail is the response's own (``response_notify``), as for contributions."""
    message = _("Réponse du gouvernement à la proposition « %(title)s » : %(decision)s") % {
        "title": proposal.title,
        "decision": response.get_status_display(),
    }
    notifications.notify_response(
        recipients=(user for user, _role in _people(proposal)),
        target=proposal,
        actor=actor,
        message=message,
    )


def response_notify(*, response_id: int, revision: int) -> int:
    """E-mail the people who wrote or amended the proposal about one revision of its
    response, each once (``mail_send(once=…)`` keyed on response, revision and person: a
    second run sends nothing). A newer revision supersedes an older one."""
    response = (
        Response.objects.select_related(
            "proposal__author", "proposal__process__plan", "proposal__merged_into"
        )
        .filter(pk=response_id, proposal__isnull=False)
        .first()
    )
    if response is None or response.revision != revision:
        return 0
    proposal = response.proposal
    sent = 0
    for user, address, role in _recipients(proposal):
        with speaking_to(user):
            sent += mail_send(
                template="cocreation/emails/proposal_response",
                context={"user": user, "role": role, "response": response, "proposal": proposal},
                to=[address],
                once=response_mail_key(
                    response_id=response.pk, revision=response.revision, user_id=user.pk
                ),
                recipient=user,
            )
    return sent
