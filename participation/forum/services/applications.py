"""Applying: draft, edit, submit (before the closing time, by the server's clock), withdraw."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum_ouvert.core.access import may, require_may_write
from forum_ouvert.core.accounts import verified_email
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.mail import mail_send, speaking_to
from forum_ouvert.core.models import User
from forum_ouvert.core.outbox import enqueue
from forum_ouvert.core.uploads import validate_pdf_upload

from ..models import (
    APPLICATION_STATES,
    MAX_ATTACHMENTS,
    Application,
    ApplicationStatus,
    Attachment,
    Call,
)
from .common import changed_fields, snapshot

#: What an applicant fills in (the form's fields, the journal's keys).
APPLICATION_FIELDS = (
    "organisation_name",
    "legal_form",
    "rna_number",
    "siret",
    "departement",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "college",
    "motivation",
    "experience",
    "accepts_accuracy",
    "accepts_privacy",
)
#: What a submitted application must have.
REQUIRED_TO_SUBMIT = (
    "organisation_name",
    "legal_form",
    "departement",
    "contact_name",
    "contact_email",
    "college",
    "motivation",
    "experience",
)
DECLARATIONS = ("accepts_accuracy", "accepts_privacy")


def locked_applications(*related: str):
    """Applications to change under a row lock (the joined call and ``related`` rows are
    read, not locked)."""
    return Application.objects.select_for_update(of=("self",)).select_related("call", *related)


def _closed_error() -> ValidationError:
    return ValidationError(
        _("L'appel est clos : la candidature ne peut plus être déposée ni modifiée."),
        code="closed",
    )


def _check_complete(application: Application) -> None:
    errors = {}
    for name in REQUIRED_TO_SUBMIT:
        if not getattr(
            application, name if name not in ("departement", "college") else f"{name}_id"
        ):
            errors[name] = _("Ce champ est obligatoire pour déposer la candidature.")
    for name in DECLARATIONS:
        if not getattr(application, name):
            errors[name] = _("Cochez cette case pour déposer la candidature.")
    if application.college_id and application.college.call_id != application.call_id:
        errors["college"] = _("Ce collège n'appartient pas à cet appel.")
    if errors:
        raise ValidationError(errors)


def _save(application: Application) -> None:
    """Validate (constraints included, with their French messages) then save."""
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a concurrent twin passed full_clean at the same time
        raise ValidationError(
            _("Cette organisation a déjà une candidature à cet appel."), code="duplicate"
        ) from exc


def _add_attachments(application: Application, uploads: list[UploadedFile]) -> list[Attachment]:
    if not uploads:
        return []
    for upload in uploads:
        validate_pdf_upload(upload)
    if application.attachments.count() + len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("Trois pièces jointes au plus : retirez-en avant d'en ajouter.")}
        )
    created = []
    for upload in uploads:
        attachment = Attachment(
            application=application, original_name=upload.name[:120], size=upload.size
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        created.append(attachment)
    return created


@transaction.atomic
def application_create(
    *,
    applicant: User,
    call: Call,
    attachments: list[UploadedFile] = (),
    submit: bool = False,
    **fields,
) -> Application:
    """Start an application for an organisation (a draft), optionally submitting it."""
    require_may_write(applicant)
    if not may(applicant, "forum.apply", call):
        if not call.accepts_applications():
            raise _closed_error()
        raise PermissionDenied("forum.apply")
    application = Application(call=call, applicant=applicant)
    for name in APPLICATION_FIELDS:
        if name in fields:
            setattr(application, name, fields[name])
    _save(application)
    added = _add_attachments(application, list(attachments))
    audit_log(
        actor=applicant,
        action="forum.application.create",
        target=application,
        changes={"pieces_jointes": [None, [a.original_name for a in added]]} if added else {},
    )
    if submit:
        application_submit(actor=applicant, application=application)
    return application


@transaction.atomic
def application_update(
    *,
    actor: User,
    application: Application,
    attachments: list[UploadedFile] = (),
    submit: bool = False,
    **fields,
) -> Application:
    """Change a draft or a submitted application before the closing time. A submitted one
    stays submitted, and every change is journaled (old and new values)."""
    require_may_write(actor)
    application = locked_applications().get(pk=application.pk)
    if not may(actor, "forum.change_application", application):
        if not application.call.accepts_applications():
            raise _closed_error()
        raise PermissionDenied("forum.change_application")
    before = snapshot(application, APPLICATION_FIELDS)
    for name in APPLICATION_FIELDS:
        if name in fields:
            setattr(application, name, fields[name])
    if application.status == ApplicationStatus.SUBMITTED:
        _check_complete(application)
    _save(application)
    added = _add_attachments(application, list(attachments))
    changes = changed_fields(before, snapshot(application, APPLICATION_FIELDS))
    if added:
        changes["pieces_jointes"] = [None, [a.original_name for a in added]]
    if changes:
        audit_log(
            actor=actor, action="forum.application.update", target=application, changes=changes
        )
    if submit and application.status == ApplicationStatus.DRAFT:
        application_submit(actor=actor, application=application)
    return application


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> Application:
    """Submit a complete draft. Refused once the closing time has passed, whatever the page
    showed. The acknowledgement e-mail leaves after the commit."""
    require_may_write(actor)
    application = locked_applications().get(pk=application.pk)
    if not application.call.accepts_applications():
        raise _closed_error()
    if not may(actor, "forum.submit_application", application):
        raise PermissionDenied("forum.submit_application")
    APPLICATION_STATES.check(application.status, ApplicationStatus.SUBMITTED)
    _check_complete(application)
    APPLICATION_STATES.move(
        application,
        ApplicationStatus.SUBMITTED,
        actor=actor,
        action="forum.application.submit",
        save=False,
    )
    application.submitted_at = timezone.now()
    _save(application)
    enqueue("forum.send_acknowledgement", application.pk)
    return application


@transaction.atomic
def application_withdraw(*, actor: User, application: Application, reason: str = "") -> Application:
    """The applicant withdraws their application before the closing time."""
    application = locked_applications().get(pk=application.pk)
    if not may(actor, "forum.withdraw_application", application):
        if not application.call.accepts_applications():
            raise _closed_error()
        raise PermissionDenied("forum.withdraw_application")
    APPLICATION_STATES.move(
        application,
        ApplicationStatus.WITHDRAWN,
        actor=actor,
        action="forum.application.withdraw",
        reason=reason,
        save=False,
    )
    application.withdrawn_at = timezone.now()
    _save(application)
    return application


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    """Remove an attachment while the application may still change (file included)."""
    application = attachment.application
    if not may(actor, "forum.change_application", application):
        raise PermissionDenied("forum.change_application")
    audit_log(
        actor=actor,
        action="forum.application.update",
        target=application,
        changes={"pieces_jointes": [attachment.original_name, None]},
    )
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def acknowledgement_send(*, application_id: int) -> bool:
    """E-mail the acknowledgement of a submission, once (row lock + sent date), to the
    applicant's verified account address only; none, nothing is sent (and the
    acknowledgement stays due)."""
    with transaction.atomic():
        application = locked_applications("applicant", "college").filter(pk=application_id).first()
        if application is None or application.acknowledged_at or not application.submitted_at:
            return False
        # Only to the account's confirmed address: the contact address is typed by the
        # applicant and never confirmed, a submission must not mail it to anyone (issue 23).
        address = verified_email(application.applicant)
        if address is None:
            return False
        with speaking_to(application.applicant):
            mail_send(
                template="forum/emails/acknowledgement",
                context={"application": application},
                to=[address],
                once=f"forum.acknowledgement:{application.pk}",
                recipient=application.applicant,
            )
        application.acknowledged_at = timezone.now()
        application.save(update_fields=["acknowledged_at"])
    return True


def application_recipients(application: Application) -> list[str]:
    """The applicant's account address and the organisation's contact address."""
    addresses = [application.contact_email]
    if application.applicant and application.applicant.is_active:
        addresses.append(application.applicant.email)
    return sorted({a.lower() for a in addresses if a})
