from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Ground floor: users and roles, territories, the audit log, the sealed PDF renderer."""

    name = "forum_ouvert.core"
    label = "core"
    verbose_name = "Socle"

    def ready(self):
        from . import checks, pagecache, signals  # noqa: F401 (receivers, checks)

        pagecache.install()
