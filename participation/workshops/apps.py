from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    """Participatory workshops, the Tour de France and « Ce qui change chez vous »."""

    name = "participation.workshops"
    label = "workshops"
    verbose_name = "Ateliers et Tour de France"
