from django.urls import path
from django.utils.translation import gettext_lazy as _

from forum_ouvert.core.views import coming_soon

app_name = "forum"

urlpatterns = [
    path(
        "forum/",
        coming_soon(
            _("Forum ouvert"),
            _(
                "L'espace permanent de dialogue entre l'administration et la société civile : "
                "ses membres, ses règles, ses séances et l'appel à manifestation d'intérêt."
            ),
        ),
        name="index",
    ),
]
