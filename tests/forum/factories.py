"""Factories of the Forum ouvert's tests: calls in every phase, applications, meetings."""

from __future__ import annotations

import datetime as dt

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from participation.forum.models import (
    Application,
    ApplicationStatus,
    Attachment,
    Call,
    CallPhase,
    College,
    Criterion,
    Meeting,
    Member,
)
from tests.factories import UserFactory

#: The smallest file that ``validate_pdf_upload`` accepts as a PDF.
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class CallFactory(factory.django.DjangoModelFactory):
    """An open call (opened yesterday, closing in 30 days) with two collèges and two
    criteria; traits give the other phases with coherent dates."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"ami-{n}")
    title = factory.Sequence(lambda n: f"Appel à manifestation d'intérêt n° {n}")
    presentation = "Rejoignez le Forum ouvert."
    eligibility = "Organisations de la société civile agissant en France."
    expected_documents = "Statuts."
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    phase = CallPhase.OPEN

    class Params:
        draft = factory.Trait(phase=CallPhase.DRAFT)
        scheduled = factory.Trait(
            phase=CallPhase.SCHEDULED,
            opens_at=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=2)),
            closes_at=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30)),
        )
        closed = factory.Trait(
            phase=CallPhase.CLOSED,
            opens_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1)),
        )
        review = factory.Trait(
            phase=CallPhase.REVIEW,
            opens_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1)),
        )
        published = factory.Trait(
            phase=CallPhase.PUBLISHED,
            opens_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=60)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30)),
            results_published_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def colleges(obj, create, extracted, **kwargs):
        if create:
            for order, (name, seats) in enumerate(
                extracted or [("Associations", 2), ("Chercheurs", 1)]
            ):
                College.objects.create(call=obj, name=name, seats=seats, order=order)

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if create:
            for order, (name, weight, scale) in enumerate(
                extracted or [("Pertinence", 2, 5), ("Expérience", 1, 10)]
            ):
                Criterion.objects.create(
                    call=obj, name=name, weight=weight, scale_max=scale, order=order
                )


PHASE_TRAITS = {
    CallPhase.DRAFT: {"draft": True},
    CallPhase.SCHEDULED: {"scheduled": True},
    CallPhase.OPEN: {},
    CallPhase.CLOSED: {"closed": True},
    CallPhase.REVIEW: {"review": True},
    CallPhase.PUBLISHED: {"published": True},
}


def call_in_phase(phase: str, **kwargs) -> Call:
    return CallFactory(**PHASE_TRAITS[phase], **kwargs)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete, submitted application by a citizen, in the call's first collège."""

    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    applicant = factory.SubFactory(UserFactory)
    organisation_name = factory.Sequence(lambda n: f"Association des Communs n° {n}")
    legal_form = "association"
    departement_id = "69"
    website = "https://www.exemple.fr"
    contact_name = "Dominique Exemple"
    contact_email = factory.Sequence(lambda n: f"contact{n}@asso.exemple.fr")
    college = factory.LazyAttribute(lambda o: o.call.colleges.order_by("order").first())
    motivation = "Suivre le plan d'action national."
    experience = "Dix ans de concertations locales."
    accepts_accuracy = True
    accepts_privacy = True
    status = ApplicationStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status=ApplicationStatus.DRAFT, submitted_at=None)


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    application = factory.SubFactory(ApplicationFactory)
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="statuts.pdf"))
    original_name = "statuts.pdf"
    size = len(PDF_BYTES)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Séance n° {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=20))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    place = "CESE, Paris"
    agenda = "Suivi du plan d'action."


class MemberFactory(factory.django.DjangoModelFactory):
    """A member from a retained application of a published call."""

    class Meta:
        model = Member

    application = factory.SubFactory(
        ApplicationFactory,
        call=factory.SubFactory(CallFactory, published=True),
        status=ApplicationStatus.RETAINED,
    )
    call = factory.LazyAttribute(lambda o: o.application.call)
    college = factory.LazyAttribute(lambda o: o.application.college)
    organisation_name = factory.LazyAttribute(lambda o: o.application.organisation_name)
    departement_id = "69"
    joined_on = factory.LazyFunction(timezone.localdate)


def bulk_applications(call: Call, n: int, *, status=ApplicationStatus.SUBMITTED, reviewer=None):
    """``n`` submitted applications in one query (plus one review each when ``reviewer``)."""
    from participation.forum.models import Review, organisation_key

    colleges = list(call.colleges.order_by("order"))
    now = timezone.now()
    start = Application.objects.count()
    applications = Application.objects.bulk_create(
        [
            Application(
                call=call,
                organisation_name=f"Organisation {start + i}",
                organisation_key=organisation_key(f"Organisation {start + i}"),
                legal_form="association",
                departement_id="69" if i % 2 else "33",
                contact_name="Contact",
                contact_email=f"o{start + i}@exemple.fr",
                college=colleges[i % len(colleges)],
                motivation="m",
                experience="e",
                accepts_accuracy=True,
                accepts_privacy=True,
                status=status,
                submitted_at=now - dt.timedelta(minutes=i),
            )
            for i in range(n)
        ]
    )
    if reviewer is not None:
        Review.objects.bulk_create(
            [Review(application=a, reviewer=reviewer, total=10) for a in applications]
        )
    return applications
