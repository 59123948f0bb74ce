"""The core's pages, in both languages (see ``fixed_urls`` for those that never move)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import notification_views, views

app_name = "core"

urlpatterns = [
    path("securite/", views.security_policy, name="security_policy"),
    path("accessibilite/", views.accessibility_statement, name="accessibility"),
    path("accessibilite/grille/", views.accessibility_grid, name="accessibility_grid"),
    path(
        "accessibilite/schema-pluriannuel/",
        views.accessibility_plan,
        name="accessibility_plan",
    ),
    path("pilotage/session/", views.session_keepalive, name="session_keepalive"),
    path(
        "mentions-legales/",
        views.page("core/mentions-legales.html", _("Mentions légales")),
        name="legal",
    ),
    path(
        "donnees-personnelles/",
        views.page("core/donnees-personnelles.html", _("Données personnelles")),
        name="privacy",
    ),
    path("conditions-generales/", views.terms_page, name="terms"),
    path("mon-espace/conditions-generales/", views.terms_accept, name="terms_accept"),
    path("mon-espace/notifications/", notification_views.notification_list, name="notifications"),
    path(
        "mon-espace/notifications/<id:pk>/lue/",
        notification_views.notification_read,
        name="notification_read",
    ),
    path(
        "mon-espace/notifications/tout-lu/",
        notification_views.notification_read_all,
        name="notification_read_all",
    ),
    path(
        "mon-espace/compte/notifications/",
        notification_views.notification_settings,
        name="notification_settings",
    ),
    path(
        "notifications/desabonnement/<str:token>/",
        notification_views.unsubscribe,
        name="unsubscribe",
    ),
    path("recherche/", views.search, name="search"),
    path("plan-du-site/", views.page("core/plan-du-site.html", _("Plan du site")), name="sitemap"),
]
