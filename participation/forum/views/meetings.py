"""The back-office of the forum's meetings (``/pilotage/ami/seances/``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum_ouvert.core import access
from forum_ouvert.core.forms import add_errors

from ..forms import AttendanceForm, MeetingForm, MinutesForm
from ..models import Meeting
from ..services import meetings as services
from .common import get_meeting


@access.permission("forum.manage_meetings")
def meeting_list(request):
    """Every meeting, and the form to announce a new one."""
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_save(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("La séance est annoncée sur la page du Forum ouvert."))
            return redirect("forum:meeting_manage", pk=meeting.pk)
    return render(
        request,
        "forum/staff/meetings.html",
        {
            "title": _("Séances du Forum ouvert"),
            "meetings": Meeting.objects.order_by("-starts_at", "-pk"),
            "form": form,
        },
    )


def _context(meeting: Meeting, **forms) -> dict:
    return {
        "title": meeting.title,
        "meeting": meeting,
        "form": forms.get("form") or MeetingForm(instance=meeting),
        "minutes_form": forms.get("minutes_form")
        or MinutesForm(prefix="minutes", initial={"text": meeting.minutes_text}),
        "attendance_form": forms.get("attendance_form")
        or AttendanceForm(
            prefix="attendance",
            initial={"members": list(meeting.attendances.values_list("member_id", flat=True))},
        ),
        "invitations": meeting.invitations.select_related("member").order_by(
            "member__organisation_name", "pk"
        ),
    }


@access.permission("forum.manage_meetings", get_object=get_meeting)
def meeting_manage(request, pk: int):
    """Change a meeting; publish its minutes; invite members; mark who attended."""
    meeting = request.permission_object
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_save(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("La séance est mise à jour."))
            return redirect("forum:meeting_manage", pk=meeting.pk)
    return render(request, "forum/staff/meeting_manage.html", _context(meeting, form=form))


@require_POST
@access.permission("forum.manage_meetings", get_object=get_meeting)
def meeting_minutes(request, pk: int):
    meeting = request.permission_object
    form = MinutesForm(request.POST, request.FILES, prefix="minutes")
    if form.is_valid():
        try:
            services.meeting_publish_minutes(
                actor=request.user,
                meeting=meeting,
                text=form.cleaned_data["text"],
                pdf=form.cleaned_data["pdf"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Le compte rendu est publié."))
            return redirect("forum:meeting_manage", pk=meeting.pk)
    return render(
        request, "forum/staff/meeting_manage.html", _context(meeting, minutes_form=form), status=400
    )


@require_POST
@access.permission("forum.manage_meetings", get_object=get_meeting)
def meeting_invite(request, pk: int):
    meeting = request.permission_object
    try:
        count = services.meeting_invite_members(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if count:
            messages.success(request, _("%(n)d invitation(s) en cours d'envoi.") % {"n": count})
        else:
            messages.info(request, _("Tous les membres sont déjà invités."))
    return redirect("forum:meeting_manage", pk=meeting.pk)


@require_POST
@access.permission("forum.manage_meetings", get_object=get_meeting)
def meeting_attendance(request, pk: int):
    meeting = request.permission_object
    form = AttendanceForm(request.POST, prefix="attendance")
    if form.is_valid():
        try:
            services.meeting_set_attendance(
                actor=request.user, meeting=meeting, members=list(form.cleaned_data["members"])
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Les présences sont enregistrées."))
            return redirect("forum:meeting_manage", pk=meeting.pk)
    return render(
        request,
        "forum/staff/meeting_manage.html",
        _context(meeting, attendance_form=form),
        status=400,
    )
