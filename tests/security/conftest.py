"""A small world shared by the security tests: one account per role, and for every kind of
object that someone owns, one owned by that role's account (« A ») and one owned by another
account of the same role (« B »).

The world is built once per test module, inside a transaction that is rolled back when the
module ends; each test then runs in its own savepoint (pytest-django's ``db``), so that what a
test changes never reaches the next one.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from forum_ouvert.core.choices import Role
from tests.factories import UserFactory

#: The six columns of the permission matrix, in this order; ``None`` is the anonymous visitor.
ROLE_COLUMNS = (None, Role.CITIZEN, Role.ASSOCIATION, Role.LEAD, Role.STAFF, Role.ADMIN)


def _pdf(name: str) -> ContentFile:
    from tests.forum.factories import PDF_BYTES

    return ContentFile(PDF_BYTES, name=name)


def build_world() -> SimpleNamespace:
    """Every object the URLs of the site point at, with its owners."""
    from engagements.models import Evidence
    from forum_ouvert.reports.models import Report, ReportState
    from participation.contributions.models import Attestation
    from participation.forum.models import ApplicationStatus, ForumCharter
    from participation.workshops.models import Outcome
    from tests.contributions.factories import (
        CommentFactory,
        ConsultationFactory,
        ContributionFactory,
    )
    from tests.engagements.factories import (
        AxisFactory,
        CommitmentFactory,
        MilestoneFactory,
        PlanFactory,
    )
    from tests.forum.factories import (
        ApplicationFactory,
        AttachmentFactory,
        CallFactory,
        MeetingFactory,
    )
    from tests.workshops.factories import (
        RegistrationFactory,
        TourStopFactory,
        WorkshopFactory,
    )

    w = SimpleNamespace()
    w.users = {
        role: UserFactory(role=role, is_superuser=role == Role.ADMIN)
        for role in ROLE_COLUMNS
        if role is not None
    }
    w.users[None] = None
    # The « B » owners: same roles as A, other accounts.
    w.citizen_b = UserFactory(role=Role.CITIZEN)
    w.association_b = UserFactory(role=Role.ASSOCIATION)
    w.lead_b = UserFactory(role=Role.LEAD)
    # Public profiles (issue 19, item 4): one person who opened their page; citizen B did not.
    w.participant_public = UserFactory(
        role=Role.CITIZEN, public_display_consent=True, public_profile=True
    )
    citizen, association, lead = (w.users[r] for r in (Role.CITIZEN, Role.ASSOCIATION, Role.LEAD))

    # Engagements: lead A pilots commitment A, lead B commitment B.
    w.plan = PlanFactory()
    w.axis = AxisFactory(plan=w.plan, number=1)
    w.commitment_a = CommitmentFactory(plan=w.plan, axis=w.axis, leads=[lead])
    w.commitment_b = CommitmentFactory(plan=w.plan, axis=w.axis, leads=[w.lead_b])
    w.milestone_a = MilestoneFactory(commitment=w.commitment_a)
    w.milestone_b = MilestoneFactory(commitment=w.commitment_b)

    def evidence(commitment, *, public: bool) -> Evidence:
        return Evidence.objects.create(
            commitment=commitment,
            title="Compte rendu interne" if not public else "Compte rendu public",
            document=_pdf("justificatif.pdf"),
            document_size=50,
            dated_on=dt.date(2025, 1, 15),
            is_public=public,
        )

    w.evidence_public = evidence(w.commitment_a, public=True)
    w.evidence_a = evidence(w.commitment_a, public=False)
    w.evidence_b = evidence(w.commitment_b, public=False)

    # Forum ouvert: an open call with applications by association A and B, a draft call,
    # a call in review with an application to score, and a meeting with published minutes.
    ForumCharter.objects.update_or_create(
        pk=1, defaults={"presentation": "Le Forum ouvert.", "rules": "Règles."}
    )
    w.call = CallFactory()
    w.call_draft = CallFactory(draft=True)
    w.call_review = CallFactory(review=True)
    w.college = w.call.colleges.order_by("order").first()
    w.criterion = w.call.criteria.order_by("order").first()
    w.application_a = ApplicationFactory(call=w.call, applicant=association)
    w.application_b = ApplicationFactory(call=w.call, applicant=w.association_b)
    w.attachment_a = AttachmentFactory(application=w.application_a)
    w.attachment_b = AttachmentFactory(application=w.application_b)
    w.application_review = ApplicationFactory(call=w.call_review, applicant=w.association_b)
    w.application_decided = ApplicationFactory(
        call=w.call_review, applicant=w.association_b, status=ApplicationStatus.RETAINED
    )
    w.meeting = MeetingFactory(
        minutes_text="Compte rendu de la séance.",
        minutes_pdf=_pdf("compte-rendu.pdf"),
        minutes_published_at=timezone.now(),
    )
    w.meeting_without_minutes = MeetingFactory()

    # Workshops: citizen A and B registered to a published workshop with a published
    # outcome; a draft workshop; a Tour de France stop.
    w.workshop = WorkshopFactory()
    w.workshop_draft = WorkshopFactory(draft=True)
    w.registration_a = RegistrationFactory(workshop=w.workshop, user=citizen)
    w.registration_b = RegistrationFactory(workshop=w.workshop, user=w.citizen_b)
    Outcome.objects.create(
        workshop=w.workshop,
        text="Ce qui a été dit.",
        document=_pdf("compte-rendu.pdf"),
        published_at=timezone.now(),
    )
    w.workshop_unpublished = WorkshopFactory()
    Outcome.objects.create(workshop=w.workshop_unpublished, document=_pdf("brouillon.pdf"))
    w.stop = TourStopFactory()

    # Contributions: an open consultation, a contribution by citizen A and one by B (both
    # fresh, so still editable by their authors), a comment by B.
    w.consultation = ConsultationFactory()
    w.contribution_a = ContributionFactory(consultation=w.consultation, author=citizen)
    w.contribution_b = ContributionFactory(consultation=w.consultation, author=w.citizen_b)
    w.comment_b = CommentFactory(contribution=w.contribution_a, author=w.citizen_b)
    # Awaiting moderation (a priori): seen by their authors and the moderators only.
    moderated = ConsultationFactory(a_priori=True)
    w.pending_a = ContributionFactory(consultation=moderated, author=citizen, pending=True)
    w.pending_b = ContributionFactory(consultation=moderated, author=w.citizen_b, pending=True)
    w.consultation_draft = ConsultationFactory(draft=True)

    # Co-creation: a process in its proposals phase with a draft and a submitted proposal
    # by association A and by B; a process whose calendar is not public; a process in
    # deliberation, where A's submitted proposal no longer changes.
    from participation.cocreation.models import PhaseKind
    from tests.cocreation.factories import ProcessFactory, ProposalFactory

    w.process = ProcessFactory()
    w.process_unpublished = ProcessFactory(unpublished=True)
    w.process_deliberation = ProcessFactory(current=PhaseKind.DELIBERATION)
    w.proposal_draft_a = ProposalFactory(process=w.process, author=association)
    w.proposal_draft_b = ProposalFactory(process=w.process, author=w.association_b)
    w.proposal_a = ProposalFactory(process=w.process, author=association, submitted=True)
    w.proposal_b = ProposalFactory(process=w.process, author=w.association_b, submitted=True)
    w.proposal_deliberation_a = ProposalFactory(
        process=w.process_deliberation, author=association, submitted=True
    )
    # The Forum ouvert's members: association A represents a member organisation (from a
    # retained application to a published call), so it gives the forum's opinions during
    # deliberation; association B's organisation has left the forum.
    from tests.forum.factories import MemberFactory

    w.member_a = MemberFactory(application__applicant=association)
    w.member_b_left = MemberFactory(
        application__applicant=w.association_b, left_on=timezone.localdate()
    )
    # A's invitation to co-write A's proposal, still pending: its link, and a forged one.
    from participation.cocreation.models import CoAuthorInvitation
    from participation.cocreation.services.coauthors import invitation_token

    invitation = CoAuthorInvitation.objects.create(
        proposal=w.proposal_a, email="invitee@exemple.fr", invited_by=association
    )
    w.invitation_token = invitation_token(invitation)
    w.forged_token = w.invitation_token[:-4] + "AAAA"
    # An amendment by citizen B to A's proposal, open; one by citizen B to B's draft cannot
    # exist (drafts are not amended), so B's proposal gets one by A's citizen instead.
    from participation.cocreation.models import Amendment

    w.amendment_a = Amendment.objects.create(
        proposal=w.proposal_a,
        section="description",
        base_version=1,
        text="Un autre texte",
        reason="Un motif",
        author=w.citizen_b,
    )
    w.amendment_b = Amendment.objects.create(
        proposal=w.proposal_b,
        section="description",
        base_version=1,
        text="Un autre texte",
        reason="Un motif",
        author=citizen,
    )

    # The government's response, after the proposals phase: B's proposal in deliberation
    # is retained (staff may turn it into a commitment); A's still awaits its response.
    from participation.cocreation.services import proposal_respond

    w.proposal_retained = ProposalFactory(
        process=w.process_deliberation, author=w.association_b, submitted=True
    )
    proposal_respond(
        actor=w.users[Role.STAFF],
        proposal=w.proposal_retained,
        status="retenue",
        text="Retenue : elle répond à un besoin que le forum a relevé.",
    )

    # The participant's record: an attestation for citizen A and one for B.
    def attestation(user, code: str) -> Attestation:
        return Attestation.objects.create(
            user=user,
            code=code,
            holder_name=user.display_name,
            participations=[
                {
                    "kind": "Atelier participatif",
                    "title": "Atelier à Lyon",
                    "date": "2026-03-14",
                    "hours": 2.0,
                    "place": "Lyon (69)",
                }
            ],
        )

    # Statements of reasons on a hidden contribution of citizen A (contested) and of B.
    from participation.contributions.models import Statement

    def statement(user, **extra) -> Statement:
        hidden = ContributionFactory(consultation=w.consultation, author=user, hidden=True)
        return Statement.objects.create(
            contribution=hidden,
            author=user,
            decision="masquee",
            rule="spam",
            reason="Spam",
            **extra,
        )

    w.statement_a = statement(citizen, contest_text="Non", contested_at=timezone.now())
    w.statement_b = statement(w.citizen_b)

    w.attestation_a = attestation(citizen, "AAAA-BBBB-CCCC-DDDD-EEEE")
    w.attestation_b = attestation(w.citizen_b, "FFFF-GGGG-HHHH-JJJJ-KKKK")

    # ProConnect / FranceConnect identities linked to citizen A and to citizen B.
    from allauth.socialaccount.models import SocialAccount

    w.identity_a = SocialAccount.objects.create(user=citizen, provider="franceconnect", uid="a")
    w.identity_b = SocialAccount.objects.create(user=w.citizen_b, provider="franceconnect", uid="b")

    # Reports: one published, one still under review.
    def report(published: bool) -> Report:
        made = Report.objects.create(
            kind="avancement",
            plan=w.plan,
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 6, 30),
            title="Rapport publié" if published else "Rapport en relecture",
            state=ReportState.READY,
            is_published=published,
        )
        made.pdf.save("rapport.pdf", _pdf("rapport.pdf"), save=True)
        return made

    w.report_published = report(True)
    w.report_draft = report(False)
    # The plan's published document: linked on its page and on its back-office page.
    w.plan_document = Report.objects.create(
        kind="plan",
        plan=w.plan,
        period_start=dt.date(2025, 7, 1),
        period_end=dt.date(2025, 7, 1),
        title=w.plan.title,
        state=ReportState.READY,
        is_published=True,
        published_at=timezone.now(),
        pdf_size=1234,
        page_count=3,
    )
    w.plan_document.pdf.save("plan.pdf", _pdf("plan.pdf"), save=True)

    # One session per role, opened once: a request sends its key in the session cookie.
    w.session_keys = {None: None}
    for role, user in w.users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            w.session_keys[role] = client.session.session_key
    # Notifications: one for citizen A, one for citizen B; an e-mail's unsubscribe link.
    from forum_ouvert.core import notifications

    w.notification_a, w.notification_b = (
        notifications.notify(
            recipient=user,
            kind=notifications.Kind.COMMENT,
            target=w.contribution_a,
            message="Nouveau commentaire",
            email=False,
        )
        for user in (citizen, w.citizen_b)
    )
    w.unsubscribe_token = notifications.unsubscribe_token(citizen, kind=notifications.Kind.COMMENT)
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module (see the module's docstring)."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            built = build_world()
            yield built
            transaction.set_rollback(True)
    finally:
        media.disable()


def resolve_kwargs(kwargs: dict, world) -> dict:
    """``{"pk": "@application_a.pk"}`` → ``{"pk": 12}``: ``@`` starts a path of attributes
    read from the world; other values are literal."""
    resolved = {}
    for key, value in kwargs.items():
        if isinstance(value, str) and value.startswith("@"):
            path, value = value[1:], world
            for attribute in path.split("."):
                value = getattr(value, attribute)
        resolved[key] = value
    return resolved


def request_as(world, role, method: str, url: str, data: dict | None = None, **extra):
    """One request as ``role`` (with the session the world opened for it), in a savepoint
    rolled back afterwards: a POST that changes something (a withdrawal, a support, a
    logout) does not change what the next request sees. File responses are read (and so
    closed)."""
    client = Client()
    if world.session_keys[role]:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.session_keys[role]
    with transaction.atomic():
        response = getattr(client, method)(url, data or {}, **extra)
        if response.streaming:
            response.content_bytes = b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response
