from django.urls import path

from . import territories, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("mon-espace/", views.my_space, name="my_space"),
    path("mon-espace/compte/", views.account, name="account"),
    path("mon-espace/compte/supprimer/", views.account_delete_view, name="account_delete"),
    path("pilotage/", views.dashboard, name="dashboard"),
    path("territoires/", territories.territory_index, name="territories"),
    path("territoires/<str:code>/", territories.territory_detail, name="territory"),
]
