from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    """Consultations, contributions, moderation and reasoned responses."""

    name = "participation.contributions"
    label = "contributions"
    verbose_name = "Contributions"

    def ready(self):
        from forum_ouvert.core.extensions import register_section

        from . import selectors

        register_section("commitment_detail", selectors.commitment_section)

        from forum_ouvert.core.opendata import register_datasets

        register_datasets(selectors.OPEN_DATA, order=30)

        from forum_ouvert.core.search import register_search_kinds

        from .search import KINDS

        register_search_kinds(KINDS)
