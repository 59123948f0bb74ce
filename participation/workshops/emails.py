"""The e-mails sent about a registration: sent by ``services.notice_send`` through
``core.mail`` (templates ``workshops/emails/notice*.txt``)."""

from __future__ import annotations

from django.urls import reverse

from forum_ouvert.core.links import absolute_url, site_url
from forum_ouvert.core.mail import mail_send, speaking_to

from .ics import calendar_bytes
from .models import Notice, NoticeKind, RegistrationStatus
from .selectors import waiting_rank

#: Kinds that carry the workshop's .ics file (a cancellation carries it too: it removes
#: the event from the person's calendar).
WITH_CALENDAR = {
    NoticeKind.CONFIRMATION,
    NoticeKind.PROMOTION,
    NoticeKind.REMINDER,
    NoticeKind.WORKSHOP_CANCELLED,
}


def notice_mail_send(notice: Notice) -> bool:
    """Send the e-mail of ``notice`` to the registered person, once."""
    registration = notice.registration
    with speaking_to(registration.user):  # its links and calendar too
        workshop = registration.workshop
        holds_seat = registration.status == RegistrationStatus.CONFIRMED
        context = {
            "kind": notice.kind,
            "workshop": workshop,
            "registration": registration,
            "name": registration.user.display_name or registration.user.email,
            "rank": waiting_rank(registration),
            "holds_seat": holds_seat,
            "workshop_url": absolute_url(workshop),
            "cancel_url": absolute_url(
                reverse("workshops:cancel_by_token", kwargs={"token": registration.token})
            ),
            "site_url": site_url(),
        }
        attachments = []
        if notice.kind in WITH_CALENDAR:
            attachments.append(
                (
                    f"atelier-{workshop.slug[:60]}.ics",
                    calendar_bytes([workshop], name=workshop.title, with_visio=holds_seat),
                    "text/calendar",
                )
            )
        return mail_send(
            template="workshops/emails/notice",
            context=context,
            to=[registration.user.email],
            attachments=attachments,
            once=f"workshops.notice:{notice.pk}",
            recipient=registration.user,
        )
