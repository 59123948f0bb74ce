"""Public pages: the forum (members, rules, meetings) and the calls for applications."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from forum_ouvert.core import access
from forum_ouvert.core.uploads import document_response, safe_download_name

from ..models import Call, Meeting
from ..selectors import public as selectors


@access.public
def forum_index(request):
    """What the Forum ouvert is, its rules, its members by collège and its meetings."""
    context = selectors.forum_index_context()
    # The page's own title (the site's name follows it in <title>: « … — Forum ouvert »).
    context["title"] = _("Le Forum, ses membres et ses séances")
    return render(request, "forum/index.html", context)


@access.public
def call_list(request):
    """Every call out of draft, the open one first."""
    return render(
        request,
        "forum/call_list.html",
        {"title": _("Appels à manifestation d'intérêt"), "calls": selectors.public_calls()},
    )


@access.public
def call_detail(request, slug: str):
    """One call: conditions, dates, collèges and seats, and « Candidater » while open."""
    call = get_object_or_404(Call, slug=slug)
    if not access.may(request.user, "forum.view_call", call):
        raise Http404
    return render(
        request,
        "forum/call_detail.html",
        {
            "title": call.title,
            "call": call,
            "colleges": list(call.colleges.order_by("order", "name")),
            "accepts_applications": call.accepts_applications(),
            "may_apply": access.may(request.user, "forum.apply", call),
        },
    )


@access.public
def meeting_detail(request, pk: int):
    """A meeting: date, place, agenda, and its minutes once published."""
    meeting = get_object_or_404(Meeting, pk=pk)
    return render(
        request, "forum/meeting_detail.html", {"title": meeting.title, "meeting": meeting}
    )


@access.public
def meeting_minutes_pdf(request, pk: int):
    """The minutes in PDF, once published."""
    meeting = get_object_or_404(Meeting, pk=pk, minutes_published_at__isnull=False)
    if not meeting.minutes_pdf:
        raise Http404
    return document_response(
        meeting.minutes_pdf,
        download_name=safe_download_name(f"compte-rendu-{meeting.title}"),
        inline=True,
    )
