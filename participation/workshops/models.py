"""Workshops and their registrations, the Tour de France, and the Baromètre's figures."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagements.models import Commitment
from forum_ouvert.core import search
from forum_ouvert.core.models import Departement, Region, TimeStampedModel
from forum_ouvert.core.states import StateMachine
from forum_ouvert.core.uploads import RandomUploadTo
from forum_ouvert.core.validators import validate_one_line, web_url

# --- Workshops -----------------------------------------------------------------------


class WorkshopFormat(models.TextChoices):
    IN_PERSON = "presentiel", _("Présentiel")
    ONLINE = "en_ligne", _("En ligne")
    HYBRID = "hybride", _("Hybride")


class Audience(models.TextChoices):
    EVERYONE = "tout_public", _("Tout public")
    ELECTED = "elus_locaux", _("Élu·es locaux")
    ASSOCIATIONS = "associations", _("Associations")
    AGENTS = "agents", _("Agents publics")


class WorkshopStatus(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    PUBLISHED = "publie", _("Publié")
    FULL = "complet", _("Complet")
    CANCELLED = "annule", _("Annulé")
    FINISHED = "termine", _("Terminé")


#: The workshop's state machine: every change of status goes through
#: ``services.workshop_transition``, which refuses any move not listed here.
WORKSHOP_TRANSITIONS: dict[str, frozenset[str]] = {
    WorkshopStatus.DRAFT: frozenset({WorkshopStatus.PUBLISHED, WorkshopStatus.CANCELLED}),
    WorkshopStatus.PUBLISHED: frozenset(
        {WorkshopStatus.FULL, WorkshopStatus.CANCELLED, WorkshopStatus.FINISHED}
    ),
    WorkshopStatus.FULL: frozenset(
        {WorkshopStatus.PUBLISHED, WorkshopStatus.CANCELLED, WorkshopStatus.FINISHED}
    ),
    WorkshopStatus.CANCELLED: frozenset(),
    WorkshopStatus.FINISHED: frozenset(),
}
WORKSHOP_STATES = StateMachine(
    field="status",
    states=WorkshopStatus,
    transitions=WORKSHOP_TRANSITIONS,
    action="workshops.workshop.status",
)
#: Statuses the public sees (a draft is visible to staff only).
PUBLIC_STATUSES = (
    WorkshopStatus.PUBLISHED,
    WorkshopStatus.FULL,
    WorkshopStatus.CANCELLED,
    WorkshopStatus.FINISHED,
)
#: Statuses under which people may register (or join the waiting list).
OPEN_STATUSES = (WorkshopStatus.PUBLISHED, WorkshopStatus.FULL)
#: What staff edit on a workshop (the form and the services share this list).
WORKSHOP_FIELDS = (
    "title",
    "description",
    "format",
    "starts_at",
    "ends_at",
    "address",
    "city",
    "departement",
    "visio_url",
    "audience",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "organiser",
    "step_free_access",
    "hearing_loop",
    "sign_language",
    "live_captioning",
    "accessibility_notes",
    "tour_stop",
)
#: Slugs that would collide with fixed paths under /ateliers/.
RESERVED_SLUGS = frozenset({"calendrier", "desinscription", "nouveau"})


class Tour(TimeStampedModel):
    """A Tour de France « Ce qui change chez vous »: a route of stops (étapes)."""

    title = models.CharField(_("titre"), max_length=200, validators=[validate_one_line])
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    description = models.TextField(_("présentation"), blank=True)
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)

    class Meta:
        verbose_name = _("Tour de France")
        verbose_name_plural = _("Tours de France")
        ordering = ["-starts_on", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="workshops_tour_dates_ordered",
                violation_error_message=_("La fin du Tour doit suivre son début."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class TourStop(TimeStampedModel):
    """A stop (étape) of a Tour: a date, a city, a programme and, afterwards, a summary."""

    tour = models.ForeignKey(
        Tour, on_delete=models.PROTECT, related_name="stops", verbose_name=_("Tour")
    )
    date = models.DateField(_("date"))
    city = models.CharField(_("ville"), max_length=120)
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        related_name="tour_stops",
        verbose_name=_("département"),
    )
    programme = models.TextField(_("programme"), blank=True)
    summary = models.TextField(
        _("bilan de l'étape"),
        blank=True,
        help_text=_("À compléter après l'étape : ce qui a été présenté et entendu."),
    )

    class Meta:
        verbose_name = _("étape du Tour de France")
        verbose_name_plural = _("étapes du Tour de France")
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["departement", "date"])]

    def __str__(self) -> str:
        return f"{self.city} — {self.date:%d/%m/%Y}"

    @property
    def is_past(self) -> bool:
        return self.date < timezone.localdate()


class WorkshopQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_STATUSES)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())


class Workshop(TimeStampedModel):
    """A participatory workshop (atelier participatif) with citizens and local officials."""

    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    title = models.CharField(_("titre"), max_length=200, validators=[validate_one_line])
    description = models.TextField(_("description"))
    commitments = models.ManyToManyField(
        Commitment,
        related_name="workshops",
        blank=True,
        verbose_name=_("engagements concernés"),
    )
    format = models.CharField(
        _("format"), max_length=20, choices=WorkshopFormat, default=WorkshopFormat.IN_PERSON
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("département"),
    )
    visio_url = models.URLField(
        _("lien de visioconférence"),
        max_length=500,
        blank=True,
        validators=[web_url],
        help_text=_("Communiqué aux seules personnes inscrites."),
    )
    audience = models.CharField(
        _("public"), max_length=20, choices=Audience, default=Audience.EVERYONE
    )
    capacity = models.PositiveIntegerField(_("nombre de places"))
    registration_opens_at = models.DateTimeField(
        _("ouverture des inscriptions"), null=True, blank=True
    )
    registration_closes_at = models.DateTimeField(
        _("clôture des inscriptions"),
        null=True,
        blank=True,
        help_text=_("Laissez vide pour accepter les inscriptions jusqu'au début de l'atelier."),
    )
    organiser = models.CharField(_("organisateur"), max_length=200)
    step_free_access = models.BooleanField(_("accès de plain-pied ou ascenseur"), default=False)
    hearing_loop = models.BooleanField(_("boucle magnétique"), default=False)
    sign_language = models.BooleanField(_("interprétation en langue des signes"), default=False)
    live_captioning = models.BooleanField(_("sous-titrage en direct"), default=False)
    accessibility_notes = models.TextField(_("autres informations d'accessibilité"), blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=WorkshopStatus, default=WorkshopStatus.DRAFT
    )
    tour_stop = models.ForeignKey(
        TourStop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshops",
        verbose_name=_("étape du Tour de France"),
    )
    cancellation_reason = models.TextField(_("motif d'annulation"), blank=True)
    #: The text search document (``core.search``), computed by PostgreSQL and GIN-indexed.
    search_vector = search.vector_field(
        ("title", "A"), ("description", "B"), ("city", "C"), ("organiser", "C")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,  # for traceability
        null=True,
        blank=True,
        related_name="+",
    )

    objects = WorkshopQuerySet.as_manager()

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = ("status", "cancellation_reason")  # WORKSHOP_TRANSITIONS, audited

    class Meta:
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["departement", "starts_at"]),
            models.Index(fields=["ends_at"]),
            GinIndex(fields=["search_vector"], name="workshops_workshop_fts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="workshops_workshop_ends_after_start",
                violation_error_message=_("La fin de l'atelier doit suivre son début."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="workshops_workshop_capacity_positive",
                violation_error_message=_("Un atelier compte au moins une place."),
            ),
            models.CheckConstraint(
                condition=Q(format=WorkshopFormat.ONLINE) | Q(departement__isnull=False),
                name="workshops_workshop_place_has_departement",
                violation_error_message=_(
                    "Un atelier en présentiel ou hybride a lieu dans un département."
                ),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="workshops_workshop_registration_window",
                violation_error_message=_(
                    "La clôture des inscriptions doit suivre leur ouverture."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workshops:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.status == WorkshopStatus.CANCELLED

    @property
    def is_online(self) -> bool:
        return self.format == WorkshopFormat.ONLINE

    @property
    def place(self) -> str:
        if self.is_online:
            return str(_("En ligne"))
        return ", ".join(part for part in (self.address, self.city) if part)

    @property
    def registration_closes(self):
        return self.registration_closes_at or self.starts_at

    def registration_refusal(self, now=None) -> str | None:
        """Why nobody can register now (a French sentence), or None when registration is open."""
        now = now or timezone.now()
        if self.status not in OPEN_STATUSES:
            return str(_("Les inscriptions à cet atelier ne sont pas ouvertes."))
        if self.registration_opens_at and now < self.registration_opens_at:
            return str(_("Les inscriptions ne sont pas encore ouvertes."))
        if now >= self.registration_closes:
            return str(_("Les inscriptions à cet atelier sont closes."))
        return None

    @property
    def seats_left(self) -> int:
        """Free seats; needs ``confirmed_count`` (set by ``selectors.attach_seats``)."""
        return max(0, self.capacity - self.confirmed_count)

    @property
    def hours(self) -> float:
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 2)

    @property
    def accessibility_features(self) -> list[str]:
        return [
            str(field.verbose_name)
            for field in self._meta.fields
            if field.name in ACCESSIBILITY_FLAGS and getattr(self, field.name)
        ]


ACCESSIBILITY_FLAGS = ("step_free_access", "hearing_loop", "sign_language", "live_captioning")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmee", _("Inscription confirmée")
    WAITING = "attente", _("Sur liste d'attente")
    CANCELLED = "annulee", _("Inscription annulée")


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Registration(TimeStampedModel):
    """A person's registration to a workshop: confirmed, on the waiting list, or cancelled.

    After an account is deleted the row stays, anonymised (``user`` empty), so that the
    workshop's figures do not change.
    """

    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshop_registrations",
    )
    status = models.CharField(_("état"), max_length=20, choices=RegistrationStatus)
    waitlisted_at = models.DateTimeField(_("sur liste d'attente depuis"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    accessibility_need = models.TextField(
        _("besoin d'accessibilité"),
        max_length=500,
        blank=True,
        help_text=_(
            "Par exemple : interprète LSF, place pour fauteuil roulant, "
            "document en gros caractères."
        ),
    )
    mandate = models.CharField(
        _("mandat (élu·es)"),
        max_length=200,
        blank=True,
        help_text=_("Si vous êtes élu·e local·e : par exemple « conseillère municipale de Lyon »."),
    )
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,  # for traceability
        null=True,
        blank=True,
        related_name="+",
    )
    #: The secret of the « se désinscrire » link sent by e-mail.
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = (
        "workshop",
        "user",
        "status",
        "waitlisted_at",
        "confirmed_at",
        "cancelled_at",
        "attended",
        "attendance_marked_at",
        "attendance_marked_by",
    )

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["workshop", "created_at", "id"]
        indexes = [
            models.Index(fields=["workshop", "status", "waitlisted_at", "id"]),
            models.Index(fields=["user", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user"],
                condition=Q(user__isnull=False),
                name="workshops_registration_once_per_person",
                violation_error_message=_("Vous êtes déjà inscrit·e à cet atelier."),
            ),
            models.CheckConstraint(
                condition=~Q(status=RegistrationStatus.WAITING) | Q(waitlisted_at__isnull=False),
                name="workshops_registration_waiting_has_date",
                violation_error_message=_("Une inscription en attente a une date d'attente."),
            ),
            models.CheckConstraint(
                condition=Q(attended__isnull=True) | Q(status=RegistrationStatus.CONFIRMED),
                name="workshops_registration_attendance_confirmed_only",
                violation_error_message=_(
                    "Seule une inscription confirmée peut être marquée présente."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workshop_id} · {self.user_id} · {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED


class NoticeKind(models.TextChoices):
    CONFIRMATION = "confirmation", _("Confirmation d'inscription")
    WAITLIST = "attente", _("Inscription sur liste d'attente")
    PROMOTION = "promotion", _("Place libérée")
    REMINDER = "rappel", _("Rappel deux jours avant")
    WORKSHOP_CANCELLED = "annulation", _("Annulation de l'atelier")


class Notice(models.Model):
    """An e-mail to send about a registration (outbox row).

    Created by the service in the transaction of the change it announces; the task that
    sends it locks the row and records ``sent_at``, so that it goes out once even if
    the task runs twice.
    """

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped = models.BooleanField(
        default=False, help_text=_("Vrai quand l'e-mail n'avait plus lieu d'être envoyé.")
    )

    class Meta:
        verbose_name = _("e-mail d'atelier")
        verbose_name_plural = _("e-mails d'atelier")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"],
                condition=Q(kind="rappel"),
                name="workshops_notice_one_reminder",
                violation_error_message=_("Un seul rappel par inscription."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.registration_id}"


class Outcome(TimeStampedModel):
    """A workshop's outcome (compte rendu): text and/or PDF, and the commitments it informs."""

    workshop = models.OneToOneField(Workshop, on_delete=models.PROTECT, related_name="outcome")
    text = models.TextField(_("compte rendu"), blank=True)
    document = models.FileField(
        _("compte rendu (PDF)"),
        upload_to=RandomUploadTo("workshops/outcomes"),
        blank=True,
        max_length=200,
    )
    commitments = models.ManyToManyField(
        Commitment,
        related_name="workshop_outcomes",
        blank=True,
        verbose_name=_("engagements éclairés par cet atelier"),
    )
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    republished_at = models.DateTimeField(_("mis à jour le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
    )

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = ("workshop", "published_at", "republished_at", "published_by")

    class Meta:
        verbose_name = _("compte rendu d'atelier")
        verbose_name_plural = _("comptes rendus d'atelier")
        ordering = ["-published_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(document=""),
                name="workshops_outcome_has_content",
                violation_error_message=_("Un compte rendu a un texte ou un document PDF."),
            )
        ]

    def __str__(self) -> str:
        return f"Compte rendu — {self.workshop}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


# --- The Baromètre de l'action publique ----------------------------------------------


class Maille(models.TextChoices):
    NATIONAL = "NAT", _("National")
    REGIONAL = "REG", _("Régional")
    DEPARTEMENTAL = "DEPT", _("Départemental")


class BarometreImport(models.Model):
    """One import of the whole published dataset: its files' digest, so that running the
    import again on the same files does nothing."""

    digest = models.CharField(_("empreinte des fichiers"), max_length=64)
    imported_at = models.DateTimeField(_("importé le"), default=timezone.now)
    rows = models.PositiveIntegerField(_("lignes lues"))
    indicators = models.PositiveIntegerField(_("indicateurs"))

    class Meta:
        verbose_name = _("import du Baromètre")
        verbose_name_plural = _("imports du Baromètre")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.imported_at:%Y-%m-%d %H:%M} · {self.digest[:12]}"


class GovernmentEngagement(models.Model):
    """One of the government's 4 engagements, under which the Baromètre groups its priorities."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    number = models.PositiveSmallIntegerField(_("numéro"))
    name = models.CharField(_("intitulé"), max_length=255)

    class Meta:
        verbose_name = _("engagement gouvernemental")
        verbose_name_plural = _("engagements gouvernementaux")
        ordering = ["number", "code"]

    def __str__(self) -> str:
        return self.name


class Chantier(models.Model):
    """A government priority (chantier) that the Baromètre's indicators measure."""

    code = models.CharField(_("identifiant"), max_length=20, unique=True)
    name = models.CharField(_("intitulé"), max_length=255)
    engagement = models.ForeignKey(
        GovernmentEngagement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chantiers",
        verbose_name=_("engagement gouvernemental"),
    )

    class Meta:
        verbose_name = _("chantier prioritaire")
        verbose_name_plural = _("chantiers prioritaires")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """A policy indicator of the Baromètre (``indic_id``) and its metadata."""

    code = models.CharField(_("identifiant"), max_length=40, unique=True)
    name = models.CharField(_("intitulé"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    chantier = models.ForeignKey(
        Chantier,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("chantier prioritaire"),
    )
    theme = models.CharField(_("thème"), max_length=120, blank=True)
    unit = models.CharField(_("unité"), max_length=255, blank=True)
    short_unit = models.CharField(_("unité courte"), max_length=120, blank=True)
    value_unit = models.CharField(
        _("unité des valeurs"),
        max_length=20,
        blank=True,
        help_text=_("Écrite après chaque valeur : %, km, mois…"),
    )
    is_percentage = models.BooleanField(_("pourcentage"), default=False)
    mailles = models.JSONField(
        _("mailles publiées"),
        default=list,
        blank=True,
        help_text=_("Les échelles où le Baromètre publie l'indicateur : DEPT, REG, NAT."),
    )
    higher_is_better = models.BooleanField(
        _("une hausse est favorable"),
        null=True,
        blank=True,
        help_text=_("Vide quand le sens n'est pas connu."),
    )
    imported_at = models.DateTimeField(_("dernier import"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicateur du Baromètre")
        verbose_name_plural = _("indicateurs du Baromètre")
        ordering = ["theme", "name", "code"]

    def __str__(self) -> str:
        return self.name or self.code

    def is_published_at(self, maille: str) -> bool:
        """Whether the Baromètre publishes this indicator at that scale (all, when unknown)."""
        return not self.mailles or maille in self.mailles


class IndicatorValue(models.Model):
    """One figure of an indicator for a zone (national, regional, departmental) at a date."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    maille = models.CharField(_("maille"), max_length=4, choices=Maille)
    zone_id = models.CharField(_("zone"), max_length=20)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    date = models.DateField(_("date de la donnée"))
    initial_value = models.FloatField(_("valeur initiale"), null=True, blank=True)
    current_value = models.FloatField(_("valeur actuelle"), null=True, blank=True)
    target_value = models.FloatField(_("valeur cible"), null=True, blank=True)
    progress_rate = models.FloatField(_("taux d'avancement (%)"), null=True, blank=True)

    class Meta:
        verbose_name = _("valeur d'indicateur")
        verbose_name_plural = _("valeurs d'indicateurs")
        ordering = ["indicator", "maille", "zone_id", "date"]
        indexes = [models.Index(fields=["departement", "indicator", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "maille", "zone_id", "date"],
                name="workshops_indicator_value_unique",
                violation_error_message=_(
                    "Cette valeur existe déjà pour cette zone et cette date."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(maille="DEPT") | Q(departement__isnull=False),
                name="workshops_indicator_value_dept_zone",
                violation_error_message=_("Une valeur départementale désigne un département."),
            ),
            models.CheckConstraint(
                condition=~Q(maille="REG") | Q(region__isnull=False),
                name="workshops_indicator_value_reg_zone",
                violation_error_message=_("Une valeur régionale désigne une région."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.zone_id} {self.date}"
