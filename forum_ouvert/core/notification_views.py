"""The notification centre (« Mes notifications »), its settings, and the e-mails' one-click
unsubscribe page (no login: the signed link is the authority)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import access, htmx
from . import notifications as service
from .forms import BaseForm
from .models import Notification

PER_PAGE = 30

NOTIFICATION_LIST = htmx.Page(
    "core/notifications.html",
    htmx.Fragment("item", target="notification-*"),
    htmx.Fragment("list", target="notifications-liste"),
)


def _context(request) -> dict:
    page = Paginator(
        Notification.objects.filter(recipient=request.user).order_by("-updated_at", "-id"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    return {
        "title": _("Mes notifications"),
        "page_obj": page,
        "notifications": list(page.object_list),
        "unread": service.unread_count(request.user),
    }


@access.login
def notification_list(request):
    """My notifications, newest first, the unread ones marked, with « Tout marquer lu »."""
    return NOTIFICATION_LIST.render(request, _context(request))


@require_POST
@access.login
def notification_read(request, pk: int):
    """Mark one notification read (someone else's is a 404, as a missing one)."""
    try:
        notification = service.notification_mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    if request.htmx:
        return NOTIFICATION_LIST.render_fragment(
            request,
            "notification-*",
            {"notification": notification, "unread": service.unread_count(request.user)},
            oob=("counter",),
        )
    return redirect("core:notifications")


@require_POST
@access.login
def notification_read_all(request):
    """Mark all my notifications read."""
    count = service.notifications_mark_all_read(user=request.user)
    if request.htmx:
        return NOTIFICATION_LIST.render_fragment(
            request, "notifications-liste", _context(request), oob=("counter",)
        )
    if count:
        messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return redirect("core:notifications")


class NotificationSettingsForm(BaseForm):
    """One choice per kind: at once by e-mail, in the daily digest, or only on the site."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in service.Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=service.deliveries(kind.value),
                widget=forms.RadioSelect,
                initial=current[kind.value],
            )


@access.login
def notification_settings(request):
    """« Mon compte » › notifications: how each kind reaches me."""
    current = service.settings_for(request.user)
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None, current=current
    )
    if request.method == "POST" and form.is_valid():
        service.settings_save(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Vos réglages de notification sont enregistrés."))
        return redirect("core:notification_settings")
    return render(
        request,
        "core/notification_settings.html",
        {"title": _("Réglages des notifications"), "form": form},
        status=400 if form.is_bound else 200,
    )


UNSUBSCRIBE_TITLE = gettext_lazy("Se désabonner")


@never_cache
# RFC 8058: the mail client's one-click POST carries no CSRF token; the signed, expiring
# token in the path is the authority, and a GET only asks.
@csrf_exempt  # nosemgrep: fo-csrf-exempt (RFC 8058 one-click unsubscribe, signed token)
@access.public
def unsubscribe(request, token: str):
    """GET: what the link stops, and one button. POST: done (mail scanners only GET)."""
    what = service.unsubscribe_read(token)
    if what is None:
        return render(
            request,
            "core/unsubscribe.html",
            {"title": UNSUBSCRIBE_TITLE, "what": None, "done": False, "kind_label": ""},
            status=404,
        )
    done = False
    # RFC 8058's body is ``List-Unsubscribe=One-Click``; reading it also makes a body in an
    # undecodable charset the 400 page, as for every form (issue 23).
    if request.method == "POST" and request.POST is not None:
        service.unsubscribe_apply(token=token)
        done = True
    kind_label = service.Kind(what["kind"]).label if what["kind"] else ""
    return render(
        request,
        "core/unsubscribe.html",
        {"title": UNSUBSCRIBE_TITLE, "what": what, "done": done, "kind_label": kind_label},
    )


# --- Following (one button for every followable object) -------------------------------

FOLLOW = htmx.Page("core/includes/_follow.html", htmx.Fragment("follow", target="suivre"))


def follow_context(request, target, *, url: str, label: str) -> dict:
    """What ``core/includes/_follow.html`` reads as ``follow``: include it with this."""
    return {
        "url": url,
        "label": label,
        "next": target.get_absolute_url(),
        "following": service.is_following(request.user, target),
    }


def follow_toggle_view(request, target, *, url: str, label: str):
    """Follow or stop following ``target`` (the view checked the permission): htmx swaps
    the button, otherwise back to the target's page with a message."""
    following = service.follow_toggle(user=request.user, target=target)
    if request.htmx:
        context = {"follow": follow_context(request, target, url=url, label=label)}
        return FOLLOW.render_fragment(request, "suivre", context)
    messages.success(
        request,
        _("Vous suivez ceci : ses changements arrivent dans vos notifications.")
        if following
        else _("Vous ne suivez plus ceci."),
    )
    return redirect(target)
