from django.urls import path

from . import views

app_name = "engagements"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("engagements/", views.commitment_list, name="commitment_list"),
    path("engagements/<slug:slug>/", views.commitment_detail, name="commitment_detail"),
]
