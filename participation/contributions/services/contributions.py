"""What participants do: contribute, edit, withdraw, support, comment, report."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engagements.models import Commitment
from forum_ouvert.core import notifications, ratelimit, supports
from forum_ouvert.core.access import require_may_write
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.models import Departement, User

from ..models import (
    EDIT_WINDOW,
    PUBLICATION_STATES,
    Comment,
    Consultation,
    Contribution,
    PublicationStatus,
    Report,
    Theme,
    TransitionNotAllowed,
    next_status,
)
from .statements import hide_if_reported_enough

CONTRIBUTIONS_PER_HOUR = 10
COMMENTS_PER_HOUR = 30
HOUR = 3600


def _rate_limit(scope: str, user: User, limit: int, message: str) -> None:
    try:
        ratelimit.hit(scope, user.pk, limit=limit, period=HOUR)
    except ratelimit.RateLimitExceeded:
        raise ValidationError(message, code="rate_limited") from None


def refresh_comment_count(contribution_id: int) -> None:
    """Recount the published comments of a contribution (after any change to them)."""
    count = Comment.objects.filter(
        contribution_id=contribution_id, status=PublicationStatus.PUBLISHED
    ).count()
    Contribution.objects.filter(pk=contribution_id).update(comment_count=count)


def _check_theme(consultation: Consultation, theme: Theme | None) -> None:
    if theme is not None and theme.consultation_id != consultation.pk:
        raise ValidationError({"theme": _("Ce thème n'appartient pas à cette consultation.")})
    if theme is None and consultation.themes.exists():
        raise ValidationError({"theme": _("Choisissez le thème ou la question.")})


@transaction.atomic
def contribution_submit(
    *,
    author: User,
    consultation: Consultation,
    title: str,
    body: str,
    theme: Theme | None = None,
    commitment: Commitment | None = None,
    departement: Departement | None = None,
) -> Contribution:
    """Post a contribution: published at once, or queued when moderation is a priori.

    At most ``CONTRIBUTIONS_PER_HOUR`` per person (counted in the cache). The journal
    row is written in the same transaction: no contribution without its audit row.
    """
    require_may_write(author)
    if not consultation.is_open:
        raise ValidationError(_("Cette consultation n'accepte pas de contributions."))
    _check_theme(consultation, theme)
    contribution = Contribution(
        consultation=consultation,
        author=author,
        title=title.strip(),
        body=body.strip(),
        theme=theme,
        commitment=commitment,
        departement=departement,
        status=PublicationStatus.PENDING
        if consultation.is_a_priori
        else PublicationStatus.PUBLISHED,
    )
    contribution.full_clean(exclude=["search_vector"])
    _rate_limit(
        "contribution",
        author,
        CONTRIBUTIONS_PER_HOUR,
        _(
            "Vous avez déjà envoyé %(n)d contributions au cours de la dernière heure. "
            "Votre texte est conservé : réessayez un peu plus tard."
        )
        % {"n": CONTRIBUTIONS_PER_HOUR},
    )
    contribution.save()
    audit_log(
        actor=author,
        action="contributions.contribution.submit",
        target=contribution,
        changes={"status": [None, contribution.status]},
    )
    if contribution.status == PublicationStatus.PUBLISHED:
        contribution_told(contribution)
    return contribution


def contribution_told(contribution: Contribution) -> None:
    """The consultation's followers hear of a new published contribution."""
    notifications.notify_followers(
        target=contribution.consultation,
        actor=contribution.author,
        url=contribution.get_absolute_url(),
        message=_("Nouvelle contribution à « %(consultation)s » : « %(title)s »")
        % {"consultation": contribution.consultation.title, "title": contribution.title},
    )


def comment_told(comment: Comment) -> None:
    """Tell of a published comment: the contribution's author, the author of the comment it
    answers, then the contribution's followers (each person once)."""
    contribution = comment.contribution
    url = f"{contribution.get_absolute_url()}#commentaire-{comment.pk}"
    told = {comment.author_id}
    for recipient, reply in (
        (contribution.author, False),
        (comment.parent.author if comment.parent_id else None, True),
    ):
        if recipient is None or recipient.pk in told:
            continue
        told.add(recipient.pk)
        notifications.notify(
            recipient=recipient,
            kind=notifications.Kind.COMMENT,
            target=contribution,
            url=url,
            actor=comment.author,
            message=notifications.message_comment(title=contribution.title, reply=reply),
        )
    notifications.notify_followers(
        target=contribution,
        actor=comment.author,
        exclude=told,
        url=url,
        message=notifications.message_comment(title=contribution.title),
    )


@transaction.atomic
def contribution_edit(
    *,
    author: User,
    contribution: Contribution,
    title: str,
    body: str,
    theme: Theme | None = None,
    commitment: Commitment | None = None,
    departement: Departement | None = None,
) -> Contribution:
    """Change a contribution within 30 minutes of posting, until someone supports it.

    Under a priori moderation, the changed text goes back to the moderation queue.
    """
    require_may_write(author)
    locked = (
        Contribution.objects.select_for_update()
        .select_related("consultation")
        .get(pk=contribution.pk)
    )
    if locked.author_id != author.pk:
        raise ValidationError(_("Seul l'auteur peut modifier sa contribution."))
    if locked.support_count > 0:
        raise ValidationError(
            _("Cette contribution a déjà reçu un soutien : elle ne peut plus être modifiée.")
        )
    if timezone.now() >= locked.created_at + EDIT_WINDOW:
        raise ValidationError(_("Le délai de modification (30 minutes après l'envoi) est dépassé."))
    _check_theme(locked.consultation, theme)
    old_title, old_status, old_body = locked.title, locked.status, locked.body
    locked.title, locked.body = title.strip(), body.strip()
    locked.theme, locked.commitment, locked.departement = theme, commitment, departement
    try:
        if locked.consultation.is_a_priori:
            new_status = next_status("edit_a_priori", old_status)
        elif old_status != PublicationStatus.PUBLISHED:
            raise TransitionNotAllowed(old_status)
    except TransitionNotAllowed:
        raise ValidationError(_("Cette contribution ne peut plus être modifiée.")) from None
    changes = {}
    if old_title != locked.title:
        changes["title"] = [old_title, locked.title]
    if old_body != locked.body:
        changes["body"] = [
            _("%d caractères") % len(old_body),
            _("%d caractères") % len(locked.body),
        ]
    action = "contributions.contribution.edit"
    if locked.consultation.is_a_priori:
        # Back to the moderation queue: a move of the state machine, audited with the edit.
        PUBLICATION_STATES.move(
            locked, new_status, actor=author, action=action, changes=changes, save=False
        )
    else:
        audit_log(actor=author, action=action, target=locked, changes=changes)
    locked.full_clean(exclude=["search_vector"])
    locked.save()
    return locked


def has_responses(contribution: Contribution) -> bool:
    """A reasoned response or published comments: then a withdrawn contribution stays."""
    return (
        contribution.responded_at is not None
        or Comment.objects.filter(
            contribution=contribution, status=PublicationStatus.PUBLISHED
        ).exists()
    )


@transaction.atomic
def contribution_withdraw(*, author: User, contribution: Contribution) -> Contribution | None:
    """The author withdraws their contribution.

    If it received responses (a reasoned response or comments), it stays visible, marked
    « retirée par son auteur », so that the answers keep their context. Otherwise it is
    deleted, with its supports. Returns the contribution, or None when deleted.
    """
    locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if locked.author_id != author.pk:
        raise ValidationError(_("Seul l'auteur peut retirer sa contribution."))
    try:
        new_status = next_status("withdraw", locked.status)
    except TransitionNotAllowed:
        raise ValidationError(_("Cette contribution ne peut pas être retirée.")) from None
    old_status = locked.status
    if not has_responses(locked):
        audit_log(
            actor=author,
            action="contributions.contribution.withdraw",
            target=locked,
            changes={"status": [old_status, "supprimee"]},
        )
        locked.delete()
        return None
    locked.withdrawn_at = timezone.now()
    PUBLICATION_STATES.move(
        locked,
        new_status,
        actor=author,
        action="contributions.contribution.withdraw",
        update_fields=["withdrawn_at"],
    )
    return locked


@transaction.atomic
def support_add(*, user: User, contribution: Contribution) -> bool:
    """Support a published contribution of someone else. Returns False if already supported.

    The unique constraint on (contribution, user) is the guard: two simultaneous clicks
    insert once, the second insert fails inside its savepoint and changes nothing.
    """
    require_may_write(user)
    if contribution.status != PublicationStatus.PUBLISHED:
        raise ValidationError(_("Seule une contribution publiée peut être soutenue."))
    if contribution.author_id == user.pk:
        raise ValidationError(_("Vous ne pouvez pas soutenir votre propre contribution."))
    return supports.give(
        user=user, target=contribution, supports=contribution.supports, author=contribution.author
    )


@transaction.atomic
def support_remove(*, user: User, contribution: Contribution) -> bool:
    """Withdraw one's support. Returns False if there was none.

    The author's notification of that day's supports counts one less (none left: it is
    gone), in this transaction."""
    return supports.withdraw(
        user=user, target=contribution, supports=contribution.supports, author=contribution.author
    )


@transaction.atomic
def comment_post(
    *, author: User, contribution: Contribution, body: str, parent: Comment | None = None
) -> Comment:
    """Comment on a published contribution, or reply to a comment (one level of replies).

    Same moderation as the consultation; at most ``COMMENTS_PER_HOUR`` per person.
    """
    require_may_write(author)
    if contribution.status != PublicationStatus.PUBLISHED:
        raise ValidationError(_("Seule une contribution publiée peut être commentée."))
    if parent is not None:
        if parent.contribution_id != contribution.pk:
            raise ValidationError(_("Ce commentaire appartient à une autre contribution."))
        if parent.parent_id is not None:
            raise ValidationError(_("On ne répond qu'aux commentaires, pas aux réponses."))
        if parent.status != PublicationStatus.PUBLISHED:
            raise ValidationError(_("Ce commentaire n'accepte pas de réponse."))
    comment = Comment(
        contribution=contribution,
        parent=parent,
        author=author,
        body=body.strip(),
        status=PublicationStatus.PENDING
        if contribution.consultation.is_a_priori
        else PublicationStatus.PUBLISHED,
    )
    comment.full_clean()
    _rate_limit(
        "comment",
        author,
        COMMENTS_PER_HOUR,
        _(
            "Vous avez déjà envoyé %(n)d commentaires au cours de la dernière heure. "
            "Votre texte est conservé : réessayez un peu plus tard."
        )
        % {"n": COMMENTS_PER_HOUR},
    )
    comment.save()
    if comment.status == PublicationStatus.PUBLISHED:
        refresh_comment_count(contribution.pk)
        comment_told(comment)
    return comment


@transaction.atomic
def report_create(
    *,
    reporter: User,
    reason: str,
    details: str = "",
    contribution: Contribution | None = None,
    comment: Comment | None = None,
) -> Report:
    """Ask the moderators to look at a contribution or a comment (once while it is open).

    Reported by ``report_threshold()`` distinct people, a published item is hidden pending
    review (``statements.hide_if_reported_enough``); the item's row is locked so that two
    reports at once count each other."""
    require_may_write(reporter)
    if contribution is not None:
        contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if comment is not None:
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
    report = Report(
        reporter=reporter,
        contribution=contribution,
        comment=comment,
        reason=reason,
        details=details.strip(),
    )
    report.full_clean()
    report.save()
    if hide_if_reported_enough(obj=contribution or comment) and comment is not None:
        refresh_comment_count(comment.contribution_id)
    return report
