from django.urls import path
from django.utils.translation import gettext_lazy as _

from forum_ouvert.core.views import coming_soon

app_name = "contributions"

urlpatterns = [
    path(
        "contributions/",
        coming_soon(
            _("Contributions"),
            _("Les consultations ouvertes, vos contributions et les retours argumentés."),
        ),
        name="index",
    ),
]
