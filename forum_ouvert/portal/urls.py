from django.urls import path

from . import profile_views, record_views, territories, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("mon-espace/", views.my_space, name="my_space"),
    path("mon-espace/compte/", views.account, name="account"),
    path(
        "mon-espace/compte/identites/<id:pk>/retirer/",
        views.account_identity_remove,
        name="account_identity_remove",
    ),
    path("mon-espace/compte/supprimer/", views.account_delete_view, name="account_delete"),
    path(
        "mon-espace/compte/page-publique/",
        profile_views.public_profile_settings,
        name="public_profile_settings",
    ),
    # Public profiles, opt-in (issue 19, item 4).
    path("participants/<id:pk>/", profile_views.participant, name="participant"),
    path("pilotage/", views.dashboard, name="dashboard"),
    path("pilotage/journal/", views.activity_log, name="activity_log"),
    path("territoires/", territories.territory_index, name="territories"),
    path("territoires/<str:code>/", territories.territory_detail, name="territory"),
    # The participant's record (statut du citoyen participant).
    path("mon-espace/attestation/", record_views.attestation, name="attestation"),
    path(
        "mon-espace/attestation/<str:code>.pdf",
        record_views.attestation_pdf,
        name="attestation_pdf",
    ),
    path("mon-espace/mes-donnees/", record_views.data_page, name="data_page"),
    path("mon-espace/mes-donnees.json", record_views.data_export, name="data_export"),
    path("mon-espace/mes-donnees.csv", record_views.data_export_csv, name="data_export_csv"),
    path("attestations/", record_views.attestation_lookup, name="attestation_lookup"),
    path("attestations/<str:code>/", record_views.attestation_verify, name="attestation_verify"),
]
