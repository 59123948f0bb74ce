from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Ground floor: users and roles, territories, the audit log, the sealed PDF renderer."""

    name = "forum_ouvert.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self):
        from django.db.models.signals import post_migrate
        from django.urls import register_converter

        from . import checks, links, pagecache, signals  # noqa: F401 (receivers, checks)
        from .ids import IdConverter

        register_converter(IdConverter, "id")
        pagecache.install()
        _name_third_party_models()
        post_migrate.connect(links.sync_current_site, sender=self, dispatch_uid="fo-site")


def _name_third_party_models() -> None:
    """French names in the admin for allauth's two-factor models, which its catalogue
    leaves in English (« MFA / Authenticators »)."""
    from allauth.mfa.models import Authenticator
    from django.apps import apps
    from django.utils.translation import gettext_lazy as _

    apps.get_app_config("mfa").verbose_name = _("Double authentification")
    Authenticator._meta.verbose_name = _("moyen de double authentification")
    Authenticator._meta.verbose_name_plural = _("moyens de double authentification")
