"""The applicant's pages: apply, come back, edit, submit, withdraw; their attachments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum_ouvert.core import access
from forum_ouvert.core.forms import add_errors
from forum_ouvert.core.uploads import document_response, safe_download_name

from ..forms import ApplicationForm, WithdrawForm
from ..models import ApplicationStatus, Call
from ..rules import application_abilities
from ..selectors import applications_of
from ..services import applications as services
from .common import get_application, get_attachment

SUBMIT = "deposer"


def _closed(request, call: Call):
    messages.error(
        request,
        _("L'appel « %(title)s » est clos : les candidatures ne sont plus acceptées.")
        % {"title": call.title},
    )
    return redirect(call.get_absolute_url())


def _initial_contact(user) -> dict:
    return {
        "contact_name": user.display_name,
        "contact_email": user.email,
        "departement": user.departement_id,
    }


@access.login
def application_start(request, slug: str):
    """A new application to an open call (saved as a draft, or submitted at once)."""
    call = get_object_or_404(Call, slug=slug)
    if not access.may(request.user, "forum.view_call", call):
        raise Http404  # a draft call: as on its page, it does not exist yet
    if not call.accepts_applications():
        return _closed(request, call)
    if not access.may(request.user, "forum.apply", call):
        raise PermissionDenied
    # Shown with what submitting requires; a draft may be saved incomplete.
    submitting = request.method == "GET" or request.POST.get("action") == SUBMIT
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        call=call,
        submitting=submitting,
        initial=_initial_contact(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                applicant=request.user,
                call=call,
                attachments=form.cleaned_data["attachments"],
                submit=submitting,
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _submitted_or_saved(submitting))
            return redirect(application.get_absolute_url())
    return render(
        request,
        "forum/application_form.html",
        {"title": _("Candidater : %(title)s") % {"title": call.title}, "call": call, "form": form},
    )


def _submitted_or_saved(submitting: bool) -> str:
    if submitting:
        return _(
            "Votre candidature est déposée. Un accusé de réception vous est envoyé par e-mail."
        )
    return _("Votre brouillon est enregistré. Vous pouvez le reprendre jusqu'à la clôture.")


@access.login
def my_applications(request):
    """The applications I made, with their status."""
    return render(
        request,
        "forum/my_applications.html",
        {"title": _("Mes candidatures"), "applications": applications_of(user=request.user)},
    )


@access.permission("forum.view_application", get_object=get_application, private=True)
def my_application(request, pk: int):
    """One of my applications: its content, attachments, status and decision once told."""
    application = request.permission_object
    return render(
        request,
        "forum/my_application.html",
        {
            "title": application.organisation_name,
            "application": application,
            "attachments": application.attachments.all(),
            "can": application_abilities(request.user, application),
        },
    )


@access.permission("forum.view_application", get_object=get_application, private=True)
def application_edit(request, pk: int):
    """Edit a draft, or a submitted application until closing (it stays submitted)."""
    application = request.permission_object
    if not application.call.accepts_applications():
        return _closed(request, application.call)
    if not access.may(request.user, "forum.change_application", application):
        raise PermissionDenied
    submitting = (
        request.method == "GET"
        or request.POST.get("action") == SUBMIT
        or application.status == ApplicationStatus.SUBMITTED
    )
    attachment_count = application.attachments.count()
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        instance=application,
        call=application.call,
        submitting=submitting,
        attachment_count=attachment_count,
    )
    if request.method == "POST" and form.is_valid():
        was_draft = application.status == ApplicationStatus.DRAFT
        try:
            services.application_update(
                actor=request.user,
                application=application,
                attachments=form.cleaned_data["attachments"],
                submit=request.POST.get("action") == SUBMIT,
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if was_draft:
                messages.success(request, _submitted_or_saved(request.POST.get("action") == SUBMIT))
            else:
                messages.success(request, _("Vos modifications sont enregistrées."))
            return redirect(application.get_absolute_url())
    return render(
        request,
        "forum/application_form.html",
        {
            "title": _("Modifier la candidature"),
            "call": application.call,
            "application": application,
            "attachments": application.attachments.all(),
            "form": form,
        },
    )


@access.permission("forum.view_application", get_object=get_application, private=True)
def application_withdraw(request, pk: int):
    """Withdraw an application before the closing time, after confirmation."""
    application = request.permission_object
    if not application.call.accepts_applications():
        return _closed(request, application.call)
    if not access.may(request.user, "forum.withdraw_application", application):
        raise PermissionDenied
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Votre candidature est retirée."))
            return redirect("forum:my_applications")
    return render(
        request,
        "forum/application_withdraw.html",
        {"title": _("Retirer la candidature"), "application": application, "form": form},
    )


@require_POST
@access.permission("forum.view_attachment", get_object=get_attachment, private=True)
def attachment_delete(request, pk: int, attachment_pk: int):
    """Remove one of my attachments while the application may still change."""
    attachment = request.permission_object
    try:
        services.attachment_delete(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("La pièce jointe « %(name)s » est retirée.") % {"name": attachment.original_name},
        )
    return redirect("forum:application_edit", pk=pk)


@access.permission("forum.view_attachment", get_object=get_attachment, private=True)
def attachment_download(request, pk: int, attachment_pk: int):
    """An attachment, for its applicant and for reviewers only (``?lire=1`` to read it in
    the browser)."""
    attachment = request.permission_object
    return document_response(
        attachment.file,
        download_name=safe_download_name(attachment.original_name, default="piece-jointe"),
        inline=request.GET.get("lire") == "1",
    )
