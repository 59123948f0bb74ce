"""Ground-floor models: the user and their role, territories, the audit log, site state."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .uploads import RandomUploadTo
from .validators import validate_one_line


class TimeStampedModel(models.Model):
    """Abstract base: every row knows when it was created and last changed."""

    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class Region(models.Model):
    """A French region (INSEE code)."""

    code = models.CharField(_("code INSEE"), max_length=2, primary_key=True)
    name = models.CharField(_("nom"), max_length=80)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    """A French département (INSEE code: ``01``…``95``, ``2A``/``2B``, ``971``…``976``)."""

    code = models.CharField(_("code INSEE"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=80)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departements", verbose_name=_("région")
    )
    #: The place with its French preposition and article, as usage has it (« dans le
    #: Rhône », « à Paris », « en Corrèze »): data, because no rule on the name gives it.
    in_name = models.CharField(
        _("« dans » + nom"),
        max_length=100,
        blank=True,
        help_text=_("Par exemple : dans le Rhône, à Paris, en Corrèze, dans les Landes."),
    )

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("role", Role.CITIZEN)
        extra.setdefault("is_staff", extra["role"] == Role.ADMIN)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. The e-mail address is the login.

    Accounts are never deleted from the table: deleting an account erases its personal
    data and deactivates it, so that public history (journal, contributions) keeps a
    stable, anonymous author.
    """

    email = models.EmailField(
        _("adresse e-mail"),
        max_length=254,
        unique=True,
        error_messages={"unique": _("Un compte existe déjà avec cette adresse e-mail.")},
    )
    display_name = models.CharField(
        _("nom affiché"),
        max_length=80,
        blank=True,
        help_text=_("Le nom sous lequel vos contributions apparaissent, si vous l'acceptez."),
        validators=[validate_one_line],
    )
    public_display_consent = models.BooleanField(
        _("afficher mon nom publiquement"),
        default=False,
        help_text=_("Sinon vos contributions publiques sont signées « Participant·e »."),
    )
    #: Opt-in public page (issue 19, item 4): changed only by ``user_set_public_profile``.
    public_profile = models.BooleanField(_("page publique de participant·e"), default=False)
    public_profile_at = models.DateTimeField(
        _("page publique ouverte le"), null=True, blank=True, editable=False
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("département"),
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role, default=Role.CITIZEN)
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(
        _("accès à l'administration Django"),
        default=False,
        help_text=_("Réservé aux administrateur·rices."),
    )
    date_joined = models.DateTimeField(_("inscrit·e le"), default=timezone.now)
    anonymised_at = models.DateTimeField(_("compte supprimé le"), null=True, blank=True)
    #: The header's count of unread notifications, kept by ``core.notifications`` in the
    #: transaction of each notification and each reading: read with the person, no query.
    unread_notifications = models.PositiveIntegerField(
        _("notifications non lues"), default=0, editable=False
    )
    #: The version of the terms of use this person accepted (``core.terms``), and when;
    #: changed only by ``core.services.terms_accept``. Empty: never accepted (an account
    #: created by ProConnect or FranceConnect, or before the terms existed).
    terms_version = models.CharField(
        _("version des conditions générales acceptée"), max_length=20, blank=True, editable=False
    )
    terms_accepted_at = models.DateTimeField(
        _("conditions générales acceptées le"), null=True, blank=True, editable=False
    )

    #: The language of the e-mails this person gets (``core.mail``): set from the language
    #: they use (sign-up, the header's selector) and in « Mon compte »; changed only by
    #: ``core.services.user_set_language``. A code of ``settings.LANGUAGES``.
    preferred_language = models.CharField(
        _("langue des e-mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = (
        # Powers change only through user_set_role (audited, with a reason).
        "role",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
        "anonymised_at",
        # Accepted by the person only (core.services.terms_accept, audited).
        "terms_version",
        "terms_accepted_at",
        # Consent to the public page changes only through user_set_public_profile (audited).
        "public_profile",
        "public_profile_at",
    )

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="core_user_email_ci_unique",
                violation_error_message=_("Un compte existe déjà avec cette adresse e-mail."),
            ),
            models.CheckConstraint(
                condition=models.Q(terms_version="", terms_accepted_at__isnull=True)
                | (~models.Q(terms_version="") & models.Q(terms_accepted_at__isnull=False)),
                name="core_user_terms_version_and_date",
                violation_error_message=_(
                    "La version des conditions générales acceptée va avec sa date d'acceptation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def public_name(self) -> str:
        """The name shown next to what this person published."""
        if self.anonymised_at or not self.public_display_consent or not self.display_name:
            return str(_("Participant·e"))
        return self.display_name

    @property
    def has_public_profile(self) -> bool:
        """Whether this person's public page exists: they consented to it, their name is
        shown publicly, and the account is open (read from the row: no query). A block
        leaves it open: it stops writing, not the page (``portal.profile_views``)."""
        return bool(
            self.public_profile
            and self.is_active
            and self.anonymised_at is None
            and self.public_display_consent
            and self.display_name
        )

    @property
    def is_ditp(self) -> bool:
        """DITP staff or admin: runs the plan, reviews, moderates."""
        return self.is_active and self.role in (Role.STAFF, Role.ADMIN)

    @property
    def changes_public_record(self) -> bool:
        """DITP staff, admins and commitment leads: what they do in the back-office changes
        the public record, so a stolen password alone must not be enough (second factor,
        idle timeout: ``core.middleware.StaffSecurityMiddleware``)."""
        return self.is_active and self.role in (Role.STAFF, Role.ADMIN, Role.LEAD)


def user_display(user: User) -> str:
    """How allauth names a user in its pages and e-mails."""
    return user.display_name or user.email


class AuditLog(models.Model):
    """One row per act that must stay accountable (moderation, decisions, role changes…).

    Written by the service that performs the act, in the same transaction. The table is
    append-only in the database: a trigger makes UPDATE and DELETE fail.
    """

    created_at = models.DateTimeField(_("date"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        User,
        on_delete=models.RESTRICT,  # for traceability: an actor cannot vanish from history
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("type d'objet"),
    )
    target_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True)
    target_repr = models.CharField(_("objet"), max_length=255, blank=True)
    changes = models.JSONField(_("changements"), default=dict, blank=True)
    reason = models.TextField(_("motif"), blank=True)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = "__all__"

    class Meta:
        verbose_name = _("entrée du journal d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class DemoDataset(models.Model):
    """Present when fictitious demonstration data has been loaded (``seed_demo``).

    While any row exists, every page shows a notice saying that the figures are fictitious.
    """

    name = models.CharField(max_length=80, unique=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("jeu de données de démonstration")
        verbose_name_plural = _("jeux de données de démonstration")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OutboxTask(models.Model):
    """A Celery task to publish, written in the same transaction as the change it reports.

    Published right after the commit; if the broker was unreachable, the row stays pending
    and ``core.flush_outbox`` (Celery beat, every minute) publishes it later. Nothing that
    was committed is lost, and every queued task must be safe to run twice.
    """

    task = models.CharField(_("tâche"), max_length=120)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, editable=False)
    queued_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        verbose_name = _("tâche à publier")
        verbose_name_plural = _("tâches à publier")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(queued_at__isnull=True),
                name="core_outbox_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"

    @property
    def celery_id(self) -> str:
        return f"outbox-{self.pk}"


class MailDelivery(models.Model):
    """One e-mail sent by ``core.mail.mail_send(once=…)``: the record that makes it sent once.

    ``key`` names what was sent (``"forum.acknowledgement:12"``); the row is inserted in
    the transaction that sends the e-mail, so a second run of the task finds it and sends
    nothing, while a failed send rolls it back and the retry sends it.
    """

    key = models.CharField(_("clé"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.TextField(_("objet"), blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail envoyé")
        verbose_name_plural = _("e-mails envoyés")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.key


class PendingUpload(models.Model):
    """A file sent with a form that was refused for another reason, kept so that the person
    does not send it again (« fichier joint : statuts.pdf — remplacer / retirer »).

    The form's next submission carries its ``token`` (unguessable, like a signed link) in a
    hidden field; the service then stores the file where it belongs. Rows older than
    ``PENDING_UPLOAD_LIFETIME`` are deleted with their file by ``core.sweep_pending_uploads``.
    """

    token = models.CharField(_("jeton"), max_length=64, unique=True)
    file = models.FileField(
        _("fichier"), upload_to=RandomUploadTo("pending-uploads"), max_length=200
    )
    original_name = models.CharField(_("nom d'origine"), max_length=255)
    size = models.PositiveIntegerField(_("taille"))
    created_at = models.DateTimeField(_("reçu le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("fichier en attente")
        verbose_name_plural = _("fichiers en attente")

    def __str__(self) -> str:
        return self.original_name


class UserBlock(models.Model):
    """A person blocked by staff (issue 19, item 9): they may read but not write until
    ``until`` (or indefinitely), unless the block is lifted first. Written and lifted only
    by ``core.services.user_block`` / ``user_unblock`` (audited, with a reason); every write
    service asks ``core.access.require_may_write``."""

    user = models.ForeignKey(
        User, on_delete=models.RESTRICT, related_name="blocks", verbose_name=_("personne")
    )
    reason = models.TextField(_("motif"))
    until = models.DateTimeField(_("jusqu'au"), null=True, blank=True)
    blocked_by = models.ForeignKey(
        User, on_delete=models.RESTRICT, related_name="+", verbose_name=_("bloquée par")
    )
    created_at = models.DateTimeField(_("bloquée le"), default=timezone.now, editable=False)
    lifted_at = models.DateTimeField(_("débloquée le"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        User,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("débloquée par"),
    )
    lift_reason = models.TextField(_("motif du déblocage"), blank=True)

    #: Changed only by the services (forum_ouvert/core/admin_guard.py).
    admin_guarded_fields = "__all__"

    class Meta:
        verbose_name = _("blocage")
        verbose_name_plural = _("blocages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(lifted_at__isnull=True),
                name="core_userblock_one_open",
                violation_error_message=_("Cette personne est déjà bloquée."),
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="core_userblock_has_reason",
                violation_error_message=_("Un blocage a un motif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    def is_active_on(self, when) -> bool:
        return self.lifted_at is None and (self.until is None or self.until > when)


class NotificationKind(models.TextChoices):
    """What a notification is about; each person chooses, per kind, how it reaches them."""

    COMMENT = "commentaire", _("Un commentaire sur ma contribution ou ma proposition")
    SUPPORT = "soutien", _("Des soutiens à ma contribution ou ma proposition")
    RESPONSE = "retour", _("Un retour argumenté sur ce que j'ai écrit ou soutenu")
    MODERATION = "moderation", _("La modération de mes contenus")
    FOLLOWED = "suivi", _("Les changements de ce que je suis")
    WORKSHOP = "atelier", _("Un atelier auquel je suis inscrit·e change ou est annulé")


class NotificationDelivery(models.TextChoices):
    IMMEDIATE = "immediat", _("Immédiatement par e-mail")
    DIGEST = "resume", _("Dans un résumé quotidien par e-mail")
    SITE = "site", _("Seulement sur le site")


class Notification(models.Model):
    """Something that happened that concerns ``recipient``, shown in the notification centre.

    The target is generic (content type and id, as the audit log) so that this ground floor
    names no app; its title and address are copied at the time of the event, so that the
    list reads no other table (constant queries) and still reads well once the target is
    gone. ``group_key`` folds events into one row (the supports of one day).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("destinataire"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=NotificationKind)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("type d'objet")
    )
    target_id = models.CharField(_("identifiant de l'objet"), max_length=64)
    target_title = models.CharField(_("objet"), max_length=255)
    url = models.CharField(_("adresse"), max_length=500)
    message = models.CharField(_("message"), max_length=500, validators=[validate_one_line])
    count = models.PositiveIntegerField(_("nombre d'événements"), default=1)
    group_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("dernier événement"), default=timezone.now)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-updated_at", "-id"], name="notif_recipient"),
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notif_unread"
            ),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationSetting(models.Model):
    """How one person wants one kind of notification (absent: the kind's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    kind = models.CharField(_("type"), max_length=20, choices=NotificationKind)
    delivery = models.CharField(_("envoi"), max_length=20, choices=NotificationDelivery)

    class Meta:
        verbose_name = _("réglage de notification")
        verbose_name_plural = _("réglages de notification")
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="core_notification_setting_once",
                violation_error_message=_("Ce type de notification est déjà réglé."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="soutien", delivery="immediat"),
                name="core_notification_support_grouped",
                violation_error_message=_(
                    "Les soutiens sont regroupés par jour : jamais un e-mail par soutien."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.delivery}"


class Subscription(models.Model):
    """A person follows an object (a contribution, a consultation): its changes notify them.

    Generic (content type and id) so that every app's objects are followed the same way."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="subscription_target")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"],
                name="core_subscription_once",
                violation_error_message=_("Vous suivez déjà ceci."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.target_type_id}:{self.target_id}"
