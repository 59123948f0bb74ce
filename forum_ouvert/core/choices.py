"""Choices shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The platform's roles, in increasing order of power."""

    CITIZEN = "citoyen", _("Citoyen·ne")
    ASSOCIATION = "association", _("Représentant·e d'association")
    LEAD = "pilote", _("Pilote d'engagement")
    STAFF = "ditp", _("Agent DITP")
    ADMIN = "admin", _("Administrateur·rice")
