"""The forum's meetings: announcement, invitations to members, minutes, attendance."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum_ouvert.core.access import require
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.mail import language_of, mail_send, speaking_to
from forum_ouvert.core.models import User
from forum_ouvert.core.outbox import enqueue_many
from forum_ouvert.core.uploads import validate_pdf_upload

from ..models import Meeting, MeetingAttendance, MeetingInvitation, Member
from .applications import application_recipients
from .common import changed_fields, snapshot

MEETING_FIELDS = ("title", "starts_at", "ends_at", "place", "visio_url", "agenda", "is_cancelled")


@transaction.atomic
def meeting_save(*, actor: User, meeting: Meeting | None = None, **fields) -> Meeting:
    """Announce a meeting or change it (journaled)."""
    require(actor, "forum.manage_meetings")
    meeting = meeting or Meeting()
    created = meeting.pk is None
    before = {} if created else snapshot(meeting, MEETING_FIELDS)
    for name in MEETING_FIELDS:
        if name in fields:
            setattr(meeting, name, fields[name])
    meeting.full_clean()
    meeting.save()
    audit_log(
        actor=actor,
        action="forum.meeting.create" if created else "forum.meeting.update",
        target=meeting,
        changes=changed_fields(before, snapshot(meeting, MEETING_FIELDS)),
    )
    return meeting


@transaction.atomic
def meeting_publish_minutes(
    *, actor: User, meeting: Meeting, text: str, pdf: UploadedFile | None = None
) -> Meeting:
    """Publish (or correct) the minutes of a meeting that has taken place: text, PDF or both."""
    require(actor, "forum.manage_meetings")
    if not meeting.is_past:
        raise ValidationError(_("Le compte rendu se publie après la séance."))
    if pdf is not None:
        validate_pdf_upload(pdf)
    if not text.strip() and pdf is None and not meeting.minutes_pdf:
        raise ValidationError(_("Rédigez le compte rendu ou joignez-le en PDF."))
    old_text, old_pdf = meeting.minutes_text, meeting.minutes_pdf.name
    meeting.minutes_text = text.strip()
    if pdf is not None:
        meeting.minutes_pdf.save(pdf.name, pdf, save=False)
    now = timezone.now()
    if meeting.minutes_published_at:
        meeting.minutes_updated_at = now  # « mis à jour le … » beside « Publié le … »
    else:
        meeting.minutes_published_at = now
    meeting.full_clean()
    meeting.save()
    audit_log(
        actor=actor,
        action="forum.meeting.minutes",
        target=meeting,
        changes=changed_fields(
            {"compte_rendu": old_text, "pdf": bool(old_pdf)},
            {"compte_rendu": meeting.minutes_text, "pdf": bool(meeting.minutes_pdf)},
        ),
    )
    return meeting


@transaction.atomic
def meeting_invite_members(*, actor: User, meeting: Meeting) -> int:
    """Invite every current member not yet invited; the e-mails leave after the commit."""
    require(actor, "forum.manage_meetings")
    if meeting.is_cancelled or meeting.is_past:
        raise ValidationError(_("On n'invite qu'à une séance à venir."))
    invited = MeetingInvitation.objects.filter(meeting=meeting).values("member_id")
    members = Member.objects.filter(left_on__isnull=True).exclude(pk__in=invited)
    invitations = MeetingInvitation.objects.bulk_create(
        [MeetingInvitation(meeting=meeting, member=member) for member in members]
    )
    if invitations:
        audit_log(
            actor=actor,
            action="forum.meeting.invite",
            target=meeting,
            changes={"invitations": [None, len(invitations)]},
        )
    enqueue_many("forum.send_invitation", [(invitation.pk,) for invitation in invitations])
    return len(invitations)


def invitation_send(*, invitation_id: int) -> bool:
    """E-mail one invitation (with a calendar file), once: recorded under a row lock."""
    from ..ics import meeting_ics

    with transaction.atomic():
        invitation = (
            MeetingInvitation.objects.select_for_update(of=("self",))
            .select_related("meeting", "member__application__applicant")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.sent_at or invitation.meeting.is_cancelled:
            return False
        recipients = application_recipients(invitation.member.application)
        if recipients:
            # To the account and the organisation's contact, in the applicant's language.
            applicant = invitation.member.application.applicant
            with speaking_to(applicant):
                mail_send(
                    template="forum/emails/invitation",
                    context={"meeting": invitation.meeting, "member": invitation.member},
                    to=recipients,
                    attachments=[("seance.ics", meeting_ics(invitation.meeting), "text/calendar")],
                    once=f"forum.invitation:{invitation.pk}",
                    language=language_of(applicant),
                )
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return bool(recipients)


@transaction.atomic
def meeting_set_attendance(*, actor: User, meeting: Meeting, members: list[Member]) -> Meeting:
    """Record which members attended (staff's list); these become verified participations."""
    require(actor, "forum.manage_meetings")
    if not meeting.is_past:
        raise ValidationError(_("Les présences se notent après le début de la séance."))
    wanted = {m.pk for m in members}
    current = set(meeting.attendances.values_list("member_id", flat=True))
    meeting.attendances.filter(member_id__in=current - wanted).delete()
    MeetingAttendance.objects.bulk_create(
        [
            MeetingAttendance(meeting=meeting, member_id=pk, marked_by=actor)
            for pk in sorted(wanted - current)
        ]
    )
    if wanted != current:
        audit_log(
            actor=actor,
            action="forum.meeting.attendance",
            target=meeting,
            changes={"presents": [sorted(current), sorted(wanted)]},
        )
    return meeting
