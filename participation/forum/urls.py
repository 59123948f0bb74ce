"""Every path of the Forum ouvert (mounted at the site root): public pages under
``/forum/``, the applicant's under ``/mon-espace/candidatures/``, staff's under
``/pilotage/ami/``."""

from django.urls import path

from .views import applicant, meetings, public, staff

app_name = "forum"

urlpatterns = [
    # Public.
    path("forum/", public.forum_index, name="index"),
    path("forum/ami/", public.call_list, name="call_list"),
    path("forum/ami/<slug:slug>/", public.call_detail, name="call_detail"),
    path("forum/seances/<id:pk>/", public.meeting_detail, name="meeting_detail"),
    path(
        "forum/seances/<id:pk>/compte-rendu.pdf",
        public.meeting_minutes_pdf,
        name="meeting_minutes_pdf",
    ),
    # Applicants.
    path("forum/ami/<slug:slug>/candidater/", applicant.application_start, name="apply"),
    path("mon-espace/candidatures/", applicant.my_applications, name="my_applications"),
    path("mon-espace/candidatures/<id:pk>/", applicant.my_application, name="my_application"),
    path(
        "mon-espace/candidatures/<id:pk>/modifier/",
        applicant.application_edit,
        name="application_edit",
    ),
    path(
        "mon-espace/candidatures/<id:pk>/retirer/",
        applicant.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "mon-espace/candidatures/<id:pk>/pieces/<id:attachment_pk>/supprimer/",
        applicant.attachment_delete,
        name="attachment_delete",
    ),
    # The applicant's and reviewers' access to an attachment.
    path(
        "forum/candidatures/<id:pk>/pieces/<id:attachment_pk>/",
        applicant.attachment_download,
        name="attachment",
    ),
    # Staff: calls.
    path("pilotage/ami/", staff.staff_home, name="staff_home"),
    path("pilotage/ami/forum/", staff.charter_edit, name="charter_edit"),
    path("pilotage/ami/appels/nouveau/", staff.call_create, name="call_create"),
    path("pilotage/ami/appels/<slug:slug>/", staff.call_manage, name="call_manage"),
    path("pilotage/ami/appels/<slug:slug>/modifier/", staff.call_edit, name="call_edit"),
    path("pilotage/ami/appels/<slug:slug>/phase/", staff.call_phase, name="call_phase"),
    path("pilotage/ami/appels/<slug:slug>/notifier/", staff.call_notify, name="call_notify"),
    path(
        "pilotage/ami/appels/<slug:slug>/colleges/",
        staff.call_part_edit,
        {"part": "college"},
        name="college_add",
    ),
    path(
        "pilotage/ami/appels/<slug:slug>/colleges/<id:pk>/",
        staff.call_part_edit,
        {"part": "college"},
        name="college_edit",
    ),
    path(
        "pilotage/ami/appels/<slug:slug>/criteres/",
        staff.call_part_edit,
        {"part": "criterion"},
        name="criterion_add",
    ),
    path(
        "pilotage/ami/appels/<slug:slug>/criteres/<id:pk>/",
        staff.call_part_edit,
        {"part": "criterion"},
        name="criterion_edit",
    ),
    # Staff: the review.
    path("pilotage/ami/candidatures/", staff.queue, name="queue"),
    path("pilotage/ami/candidatures/actions/", staff.queue_actions, name="queue_actions"),
    path("pilotage/ami/candidatures/export.csv", staff.queue_export, name="queue_export"),
    path("pilotage/ami/candidatures/<id:pk>/", staff.review_application, name="review_application"),
    path("pilotage/ami/candidatures/<id:pk>/evaluation/", staff.review_score, name="review_score"),
    path(
        "pilotage/ami/candidatures/<id:pk>/conflit/", staff.review_conflict, name="review_conflict"
    ),
    path(
        "pilotage/ami/candidatures/<id:pk>/decision/",
        staff.application_decide,
        name="application_decide",
    ),
    path(
        "pilotage/ami/candidatures/<id:pk>/notifier/",
        staff.application_notify,
        name="application_notify",
    ),
    path("pilotage/ami/candidatures/<id:pk>/pdf/", staff.application_pdf, name="application_pdf"),
    # Staff: meetings.
    path("pilotage/ami/seances/", meetings.meeting_list, name="meeting_list"),
    path("pilotage/ami/seances/<id:pk>/", meetings.meeting_manage, name="meeting_manage"),
    path(
        "pilotage/ami/seances/<id:pk>/compte-rendu/",
        meetings.meeting_minutes,
        name="meeting_minutes",
    ),
    path(
        "pilotage/ami/seances/<id:pk>/invitations/", meetings.meeting_invite, name="meeting_invite"
    ),
    path(
        "pilotage/ami/seances/<id:pk>/presences/",
        meetings.meeting_attendance,
        name="meeting_attendance",
    ),
]
