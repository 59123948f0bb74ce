from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    """Plans, axes, commitments, milestones, evidence and the public journal."""

    name = "engagements"
    verbose_name = "Engagements"
