from django.urls import path

from . import views

app_name = "contributions"

urlpatterns = [
    path("contributions/", views.index, name="index"),
    path(
        "contributions/commentaires/<id:pk>/signaler/",
        views.comment_report,
        name="comment_report",
    ),
    path("contributions/<slug:slug>/", views.consultation_detail, name="consultation"),
    path(
        "contributions/<slug:slug>/suivre/", views.consultation_follow, name="consultation_follow"
    ),
    path("contributions/<slug:slug>/synthese/", views.synthesis, name="synthesis"),
    path("contributions/<slug:slug>/contribuer/", views.contribution_create, name="create"),
    path("contributions/<slug:slug>/<id:pk>/", views.contribution_detail, name="detail"),
    path("contributions/<slug:slug>/<id:pk>/modifier/", views.contribution_edit, name="edit"),
    path(
        "contributions/<slug:slug>/<id:pk>/retirer/",
        views.contribution_withdraw,
        name="withdraw",
    ),
    path(
        "contributions/<slug:slug>/<id:pk>/soutenir/",
        views.contribution_support,
        name="support",
    ),
    path("contributions/<slug:slug>/<id:pk>/suivre/", views.contribution_follow, name="follow"),
    path(
        "contributions/<slug:slug>/<id:pk>/commenter/",
        views.contribution_comment,
        name="comment",
    ),
    path(
        "contributions/<slug:slug>/<id:pk>/signaler/",
        views.contribution_report,
        name="report",
    ),
    path("donnees/contributions.csv", views.open_data_csv, name="open_data_csv"),
    path("donnees/contributions.json", views.open_data_json, name="open_data_json"),
    path("pilotage/contributions/", views.staff_home, name="staff_home"),
    path(
        "pilotage/contributions/consultations/nouvelle/",
        views.consultation_create,
        name="consultation_create",
    ),
    path(
        "pilotage/contributions/consultations/<slug:slug>/modifier/",
        views.consultation_edit,
        name="consultation_edit",
    ),
    path("pilotage/contributions/moderation/", views.moderation, name="moderation"),
    path("pilotage/contributions/<id:pk>/retour/", views.respond, name="respond"),
    path(
        "pilotage/contributions/<id:pk>/moderer/",
        views.contribution_moderate,
        name="moderate",
    ),
    path(
        "pilotage/contributions/commentaires/<id:pk>/moderer/",
        views.comment_moderate,
        name="comment_moderate",
    ),
    path(
        "pilotage/contributions/moderation/contestations/<id:pk>/",
        views.statement_answer,
        name="statement_answer",
    ),
    path(
        "pilotage/contributions/personnes/<id:pk>/blocage/",
        views.person_block,
        name="person_block",
    ),
    path("mon-espace/moderation/", views.my_statements, name="my_statements"),
    path("mon-espace/moderation/<id:pk>/", views.statement_detail, name="statement"),
]
