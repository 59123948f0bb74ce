"""Account deletion (RGPD): what this app removes or anonymises."""

from __future__ import annotations

from django.db import transaction

from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.models import User

from ..models import Application, ApplicationStatus


@transaction.atomic
def forget_user(*, user: User) -> None:
    """Drafts disappear with their files; submitted applications stay (they belong to the
    organisation and to the call's accountability) but lose the person's contact details
    and their link to the account. Reviews and decisions by staff keep their author, whose
    account becomes an anonymous tombstone."""
    applications = list(Application.objects.filter(applicant=user).prefetch_related("attachments"))
    for application in applications:
        if application.status == ApplicationStatus.DRAFT:
            files = [(a.file.storage, a.file.name) for a in application.attachments.all()]
            audit_log(actor=user, action="forum.application.forget", target=application)
            application.delete()
            for storage, name in files:
                transaction.on_commit(lambda s=storage, n=name: s.delete(n))
            continue
        application.applicant = None
        application.contact_name = ""
        application.contact_email = ""
        application.contact_phone = ""
        application.save(
            update_fields=["applicant", "contact_name", "contact_email", "contact_phone"]
        )
        audit_log(actor=user, action="forum.application.forget", target=application)
