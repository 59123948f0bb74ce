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
        post_migrate.connect(links.sync_current_site, sender=self, dispatch_uid="fo-site")
