"""Consultations, contributions, supports, comments, reports and reasoned responses.

Publication states are a state machine (``TRANSITIONS``) that only the services move.
Counters shown in lists (supports, comments) and the date of the reasoned response are
kept on the contribution by those services, so that lists of 100 000 rows sort on an
index instead of counting. ``search_vector`` is filled by a PostgreSQL trigger (see the
migration): French stemming over unaccented title (weight A) and text (weight B).
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagements.models import Commitment
from forum_ouvert.core.models import Departement, TimeStampedModel
from forum_ouvert.core.states import StateMachine
from forum_ouvert.core.text import shorten
from forum_ouvert.core.validators import validate_one_line

TITLE_MAX = 160
BODY_MAX = 10_000
COMMENT_MAX = 3_000
#: An author may edit a contribution this long after posting it, until someone supports it.
EDIT_WINDOW = datetime.timedelta(minutes=30)


class ModerationMode(models.TextChoices):
    A_PRIORI = "a_priori", _("A priori : publiée après validation par la modération")
    A_POSTERIORI = "a_posteriori", _("A posteriori : publiée aussitôt, peut être masquée")


class Phase(models.TextChoices):
    UPCOMING = "a_venir", _("À venir")
    OPEN = "ouverte", _("Ouverte")
    CLOSED = (
        "close",
        _("Clôturée"),
    )  # not « Close »: the catalogue reads it as the verb (« Fermer »)


class PublicationStatus(models.TextChoices):
    PENDING = "en_attente", _("En attente de modération")
    PUBLISHED = "publiee", _("Publiée")
    HIDDEN = "masquee", _("Masquée par la modération")
    WITHDRAWN = "retiree", _("Retirée par son auteur")


#: The only moves a contribution or comment may make: for each act, from which state to
#: which. Services ask ``next_status`` where an act leads, then move there through
#: ``PUBLICATION_STATES`` (the same moves, by state); nothing else changes ``status``.
TRANSITIONS: dict[str, dict[str, str]] = {
    "approve": {PublicationStatus.PENDING: PublicationStatus.PUBLISHED},
    "hide": {
        PublicationStatus.PENDING: PublicationStatus.HIDDEN,
        PublicationStatus.PUBLISHED: PublicationStatus.HIDDEN,
        PublicationStatus.WITHDRAWN: PublicationStatus.HIDDEN,
    },
    "restore": {PublicationStatus.HIDDEN: PublicationStatus.PUBLISHED},
    # Staff confirm a masking (an automatic one after reports, or a contested one).
    "confirm": {PublicationStatus.HIDDEN: PublicationStatus.HIDDEN},
    # A blocked person's published content goes back to the moderators (issue 19, item 9).
    "review": {PublicationStatus.PUBLISHED: PublicationStatus.PENDING},
    # A withdrawn contribution that moderators hid, then restored, is withdrawn again.
    "restore_withdrawn": {PublicationStatus.HIDDEN: PublicationStatus.WITHDRAWN},
    # An edit under a priori moderation goes back to the queue.
    "edit_a_priori": {
        PublicationStatus.PUBLISHED: PublicationStatus.PENDING,
        PublicationStatus.PENDING: PublicationStatus.PENDING,
    },
    "withdraw": {
        PublicationStatus.PENDING: PublicationStatus.WITHDRAWN,
        PublicationStatus.PUBLISHED: PublicationStatus.WITHDRAWN,
    },
}


PUBLICATION_STATES = StateMachine(
    field="status",
    states=PublicationStatus,
    transitions={
        state: {moves[state] for moves in TRANSITIONS.values() if state in moves}
        for state in PublicationStatus.values
    },
    action="contributions.status",
)


def act_target(act: str) -> str:
    """The state an act leads to (the same from every state it is possible from)."""
    (target,) = set(TRANSITIONS[act].values())
    return target


class TransitionNotAllowed(ValueError):
    """The act is not allowed from the current state."""


def next_status(act: str, current: str) -> str:
    """The state after ``act`` from ``current``; raises ``TransitionNotAllowed``."""
    try:
        return TRANSITIONS[act][current]
    except KeyError:
        raise TransitionNotAllowed(f"{act} impossible depuis l'état {current}") from None


def allowed_acts(current: str) -> set[str]:
    """The acts possible from ``current`` (to show only the buttons that work)."""
    return {act for act, moves in TRANSITIONS.items() if current in moves}


#: States shown in public lists (a withdrawn contribution stays only if it was answered).
LISTED = (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN)


class ResponseStatus(models.TextChoices):
    """The decisions of a reasoned response, for every kind of input the platform answers
    (contributions to a consultation, commitment proposals of a co-creation); each kind
    uses its own subset (``CONTRIBUTION_DECISIONS``, ``PROPOSAL_DECISIONS``)."""

    UNDER_REVIEW = "a_l_etude", _("À l'étude")
    ACCEPTED = "retenue", _("Retenue")
    PARTLY_ACCEPTED = "partiellement_retenue", _("Partiellement retenue")
    ACCEPTED_WITH_CHANGES = "retenue_avec_modifications", _("Retenue avec modifications")
    MERGED = "fusionnee", _("Fusionnée")
    NOT_ACCEPTED = "non_retenue", _("Non retenue")
    OFF_TOPIC = "hors_sujet", _("Hors sujet")


#: The decisions on a contribution, in the order forms and syntheses show them.
CONTRIBUTION_DECISIONS = (
    ResponseStatus.UNDER_REVIEW,
    ResponseStatus.ACCEPTED,
    ResponseStatus.PARTLY_ACCEPTED,
    ResponseStatus.NOT_ACCEPTED,
    ResponseStatus.OFF_TOPIC,
)
#: The decisions on a commitment proposal (issue 16, item 6): « fusionnée avec … » names
#: the proposal it joined (``cocreation.Proposal.merged_into``).
PROPOSAL_DECISIONS = (
    ResponseStatus.ACCEPTED,
    ResponseStatus.ACCEPTED_WITH_CHANGES,
    ResponseStatus.MERGED,
    ResponseStatus.NOT_ACCEPTED,
)


def decision_choices(decisions) -> list[tuple[str, str]]:
    """``(value, label)`` pairs of a subset of ``ResponseStatus``, for a form."""
    return [(d.value, d.label) for d in decisions]


class Consultation(TimeStampedModel):
    """A call for contributions: on the next plan, on one commitment, or on a theme."""

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=200, validators=[validate_one_line])
    presentation = models.TextField(_("présentation"))
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("engagement concerné"),
    )
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(_("clôture"))
    moderation_mode = models.CharField(
        _("modération"),
        max_length=20,
        choices=ModerationMode,
        default=ModerationMode.A_POSTERIORI,
    )
    is_published = models.BooleanField(_("publiée"), default=False)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_on", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="contributions_consultation_dates_ordered",
                violation_error_message=_("La clôture doit suivre l'ouverture."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contributions:consultation", kwargs={"slug": self.slug})

    def phase_on(self, today: datetime.date) -> Phase:
        if today < self.opens_on:
            return Phase.UPCOMING
        if today > self.closes_on:
            return Phase.CLOSED
        return Phase.OPEN

    @property
    def phase(self) -> Phase:
        return self.phase_on(timezone.localdate())

    @property
    def is_open(self) -> bool:
        return self.is_published and self.phase == Phase.OPEN

    @property
    def is_a_priori(self) -> bool:
        return self.moderation_mode == ModerationMode.A_PRIORI


class Theme(models.Model):
    """A theme or question of a consultation; every contribution answers one."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(_("thème ou question"), max_length=200, validators=[validate_one_line])
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["consultation", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "title"],
                name="contributions_theme_unique",
                violation_error_message=_("Cette consultation a déjà ce thème."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class Contribution(TimeStampedModel):
    """A participant's contribution to a consultation."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="contributions"
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("thème ou question"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,  # accounts are anonymised, never deleted
        related_name="contributions",
        verbose_name=_("auteur"),
    )
    title = models.CharField(_("titre"), max_length=TITLE_MAX, validators=[validate_one_line])
    body = models.TextField(_("texte"))
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("engagement concerné"),
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("département"),
    )
    status = models.CharField(
        _("état"), max_length=20, choices=PublicationStatus, default=PublicationStatus.PUBLISHED
    )
    moderation_reason = models.TextField(_("motif public de modération"), blank=True)
    moderated_at = models.DateTimeField(_("modérée le"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    support_count = models.PositiveIntegerField(_("soutiens"), default=0)
    comment_count = models.PositiveIntegerField(_("commentaires"), default=0)
    responded_at = models.DateTimeField(_("retour argumenté le"), null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = (
        "status",
        "moderation_reason",
        "moderated_at",
        "withdrawn_at",
        "responded_at",
    )

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="contrib_recent"),
            models.Index(fields=["-support_count", "-id"], name="contrib_supported"),
            models.Index(
                fields=["-responded_at", "-id"],
                name="contrib_responded",
                condition=Q(responded_at__isnull=False),
            ),
            models.Index(fields=["consultation", "-created_at", "-id"], name="contrib_consult"),
            models.Index(fields=["status", "-created_at"], name="contrib_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), BODY_MAX),
                name="contributions_body_length",
                violation_error_message=_("Le texte est trop long."),
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="contributions_title_not_empty",
                violation_error_message=_("Le titre est obligatoire."),
            ),
            models.CheckConstraint(
                condition=~Q(status=PublicationStatus.HIDDEN) | ~Q(moderation_reason=""),
                name="contributions_hidden_has_reason",
                violation_error_message=_("Une contribution masquée a un motif public."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "contributions:detail",
            kwargs={"slug": self.consultation.slug, "pk": self.pk},
        )

    @property
    def is_withdrawn(self) -> bool:
        return self.status == PublicationStatus.WITHDRAWN

    @property
    def is_hidden(self) -> bool:
        return self.status == PublicationStatus.HIDDEN

    @property
    def is_pending(self) -> bool:
        return self.status == PublicationStatus.PENDING

    def editable_until(self) -> datetime.datetime:
        return self.created_at + EDIT_WINDOW


class Support(models.Model):
    """One person supports one contribution, once (a database constraint)."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contribution_supports"
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("soutien")
        verbose_name_plural = _("soutiens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="support_user_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "user"],
                name="contributions_support_once",
                violation_error_message=_("Vous soutenez déjà cette contribution."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.contribution_id}"


class Comment(TimeStampedModel):
    """A comment on a contribution, or a reply to a comment (one level only)."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("en réponse à"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,
        related_name="contribution_comments",
        verbose_name=_("auteur"),
    )
    body = models.TextField(_("commentaire"))
    status = models.CharField(
        _("état"), max_length=20, choices=PublicationStatus, default=PublicationStatus.PUBLISHED
    )
    moderation_reason = models.TextField(_("motif public de modération"), blank=True)
    moderated_at = models.DateTimeField(_("modéré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["contribution", "created_at", "id"], name="comment_thread"),
            models.Index(fields=["author", "-created_at"], name="comment_author_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), COMMENT_MAX),
                name="contributions_comment_length",
                violation_error_message=_("Le commentaire est trop long."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="contributions_comment_not_own_parent",
                violation_error_message=_("Un commentaire ne peut pas se répondre à lui-même."),
            ),
            models.CheckConstraint(
                condition=~Q(status=PublicationStatus.HIDDEN) | ~Q(moderation_reason=""),
                name="contributions_hidden_comment_has_reason",
                violation_error_message=_("Un commentaire masqué a un motif public."),
            ),
        ]

    def __str__(self) -> str:
        return shorten(self.body, 80)

    @property
    def is_hidden(self) -> bool:
        return self.status == PublicationStatus.HIDDEN

    @property
    def is_pending(self) -> bool:
        return self.status == PublicationStatus.PENDING


class ReportReason(models.TextChoices):
    ABUSIVE = "injurieux", _("Propos injurieux, haineux ou discriminatoires")
    PERSONAL_DATA = "donnees_personnelles", _("Données personnelles d'un tiers")
    SPAM = "spam", _("Publicité ou contenu répété")
    OFF_TOPIC = "hors_sujet", _("Hors sujet")
    OTHER = "autre", _("Autre raison")


class ModerationRule(models.TextChoices):
    """The rules of participation a moderation decision cites (its ground, DSA art. 17)."""

    ABUSIVE = "injurieux", _("Pas de propos injurieux, haineux ou discriminatoires")
    PERSONAL_DATA = "donnees_personnelles", _("Pas de données personnelles d'un tiers")
    SPAM = "spam", _("Pas de publicité ni de contenu répété")
    OFF_TOPIC = "hors_sujet", _("Rester dans le sujet de la consultation")
    ILLEGAL = "illicite", _("Pas de contenu manifestement illicite")


#: The rule a report's reason points at, for a masking decided by the reports' count.
RULE_OF_REPORT = {
    "injurieux": ModerationRule.ABUSIVE,
    "donnees_personnelles": ModerationRule.PERSONAL_DATA,
    "spam": ModerationRule.SPAM,
    "hors_sujet": ModerationRule.OFF_TOPIC,
}


class ReportStatus(models.TextChoices):
    OPEN = "ouvert", _("À traiter")
    UPHELD = "retenu", _("Contenu masqué")
    DISMISSED = "rejete", _("Signalement écarté")


class Report(TimeStampedModel):
    """Someone asks the moderators to look at a contribution or a comment."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contribution_reports"
    )
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reason = models.CharField(_("motif"), max_length=30, choices=ReportReason)
    details = models.TextField(_("précisions"), blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=ReportStatus, default=ReportStatus.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = ("status",)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="report_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(contribution__isnull=False, comment__isnull=True)
                | Q(contribution__isnull=True, comment__isnull=False),
                name="contributions_report_one_target",
                violation_error_message=_(
                    "Un signalement vise une contribution ou un commentaire."
                ),
            ),
            models.UniqueConstraint(
                fields=["reporter", "contribution"],
                condition=Q(status="ouvert", contribution__isnull=False),
                name="contributions_report_once_contribution",
                violation_error_message=_("Vous avez déjà signalé cette contribution."),
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(status="ouvert", comment__isnull=False),
                name="contributions_report_once_comment",
                violation_error_message=_("Vous avez déjà signalé ce commentaire."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.get_status_display()})"


class StatementDecision(models.TextChoices):
    AUTO_HIDDEN = (
        "masquee_signalements",
        _("Masquée automatiquement, dans l'attente d'un examen, après plusieurs signalements"),
    )
    HIDDEN = "masquee", _("Masquée par la modération")


class ContestOutcome(models.TextChoices):
    UPHELD = "maintenue", _("Décision maintenue")
    RESTORED = "retablie", _("Contenu rétabli")


class Statement(TimeStampedModel):
    """A statement of reasons (*exposé des motifs*, DSA art. 17): what was hidden, on which
    ground (the rule, the public reason), whether it was automatic, and how to contest.
    Written by the moderation services when content is hidden, sent to its author and
    shown on their account; the author may contest it once, staff answer the contest."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, null=True, blank=True, related_name="statements"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="statements"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,
        related_name="moderation_statements",
        verbose_name=_("auteur du contenu"),
    )
    decision = models.CharField(_("décision"), max_length=30, choices=StatementDecision)
    rule = models.CharField(_("règle concernée"), max_length=30, choices=ModerationRule)
    reason = models.TextField(_("motif"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    contest_text = models.TextField(_("contestation"), blank=True)
    contested_at = models.DateTimeField(_("contestée le"), null=True, blank=True)
    outcome = models.CharField(
        _("issue"), max_length=20, choices=ContestOutcome, blank=True, default=""
    )
    answer = models.TextField(_("réponse de la modération"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("réponse de"),
    )
    answered_at = models.DateTimeField(_("close le"), null=True, blank=True)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = "__all__"

    class Meta:
        verbose_name = _("exposé des motifs")
        verbose_name_plural = _("exposés des motifs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["author", "-created_at"], name="statement_author"),
            models.Index(
                fields=["contested_at"],
                condition=Q(contested_at__isnull=False, answered_at__isnull=True),
                name="statement_contests_open",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(contribution__isnull=False, comment__isnull=True)
                | Q(contribution__isnull=True, comment__isnull=False),
                name="contributions_statement_one_target",
                violation_error_message=_(
                    "Un exposé des motifs vise une contribution ou un commentaire."
                ),
            ),
            models.CheckConstraint(
                condition=Q(contested_at__isnull=True) | ~Q(contest_text=""),
                name="contributions_statement_contest_has_text",
                violation_error_message=_("Une contestation explique pourquoi."),
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(outcome=""),
                name="contributions_statement_closed_has_outcome",
                violation_error_message=_("Un exposé clos dit son issue."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} — {self.target}"

    @property
    def target(self) -> Contribution | Comment:
        return self.contribution if self.contribution_id else self.comment

    @property
    def contribution_shown(self) -> Contribution:
        """The contribution the page links to (a comment's own, for a comment)."""
        return self.contribution if self.contribution_id else self.comment.contribution

    @property
    def is_open(self) -> bool:
        return self.answered_at is None

    @property
    def may_be_contested(self) -> bool:
        """Once, while the decision stands."""
        return self.contested_at is None and self.answered_at is None

    def get_absolute_url(self) -> str:
        return reverse("contributions:statement", kwargs={"pk": self.pk})


def statement_mail_key(*, statement_id: int, event: str) -> str:
    """The ``MailDelivery`` key of one e-mail about a statement (issued, answered…)."""
    return f"contributions.statement:{statement_id}:{event}"


class Response(TimeStampedModel):
    """The reasoned response (retour argumenté): a decision and its reasons, given to one
    contribution or to one commitment proposal of a co-creation — the one notion of
    reasoned response of the platform. Exactly one target is set (a constraint); the
    services that write it are ``contributions.services.response_set`` (contributions)
    and ``cocreation.services.responses`` (proposals), both through ``response_record``.

    The proposal is named lazily (``"cocreation.Proposal"``): this module never imports
    the co-creation app, which builds on it."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, related_name="response", null=True, blank=True
    )
    proposal = models.OneToOneField(
        "cocreation.Proposal",
        on_delete=models.PROTECT,
        related_name="response",
        null=True,
        blank=True,
        verbose_name=_("proposition d'engagement"),
    )
    status = models.CharField(_("décision"), max_length=30, choices=ResponseStatus)
    text = models.TextField(_("retour argumenté"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    #: Incremented at each change; e-mails are sent once per revision.
    revision = models.PositiveIntegerField(default=1)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = ("status",)

    class Meta:
        verbose_name = _("retour argumenté")
        verbose_name_plural = _("retours argumentés")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="contributions_response_has_text",
                violation_error_message=_("Un retour argumenté explique la décision."),
            ),
            models.CheckConstraint(
                condition=Q(contribution__isnull=False, proposal__isnull=True)
                | Q(contribution__isnull=True, proposal__isnull=False),
                name="contributions_response_one_target",
                violation_error_message=_(
                    "Un retour argumenté répond à une contribution ou à une proposition."
                ),
            ),
            models.CheckConstraint(
                condition=Q(contribution__isnull=True)
                | Q(status__in=[d.value for d in CONTRIBUTION_DECISIONS]),
                name="contributions_response_contribution_decision",
                violation_error_message=_("Cette décision ne s'applique pas à une contribution."),
            ),
            models.CheckConstraint(
                condition=Q(proposal__isnull=True)
                | Q(status__in=[d.value for d in PROPOSAL_DECISIONS]),
                name="contributions_response_proposal_decision",
                violation_error_message=_(
                    "Une proposition est retenue, retenue avec modifications, fusionnée ou "
                    "non retenue."
                ),
            ),
        ]

    def __str__(self) -> str:
        target = f"c{self.contribution_id}" if self.contribution_id else f"p{self.proposal_id}"
        return f"{self.get_status_display()} — {target}"


class ResponseRevision(models.Model):
    """One published text of a reasoned response: the first, then each correction. Public
    (« modifié le … », the previous texts readable) and append-only in the database, like
    the commitments' journal (issue 22, item 8: an edit used to replace the text)."""

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="revisions")
    revision = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("décision"), max_length=30, choices=ResponseStatus)
    text = models.TextField(_("retour argumenté"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    notified = models.BooleanField(_("notifiée"), default=True)
    created_at = models.DateTimeField(_("publiée le"), default=timezone.now)

    class Meta:
        verbose_name = _("version d'un retour argumenté")
        verbose_name_plural = _("versions des retours argumentés")
        ordering = ["response", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "revision"], name="contributions_response_revision_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response_id} v{self.revision}"


#: The ``MailDelivery`` keys of the response e-mails start with this.
RESPONSE_MAIL = "contributions.response:"


def response_mail_key(*, response_id: int, revision: int, user_id: int) -> str:
    """The ``MailDelivery`` key of the e-mail about one revision of a response, to one person:
    sent once (``core.mail.mail_send(once=…)``), read back by the personal-data export."""
    return f"{RESPONSE_MAIL}{response_id}:{revision}:{user_id}"


def new_attestation_code() -> str:
    """A code that cannot be guessed: 20 base-32 characters (100 bits) in groups of four."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(20))
    return "-".join(raw[i : i + 4] for i in range(0, 20, 4))


class Attestation(models.Model):
    """An *attestation de participation* as issued: what its PDF says, frozen.

    The public verification page shows exactly this row, nothing more.
    """

    code = models.CharField(_("code de vérification"), max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attestations"
    )
    holder_name = models.CharField(_("nom du ou de la participant·e"), max_length=120)
    participations = models.JSONField(_("participations"), default=list)
    total_hours = models.DecimalField(
        _("heures de participation"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    issued_at = models.DateTimeField(_("délivrée le"), default=timezone.now)
    #: « Identité vérifiée par FranceConnect »: the name FranceConnect gave and the day it
    #: was verified, when the holder had logged in with FranceConnect (else empty).
    verified_name = models.CharField(_("nom vérifié par FranceConnect"), max_length=120, blank=True)
    verified_on = models.DateField(_("identité vérifiée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("attestation de participation")
        verbose_name_plural = _("attestations de participation")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.code

    @property
    def rows(self) -> list[dict]:
        """The frozen participations, with their dates as dates (for display)."""
        rows = []
        for item in self.participations:
            try:
                date = datetime.date.fromisoformat(item.get("date") or "")
            except ValueError:
                date = None
            rows.append({**item, "date": date})
        return rows
