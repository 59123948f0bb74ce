from django.apps import AppConfig


class CocreationConfig(AppConfig):
    """The co-creation of the next national action plan: calendar, proposals, versions."""

    name = "participation.cocreation"
    label = "cocreation"
    verbose_name = "Co-construction du plan"
