"""The co-creation of a new national action plan: its public calendar and its proposals.

A ``Process`` belongs to one ``engagements.ActionPlan`` being co-constructed. Its calendar
is a set of ``CalendarPhase`` rows (one per kind, never overlapping); which phase is open
at a moment is computed in one place, ``Process.phase_at``. The OGP standards ask that the
calendar be public at least two weeks before participation opens (``MIN_NOTICE``); staff
may open earlier only with a written reason, shown publicly (``early_opening_reason``).

A ``Proposal`` (*proposition d'engagement*) follows the OGP commitment template. Its draft
is private to its author and edited in place; once submitted, every edit adds a
``ProposalVersion``, append-only in the database (see the migration), and the proposal
keeps a copy of its current text so that lists need no join. ``revision`` counts every
save: an editor saving from an older revision is refused (``services.proposals``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from engagements.models import ActionPlan, Commitment, OgpValue
from forum_ouvert.core import search
from forum_ouvert.core.models import TimeStampedModel
from forum_ouvert.core.states import StateMachine
from forum_ouvert.core.validators import validate_one_line
from participation.forum.models import Member

#: The calendar is public at least this long before the first participation phase opens.
MIN_NOTICE = datetime.timedelta(days=14)
TITLE_MAX = 160
SECTION_MAX = 10_000
MILESTONES_MAX = 12


class PhaseKind(models.TextChoices):
    """The phases of a co-creation, in the order they are held."""

    PROPOSALS = "propositions", _("Propositions d'engagements")
    DELIBERATION = "deliberation", _("Délibération du Forum ouvert")
    DRAFTING = "redaction", _("Rédaction du plan")
    RESPONSE = "reponse", _("Réponse du gouvernement")
    PUBLICATION = "publication", _("Publication du plan")


#: The phases in which the public takes part: the first of them opens after ``MIN_NOTICE``.
PARTICIPATION_KINDS = (PhaseKind.PROPOSALS, PhaseKind.DELIBERATION)


class Process(TimeStampedModel):
    """The co-creation of one plan: its presentation, its calendar, when it was published."""

    plan = models.OneToOneField(
        ActionPlan,
        on_delete=models.PROTECT,
        related_name="cocreation",
        verbose_name=_("plan d'action"),
    )
    presentation = models.TextField(_("présentation"))
    calendar_published_at = models.DateTimeField(_("calendrier publié le"), null=True, blank=True)
    early_opening_reason = models.TextField(
        _("motif d'une ouverture à moins de 14 jours"),
        blank=True,
        help_text=_("Rendu public sur la page de la co-construction."),
    )
    is_demo = models.BooleanField(_("démonstration (fictive)"), default=False)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = ("plan", "calendar_published_at", "early_opening_reason")

    class Meta:
        verbose_name = _("co-construction d'un plan")
        verbose_name_plural = _("co-constructions de plans")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.plan)

    def get_absolute_url(self) -> str:
        return reverse("cocreation:process", kwargs={"slug": self.plan.slug})

    @property
    def is_published(self) -> bool:
        return self.calendar_published_at is not None

    def calendar(self) -> list[CalendarPhase]:
        """The phases in date order (uses ``prefetch_related("phases")`` when given)."""
        return sorted(self.phases.all(), key=lambda p: (p.starts_on, p.kind_order))

    def phase_of(self, kind: str) -> CalendarPhase | None:
        return next((p for p in self.phases.all() if p.kind == kind), None)

    def phase_at(self, moment: datetime.datetime | None = None) -> CalendarPhase | None:
        """The phase open at ``moment`` (now by default): the one place that decides.

        Nothing is open before the calendar is published; phases run from the start of
        their first day to the end of their last day, in the site's time zone.
        """
        if not self.is_published:
            return None
        day = timezone.localdate(moment or timezone.now())
        return next((p for p in self.calendar() if p.starts_on <= day <= p.ends_on), None)

    def first_participation_opening(self) -> datetime.datetime | None:
        """When the first participation phase opens (midnight of its first day)."""
        starts = [p.starts_on for p in self.phases.all() if p.kind in PARTICIPATION_KINDS]
        if not starts:
            return None
        return timezone.make_aware(datetime.datetime.combine(min(starts), datetime.time.min))

    def accepts_submissions(self, moment: datetime.datetime | None = None) -> bool:
        """Proposals are submitted (and their versions added) during the proposals phase."""
        phase = self.phase_at(moment)
        return phase is not None and phase.kind == PhaseKind.PROPOSALS

    def in_deliberation(self, moment: datetime.datetime | None = None) -> bool:
        """The forum's members give their opinions on the proposals during deliberation."""
        phase = self.phase_at(moment)
        return phase is not None and phase.kind == PhaseKind.DELIBERATION

    def accepts_supports(self, moment: datetime.datetime | None = None) -> bool:
        """The public supports the submitted proposals while the public takes part: the
        proposals phase and the forum's deliberation."""
        phase = self.phase_at(moment)
        return phase is not None and phase.kind in PARTICIPATION_KINDS

    def accepts_drafts(self, moment: datetime.datetime | None = None) -> bool:
        """Drafts may be written once the calendar is public, until the proposals close."""
        proposals = self.phase_of(PhaseKind.PROPOSALS)
        if not self.is_published or proposals is None:
            return False
        return timezone.localdate(moment or timezone.now()) <= proposals.ends_on

    def proposals_closed(self, moment: datetime.datetime | None = None) -> bool:
        """The proposals phase is over: the texts no longer change, the government may
        answer them (from the deliberation on, so that staff can answer as the forum
        deliberates)."""
        proposals = self.phase_of(PhaseKind.PROPOSALS)
        if not self.is_published or proposals is None:
            return False
        return timezone.localdate(moment or timezone.now()) > proposals.ends_on


class CalendarPhase(models.Model):
    """One phase of the public calendar: its dates and what anyone can do in it."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=20, choices=PhaseKind)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    activities = models.TextField(
        _("ce que chacun peut faire"),
        help_text=_("Par exemple : déposer une proposition d'engagement, la modifier."),
    )

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = "__all__"

    class Meta:
        verbose_name = _("phase du calendrier")
        verbose_name_plural = _("phases du calendrier")
        ordering = ["process", "starts_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "kind"],
                name="cocreation_phase_once",
                violation_error_message=_("Le calendrier a déjà cette phase."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="cocreation_phase_dates_ordered",
                violation_error_message=_("La fin de la phase doit suivre son début."),
            ),
            models.CheckConstraint(
                condition=~Q(activities=""),
                name="cocreation_phase_says_what",
                violation_error_message=_("Dites ce que chacun peut faire pendant la phase."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.starts_on} → {self.ends_on})"

    @property
    def kind_order(self) -> int:
        return list(PhaseKind.values).index(self.kind)


class ProposalStatus(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    SUBMITTED = "deposee", _("Déposée")


PROPOSAL_STATES = StateMachine(
    field="status",
    states=ProposalStatus,
    transitions={ProposalStatus.DRAFT: {ProposalStatus.SUBMITTED}},
    action="cocreation.proposal.submit",
)


class ProposalFate(models.TextChoices):
    """What became of a submitted proposal: the government's decision, then its promotion
    to a commitment of the plan. The decision's reasons are its reasoned response
    (``contributions.Response``, the platform's one notion of it)."""

    AWAITING = "en_attente", _("En attente de la réponse du gouvernement")
    ACCEPTED = "retenue", _("Retenue")
    ACCEPTED_WITH_CHANGES = "retenue_avec_modifications", _("Retenue avec modifications")
    MERGED = "fusionnee", _("Fusionnée")
    NOT_ACCEPTED = "non_retenue", _("Non retenue")
    PROMOTED = "promue", _("Devenue un engagement du plan")


F_ = ProposalFate
#: A decision may be corrected (a new revision of the response) until the proposal was
#: merged or became a commitment; only a retained proposal becomes a commitment.
FATE_STATES = StateMachine(
    field="fate",
    states=ProposalFate,
    transitions={
        F_.AWAITING: {F_.ACCEPTED, F_.ACCEPTED_WITH_CHANGES, F_.MERGED, F_.NOT_ACCEPTED},
        F_.ACCEPTED: {
            F_.ACCEPTED,
            F_.ACCEPTED_WITH_CHANGES,
            F_.MERGED,
            F_.NOT_ACCEPTED,
            F_.PROMOTED,
        },
        F_.ACCEPTED_WITH_CHANGES: {
            F_.ACCEPTED,
            F_.ACCEPTED_WITH_CHANGES,
            F_.MERGED,
            F_.NOT_ACCEPTED,
            F_.PROMOTED,
        },
        F_.NOT_ACCEPTED: {F_.ACCEPTED, F_.ACCEPTED_WITH_CHANGES, F_.MERGED, F_.NOT_ACCEPTED},
        F_.MERGED: {F_.MERGED},
    },
    action="cocreation.proposal.respond",
    error_field="status",
)
#: The fates that are a decision of the government (the others: awaiting, promoted).
DECIDED_FATES = (F_.ACCEPTED, F_.ACCEPTED_WITH_CHANGES, F_.MERGED, F_.NOT_ACCEPTED)
#: The fates from which a proposal may become a commitment of the plan.
RETAINED_FATES = (F_.ACCEPTED, F_.ACCEPTED_WITH_CHANGES)


class ProposalText(models.Model):
    """The sections of the OGP commitment template, shared by a proposal and its versions."""

    title = models.CharField(_("titre"), max_length=TITLE_MAX, validators=[validate_one_line])
    # A draft may be incomplete; a submitted proposal has all three (a constraint).
    problem = models.TextField(_("Quel est le problème à résoudre ?"), blank=True)
    description = models.TextField(_("Quel est l'engagement proposé ?"), blank=True)
    how_it_helps = models.TextField(
        _("Comment contribuera-t-il à résoudre le problème ?"), blank=True
    )
    ogp_values = ArrayField(
        models.CharField(max_length=20, choices=OgpValue),
        verbose_name=_("valeurs du gouvernement ouvert"),
        default=list,
        blank=True,
    )
    lead_institution = models.CharField(
        _("institution qui pourrait le piloter"), max_length=200, blank=True
    )
    partners = models.TextField(_("partenaires"), blank=True)
    #: ``[{"deliverable": str, "starts_on": "AAAA-MM-JJ" | "", "ends_on": "AAAA-MM-JJ" | ""}]``
    milestones = models.JSONField(_("jalons"), default=list, blank=True)

    #: The sections a proposal must fill before it is submitted.
    REQUIRED_SECTIONS = ("title", "problem", "description", "how_it_helps")
    #: The sections in the template's order (the page, the diff and the forms read it).
    SECTIONS = (
        "title",
        "problem",
        "description",
        "how_it_helps",
        "ogp_values",
        "lead_institution",
        "partners",
        "milestones",
    )

    class Meta:
        abstract = True

    def text_fields(self) -> dict:
        return {name: getattr(self, name) for name in self.SECTIONS}

    def ogp_value_labels(self) -> list[str]:
        labels = dict(OgpValue.choices)
        return [str(labels[v]) for v in OgpValue.values if v in self.ogp_values]

    def milestone_rows(self) -> list[dict]:
        """The draft milestones, with their dates as dates (for display)."""
        rows = []
        for item in self.milestones or []:
            row = {"deliverable": item.get("deliverable", "")}
            for key in ("starts_on", "ends_on"):
                try:
                    row[key] = datetime.date.fromisoformat(item.get(key) or "")
                except ValueError:
                    row[key] = None
            rows.append(row)
        return rows


class Proposal(ProposalText, TimeStampedModel):
    """A commitment proposal; its text fields hold its draft, then its current version."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="proposals")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,  # accounts are anonymised, never deleted
        related_name="cocreation_proposals",
        verbose_name=_("auteur"),
    )
    organisation = models.CharField(
        _("au nom de l'organisation"),
        max_length=200,
        blank=True,
        validators=[validate_one_line],
        help_text=_("Laissez vide si vous proposez en votre nom."),
    )
    status = models.CharField(
        _("état"), max_length=20, choices=ProposalStatus, default=ProposalStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    #: Incremented at every save (draft or version): the base an editor saves from.
    revision = models.PositiveIntegerField(_("révision"), default=1)
    version_count = models.PositiveIntegerField(_("versions"), default=0)
    #: Kept by ``services.supports`` with each ``ProposalSupport`` row, in its transaction.
    support_count = models.PositiveIntegerField(_("soutiens"), default=0)
    last_version_at = models.DateTimeField(_("dernière version le"), null=True, blank=True)
    #: The text search document (``core.search``), computed by PostgreSQL and GIN-indexed.
    search_vector = search.vector_field(
        ("title", "A"),
        ("problem", "B"),
        ("description", "B"),
        ("how_it_helps", "C"),
        ("lead_institution", "C"),
        ("partners", "D"),
        ("organisation", "D"),
    )
    fate = models.CharField(
        _("suite donnée"), max_length=30, choices=ProposalFate, default=ProposalFate.AWAITING
    )
    #: « Fusionnée avec … »: the proposal this one joined (which keeps its own page).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("fusionnée avec"),
    )
    #: The draft commitment of the plan this proposal became: the permanent link back is
    #: kept on this side (``engagements`` never imports the co-creation).
    commitment = models.OneToOneField(
        Commitment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("engagement issu de la proposition"),
    )

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = "__all__"

    class Meta:
        verbose_name = _("proposition d'engagement")
        verbose_name_plural = _("propositions d'engagements")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(
                fields=["process", "-submitted_at", "-id"],
                name="cocreation_proposal_list",
                condition=Q(status="deposee"),
            ),
            models.Index(fields=["author", "-created_at"], name="cocreation_proposal_author"),
            GinIndex(fields=["search_vector"], name="cocreation_proposal_fts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""),
                name="cocreation_proposal_has_title",
                violation_error_message=_("Le titre est obligatoire."),
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.DRAFT, version_count=0)
                | Q(status=ProposalStatus.SUBMITTED, version_count__gte=1),
                name="cocreation_submitted_has_versions",
                violation_error_message=_("Une proposition déposée a au moins une version."),
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.DRAFT)
                | (~Q(problem="") & ~Q(description="") & ~Q(how_it_helps="")),
                name="cocreation_submitted_is_complete",
                violation_error_message=_(
                    "Une proposition déposée décrit le problème, l'engagement et ses effets."
                ),
            ),
            models.CheckConstraint(
                condition=Q(fate=ProposalFate.MERGED, merged_into__isnull=False)
                | (~Q(fate=ProposalFate.MERGED) & Q(merged_into__isnull=True)),
                name="cocreation_merged_names_result",
                violation_error_message=_("Une proposition fusionnée dit avec laquelle."),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")),
                name="cocreation_not_merged_into_itself",
                violation_error_message=_("Une proposition ne fusionne pas avec elle-même."),
            ),
            models.CheckConstraint(
                condition=Q(fate=ProposalFate.PROMOTED, commitment__isnull=False)
                | (~Q(fate=ProposalFate.PROMOTED) & Q(commitment__isnull=True)),
                name="cocreation_promoted_has_commitment",
                violation_error_message=_("Une proposition promue mène à son engagement."),
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.SUBMITTED) | Q(fate=ProposalFate.AWAITING),
                name="cocreation_only_submitted_answered",
                violation_error_message=_("Seule une proposition déposée reçoit une réponse."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "cocreation:proposal_detail",
            kwargs={"slug": self.process.plan.slug, "pk": self.pk},
        )

    @property
    def is_draft(self) -> bool:
        return self.status == ProposalStatus.DRAFT

    @cached_property
    def coauthor_ids(self) -> frozenset[int]:
        """The accounts that accepted to co-write it (one query, then kept on the object:
        the permission rules ask it several times a page)."""
        return frozenset(
            self.coauthor_invitations.filter(accepted_by__isnull=False).values_list(
                "accepted_by_id", flat=True
            )
        )

    def is_written_by(self, user) -> bool:
        """Its author or one of its co-authors."""
        return user.is_authenticated and (user.pk == self.author_id or user.pk in self.coauthor_ids)

    @property
    def signature(self) -> str:
        """« Camille D. » or « Camille D., pour Voix citoyennes »."""
        name = self.author.public_name
        return f"{name}, pour {self.organisation}" if self.organisation else name


class ProposalVersion(ProposalText):
    """One submitted state of a proposal: immutable (append-only in the database)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version n°"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,  # for traceability
        related_name="+",
        verbose_name=_("auteur de la version"),
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now, editable=False)
    #: The accepted amendment this version takes in (its author is then the amender).
    amendment = models.OneToOneField(
        "Amendment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("amendement intégré"),
    )

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = "__all__"

    class Meta:
        verbose_name = _("version d'une proposition")
        verbose_name_plural = _("versions des propositions")
        ordering = ["proposal", "number"]
        indexes = [
            # The Atom feed of the latest versions (/donnees/co-construction.atom).
            models.Index(fields=["-created_at", "-id"], name="cocreation_version_latest"),
        ]
        constraints = [
            # Two editors saving from the same base cannot both write version n + 1.
            models.UniqueConstraint(
                fields=["proposal", "number"],
                name="cocreation_version_once",
                violation_error_message=_("Cette version existe déjà."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="cocreation_version_numbered_from_one",
                violation_error_message=_("Les versions sont numérotées à partir de 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} v{self.number}"


#: How long an invitation to co-write a proposal may be accepted.
INVITATION_VALIDITY = datetime.timedelta(days=14)
#: Invitations a proposal may hold (accepted or pending): an author cannot mail a crowd.
COAUTHORS_MAX = 10


class CoAuthorInvitation(models.Model):
    """An author's invitation, sent by e-mail, to co-write a proposal; once accepted, the
    person who accepted is a co-author: they edit the proposal and are credited with it.

    The e-mail carries a signed link (``services.coauthors.invitation_token``): nothing
    secret is stored. The invited address is seen only by the proposal's authors.
    """

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="coauthor_invitations"
    )
    email = models.EmailField(_("adresse électronique"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,
        related_name="+",
        verbose_name=_("invitée par"),
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="cocreation_coauthorships",
        verbose_name=_("acceptée par"),
    )
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = "__all__"

    class Meta:
        verbose_name = _("invitation à co-écrire")
        verbose_name_plural = _("invitations à co-écrire")
        ordering = ["proposal", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "email"],
                name="cocreation_invitation_once",
                violation_error_message=_("Cette adresse a déjà été invitée."),
            ),
            models.UniqueConstraint(
                fields=["proposal", "accepted_by"],
                name="cocreation_coauthor_once",
                violation_error_message=_("Cette personne co-écrit déjà la proposition."),
            ),
            models.CheckConstraint(
                condition=Q(accepted_by__isnull=True, accepted_at__isnull=True)
                | Q(accepted_by__isnull=False, accepted_at__isnull=False),
                name="cocreation_invitation_accepted_whole",
                violation_error_message=_("Une invitation acceptée dit par qui et quand."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.email}"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_by_id is not None

    def expires_at(self) -> datetime.datetime:
        return self.created_at + INVITATION_VALIDITY


class AmendmentStatus(models.TextChoices):
    PROPOSED = "propose", _("Proposé")
    ACCEPTED = "accepte", _("Accepté")
    DECLINED = "refuse", _("Refusé")


AMENDMENT_STATES = StateMachine(
    field="status",
    states=AmendmentStatus,
    transitions={AmendmentStatus.PROPOSED: {AmendmentStatus.ACCEPTED, AmendmentStatus.DECLINED}},
    action="cocreation.amendment.decide",
)

#: The sections an amendment may rewrite: the free texts of the OGP template.
AMENDABLE_SECTIONS = ("title", "problem", "description", "how_it_helps", "partners")


class Amendment(models.Model):
    """A participant's proposed rewrite of one section of someone else's proposal, with a
    reason. The proposal's authors accept it (a new version, the amender credited) or
    decline it with a reason shown publicly. Public from the start, like the proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="amendments")
    section = models.CharField(
        _("section"),
        max_length=20,
        choices=[(name, name) for name in AMENDABLE_SECTIONS],
    )
    #: The version the amendment was written against (its « before »).
    base_version = models.PositiveIntegerField(_("version amendée"))
    text = models.TextField(_("texte proposé"))
    reason = models.TextField(_("motif de l'amendement"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,
        related_name="cocreation_amendments",
        verbose_name=_("auteur de l'amendement"),
    )
    created_at = models.DateTimeField(_("proposé le"), default=timezone.now, editable=False)
    status = models.CharField(
        _("état"), max_length=20, choices=AmendmentStatus, default=AmendmentStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidé par"),
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    #: The version that took the amendment in, once accepted.
    result_version = models.PositiveIntegerField(_("version obtenue"), null=True, blank=True)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = "__all__"

    class Meta:
        verbose_name = _("amendement")
        verbose_name_plural = _("amendements")
        ordering = ["proposal", "created_at", "id"]
        indexes = [
            models.Index(fields=["proposal", "created_at"], name="cocreation_amendment_list")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") & ~Q(reason=""),
                name="cocreation_amendment_has_text_and_reason",
                violation_error_message=_("Un amendement propose un texte et dit pourquoi."),
            ),
            models.CheckConstraint(
                condition=~Q(status="refuse") | ~Q(decision_reason=""),
                name="cocreation_declined_amendment_has_reason",
                violation_error_message=_("Un refus est motivé."),
            ),
            models.CheckConstraint(
                condition=Q(status="accepte", result_version__isnull=False)
                | (~Q(status="accepte") & Q(result_version__isnull=True)),
                name="cocreation_accepted_amendment_has_version",
                violation_error_message=_("Un amendement accepté donne une version."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} — {self.section_label}"

    @property
    def section_label(self) -> str:
        return str(Proposal._meta.get_field(self.section).verbose_name)

    @property
    def is_open(self) -> bool:
        return self.status == AmendmentStatus.PROPOSED


class Verdict(models.TextChoices):
    """The opinion a member of the Forum ouvert gives on a proposal."""

    FAVORABLE = "favorable", _("Favorable")
    RESERVED = "reserve", _("Réservé")
    UNFAVORABLE = "defavorable", _("Défavorable")


class Opinion(TimeStampedModel):
    """The opinion (*avis*) of one member organisation of the Forum ouvert on a submitted
    proposal, with its argument, given during the deliberation phase by the person who
    represents that member (the applicant of its application).

    One opinion per proposal and member: a member who changes its mind during the phase
    revises it *in place* (``services.opinions``), and the audit row of each revision
    keeps the old and the new verdict and argument, so that nothing said is lost. Public,
    like the proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="opinions")
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="cocreation_opinions",
        verbose_name=_("membre du forum"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.RESTRICT,  # for traceability
        related_name="+",
        verbose_name=_("rédigé par"),
    )
    verdict = models.CharField(_("avis"), max_length=20, choices=Verdict)
    argument = models.TextField(_("argument"), max_length=SECTION_MAX)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = "__all__"

    class Meta:
        verbose_name = _("avis du Forum ouvert")
        verbose_name_plural = _("avis du Forum ouvert")
        ordering = ["proposal", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "member"],
                name="cocreation_opinion_once",
                violation_error_message=_("Cette organisation a déjà donné son avis."),
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values),
                name="cocreation_opinion_verdict_known",
                violation_error_message=_("Un avis est favorable, réservé ou défavorable."),
            ),
            models.CheckConstraint(
                condition=~Q(argument=""),
                name="cocreation_opinion_has_argument",
                violation_error_message=_("Un avis est argumenté."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} — {self.member_id} : {self.verdict}"


class ProposalSupport(models.Model):
    """One person supports one submitted proposal, once (a database constraint), as the
    contributions' supports; the proposal's ``support_count`` follows."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cocreation_supports",
        verbose_name=_("personne"),
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now, editable=False)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = "__all__"

    class Meta:
        verbose_name = _("soutien d'une proposition")
        verbose_name_plural = _("soutiens des propositions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="cocreation_support_user"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"],
                name="cocreation_support_once",
                violation_error_message=_("Vous soutenez déjà cette proposition."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"
