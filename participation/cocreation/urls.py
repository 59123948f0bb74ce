from django.urls import path

from . import views

app_name = "cocreation"

urlpatterns = [
    path("co-construction/", views.index, name="index"),
    path("co-construction/<slug:slug>/", views.process_detail, name="process"),
    path("co-construction/<slug:slug>/propositions/", views.proposal_list, name="proposal_list"),
    path(
        "co-construction/<slug:slug>/propositions/nouvelle/",
        views.proposal_create,
        name="proposal_create",
    ),
    path(
        "co-construction/<slug:slug>/propositions/<id:pk>/",
        views.proposal_detail,
        name="proposal_detail",
    ),
    path(
        "co-construction/<slug:slug>/propositions/<id:pk>/modifier/",
        views.proposal_edit,
        name="proposal_edit",
    ),
    path(
        "co-construction/<slug:slug>/propositions/<id:pk>/deposer/",
        views.proposal_submit,
        name="proposal_submit",
    ),
    path(
        "co-construction/<slug:slug>/propositions/<id:pk>/versions/<int:number>/",
        views.proposal_version,
        name="proposal_version",
    ),
    path(
        "co-construction/<slug:slug>/propositions/<id:pk>/comparer/",
        views.proposal_diff,
        name="proposal_diff",
    ),
    path(
        "co-construction/<slug:slug>/propositions/<id:pk>/co-auteurs/",
        views.proposal_coauthors,
        name="proposal_coauthors",
    ),
    path(
        "co-construction/<slug:slug>/propositions/<id:pk>/amender/",
        views.proposal_amend,
        name="proposal_amend",
    ),
    path(
        "co-construction/<slug:slug>/propositions/<id:pk>/avis/",
        views.proposal_opinion,
        name="proposal_opinion",
    ),
    path(
        "co-construction/<slug:slug>/propositions/<id:pk>/repondre/",
        views.proposal_respond,
        name="proposal_respond",
    ),
    path(
        "co-construction/<slug:slug>/propositions/<id:pk>/promouvoir/",
        views.proposal_promote,
        name="proposal_promote",
    ),
    path(
        "co-construction/<slug:slug>/propositions/<id:pk>/amendements/<id:amendment>/",
        views.amendment_detail,
        name="amendment_detail",
    ),
    path(
        "co-construction/invitation/<str:token>/",
        views.coauthor_accept,
        name="coauthor_accept",
    ),
    path(
        "donnees/co-construction/propositions.csv",
        views.open_data_proposals_csv,
        name="open_data_proposals_csv",
    ),
    path(
        "donnees/co-construction/propositions.json",
        views.open_data_proposals_json,
        name="open_data_proposals_json",
    ),
    path(
        "donnees/co-construction/versions.csv",
        views.open_data_versions_csv,
        name="open_data_versions_csv",
    ),
    path(
        "donnees/co-construction/versions.json",
        views.open_data_versions_json,
        name="open_data_versions_json",
    ),
    path(
        "donnees/co-construction/amendements.csv",
        views.open_data_amendments_csv,
        name="open_data_amendments_csv",
    ),
    path(
        "donnees/co-construction/reponses.csv",
        views.open_data_responses_csv,
        name="open_data_responses_csv",
    ),
    path(
        "donnees/co-construction/reponses.json",
        views.open_data_responses_json,
        name="open_data_responses_json",
    ),
    path(
        "donnees/co-construction/avis.csv",
        views.open_data_opinions_csv,
        name="open_data_opinions_csv",
    ),
    path("donnees/co-construction.atom", views.open_data_atom, name="open_data_atom"),
    path("pilotage/co-construction/", views.staff_home, name="staff_home"),
    path(
        "pilotage/co-construction/<slug:slug>/calendrier/",
        views.staff_calendar,
        name="staff_calendar",
    ),
    path(
        "pilotage/co-construction/<slug:slug>/publier/",
        views.staff_publish,
        name="staff_publish",
    ),
]
