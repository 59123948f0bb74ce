"""The action plan and its commitments, as the OGP template describes them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum_ouvert.core import search
from forum_ouvert.core.models import TimeStampedModel
from forum_ouvert.core.text import shorten
from forum_ouvert.core.uploads import RandomUploadTo
from forum_ouvert.core.validators import validate_one_line, web_url

UNTITLED = _("Intitulé à compléter")


class PlanStatus(models.TextChoices):
    CO_CONSTRUCTION = "co_construction", _("En co-construction")
    CURRENT = "en_cours", _("En cours de mise en œuvre")
    CLOSED = "termine", _("Terminé")


class CommitmentStatus(models.TextChoices):
    """The IRM completion scale."""

    NOT_STARTED = "non_commence", _("Non commencé")
    LIMITED = "limite", _("Limité")
    SUBSTANTIAL = "substantiel", _("Substantiel")
    COMPLETE = "acheve", _("Achevé")


class MilestoneStatus(models.TextChoices):
    PLANNED = "a_venir", _("À venir")
    IN_PROGRESS = "en_cours", _("En cours")
    REACHED = "atteint", _("Atteint")
    CANCELLED = "abandonne", _("Abandonné")


class OgpValue(models.TextChoices):
    TRANSPARENCY = "transparence", _("Transparence et accès à l'information")
    PARTICIPATION = "participation", _("Participation citoyenne")
    ACCOUNTABILITY = "redevabilite", _("Redevabilité publique")
    TECHNOLOGY = "technologie", _("Technologie et innovation")


class IrmPotential(models.TextChoices):
    UNCLEAR = "incertain", _("Incertain")
    MODEST = "modeste", _("Modeste")
    SUBSTANTIAL = "substantiel", _("Substantiel")


class ActionPlan(TimeStampedModel):
    """A national action plan: past, current (exactly one) or being co-constructed."""

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=255, validators=[validate_one_line])
    summary = models.TextField(_("présentation"), blank=True)
    title_en = models.CharField(
        _("titre (anglais)"), max_length=255, blank=True, validators=[validate_one_line]
    )
    ogp_cycle = models.CharField(_("cycle OGP"), max_length=120, blank=True)
    coordinator = models.CharField(_("coordination"), max_length=255, blank=True)
    launched_on = models.DateField(_("lancé le"), null=True, blank=True)
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=PlanStatus, default=PlanStatus.CO_CONSTRUCTION
    )
    is_current = models.BooleanField(_("plan en cours"), default=False)
    sources = models.JSONField(_("sources"), default=list, blank=True)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = ("status", "is_current")  # plan_save: audited, one current plan

    class Meta:
        verbose_name = _("plan d'action")
        verbose_name_plural = _("plans d'action")
        ordering = ["-starts_on", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="engagements_one_current_plan",
                violation_error_message=_("Un seul plan peut être le plan en cours."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="engagements_plan_dates_ordered",
                violation_error_message=_("La fin du plan doit suivre son début."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_constraints(self):
        # Making a plan current is allowed: ``plan_save`` un-marks the previous one in the
        # same transaction. The database constraint still guarantees a single current plan.
        return [
            (model, [c for c in constraints if c.name != "engagements_one_current_plan"])
            for model, constraints in super().get_constraints()
        ]

    def get_absolute_url(self) -> str:
        return reverse("engagements:plan_detail", kwargs={"slug": self.slug})


class Axis(models.Model):
    """One of a plan's priorities (axes)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="axes")
    number = models.PositiveSmallIntegerField(_("numéro"))
    title = models.TextField(_("intitulé"))
    title_en = models.TextField(_("intitulé (anglais)"), blank=True)

    class Meta:
        verbose_name = _("axe")
        verbose_name_plural = _("axes")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="engagements_axis_number_unique",
                violation_error_message=_("Ce plan a déjà un axe portant ce numéro."),
            )
        ]

    def __str__(self) -> str:
        return f"Axe {self.number} — {self.title}"


class Institution(models.Model):
    """A public institution or civil-society organisation named in commitments."""

    name = models.CharField(_("nom"), max_length=255, unique=True)
    short_name = models.CharField(_("sigle"), max_length=40, blank=True)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    is_civil_society = models.BooleanField(_("société civile"), default=False)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


#: What staff may change on a commitment, each change journaled by
#: ``services.commitment_update`` (a commitment lead: ``services.LEAD_FIELDS``).
STAFF_FIELDS = (
    "status",
    "progress",
    "title",
    "title_en",
    "ogp_short_title_en",
    "title_confirmed",
    "ogp_id",
    "axis",
    "problem",
    "problem_en",
    "description",
    "description_en",
    "how_it_helps",
    "how_it_helps_en",
    "why_relevant",
    "why_relevant_en",
    "starts_on",
    "ends_on",
    "policy_areas",
    "value_transparency",
    "value_participation",
    "value_accountability",
    "value_technology",
)


class Commitment(TimeStampedModel):
    """A commitment (engagement) of a plan, with the fields of the OGP template."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="commitments")
    number = models.PositiveSmallIntegerField(_("numéro"))
    ogp_id = models.CharField(_("identifiant OGP"), max_length=20, blank=True)
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    title = models.TextField(_("intitulé"), blank=True, validators=[validate_one_line])
    title_en = models.TextField(_("intitulé (anglais)"), blank=True, validators=[validate_one_line])
    ogp_short_title_en = models.CharField(
        _("intitulé court OGP (anglais)"),
        max_length=255,
        blank=True,
        help_text=_("L'intitulé court de la page de l'engagement sur le site de l'OGP."),
    )
    title_confirmed = models.BooleanField(
        _("intitulé confirmé"),
        default=False,
        help_text=_("Faux tant que l'intitulé n'a pas été vérifié sur une source publique."),
    )
    theme_hint = models.CharField(_("piste de thème"), max_length=255, blank=True)
    axis = models.ForeignKey(
        Axis, on_delete=models.SET_NULL, null=True, blank=True, related_name="commitments"
    )
    axis_inferred = models.BooleanField(_("axe déduit"), default=False)
    lead_institutions = models.ManyToManyField(
        Institution, related_name="led_commitments", blank=True, verbose_name=_("pilotes")
    )
    supporting_institutions = models.ManyToManyField(
        Institution,
        related_name="supported_commitments",
        blank=True,
        verbose_name=_("partenaires"),
    )
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="led_commitments",
        blank=True,
        verbose_name=_("pilotes (comptes)"),
    )
    policy_areas = models.JSONField(_("domaines d'action publique"), default=list, blank=True)
    value_transparency = models.BooleanField(OgpValue.TRANSPARENCY.label, default=False)
    value_participation = models.BooleanField(OgpValue.PARTICIPATION.label, default=False)
    value_accountability = models.BooleanField(OgpValue.ACCOUNTABILITY.label, default=False)
    value_technology = models.BooleanField(OgpValue.TECHNOLOGY.label, default=False)
    problem = models.TextField(_("Quel est le problème ?"), blank=True)
    description = models.TextField(_("Quel est l'engagement ?"), blank=True)
    how_it_helps = models.TextField(
        _("Comment contribuera-t-il à résoudre le problème ?"), blank=True
    )
    why_relevant = models.TextField(
        _("Pourquoi est-il pertinent au regard des valeurs OGP ?"), blank=True
    )
    # The English version of the OGP template's four sections (issue 18): the French
    # stays the reference; an empty English field shows the French, marked as such.
    problem_en = models.TextField(_("Quel est le problème ? (anglais)"), blank=True)
    description_en = models.TextField(_("Quel est l'engagement ? (anglais)"), blank=True)
    how_it_helps_en = models.TextField(
        _("Comment contribuera-t-il à résoudre le problème ? (anglais)"), blank=True
    )
    why_relevant_en = models.TextField(
        _("Pourquoi est-il pertinent au regard des valeurs OGP ? (anglais)"), blank=True
    )
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(
        _("état d'avancement"),
        max_length=20,
        choices=CommitmentStatus,
        default=CommitmentStatus.NOT_STARTED,
    )
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    irm_verifiable = models.BooleanField(_("vérifiable (MRI)"), null=True, blank=True)
    irm_potential = models.CharField(
        _("potentiel de résultats (MRI)"), max_length=20, choices=IrmPotential, blank=True
    )
    irm_early_results = models.TextField(_("premiers résultats (MRI)"), blank=True)
    source = models.URLField(_("source"), max_length=500, blank=True, validators=[web_url])
    notes = models.TextField(_("notes"), blank=True)
    last_update_at = models.DateTimeField(
        _("dernier point d'étape"), null=True, blank=True, db_index=True
    )

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = (*STAFF_FIELDS, "leads", "last_update_at")

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="engagements_commitment_number_unique",
                violation_error_message=_("Ce plan a déjà un engagement portant ce numéro."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="engagements_progress_percentage",
                violation_error_message=_("L'avancement est un pourcentage entre 0 et 100."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="engagements_commitment_dates_ordered",
                violation_error_message=_("La fin de l'engagement doit suivre son début."),
            ),
            models.CheckConstraint(
                condition=(Q(status=CommitmentStatus.COMPLETE) & Q(progress=100))
                | (~Q(status=CommitmentStatus.COMPLETE) & Q(progress__lt=100)),
                name="engagements_complete_iff_100",
                violation_error_message=_(
                    "Un engagement est achevé si et seulement si son avancement est de 100 %."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=CommitmentStatus.NOT_STARTED) | Q(progress=0),
                name="engagements_not_started_is_0",
                violation_error_message=_("Un engagement non commencé a un avancement de 0 %."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.display_title}"

    @property
    def display_title(self) -> str:
        return self.title if self.title else str(UNTITLED)

    @property
    def needs_completion(self) -> bool:
        """Flag for staff: imported without a confirmed title."""
        return not self.title_confirmed or not self.title

    @property
    def ogp_values(self) -> list[OgpValue]:
        return [
            value
            for value, flag in [
                (OgpValue.TRANSPARENCY, self.value_transparency),
                (OgpValue.PARTICIPATION, self.value_participation),
                (OgpValue.ACCOUNTABILITY, self.value_accountability),
                (OgpValue.TECHNOLOGY, self.value_technology),
            ]
            if flag
        ]

    def get_absolute_url(self) -> str:
        return reverse("engagements:commitment_detail", kwargs={"slug": self.slug})


class Milestone(TimeStampedModel):
    """A verifiable deliverable of a commitment (jalon)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="milestones")
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    deliverable = models.TextField(_("livrable"))
    deliverable_en = models.TextField(_("livrable (anglais)"), blank=True)
    expected_result = models.TextField(_("résultat attendu"), blank=True)
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=MilestoneStatus, default=MilestoneStatus.PLANNED
    )
    reached_on = models.DateField(_("atteint le"), null=True, blank=True)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = (
        # What milestone_create and milestone_update journal (MILESTONE_FIELDS).
        "commitment",
        "deliverable",
        "deliverable_en",
        "expected_result",
        "starts_on",
        "ends_on",
        "status",
        "reached_on",
    )

    class Meta:
        verbose_name = _("jalon")
        verbose_name_plural = _("jalons")
        ordering = ["commitment", "order", "ends_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="engagements_milestone_dates_ordered",
                violation_error_message=_("L'échéance du jalon doit suivre son début."),
            ),
            models.CheckConstraint(
                condition=Q(status=MilestoneStatus.REACHED, reached_on__isnull=False)
                | (~Q(status=MilestoneStatus.REACHED) & Q(reached_on__isnull=True)),
                name="engagements_milestone_reached_has_date",
                violation_error_message=_(
                    "Un jalon atteint a une date d'atteinte, et seulement lui."
                ),
            ),
        ]

    def __str__(self) -> str:
        return shorten(self.deliverable, 120)

    @property
    def is_late(self) -> bool:
        return bool(
            self.ends_on
            and self.ends_on < timezone.localdate()
            and self.status not in (MilestoneStatus.REACHED, MilestoneStatus.CANCELLED)
        )


class Evidence(models.Model):
    """A dated piece of evidence (justificatif): a PDF document or a link."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="evidence")
    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    title = models.CharField(_("titre"), max_length=255, validators=[validate_one_line])
    title_en = models.CharField(
        _("titre (anglais)"), max_length=255, blank=True, validators=[validate_one_line]
    )
    document = models.FileField(
        _("document PDF"), upload_to=RandomUploadTo("evidence"), blank=True, max_length=200
    )
    document_size = models.PositiveIntegerField(_("taille"), default=0)
    url = models.URLField(_("lien"), max_length=500, blank=True, validators=[web_url])
    dated_on = models.DateField(_("date du justificatif"))
    is_public = models.BooleanField(_("public"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ajouté le"), default=timezone.now, editable=False)
    #: Withdrawn (``services.evidence_withdraw``) or replaced by a new version
    #: (``services.evidence_replace``): kept with its file, off the public repository,
    #: and its withdrawal is in the journal. Never deleted.
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("motif du retrait"), blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("remplacé par"),
    )
    #: The text search document (``core.search``), computed by PostgreSQL and GIN-indexed.
    search_vector = search.vector_field(("title", "A"))

    #: Changed only by the services (forum_ouvert/core/admin_guard.py): evidence_add
    #: journals an evidence, public or internal, and it stays as it was added.
    admin_guarded_fields = "__all__"

    class Meta:
        verbose_name = _("justificatif")
        verbose_name_plural = _("justificatifs")
        ordering = ["-dated_on", "-id"]
        indexes = [
            models.Index(fields=["commitment", "-dated_on"]),
            GinIndex(fields=["search_vector"], name="engagements_evidence_fts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(document="") & ~Q(url="")) | (~Q(document="") & Q(url="")),
                name="engagements_evidence_document_xor_link",
                violation_error_message=_("Un justificatif est soit un document, soit un lien."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, replaced_by__isnull=True)
                | (Q(withdrawn_at__isnull=False, is_public=False) & ~Q(withdrawal_reason="")),
                name="engagements_evidence_withdrawn_reasoned",
                violation_error_message=_(
                    "Un justificatif retiré ou remplacé a un motif et n'est plus public."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class JournalEntry(models.Model):
    """One change to a commitment or a milestone: who, when, what, before, after, why.

    Append-only in the database (see migration): the public history cannot be rewritten.
    """

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="journal")
    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, null=True, blank=True, related_name="journal"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,  # for traceability
        related_name="+",
        null=True,
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now, editable=False)
    field = models.CharField(_("champ"), max_length=60)
    field_label = models.CharField(_("libellé du champ"), max_length=120)
    old_value = models.TextField(_("ancienne valeur"), blank=True)
    new_value = models.TextField(_("nouvelle valeur"), blank=True)
    justification = models.TextField(_("justification"))

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = "__all__"

    class Meta:
        verbose_name = _("entrée d'historique")
        verbose_name_plural = _("historique")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["commitment", "-created_at", "-id"]),
            models.Index(fields=["-created_at", "-id"], name="engagements_journal_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(justification=""),
                name="engagements_journal_justified",
                violation_error_message=_("Chaque changement doit être justifié."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.field_label}: {self.old_value} → {self.new_value}"


class Follow(models.Model):
    """A person who wants an e-mail when a commitment changes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_commitments"
    )
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "commitment"],
                name="engagements_follow_unique",
                violation_error_message=_("Vous suivez déjà cet engagement."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.commitment_id}"
