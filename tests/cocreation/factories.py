"""Factories of the co-creation tests: a plan being co-constructed, its calendar, proposals."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from engagements.models import ActionPlan, PlanStatus
from participation.cocreation.models import (
    CalendarPhase,
    PhaseKind,
    Process,
    Proposal,
    ProposalStatus,
    ProposalVersion,
)
from tests.factories import UserFactory

PHASE_DAYS = 20
#: ``ProcessFactory(current=UPCOMING)``: the proposals phase opens in 20 days.
UPCOMING = "a_venir"


def make_calendar(process: Process, current: str | None = PhaseKind.PROPOSALS) -> None:
    """Consecutive phases of 20 days, ``current`` being open today (None: all to come,
    the proposals phase opening in 20 days)."""
    today = timezone.localdate()
    kinds = list(PhaseKind.values)
    index = kinds.index(current) if current else -1
    for k, kind in enumerate(kinds):
        starts = today - datetime.timedelta(days=5) + datetime.timedelta(days=(k - index) * 20)
        CalendarPhase.objects.update_or_create(
            process=process,
            kind=kind,
            defaults={
                "starts_on": starts,
                "ends_on": starts + datetime.timedelta(days=PHASE_DAYS - 1),
                "activities": f"Ce que chacun peut faire pendant la phase « {kind} ».",
            },
        )


class NextPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    slug = factory.Sequence(lambda n: f"pan-2027-2029-{n}")
    title = factory.Sequence(lambda n: f"Plan d'action national 2027-2029 ({n})")
    status = PlanStatus.CO_CONSTRUCTION
    is_current = False


class ProcessFactory(factory.django.DjangoModelFactory):
    """A co-creation whose calendar was published 40 days ago, in its proposals phase."""

    class Meta:
        model = Process
        skip_postgeneration_save = True

    plan = factory.SubFactory(NextPlanFactory)
    presentation = "Proposez les engagements du prochain plan."
    calendar_published_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=40)
    )

    class Params:
        unpublished = factory.Trait(calendar_published_at=None)

    @factory.post_generation
    def current(obj, create, extracted, **kwargs):
        """``current=PhaseKind.…`` picks the phase open today (default: proposals);
        ``current=UPCOMING``: every phase to come; ``current=False``: no calendar."""
        if create and extracted is not False:
            kind = PhaseKind.PROPOSALS if extracted is None else extracted
            make_calendar(obj, None if kind == UPCOMING else kind)


SAMPLE = {
    "problem": "Les citoyens ne savent pas où trouver les décisions locales.",
    "description": "Publier toutes les délibérations en données ouvertes.",
    "how_it_helps": "Chacun pourra les lire et les réutiliser.",
}


class ProposalFactory(factory.django.DjangoModelFactory):
    """A draft proposal; ``submitted=True`` gives a submitted one with its version 1."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    process = factory.SubFactory(ProcessFactory)
    author = factory.SubFactory(UserFactory, public_display_consent=True)
    title = factory.Sequence(lambda n: f"Proposition numéro {n}")
    problem = SAMPLE["problem"]
    description = SAMPLE["description"]
    how_it_helps = SAMPLE["how_it_helps"]
    ogp_values = factory.LazyFunction(lambda: ["transparence"])
    lead_institution = "DITP"
    milestones = factory.LazyFunction(
        lambda: [{"deliverable": "Un portail", "starts_on": "2027-01-01", "ends_on": "2027-06-30"}]
    )

    @factory.post_generation
    def submitted(obj, create, extracted, **kwargs):
        if create and extracted:
            now = timezone.now()
            ProposalVersion.objects.create(
                proposal=obj, number=1, author=obj.author, created_at=now, **obj.text_fields()
            )
            obj.status = ProposalStatus.SUBMITTED
            obj.submitted_at = now
            obj.last_version_at = now
            obj.version_count = 1
            obj.revision = 2
            obj.save()
