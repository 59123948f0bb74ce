from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("rapports/", views.public_list, name="public_list"),
    path("rapports/<id:pk>/<str:filename>", views.download, name="download"),
    path("pilotage/rapports/", views.staff_list, name="staff_list"),
    path(
        "pilotage/rapports/documents-du-plan/<slug:slug>/",
        views.staff_plan_documents,
        name="staff_plan_documents",
    ),
    path("pilotage/rapports/<id:pk>/", views.staff_detail, name="staff_detail"),
    path("pilotage/rapports/<id:pk>/etat/", views.staff_state, name="staff_state"),
    path("pilotage/rapports/<id:pk>/publier/", views.staff_publish, name="staff_publish"),
    path("pilotage/rapports/<id:pk>/relancer/", views.staff_retry, name="staff_retry"),
]
