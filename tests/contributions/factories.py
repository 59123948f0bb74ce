"""Factories of the contributions app (consultations, contributions, comments, supports)."""

import datetime

import factory
from django.utils import timezone

from participation.contributions.models import (
    Comment,
    Consultation,
    Contribution,
    ModerationMode,
    PublicationStatus,
    Report,
    ReportReason,
    Response,
    ResponseStatus,
    Support,
    Theme,
)
from tests.factories import UserFactory


class ConsultationFactory(factory.django.DjangoModelFactory):
    """An open, published consultation moderated a posteriori."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"consultation-{n}")
    title = factory.Sequence(lambda n: f"Consultation numéro {n}")
    presentation = "Donnez votre avis sur le gouvernement ouvert."
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    moderation_mode = ModerationMode.A_POSTERIORI
    is_published = True

    class Params:
        a_priori = factory.Trait(moderation_mode=ModerationMode.A_PRIORI)
        closed = factory.Trait(
            opens_on=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=60)
            ),
            closes_on=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=1)
            ),
        )
        draft = factory.Trait(is_published=False)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    consultation = factory.SubFactory(ConsultationFactory)
    title = factory.Sequence(lambda n: f"Thème {n}")
    order = factory.Sequence(lambda n: n)


class ContributionFactory(factory.django.DjangoModelFactory):
    """A published contribution."""

    class Meta:
        model = Contribution

    consultation = factory.SubFactory(ConsultationFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Proposition numéro {n}")
    body = "Publier les données des marchés publics chaque trimestre."
    status = PublicationStatus.PUBLISHED

    class Params:
        pending = factory.Trait(status=PublicationStatus.PENDING)
        hidden = factory.Trait(
            status=PublicationStatus.HIDDEN, moderation_reason="Propos injurieux"
        )


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    contribution = factory.SubFactory(ContributionFactory)
    author = factory.SubFactory(UserFactory)
    body = "Je suis d'accord avec cette proposition."
    status = PublicationStatus.PUBLISHED


class SupportFactory(factory.django.DjangoModelFactory):
    """A support row (the counter is kept by services; tests that need it set it)."""

    class Meta:
        model = Support

    contribution = factory.SubFactory(ContributionFactory)
    user = factory.SubFactory(UserFactory)


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    reporter = factory.SubFactory(UserFactory)
    contribution = factory.SubFactory(ContributionFactory)
    reason = ReportReason.ABUSIVE


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    contribution = factory.SubFactory(ContributionFactory)
    author = factory.SubFactory(UserFactory, role="ditp")
    status = ResponseStatus.ACCEPTED
    text = "Retenue : elle figurera dans le prochain plan."
