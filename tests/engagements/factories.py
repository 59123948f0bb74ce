"""Factories of the plan: plans, axes, commitments, milestones, evidence, journal rows."""

import datetime as dt

import factory
from django.utils import timezone

from engagements.models import (
    ActionPlan,
    Axis,
    Commitment,
    Evidence,
    Institution,
    JournalEntry,
    Milestone,
)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan
        django_get_or_create = ["slug"]

    slug = "pan-2024-2026"
    title = "Plan d'action national pour un gouvernement ouvert 2024-2026"
    status = "en_cours"
    is_current = True
    starts_on = dt.date(2024, 1, 1)
    ends_on = dt.date(2026, 12, 31)


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axis

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Axe de test {n + 1}")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Ministère de test {n}")
    slug = factory.Sequence(lambda n: f"ministere-de-test-{n}")


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"engagement-de-test-{n + 1}")
    title = factory.Sequence(lambda n: f"Ouvrir les données publiques n° {n + 1}")
    title_confirmed = True

    @factory.post_generation
    def lead_institutions(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.lead_institutions.set(extracted)

    @factory.post_generation
    def leads(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.leads.set(extracted)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    commitment = factory.SubFactory(CommitmentFactory)
    order = factory.Sequence(lambda n: n)
    deliverable = factory.Sequence(lambda n: f"Livrable vérifiable n° {n}")
    # Always in the future, so that a milestone is late only when a test says so.
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    commitment = factory.SubFactory(CommitmentFactory)
    title = factory.Sequence(lambda n: f"Compte rendu n° {n}")
    url = "https://www.modernisation.gouv.fr/"
    dated_on = dt.date(2025, 1, 15)


class JournalEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalEntry

    commitment = factory.SubFactory(CommitmentFactory)
    field = "progress"
    field_label = "Avancement (%)"
    old_value = "10 %"
    new_value = "20 %"
    justification = "Point d'étape trimestriel."
