from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    """Consultations, contributions, moderation and reasoned responses."""

    name = "participation.contributions"
    label = "contributions"
    verbose_name = "Contributions"
