"""Demonstration data of this app: fictitious, idempotent (see ``forum_ouvert.portal.demo``).

« PAN 2027-2029 (démonstration) », a plan being co-constructed, with its public calendar
(published 40 days ago; the proposals phase closed a few days ago, the forum is in
mid-deliberation) and proposals by the demo accounts: one submitted and revised twice (to
compare its versions) and co-written, others submitted once, and a private draft. The
government has already answered some, through the services: the revised proposal is
« retenue avec modifications » and became a draft commitment of the plan, a near-duplicate
is merged with it, the others await their response. Everything here is invented; the
pages say so.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from engagements import services as engagements_services
from engagements.models import ActionPlan, PlanStatus

from .models import (
    RETAINED_FATES,
    CalendarPhase,
    CoAuthorInvitation,
    PhaseKind,
    Process,
    Proposal,
    ProposalFate,
    ProposalStatus,
    ProposalVersion,
)

PLAN_SLUG = "pan-2027-2029-demonstration"
NOTE = "(Co-construction de démonstration : son contenu est fictif.)"

#: kind → (first day, last day) relative to today, what anyone can do.
CALENDAR = {
    PhaseKind.PROPOSALS: (
        -24,
        -4,
        "Toute personne ayant un compte rédige et dépose des propositions d'engagements "
        "selon le modèle du Partenariat pour un gouvernement ouvert, et les modifie : "
        "chaque modification est une nouvelle version publique.",
    ),
    PhaseKind.DELIBERATION: (
        -3,
        20,
        "Les membres du Forum ouvert donnent un avis argumenté sur chaque proposition ; "
        "chacun peut lire les propositions et leurs versions.",
    ),
    PhaseKind.DRAFTING: (
        21,
        45,
        "La DITP et les ministères rédigent le plan à partir des propositions retenues.",
    ),
    PhaseKind.RESPONSE: (
        46,
        60,
        "Le gouvernement publie une réponse argumentée à chaque proposition.",
    ),
    PhaseKind.PUBLICATION: (
        61,
        75,
        "Le plan et le rapport de co-construction sont publiés.",
    ),
}

BASE = {
    "problem": "",
    "description": "",
    "how_it_helps": "",
    "ogp_values": [],
    "lead_institution": "",
    "partners": "",
    "milestones": [],
}

#: (author key, organisation, days ago, [versions: the changed sections], submitted)
PROPOSALS = [
    (
        "association",
        "Association Voix Citoyennes",
        18,
        [
            {
                "title": "Publier les délibérations des collectivités en données ouvertes",
                "problem": (
                    "Les délibérations des conseils municipaux sont affichées en mairie "
                    "et rarement publiées en ligne dans un format réutilisable."
                ),
                "description": (
                    "Définir un format commun des délibérations et accompagner les "
                    "collectivités pour les publier sur data.gouv.fr."
                ),
                "how_it_helps": "Chacun pourra lire et comparer les décisions locales.",
                "ogp_values": ["transparence", "technologie"],
                "lead_institution": "Direction interministérielle du numérique",
                "partners": "Associations d'élus, OpenDataFrance",
                "milestones": [
                    {
                        "deliverable": "Un format commun publié",
                        "starts_on": "2027-01-01",
                        "ends_on": "2027-06-30",
                    }
                ],
            },
            {
                "description": (
                    "Définir un format commun des délibérations, accompagner les "
                    "collectivités pour les publier sur data.gouv.fr et mesurer chaque "
                    "année la part des délibérations publiées."
                ),
                "partners": "Associations d'élus, OpenDataFrance, Voix Citoyennes",
            },
            {
                "milestones": [
                    {
                        "deliverable": "Un format commun publié",
                        "starts_on": "2027-01-01",
                        "ends_on": "2027-06-30",
                    },
                    {
                        "deliverable": "Un premier bilan public de la publication",
                        "starts_on": "2028-01-01",
                        "ends_on": "2028-03-31",
                    },
                ],
            },
        ],
        True,
    ),
    (
        "citizen",
        "",
        12,
        [
            {
                "title": "Un budget participatif national pour les projets de proximité",
                "problem": "Les habitants proposent rarement eux-mêmes les projets publics.",
                "description": (
                    "Consacrer une part du budget de l'État à des projets proposés et votés "
                    "par les habitants, département par département."
                ),
                "how_it_helps": "Les citoyens décident directement d'une part de la dépense.",
                "ogp_values": ["participation"],
                "lead_institution": "Ministère de l'Intérieur",
            }
        ],
        True,
    ),
    (
        "citizen2",
        "",
        6,
        [
            {
                "title": "Suivre en ligne les réponses aux pétitions citoyennes",
                "problem": "On ne sait pas ce que deviennent les pétitions déposées.",
                "description": "Publier l'état et la réponse argumentée de chaque pétition.",
                "how_it_helps": "Les pétitionnaires savent comment leur demande a été traitée.",
                "ogp_values": ["redevabilite", "participation"],
            }
        ],
        True,
    ),
    (
        "citizen2",
        "",
        8,
        [
            {
                "title": "Mettre en ligne les comptes rendus des conseils municipaux",
                "problem": "Les comptes rendus des conseils municipaux sont peu accessibles.",
                "description": "Publier chaque compte rendu en ligne dans un format ouvert.",
                "how_it_helps": "Chacun peut suivre les décisions de sa commune.",
                "ogp_values": ["transparence"],
            }
        ],
        True,
    ),
    (
        "citizen",
        "",
        5,
        [
            {
                "title": "Ouvrir les agendas des responsables publics (brouillon)",
                "problem": "Les rencontres des décideurs avec les représentants d'intérêts…",
            }
        ],
        False,
    ),
]


def _plan(staff) -> ActionPlan:
    plan = ActionPlan.objects.filter(slug=PLAN_SLUG).first()
    if plan is None:
        plan = engagements_services.plan_save(
            actor=staff,
            plan=ActionPlan(
                slug=PLAN_SLUG,
                title="PAN 2027-2029 (démonstration)",
                summary=f"Le prochain plan d'action national, en co-construction. {NOTE}",
                status=PlanStatus.CO_CONSTRUCTION,
                starts_on=datetime.date(2027, 1, 1),
                ends_on=datetime.date(2029, 12, 31),
            ),
            reason=f"Plan de démonstration. {NOTE}",
        )
    return plan


def seed(*, users: dict) -> None:
    """Load this app's demo data; ``users`` are the demo accounts by key (see ACCOUNTS)."""
    now = timezone.now()
    today = timezone.localdate()
    process, _created = Process.objects.get_or_create(
        plan=_plan(users["staff"]),
        defaults={
            "presentation": (
                "Le plan d'action national 2027-2029 se construit avec la société civile : "
                "proposez des engagements, lisez ceux des autres et leurs versions ; le "
                "Forum ouvert en délibère, puis le gouvernement répond à chacun.\n\n" + NOTE
            ),
            "calendar_published_at": now - datetime.timedelta(days=40),
            "is_demo": True,
        },
    )
    for kind, (start, end, activities) in CALENDAR.items():
        CalendarPhase.objects.update_or_create(
            process=process,
            kind=kind,
            defaults={
                "starts_on": today + datetime.timedelta(days=start),
                "ends_on": today + datetime.timedelta(days=end),
                "activities": activities,
            },
        )
    for key, organisation, days, versions, submitted in PROPOSALS:
        _proposal(process, users[key], organisation, days, versions, submitted, now)
    _coauthor(process, users, now)
    _supports(process, users)
    _answers(process, users["staff"])


def _submitted(process, title: str) -> Proposal | None:
    return Proposal.objects.filter(
        process=process, title=title, status=ProposalStatus.SUBMITTED
    ).first()


def _coauthor(process, users, now) -> None:
    """The demo citizen co-writes the association's first proposal: invited and accepted
    during the proposals phase, which is now over, so the invitation is written as it was
    then (as the versions are), not through today's services that the phase gates."""
    author, citizen = users.get("association"), users.get("citizen")
    proposal = _submitted(process, PROPOSALS[0][3][0]["title"])
    if proposal is None or citizen is None:
        return
    if proposal.coauthor_invitations.filter(email=citizen.email.lower()).exists():
        return
    at = now - datetime.timedelta(days=15)
    CoAuthorInvitation.objects.create(
        proposal=proposal,
        email=citizen.email.lower(),
        invited_by=author,
        created_at=at,
        accepted_by=citizen,
        accepted_at=at + datetime.timedelta(hours=3),
    )


def _supports(process, users) -> None:
    """The two demo citizens support the proposals they did not write, through the
    service (the demo is in mid-deliberation, when the public supports); run again, it
    adds nothing."""
    from . import services

    supporters = [users[key] for key in ("citizen", "citizen2") if key in users]
    proposals = Proposal.objects.filter(process=process, status=ProposalStatus.SUBMITTED)
    for index, proposal in enumerate(proposals.order_by("pk")):
        for person in supporters[: 1 + index % 2]:
            if not proposal.is_written_by(person) and process.accepts_supports():
                services.proposal_support_add(user=person, proposal=proposal)


def _answers(process, staff) -> None:
    """The government's first answers, through the services (as DITP staff would): the
    association's proposal is retained with changes and becomes a draft commitment of the
    plan; the near-duplicate on municipal minutes is merged with it."""
    from . import services

    retained = _submitted(process, PROPOSALS[0][3][0]["title"])
    duplicate = _submitted(process, PROPOSALS[3][3][0]["title"])
    if retained is None or duplicate is None or not process.proposals_closed():
        return
    if retained.fate == ProposalFate.AWAITING:
        services.proposal_respond(
            actor=staff,
            proposal=retained,
            status=ProposalFate.ACCEPTED_WITH_CHANGES,
            text=(
                "Retenue avec modifications : le gouvernement reprend le format commun des "
                "délibérations, piloté par la DINUM, et avance le premier bilan public à fin "
                "2027 pour que le Forum ouvert puisse le discuter. " + NOTE
            ),
        )
    if duplicate.fate == ProposalFate.AWAITING:
        services.proposal_merge(
            actor=staff,
            proposal=duplicate,
            into=retained,
            text=(
                "Fusionnée : publier les comptes rendus des conseils municipaux fait partie "
                "de la publication des délibérations en données ouvertes ; les deux "
                "propositions sont portées ensemble. " + NOTE
            ),
        )
    retained.refresh_from_db()
    if retained.fate in RETAINED_FATES:
        services.proposal_promote(actor=staff, proposal=retained)


def _proposal(process, author, organisation, days, versions, submitted, now) -> None:
    title = versions[0]["title"]
    if Proposal.objects.filter(process=process, title=title).exists():
        return
    created = now - datetime.timedelta(days=days)
    proposal = Proposal(
        process=process,
        author=author,
        organisation=organisation,
        created_at=created,
        **{**BASE, **versions[0]},
    )
    proposal.save()
    if not submitted:
        return
    text = {**BASE, **versions[0]}
    for number, changes in enumerate(versions, start=1):
        text.update(changes)
        at = created + datetime.timedelta(days=number - 1, hours=number)
        ProposalVersion.objects.create(
            proposal=proposal, number=number, author=author, created_at=at, **text
        )
    for name, value in text.items():
        setattr(proposal, name, value)
    proposal.status = ProposalStatus.SUBMITTED
    proposal.submitted_at = created
    proposal.version_count = len(versions)
    proposal.last_version_at = at
    proposal.revision = len(versions) + 1
    proposal.save()
