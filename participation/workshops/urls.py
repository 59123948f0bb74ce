from django.urls import path
from django.utils.translation import gettext_lazy as _

from forum_ouvert.core.views import coming_soon

app_name = "workshops"

urlpatterns = [
    path(
        "ateliers/",
        coming_soon(
            _("Ateliers participatifs"),
            _("Les ateliers avec les citoyens et les élus locaux, près de chez vous ou en ligne."),
        ),
        name="list",
    ),
    path(
        "tour-de-france/",
        coming_soon(
            _("Tour de France « Ce qui change chez vous »"),
            _(
                "Les étapes du Tour de France et les résultats de l'action publique "
                "dans votre territoire."
            ),
        ),
        name="tour",
    ),
]
