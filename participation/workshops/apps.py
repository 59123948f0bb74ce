from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    """Participatory workshops, the Tour de France and « Ce qui change chez vous »."""

    name = "participation.workshops"
    label = "workshops"
    verbose_name = "Ateliers et Tour de France"

    def ready(self) -> None:
        from forum_ouvert.core.extensions import register_section

        from .selectors import commitment_section

        # A commitment's page lists the workshops that serve it (engagements cannot import us).
        register_section("commitment_detail", commitment_section)

        from forum_ouvert.core.search import register_search_kinds

        from .search import KINDS

        register_search_kinds(KINDS)
