"""Snapshots of the plan over time, and the reports rendered from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagements.models import ActionPlan, Commitment, CommitmentStatus


class CommitmentSnapshot(models.Model):
    """A commitment's status and progress on one day (one row per commitment per day)."""

    date = models.DateField(_("date"), db_index=True)
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="snapshots")
    status = models.CharField(max_length=20, choices=CommitmentStatus)
    progress = models.PositiveSmallIntegerField()
    is_late = models.BooleanField(default=False)
    milestones_total = models.PositiveIntegerField(default=0)
    milestones_reached = models.PositiveIntegerField(default=0)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = "__all__"

    class Meta:
        verbose_name = _("instantané d'engagement")
        verbose_name_plural = _("instantanés d'engagements")
        ordering = ["date", "commitment_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "commitment"], name="reports_snapshot_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.commitment_id} {self.status} {self.progress} %"


class SiteSnapshot(models.Model):
    """The platform's participation figures on one day."""

    date = models.DateField(_("date"), unique=True)
    figures = models.JSONField(_("chiffres"), default=dict)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = "__all__"

    class Meta:
        verbose_name = _("instantané de participation")
        verbose_name_plural = _("instantanés de participation")
        ordering = ["date"]

    def __str__(self) -> str:
        return str(self.date)


class ReportKind(models.TextChoices):
    PROGRESS = "avancement", _("Rapport d'avancement d'une période")
    ACCOUNTABILITY = "redevabilite", _("Rapport de redevabilité du plan")
    COMMITMENT = "engagement", _("Rapport d'un engagement")
    PLAN = "plan", _("Document du plan d'action")
    COCREATION = "co_construction", _("Rapport de co-construction du plan")


#: The documents published with a plan (``documents.py``): no period of their own, they
#: say what the plan is, or how it was co-created, on the day they are generated.
PLAN_DOCUMENT_KINDS = (ReportKind.PLAN, ReportKind.COCREATION)


class ReportState(models.TextChoices):
    PENDING = "en_attente", _("En attente")
    RENDERING = "en_cours", _("En cours")
    READY = "pret", _("Prêt")
    FAILED = "echec", _("Échec")


class Report(models.Model):
    """A report requested by staff (or by the monthly schedule), rendered by Celery."""

    kind = models.CharField(_("type"), max_length=20, choices=ReportKind)
    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="reports")
    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("demandé par"),
    )
    title = models.CharField(_("titre"), max_length=255)
    #: The language the report is written in (a code of ``settings.LANGUAGES``): its PDF,
    #: its title and the PDF's ``/Lang`` (issue 18, item 5).
    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    state = models.CharField(
        _("état"), max_length=20, choices=ReportState, default=ReportState.PENDING, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progression (%)"), default=0)
    progress_label = models.CharField(_("étape"), max_length=120, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    pdf = models.FileField(_("PDF"), upload_to="reports/", blank=True, max_length=200)
    pdf_size = models.PositiveIntegerField(default=0)
    page_count = models.PositiveIntegerField(default=0)
    annex_csv = models.FileField(_("annexe CSV"), upload_to="reports/", blank=True, max_length=200)
    annex_json = models.FileField(
        _("annexe JSON"), upload_to="reports/", blank=True, max_length=200
    )
    is_published = models.BooleanField(_("publié"), default=False)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    is_automatic = models.BooleanField(_("généré automatiquement"), default=False)
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("dernier signe de vie"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    notified_at = models.DateTimeField(_("notifié le"), null=True, blank=True)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = (
        "state",
        "progress",
        "attempts",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "is_published",
        "published_at",
    )

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="reports_period_ordered",
                violation_error_message=_("La fin de la période doit suivre son début."),
            ),
            models.CheckConstraint(
                condition=~Q(is_published=True) | Q(state=ReportState.READY),
                name="reports_published_is_ready",
                violation_error_message=_("Seul un rapport prêt peut être publié."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=ReportKind.COMMITMENT) | Q(commitment__isnull=False),
                name="reports_commitment_kind_has_commitment",
                violation_error_message=_("Choisissez l'engagement du rapport."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:staff_detail", kwargs={"pk": self.pk})

    @property
    def has_period(self) -> bool:
        """The plan's documents are dated the day they were generated, not a period."""
        return self.kind not in PLAN_DOCUMENT_KINDS

    @property
    def is_active(self) -> bool:
        return self.state in (ReportState.PENDING, ReportState.RENDERING)
