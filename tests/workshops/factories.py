"""factory_boy factories of the workshops app."""

from datetime import timedelta

import factory
from django.utils import timezone

from participation.workshops.models import (
    Audience,
    Indicator,
    Registration,
    RegistrationStatus,
    Tour,
    TourStop,
    Workshop,
    WorkshopFormat,
    WorkshopStatus,
)
from tests.factories import UserFactory


class TourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tour

    title = factory.Sequence(lambda n: f"Tour de France {n}")
    slug = factory.Sequence(lambda n: f"tour-{n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))


class TourStopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TourStop

    tour = factory.SubFactory(TourFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
    city = "Lyon"
    departement_id = "69"
    programme = "Présentation des indicateurs du Rhône."


class WorkshopFactory(factory.django.DjangoModelFactory):
    """A published, in-person workshop in the Rhône, ten days from now."""

    class Meta:
        model = Workshop

    slug = factory.Sequence(lambda n: f"atelier-{n}")
    title = factory.Sequence(lambda n: f"Atelier participatif n° {n}")
    description = "Un atelier pour parler de ce qui change près de chez vous."
    format = WorkshopFormat.IN_PERSON
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    address = "1 place de la Comédie"
    city = "Lyon"
    departement_id = "69"
    audience = Audience.EVERYONE
    capacity = 20
    organiser = "DITP"
    status = WorkshopStatus.PUBLISHED

    class Params:
        draft = factory.Trait(status=WorkshopStatus.DRAFT)
        online = factory.Trait(
            format=WorkshopFormat.ONLINE,
            departement_id=None,
            address="",
            city="",
            visio_url="https://visio.exemple.fr/atelier",
        )
        past = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=3)),
            status=WorkshopStatus.FINISHED,
        )


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    workshop = factory.SubFactory(WorkshopFactory)
    user = factory.SubFactory(UserFactory)
    status = RegistrationStatus.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        waiting = factory.Trait(
            status=RegistrationStatus.WAITING,
            confirmed_at=None,
            waitlisted_at=factory.LazyFunction(timezone.now),
        )


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"IND-{n:03d}")
    name = factory.Sequence(lambda n: f"Indicateur {n}")
    unit = "%"
