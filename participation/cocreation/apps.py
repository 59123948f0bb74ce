from django.apps import AppConfig


class CocreationConfig(AppConfig):
    """The co-creation of the next national action plan: calendar, proposals, versions."""

    name = "participation.cocreation"
    label = "cocreation"
    verbose_name = "Co-construction du plan"

    def ready(self):
        from forum_ouvert.core.extensions import register_section

        from . import selectors

        register_section("plan_detail", selectors.plan_section)
        register_section("commitment_detail", selectors.commitment_origin_section)

        from forum_ouvert.core.opendata import register_datasets

        from .exports import DATASETS

        register_datasets(DATASETS, order=40)

        from forum_ouvert.core.search import register_search_kinds

        from .search import KINDS

        register_search_kinds(KINDS)
