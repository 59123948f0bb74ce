from django.urls import path

from . import staff_views, views

app_name = "workshops"

urlpatterns = [
    # Public pages (fixed paths before the slugs).
    path("ateliers/", views.workshop_list, name="list"),
    path("ateliers/calendrier.ics", views.calendar_feed, name="calendar"),
    path(
        "ateliers/desinscription/<str:token>/",
        views.registration_cancel_by_token,
        name="cancel_by_token",
    ),
    path("ateliers/<slug:slug>/", views.workshop_detail, name="detail"),
    path("ateliers/<slug:slug>.ics", views.workshop_ics, name="ics"),
    path("ateliers/<slug:slug>/inscription/", views.workshop_register, name="register"),
    path("ateliers/<slug:slug>/compte-rendu.pdf", views.outcome_document, name="outcome_document"),
    path("tour-de-france/", views.tour, name="tour"),
    # The participant.
    path(
        "mon-espace/ateliers/<id:pk>/annuler/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    # Pilotage (DITP staff and admins).
    path("pilotage/ateliers/", staff_views.workshop_admin_list, name="staff_list"),
    path("pilotage/ateliers/nouveau/", staff_views.workshop_create, name="staff_create"),
    path("pilotage/ateliers/<slug:slug>/", staff_views.workshop_edit, name="staff_edit"),
    path(
        "pilotage/ateliers/<slug:slug>/publier/",
        staff_views.workshop_publish,
        name="staff_publish",
    ),
    path(
        "pilotage/ateliers/<slug:slug>/annuler/",
        staff_views.workshop_cancel,
        name="staff_cancel",
    ),
    path(
        "pilotage/ateliers/<slug:slug>/inscriptions/",
        staff_views.registration_list,
        name="staff_registrations",
    ),
    path(
        "pilotage/ateliers/<slug:slug>/inscriptions.csv",
        staff_views.registration_csv,
        name="staff_registrations_csv",
    ),
    path(
        "pilotage/ateliers/<slug:slug>/presences/",
        staff_views.attendance,
        name="staff_attendance",
    ),
    path(
        "pilotage/ateliers/<slug:slug>/presences/<id:pk>/",
        staff_views.attendance_mark,
        name="staff_attendance_mark",
    ),
    path(
        "pilotage/ateliers/<slug:slug>/compte-rendu/",
        staff_views.outcome_edit,
        name="staff_outcome",
    ),
    path("pilotage/tour-de-france/", staff_views.tour_admin, name="staff_tour"),
    path("pilotage/tour-de-france/nouveau/", staff_views.tour_create, name="staff_tour_create"),
    path(
        "pilotage/tour-de-france/etapes/nouvelle/",
        staff_views.stop_create,
        name="staff_stop_create",
    ),
    path(
        "pilotage/tour-de-france/etapes/<id:pk>/",
        staff_views.stop_edit,
        name="staff_stop_edit",
    ),
]
