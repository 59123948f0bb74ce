from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    """Plans, axes, commitments, milestones, evidence and the public journal."""

    name = "engagements"
    verbose_name = "Engagements"

    def ready(self):
        from forum_ouvert.core.opendata import register_datasets

        from .exports import DATASETS

        register_datasets(DATASETS, order=10)

        from forum_ouvert.core.search import register_search_kinds

        from .search import KINDS

        register_search_kinds(KINDS)

        from forum_ouvert.core.notifications import register_unfollow

        from .notifications import unfollow

        register_unfollow("engagements.commitment", unfollow)
