from django.urls import path

from . import backoffice, views

app_name = "engagements"

urlpatterns = [
    # Public pages (paths are a public contract: keep them stable).
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("engagements/", views.commitment_list, name="commitment_list"),
    path("engagements/<slug:slug>/", views.commitment_detail, name="commitment_detail"),
    path("engagements/<slug:slug>/suivre/", views.commitment_follow, name="commitment_follow"),
    path("depot/", views.repository, name="repository"),
    path("depot/<id:pk>/document/", views.evidence_download, name="evidence_download"),
    path("donnees/", views.open_data, name="open_data"),
    path("donnees/engagements.csv", views.export_commitments_csv, name="export_commitments_csv"),
    path("donnees/engagements.json", views.export_commitments_json, name="export_commitments_json"),
    path("donnees/jalons.csv", views.export_milestones_csv, name="export_milestones_csv"),
    path("donnees/journal.csv", views.export_journal_csv, name="export_journal_csv"),
    path("donnees/journal.atom", views.export_journal_atom, name="export_journal_atom"),
    # Back-office.
    path("pilotage/engagements/", backoffice.bo_commitment_list, name="bo_commitment_list"),
    path("pilotage/engagements/<slug:slug>/", backoffice.bo_commitment, name="bo_commitment"),
    path(
        "pilotage/engagements/<slug:slug>/avancement/", backoffice.bo_progress, name="bo_progress"
    ),
    path(
        "pilotage/engagements/<slug:slug>/jalons/ajouter/",
        backoffice.bo_milestone_add,
        name="bo_milestone_add",
    ),
    path(
        "pilotage/engagements/<slug:slug>/jalons/<id:pk>/",
        backoffice.bo_milestone_edit,
        name="bo_milestone_edit",
    ),
    path(
        "pilotage/engagements/<slug:slug>/justificatifs/ajouter/",
        backoffice.bo_evidence_add,
        name="bo_evidence_add",
    ),
    path(
        "pilotage/engagements/<slug:slug>/justificatifs/",
        backoffice.bo_evidence_list,
        name="bo_evidence_list",
    ),
    path(
        "pilotage/engagements/<slug:slug>/justificatifs/<id:pk>/",
        backoffice.bo_evidence_edit,
        name="bo_evidence_edit",
    ),
    path(
        "pilotage/engagements/<slug:slug>/justificatifs/<id:pk>/retirer/",
        backoffice.bo_evidence_withdraw,
        name="bo_evidence_withdraw",
    ),
    path(
        "pilotage/engagements/<slug:slug>/justificatifs/<id:pk>/remplacer/",
        backoffice.bo_evidence_replace,
        name="bo_evidence_replace",
    ),
    path(
        "pilotage/engagements/<slug:slug>/textes/", backoffice.bo_commitment_texts, name="bo_texts"
    ),
    path(
        "pilotage/engagements/<slug:slug>/pilotes/", backoffice.bo_commitment_leads, name="bo_leads"
    ),
    path("pilotage/mise-a-jour-groupee/", backoffice.bo_bulk_update, name="bo_bulk_update"),
    path(
        "pilotage/mise-a-jour-groupee/confirmer/",
        backoffice.bo_bulk_confirm,
        name="bo_bulk_confirm",
    ),
    path(
        "pilotage/mise-a-jour-groupee/modele.csv",
        backoffice.bo_bulk_template,
        name="bo_bulk_template",
    ),
    path("pilotage/plans/", backoffice.bo_plan_list, name="bo_plan_list"),
    path("pilotage/plans/ajouter/", backoffice.bo_plan_add, name="bo_plan_add"),
    path("pilotage/plans/<slug:slug>/", backoffice.bo_plan_edit, name="bo_plan_edit"),
    path("pilotage/plans/<slug:slug>/axes/ajouter/", backoffice.bo_axis_add, name="bo_axis_add"),
    path(
        "pilotage/plans/<slug:slug>/axes/<int:number>/",
        backoffice.bo_axis_edit,
        name="bo_axis_edit",
    ),
]
