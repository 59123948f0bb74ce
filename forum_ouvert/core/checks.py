"""System checks of the project's own settings (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

PLACEHOLDER_CONTACT_DOMAIN = ".example"


@checks.register(checks.Tags.security, deploy=True)
def security_contact_is_set(app_configs, **kwargs):
    """security.txt and /securite/ must give a real address to report a vulnerability."""
    contact = getattr(settings, "SECURITY_CONTACT", "")
    if not contact or PLACEHOLDER_CONTACT_DOMAIN in contact:
        return [
            checks.Warning(
                "SECURITY_CONTACT n'est pas défini : /.well-known/security.txt et /securite/ "
                f"donnent une adresse fictive ({contact or 'vide'}).",
                hint="Définissez SECURITY_CONTACT (adresse e-mail ou URL de signalement).",
                id="forum_ouvert.W001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def accessibility_contact_is_set(app_configs, **kwargs):
    """The accessibility statement must give a real address to ask for an alternative."""
    contact = getattr(settings, "ACCESSIBILITY_CONTACT", "")
    if not contact or PLACEHOLDER_CONTACT_DOMAIN in contact:
        return [
            checks.Warning(
                "ACCESSIBILITY_CONTACT n'est pas défini : la déclaration d'accessibilité "
                f"(/accessibilite/) donne une adresse fictive ({contact or 'vide'}).",
                hint="Définissez ACCESSIBILITY_CONTACT (adresse e-mail ou URL de contact).",
                id="forum_ouvert.W002",
            )
        ]
    return []
