"""Fictitious progress on the real plan, for the demonstration (see ``portal.demo``).

Only the titles of the plan are real. Every status, progress figure, milestone,
evidence and journal entry written here is invented, and written through the services
(so the journal tells the same story as the figures). Idempotent: a commitment that
already has milestones is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from forum_ouvert.core.pdf import render_pdf

from . import services
from .models import Commitment, CommitmentStatus, MilestoneStatus

S, M = CommitmentStatus, MilestoneStatus

# number -> (status, progress, [(deliverable, end date, milestone status)])
SCENARIO = {
    1: (
        S.SUBSTANTIAL,
        60,
        [
            (
                "Questionnaire adressé à tous les ministères sur leurs pratiques de participation",
                "2024-09-30",
                M.REACHED,
            ),
            ("Publication de l'état des lieux consolidé", "2025-06-30", M.REACHED),
            ("Guide de généralisation des bonnes pratiques", "2026-06-30", M.IN_PROGRESS),
        ],
    ),
    2: (
        S.LIMITED,
        30,
        [
            (
                "Référentiel commun de formation à l'intelligence collective",
                "2025-03-31",
                M.REACHED,
            ),
            ("Première session de formation de formateurs", "2025-10-31", M.IN_PROGRESS),
            ("500 agents formés", "2026-09-30", M.PLANNED),
        ],
    ),
    3: (
        S.SUBSTANTIAL,
        70,
        [
            (
                "Lancement de l'appel à manifestation d'intérêt du Forum ouvert",
                "2024-06-30",
                M.REACHED,
            ),
            ("Séance d'installation du Forum ouvert", "2024-11-30", M.REACHED),
            ("Règles de fonctionnement publiées", "2025-02-28", M.REACHED),
            ("Co-construction du plan d'action suivant", "2026-10-31", M.IN_PROGRESS),
        ],
    ),
    4: (
        S.LIMITED,
        25,
        [
            (
                "Consultation sur les options du statut du citoyen participant",
                "2025-05-31",
                M.REACHED,
            ),
            ("Propositions de cadre remises au ministre", "2025-12-31", M.IN_PROGRESS),
        ],
    ),
    5: (
        S.LIMITED,
        40,
        [
            ("Choix des indicateurs du Baromètre présentés en région", "2024-12-31", M.REACHED),
            ("Dix premières étapes du Tour de France", "2025-09-30", M.IN_PROGRESS),
        ],
    ),
    6: (
        S.NOT_STARTED,
        0,
        [
            ("Cycle de dialogues citoyens sur les données de santé", "2026-03-31", M.PLANNED),
        ],
    ),
    7: (
        S.LIMITED,
        20,
        [
            (
                "Ressources pédagogiques sur la désinformation mises en ligne",
                "2025-04-30",
                M.IN_PROGRESS,
            ),
        ],
    ),
    8: (
        S.COMPLETE,
        100,
        [
            ("Ateliers utilisateurs de l'application Agora", "2024-03-31", M.REACHED),
            ("Nouvelles fonctionnalités de consultation", "2024-12-31", M.REACHED),
        ],
    ),
}

DEMO_NOTE = "Donnée fictive de démonstration."


def _demo_pdf(title: str) -> ContentFile:
    html = (
        f'<!DOCTYPE html><html lang="fr"><head><title>{title}</title></head><body>'
        f"<h1>{title}</h1><p><strong>Document fictif de démonstration.</strong> Il ne décrit "
        "pas l'état réel du plan d'action.</p></body></html>"
    )
    return ContentFile(render_pdf(html), name="demo.pdf")


def _steps(status: str, progress: int) -> list[tuple[dt.datetime, tuple[str, int]]]:
    """The points d'étape that lead to ``(status, progress)``: halfway a year ago (when
    there is a halfway), then the final one a month ago."""
    now = timezone.now()
    steps = []
    half = progress // 2
    if status != CommitmentStatus.NOT_STARTED and 0 < half < progress:
        steps.append((now - dt.timedelta(days=365), (CommitmentStatus.LIMITED, half)))
    steps.append((now - dt.timedelta(days=30), (status, progress)))
    return steps


def seed(*, users: dict) -> None:
    """Give the confirmed commitments fictitious milestones, progress, evidence and history."""
    lead, staff = users["lead"], users["staff"]
    for commitment in Commitment.objects.filter(plan__is_current=True, number__in=[3, 5]):
        commitment.leads.add(lead)
    for number, (status, progress, milestones) in SCENARIO.items():
        commitment = Commitment.objects.filter(plan__is_current=True, number=number).first()
        if commitment is None or commitment.milestones.exists():
            continue
        actor = lead if number in (3, 5) else staff
        created = []
        for deliverable, ends_on, _ in milestones:
            created.append(
                services.milestone_create(
                    actor=actor,
                    commitment=commitment,
                    data={"deliverable": deliverable, "ends_on": dt.date.fromisoformat(ends_on)},
                    justification=f"Jalon inscrit au plan de mise en œuvre. {DEMO_NOTE}",
                )
            )
        for milestone, (_, ends_on, m_status) in zip(created, milestones, strict=True):
            if m_status == M.PLANNED:
                continue
            if m_status == M.REACHED:
                services.milestone_update(
                    actor=actor,
                    milestone=milestone,
                    changes={"status": M.REACHED, "reached_on": dt.date.fromisoformat(ends_on)},
                    justification=f"Livrable remis et vérifié. {DEMO_NOTE}",
                )
            else:
                services.milestone_update(
                    actor=actor,
                    milestone=milestone,
                    changes={"status": m_status},
                    justification=f"Travaux engagés avec les partenaires. {DEMO_NOTE}",
                )
        if status != commitment.status:
            # Two points d'étape spread over the plan's period, so that a period report's
            # start values and the progress charts tell the same story as the journal.
            for when, (step_status, step_progress) in _steps(status, progress):
                services.commitment_update(
                    actor=actor,
                    commitment=commitment,
                    changes={"status": step_status, "progress": step_progress},
                    justification=f"Point d'étape semestriel avec les partenaires. {DEMO_NOTE}",
                    happened_at=when,
                )
        services.evidence_add(
            actor=actor,
            commitment=commitment,
            milestone=created[0],
            title=f"Compte rendu de mise en œuvre n° {number} (fictif)",
            dated_on=dt.date.fromisoformat(milestones[0][1]),
            document=_demo_pdf(f"Compte rendu de mise en œuvre — engagement n° {number}"),
            justification=f"Compte rendu versé au dépôt public. {DEMO_NOTE}",
        )
        services.evidence_add(
            actor=actor,
            commitment=commitment,
            title="Page de l'engagement sur le site du Partenariat pour un gouvernement ouvert",
            dated_on=dt.date(2024, 3, 27),
            url=commitment.source or "https://www.opengovpartnership.org/members/france/",
            justification=f"Lien vers la source publique de l'engagement. {DEMO_NOTE}",
        )
