"""The e-mails sent about a registration: built here, sent by ``services.notice_send``."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from .ics import calendar_bytes
from .models import Notice, NoticeKind, RegistrationStatus
from .selectors import waiting_rank

#: Kinds that carry the workshop's .ics file.
WITH_CALENDAR = {NoticeKind.CONFIRMATION, NoticeKind.PROMOTION, NoticeKind.REMINDER}


def subject_for(kind: str, title: str) -> str:
    subjects = {
        NoticeKind.CONFIRMATION: _("Inscription confirmée : %(title)s"),
        NoticeKind.WAITLIST: _("Liste d'attente : %(title)s"),
        NoticeKind.PROMOTION: _("Une place s'est libérée : %(title)s"),
        NoticeKind.REMINDER: _("Rappel : %(title)s dans deux jours"),
        NoticeKind.WORKSHOP_CANCELLED: _("Atelier annulé : %(title)s"),
    }
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subjects[kind] % {'title': title}}"


def build_message(notice: Notice) -> EmailMultiAlternatives:
    registration = notice.registration
    workshop = registration.workshop
    holds_seat = registration.status == RegistrationStatus.CONFIRMED
    context = {
        "kind": notice.kind,
        "workshop": workshop,
        "registration": registration,
        "name": registration.user.display_name or registration.user.email,
        "rank": waiting_rank(registration),
        "holds_seat": holds_seat,
        "workshop_url": f"{settings.SITE_URL}{workshop.get_absolute_url()}",
        "cancel_url": f"{settings.SITE_URL}"
        + reverse("workshops:cancel_by_token", kwargs={"token": registration.token}),
        "site_url": settings.SITE_URL,
    }
    body = render_to_string("workshops/emails/notice.txt", context)
    message = EmailMultiAlternatives(
        subject=subject_for(notice.kind, workshop.title),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.user.email],
    )
    if notice.kind in WITH_CALENDAR or notice.kind == NoticeKind.WORKSHOP_CANCELLED:
        message.attach(
            f"atelier-{workshop.slug[:60]}.ics",
            calendar_bytes([workshop], name=workshop.title, with_visio=holds_seat),
            "text/calendar",
        )
    return message
