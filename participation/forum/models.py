"""The Forum ouvert: calls for applications (AMI), applications and their review, the
forum's members and meetings.

Everything that varies from one call to the next (collèges, seats, criteria, dates) is
configured per call by staff; nothing here hard-codes the real AMI's rules.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from forum_ouvert.core.models import Departement, TimeStampedModel
from forum_ouvert.core.states import StateMachine
from forum_ouvert.core.uploads import RandomUploadTo
from forum_ouvert.core.validators import validate_one_line, validate_phone, web_url

from .identifiers import siren_from_siret

# --- Calls -------------------------------------------------------------------------


class CallPhase(models.TextChoices):
    """Where a call stands. ``SCHEDULED`` is public and opens by the clock."""

    DRAFT = "brouillon", _("Brouillon")
    SCHEDULED = "programme", _("À venir")
    OPEN = "ouvert", _("Ouvert")
    CLOSED = "clos", _("Clos")
    REVIEW = "examen", _("En examen")
    PUBLISHED = "resultats", _("Résultats publiés")


#: The allowed phase changes, in one place. The clock performs SCHEDULED → OPEN at the
#: opening time and OPEN → CLOSED at the closing time; staff may perform any of them.
CALL_TRANSITIONS: dict[str, set[str]] = {
    CallPhase.DRAFT: {CallPhase.SCHEDULED, CallPhase.OPEN},
    CallPhase.SCHEDULED: {CallPhase.DRAFT, CallPhase.OPEN},
    CallPhase.OPEN: {CallPhase.CLOSED},
    CallPhase.CLOSED: {CallPhase.OPEN, CallPhase.REVIEW},
    CallPhase.REVIEW: {CallPhase.PUBLISHED},
    CallPhase.PUBLISHED: set(),
}
CALL_STATES = StateMachine(
    field="phase", states=CallPhase, transitions=CALL_TRANSITIONS, action="forum.call.phase"
)


def _phase_now(now: dt.datetime):
    """``Call.phase_at(now)`` as an SQL expression: the same rule, for querysets."""
    return Case(
        When(phase=CallPhase.SCHEDULED, closes_at__lte=now, then=Value(CallPhase.CLOSED)),
        When(phase=CallPhase.SCHEDULED, opens_at__lte=now, then=Value(CallPhase.OPEN)),
        When(phase=CallPhase.OPEN, closes_at__lte=now, then=Value(CallPhase.CLOSED)),
        default=F("phase"),
        output_field=models.CharField(),
    )


class CallQuerySet(models.QuerySet):
    def in_phase(self, *phases: str, now: dt.datetime | None = None) -> CallQuerySet:
        """The calls whose ``phase_at(now)`` is one of ``phases``."""
        return self.alias(phase_now=_phase_now(now or timezone.now())).filter(phase_now__in=phases)

    def behind_the_clock(self, now: dt.datetime | None = None) -> CallQuerySet:
        """The calls whose stored phase the clock has moved on (opening or closing passed):
        what ``calls_sync_phases`` records."""
        return self.alias(phase_now=_phase_now(now or timezone.now())).exclude(phase_now=F("phase"))


class Call(TimeStampedModel):
    """An *appel à manifestation d'intérêt* to join the Forum ouvert.

    Its phase at a moment is ``phase_at(now)`` (``CallQuerySet.in_phase`` in SQL), and only
    that: rules, views, templates and selectors read it, never ``phase``. The stored
    ``phase`` is what staff last did; the clock moves it on at the opening and closing
    times, which ``phase_at`` reads without waiting for the periodic task that journals
    those moves (``calls_sync_phases``). No read writes.
    """

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=200, validators=[validate_one_line])
    presentation = models.TextField(_("présentation"))
    eligibility = models.TextField(_("conditions d'éligibilité"))
    expected_documents = models.TextField(_("documents attendus"), blank=True)
    opens_at = models.DateTimeField(_("ouverture des candidatures"))
    closes_at = models.DateTimeField(_("clôture des candidatures"))
    phase = models.CharField(
        _("phase"), max_length=20, choices=CallPhase, default=CallPhase.DRAFT, db_index=True
    )
    results_published_at = models.DateTimeField(_("résultats publiés le"), null=True, blank=True)

    objects = CallQuerySet.as_manager()

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = ("phase", "results_published_at")

    class Meta:
        verbose_name = _("appel à manifestation d'intérêt")
        verbose_name_plural = _("appels à manifestation d'intérêt")
        ordering = ["-opens_at", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="forum_call_dates_ordered",
                violation_error_message=_("La clôture doit suivre l'ouverture des candidatures."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:call_detail", kwargs={"slug": self.slug})

    def phase_at(self, now: dt.datetime | None = None) -> str:
        """The call's phase at ``now`` (default: now): the stored one, moved on past the
        opening or closing time. In a template, ``{{ call.phase_at }}`` is the phase now."""
        now = now or timezone.now()
        phase = self.phase
        if phase == CallPhase.SCHEDULED and now >= self.opens_at:
            phase = CallPhase.OPEN
        if phase == CallPhase.OPEN and now >= self.closes_at:
            phase = CallPhase.CLOSED
        return phase

    def accepts_applications(self, now: dt.datetime | None = None) -> bool:
        """Open at ``now``: the server's clock decides, to the second."""
        return self.phase_at(now) == CallPhase.OPEN


class College(models.Model):
    """A *collège* of a call (associations, collectifs citoyens, chercheurs…) and its seats."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="colleges")
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    seats = models.PositiveSmallIntegerField(_("nombre de sièges"))
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("collège")
        verbose_name_plural = _("collèges")
        ordering = ["call", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "name"],
                name="forum_college_name_unique",
                violation_error_message=_("Cet appel a déjà un collège portant ce nom."),
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=1),
                name="forum_college_seats_positive",
                violation_error_message=_("Un collège compte au moins un siège."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """A scoring criterion of a call: a weight and a scale from 0 to ``scale_max``."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("poids"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("note maximale"), default=5)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")
        ordering = ["call", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "name"],
                name="forum_criterion_name_unique",
                violation_error_message=_("Cet appel a déjà un critère portant ce nom."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100),
                name="forum_criterion_weight_range",
                violation_error_message=_("Le poids d'un critère est compris entre 1 et 100."),
            ),
            models.CheckConstraint(
                condition=Q(scale_max__gte=1) & Q(scale_max__lte=100),
                name="forum_criterion_scale_range",
                violation_error_message=_("La note maximale est comprise entre 1 et 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- Applications ------------------------------------------------------------------


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("Association loi 1901 ou 1908")
    FOUNDATION = "fondation", _("Fondation ou fonds de dotation")
    COLLECTIVE = "collectif", _("Collectif citoyen non constitué")
    COOPERATIVE = "cooperative", _("Coopérative (SCOP, SCIC) ou entreprise de l'ESS")
    UNION = "syndicat", _("Syndicat ou organisation professionnelle")
    RESEARCH = "recherche", _("Établissement d'enseignement ou de recherche")
    LOCAL_AUTHORITY = "collectivite", _("Collectivité territoriale ou groupement")
    OTHER = "autre", _("Autre")


class ApplicationStatus(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    SUBMITTED = "deposee", _("Déposée")
    WITHDRAWN = "retiree", _("Retirée")
    RETAINED = "retenue", _("Retenue")
    WAITLISTED = "attente", _("Liste d'attente")
    REJECTED = "non_retenue", _("Non retenue")


DECISIONS = (ApplicationStatus.RETAINED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED)
#: Applications that count in the review: submitted, decided or not.
IN_REVIEW = (ApplicationStatus.SUBMITTED, *DECISIONS)

#: The allowed status changes, in one place. Who may make them, and in which phase of the
#: call, is in ``rules.py``; the services check both.
APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.SUBMITTED: {ApplicationStatus.WITHDRAWN, *DECISIONS},
    ApplicationStatus.WITHDRAWN: set(),
    # A decision may be revised (its message too, or set aside) until the results are
    # published.
    **{decision: {ApplicationStatus.SUBMITTED, *DECISIONS} for decision in DECISIONS},
}
APPLICATION_STATES = StateMachine(
    field="status",
    states=ApplicationStatus,
    transitions=APPLICATION_TRANSITIONS,
    action="forum.application.status",
)

_NOT_WITHDRAWN = ~Q(status=ApplicationStatus.WITHDRAWN)


def organisation_key(name: str) -> str:
    """The name an organisation is recognised by: lower case, no accents, no punctuation."""
    return slugify(name)[:200]


class Application(TimeStampedModel):
    """An organisation's application (*candidature*) to a call, made by a logged-in person."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_applications",
        verbose_name=_("déposée par"),
    )
    organisation_name = models.CharField(
        _("nom de l'organisation"), max_length=200, validators=[validate_one_line]
    )
    organisation_key = models.CharField(max_length=200, editable=False, blank=True, db_index=True)
    legal_form = models.CharField(
        _("forme juridique"), max_length=20, choices=LegalForm, blank=True
    )
    rna_number = models.CharField(_("numéro RNA"), max_length=10, blank=True)
    siret = models.CharField(_("numéro SIRET"), max_length=14, blank=True)
    siren = models.CharField(max_length=9, blank=True, editable=False)
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("département"),
    )
    website = models.URLField(_("site web"), max_length=300, blank=True, validators=[web_url])
    contact_name = models.CharField(
        _("personne à contacter"), max_length=120, blank=True, validators=[validate_one_line]
    )
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    contact_phone = models.CharField(
        _("téléphone"), max_length=30, blank=True, validators=[validate_phone]
    )
    college = models.ForeignKey(
        College,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("collège demandé"),
    )
    motivation = models.TextField(_("motivation"), blank=True)
    experience = models.TextField(
        _("expérience de la participation et du gouvernement ouvert"), blank=True
    )
    accepts_accuracy = models.BooleanField(_("déclaration sur l'honneur"), default=False)
    accepts_privacy = models.BooleanField(_("notice sur les données"), default=False)
    status = models.CharField(
        _("état"),
        max_length=20,
        choices=ApplicationStatus,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(
        _("accusé de réception envoyé le"), null=True, blank=True
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,  # for traceability
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    decision_message = models.TextField(_("message motivé"), blank=True)
    #: The decision last e-mailed to the applicant, so that it is sent once.
    decision_notified = models.CharField(max_length=20, blank=True)
    decision_notified_at = models.DateTimeField(_("décision notifiée le"), null=True, blank=True)
    # Kept by the scoring service (see ``scoring.py``), so that the queue sorts on them.
    score_mean = models.DecimalField(
        _("note moyenne /20"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    score_spread = models.DecimalField(
        _("écart entre évaluateurs"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    review_count = models.PositiveSmallIntegerField(_("évaluations complètes"), default=0)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = "__all__"

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation_key"],
                condition=_NOT_WITHDRAWN,
                name="forum_one_application_per_organisation",
                violation_error_message=_(
                    "Cette organisation a déjà une candidature à cet appel : "
                    "reprenez-la depuis « Mes candidatures »."
                ),
            ),
            models.UniqueConstraint(
                fields=["call", "siren"],
                condition=_NOT_WITHDRAWN & ~Q(siren=""),
                name="forum_one_application_per_siren",
                violation_error_message=_(
                    "Une candidature à cet appel existe déjà pour ce numéro SIRET (même SIREN)."
                ),
            ),
            models.UniqueConstraint(
                fields=["call", "rna_number"],
                condition=_NOT_WITHDRAWN & ~Q(rna_number=""),
                name="forum_one_application_per_rna",
                violation_error_message=_(
                    "Une candidature à cet appel existe déjà pour ce numéro RNA."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.DRAFT)
                | Q(status=ApplicationStatus.WITHDRAWN)
                | Q(submitted_at__isnull=False),
                name="forum_application_submitted_has_date",
                violation_error_message=_("Une candidature déposée a une date de dépôt."),
            ),
        ]
        # The review queue walks these in order and stops after one page.
        indexes = [
            models.Index(fields=["call", "-submitted_at", "-id"]),
            models.Index(fields=["-submitted_at", "-id"]),
            models.Index(fields=["call", "-score_mean"]),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_name} ({self.call.title if self.call_id else '—'})"

    def save(self, *args, **kwargs):
        self.organisation_key = organisation_key(self.organisation_name)
        self.siren = siren_from_siret(self.siret)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "organisation_key", "siren"}
        super().save(*args, **kwargs)

    def clean(self):
        # validate_constraints() runs after clean(): give it the derived values.
        self.organisation_key = organisation_key(self.organisation_name)
        self.siren = siren_from_siret(self.siret)

    def get_absolute_url(self) -> str:
        return reverse("forum:my_application", kwargs={"pk": self.pk})

    def get_staff_url(self) -> str:
        return reverse("forum:review_application", kwargs={"pk": self.pk})

    @property
    def is_decided(self) -> bool:
        return self.status in DECISIONS

    @property
    def notified_decision_label(self) -> str:
        """The decision the applicant was told, or empty while none was."""
        if not self.decision_notified:
            return ""
        return ApplicationStatus(self.decision_notified).label


class Attachment(models.Model):
    """A PDF joined to an application, stored under a random name."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=RandomUploadTo("forum/candidatures"), max_length=200)
    original_name = models.CharField(_("nom du fichier"), max_length=120)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_at = models.DateTimeField(_("ajouté le"), default=timezone.now)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["application", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse(
            "forum:attachment", kwargs={"pk": self.application_id, "attachment_pk": self.pk}
        )


MAX_ATTACHMENTS = 3


# --- Review ------------------------------------------------------------------------


class Review(TimeStampedModel):
    """One reviewer's evaluation of one application (assigned, or started by the reviewer).

    The reviewer declares whether they have a conflict of interest before any score.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,  # for traceability
        related_name="forum_reviews",
        verbose_name=_("évaluateur·rice"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigné par"),
    )
    no_conflict_declared_at = models.DateTimeField(
        _("absence de conflit d'intérêts déclarée le"), null=True, blank=True
    )
    has_conflict = models.BooleanField(_("conflit d'intérêts déclaré"), default=False)
    comment = models.TextField(_("commentaire"), blank=True)
    total = models.DecimalField(
        _("note /20"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["application", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"],
                name="forum_one_review_per_reviewer",
                violation_error_message=_("Vous évaluez déjà cette candidature."),
            ),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | Q(total__isnull=True),
                name="forum_review_conflict_has_no_score",
                violation_error_message=_("Une évaluation en conflit d'intérêts n'est pas notée."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application_id}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("note"))

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["review", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"],
                name="forum_one_score_per_criterion",
                violation_error_message=_("Ce critère est déjà noté dans cette évaluation."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


# --- The forum's life --------------------------------------------------------------


class ForumCharter(models.Model):
    """The forum's public presentation and rules of participation (one row, staff-edited)."""

    presentation = models.TextField(_("présentation du Forum ouvert"), blank=True)
    rules = models.TextField(_("règles de participation"), blank=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("charte du Forum ouvert")
        verbose_name_plural = _("charte du Forum ouvert")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=1),
                name="forum_charter_singleton",
                violation_error_message=_("Le Forum ouvert n'a qu'une charte."),
            )
        ]

    def __str__(self) -> str:
        return str(_("Charte du Forum ouvert"))


class Member(models.Model):
    """An organisation member of the forum, from a retained application once results are out."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="member")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="members")
    college = models.ForeignKey(College, on_delete=models.PROTECT, related_name="members")
    organisation_name = models.CharField(
        _("organisation"), max_length=200, validators=[validate_one_line]
    )
    website = models.URLField(_("site web"), max_length=300, blank=True, validators=[web_url])
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    joined_on = models.DateField(_("membre depuis le"))
    left_on = models.DateField(_("a quitté le forum le"), null=True, blank=True)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = ("application", "call", "college", "joined_on")

    class Meta:
        verbose_name = _("membre du forum")
        verbose_name_plural = _("membres du forum")
        ordering = ["college__order", "college__name", "organisation_name", "id"]

    def __str__(self) -> str:
        return self.organisation_name

    @classmethod
    def from_application(cls, application: Application, *, joined_on: dt.date) -> Member:
        """The (unsaved) member a retained application makes."""
        return cls(
            application=application,
            call_id=application.call_id,
            college_id=application.college_id,
            organisation_name=application.organisation_name,
            website=application.website,
            departement_id=application.departement_id,
            joined_on=joined_on,
        )


class Meeting(TimeStampedModel):
    """A *séance* of the forum: announced in advance, its minutes published afterwards."""

    title = models.CharField(_("intitulé"), max_length=200, validators=[validate_one_line])
    starts_at = models.DateTimeField(_("début"), db_index=True)
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=255, blank=True)
    visio_url = models.URLField(
        _("lien de visioconférence"), max_length=500, blank=True, validators=[web_url]
    )
    agenda = models.TextField(_("ordre du jour"))
    minutes_text = models.TextField(_("compte rendu"), blank=True)
    minutes_pdf = models.FileField(
        _("compte rendu (PDF)"),
        upload_to=RandomUploadTo("forum/seances"),
        max_length=200,
        blank=True,
    )
    minutes_published_at = models.DateTimeField(_("compte rendu publié le"), null=True, blank=True)
    minutes_updated_at = models.DateTimeField(
        _("compte rendu mis à jour le"), null=True, blank=True
    )
    is_cancelled = models.BooleanField(_("annulée"), default=False)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = (
        "is_cancelled",
        "minutes_text",
        "minutes_pdf",
        "minutes_published_at",
        "minutes_updated_at",
    )

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="forum_meeting_dates_ordered",
                violation_error_message=_("La fin de la séance doit suivre son début."),
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(visio_url=""),
                name="forum_meeting_has_place",
                violation_error_message=_("Indiquez un lieu ou un lien de visioconférence."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("forum:meeting_detail", kwargs={"pk": self.pk})

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def hours(self) -> float | None:
        if not self.ends_at:
            return None
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 1)


class MeetingInvitation(models.Model):
    """An e-mail invitation of a member to a meeting: sent once."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "member__organisation_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="forum_one_invitation_per_member",
                violation_error_message=_("Ce membre est déjà invité à cette séance."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.meeting}"


class MeetingAttendance(models.Model):
    """A member's presence at a meeting, marked by staff (a verified participation)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendances")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        ordering = ["meeting", "member__organisation_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="forum_one_attendance_per_member",
                violation_error_message=_("La présence de ce membre est déjà notée."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.meeting}"
