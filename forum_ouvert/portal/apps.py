from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Top floor: the site's composition — home, « Mon espace », the staff dashboard, the demo."""

    name = "forum_ouvert.portal"
    label = "portal"
    verbose_name = "Portail"
