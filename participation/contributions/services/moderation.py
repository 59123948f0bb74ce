"""What DITP staff do: moderate (approve, hide, restore, dismiss reports) and answer.

Every act writes an audit row (who, when, old and new state, why) in its transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from forum_ouvert.core import notifications
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.links import absolute_url
from forum_ouvert.core.mail import mail_send, speaking_to
from forum_ouvert.core.models import User
from forum_ouvert.core.outbox import enqueue

from ..models import (
    CONTRIBUTION_DECISIONS,
    LISTED,
    PUBLICATION_STATES,
    Comment,
    ContestOutcome,
    Contribution,
    ModerationRule,
    Report,
    ReportStatus,
    Response,
    ResponseRevision,
    Statement,
    StatementDecision,
    Support,
    TransitionNotAllowed,
    act_target,
    next_status,
    response_mail_key,
)
from .contributions import comment_told, contribution_told, refresh_comment_count
from .statements import notify_statement, statement_issue, statements_close

logger = logging.getLogger(__name__)

MODERATION_ACTS = ("approve", "hide", "confirm", "restore")
HIDE_REASON = _lazy("Indiquez le motif public du masquage : il sera affiché à sa place.")
HIDE_RULE = _lazy("Choisissez la règle concernée : elle est citée à l'auteur.")


def _close_reports(*, actor: User, reports, status: str) -> int:
    return reports.filter(status=ReportStatus.OPEN).update(
        status=status, handled_by=actor, handled_at=timezone.now()
    )


def _check_grounds(act: str, rule: str, reason: str) -> None:
    """Hiding (or confirming a masking) states its ground: a rule and a public reason."""
    if act not in ("hide", "confirm"):
        return
    errors = {}
    if rule not in ModerationRule.values:
        errors["rule"] = str(HIDE_RULE)
    if not reason:
        errors["reason"] = str(HIDE_REASON)
    if errors:
        raise ValidationError(errors)


def _moderate(
    *, actor: User, obj: Contribution | Comment, act: str, reason: str, kind: str, rule: str = ""
):
    if act not in MODERATION_ACTS:
        raise ValidationError(_("Action de modération inconnue."))
    reason = (reason or "").strip()
    _check_grounds(act, rule, reason)
    move = act
    if act == "restore" and getattr(obj, "withdrawn_at", None):
        move = "restore_withdrawn"
    try:
        new = next_status(move, obj.status)
    except TransitionNotAllowed:
        raise PUBLICATION_STATES.refusal(obj.status, act_target(move)) from None
    if act in ("hide", "confirm"):
        obj.moderation_reason = reason
    elif act == "restore":
        obj.moderation_reason = ""
    obj.moderated_at = timezone.now()
    PUBLICATION_STATES.move(
        obj,
        new,
        actor=actor,
        action=f"contributions.{kind}.{act}",
        reason=reason,
        changes={"rule": rule} if rule else None,
        update_fields=["moderation_reason", "moderated_at"],
    )
    _close_reports(
        actor=actor,
        reports=obj.reports.all(),
        status=ReportStatus.UPHELD if act in ("hide", "confirm") else ReportStatus.DISMISSED,
    )
    if act in ("hide", "confirm"):
        statements_close(obj=obj, outcome=ContestOutcome.UPHELD, actor=actor)
        statement_issue(
            obj=obj, decision=StatementDecision.HIDDEN, rule=rule, reason=reason, actor=actor
        )
    elif act == "restore":
        statements_close(obj=obj, outcome=ContestOutcome.RESTORED, actor=actor, notify=True)
    if act == "approve" and kind == "comment":  # a priori moderation: published now
        comment_told(obj)
    elif act == "approve":
        contribution_told(obj)
    return obj


@transaction.atomic
def contribution_moderate(
    *, actor: User, contribution: Contribution, act: str, reason: str = "", rule: str = ""
) -> Contribution:
    """Approve (a priori), hide with a rule and a public reason (its author gets a statement
    of reasons), confirm a masking, or restore a contribution."""
    locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
    return _moderate(
        actor=actor, obj=locked, act=act, reason=reason, kind="contribution", rule=rule
    )


@transaction.atomic
def comment_moderate(
    *, actor: User, comment: Comment, act: str, reason: str = "", rule: str = ""
) -> Comment:
    """Approve, hide with a rule and a public reason, confirm or restore a comment;
    recounts the thread."""
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    _moderate(actor=actor, obj=locked, act=act, reason=reason, kind="comment", rule=rule)
    refresh_comment_count(locked.contribution_id)
    return locked


@transaction.atomic
def reports_dismiss(
    *,
    actor: User,
    contribution: Contribution | None = None,
    comment: Comment | None = None,
    reason: str = "",
) -> int:
    """Close the open reports on an item without changing it. Audited."""
    target = contribution if contribution is not None else comment
    reports = Report.objects.filter(
        Q(contribution=contribution) if contribution is not None else Q(comment=comment)
    )
    count = _close_reports(actor=actor, reports=reports, status=ReportStatus.DISMISSED)
    if count:
        kind = "contribution" if contribution is not None else "comment"
        audit_log(
            actor=actor,
            action=f"contributions.{kind}.dismiss_reports",
            target=target,
            changes={"open_reports": [count, 0]},
            reason=reason,
        )
    return count


@transaction.atomic
def moderation_bulk(
    *,
    actor: User,
    act: str,
    contribution_ids: list[int],
    comment_ids: list[int],
    reason: str = "",
    rule: str = "",
) -> tuple[int, int]:
    """Apply one act (approve, hide, restore, dismiss) to many items at once.

    Returns (done, skipped): items whose state does not allow the act are skipped and
    counted, the others are changed, each with its own audit row.
    """
    if act not in (*MODERATION_ACTS, "dismiss"):
        raise ValidationError(_("Action de modération inconnue."))
    _check_grounds(act, rule, (reason or "").strip())
    done = skipped = 0
    items = [
        *(("contribution", c) for c in Contribution.objects.filter(pk__in=contribution_ids)),
        *(("comment", c) for c in Comment.objects.filter(pk__in=comment_ids)),
    ]
    for kind, obj in items:
        try:
            with transaction.atomic():
                if act == "dismiss":
                    kwargs = {kind: obj}
                    if not reports_dismiss(actor=actor, reason=reason, **kwargs):
                        raise TransitionNotAllowed("aucun signalement")
                elif kind == "contribution":
                    contribution_moderate(
                        actor=actor, contribution=obj, act=act, reason=reason, rule=rule
                    )
                else:
                    comment_moderate(actor=actor, comment=obj, act=act, reason=reason, rule=rule)
            done += 1
        except (ValidationError, TransitionNotAllowed):
            skipped += 1
    return done, skipped


@transaction.atomic
def statement_answer(*, actor: User, statement: Statement, outcome: str, answer: str) -> Statement:
    """Staff answer a contest: uphold the decision, or restore the content. Audited; the
    author is told (``notify_statement``)."""
    locked = Statement.objects.select_for_update().get(pk=statement.pk)
    if locked.contested_at is None or locked.answered_at is not None:
        raise ValidationError(_("Cette contestation n'attend pas de réponse."))
    if outcome not in ContestOutcome.values:
        raise ValidationError({"outcome": _("Choisissez la réponse à la contestation.")})
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Expliquez la réponse : elle est envoyée à l'auteur.")})
    locked.answer = answer
    locked.save(update_fields=["answer", "updated_at"])
    audit_log(
        actor=actor,
        action="contributions.statement.answer",
        target=locked,
        changes={"outcome": ["", outcome]},
        reason=answer,
    )
    if outcome == ContestOutcome.RESTORED:
        target = locked.target
        if locked.comment_id:
            comment_moderate(actor=actor, comment=target, act="restore", reason=answer)
        else:
            contribution_moderate(actor=actor, contribution=target, act="restore", reason=answer)
    else:
        statements_close(obj=locked.target, outcome=outcome, actor=actor)
        notify_statement(statement=locked, event="answered")
    locked.refresh_from_db()
    return locked


@dataclass(frozen=True)
class Recorded:
    """What ``response_record`` did: the response, its decision before, whether the text
    changed (a new revision) and whether the people concerned are to be told."""

    response: Response
    old_status: str
    changed: bool
    notify: bool


def response_record(
    *, actor: User, target: dict, status: str, text: str, notify: bool = True
) -> Recorded:
    """Write the decision and reasons of the one response to ``target`` (``{"contribution":
    c}`` or ``{"proposal": p}``, locked by the caller, inside its transaction): a first
    response, or a correction that adds a revision. Every text is kept as a public,
    append-only ``ResponseRevision``; a first response is always notified, a correction
    when staff choose to. The caller checks the decision fits its target, writes its audit
    row and queues its e-mails. Nothing changes when the decision and text are the same."""
    text = (text or "").strip()
    response = Response.objects.select_for_update().filter(**target).first()
    old_status = response.status if response else ""
    first = response is None
    if first:
        response = Response(**target, author=actor, revision=1)
    else:
        if (response.status, response.text) == (status, text):
            return Recorded(response, old_status, changed=False, notify=False)
        response.revision += 1
        response.author = actor
    response.status = status
    response.text = text
    response.full_clean()
    response.save()
    notify = first or notify
    ResponseRevision.objects.create(
        response=response,
        revision=response.revision,
        status=response.status,
        text=response.text,
        author=actor,
        notified=notify,
    )
    return Recorded(response, old_status, changed=True, notify=notify)


@transaction.atomic
def response_set(
    *, actor: User, contribution: Contribution, status: str, text: str, notify: bool = True
) -> Response:
    """Give (or correct) the reasoned response to a contribution.

    Every text is kept as a public ``ResponseRevision``. The author and the supporters get
    an e-mail, queued once the transaction commits, for the first response always and for
    a correction only when staff choose to (``notify``).
    """
    locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if locked.status not in LISTED:
        raise ValidationError(_("Seule une contribution publiée peut recevoir un retour."))
    if status not in CONTRIBUTION_DECISIONS:
        raise ValidationError({"status": _("Choisissez une décision.")})
    done = response_record(
        actor=actor, target={"contribution": locked}, status=status, text=text, notify=notify
    )
    if not done.changed:
        return done.response  # nothing changed: no new version, no e-mail
    response = done.response
    locked.responded_at = timezone.now()
    locked.save(update_fields=["responded_at", "updated_at"])
    audit_log(
        actor=actor,
        action="contributions.response.set",
        target=locked,
        changes={"response_status": [done.old_status, status], "revision": response.revision},
        reason=response.text,
    )
    if done.notify:
        enqueue("contributions.notify_response", response.pk, response.revision)
        _tell_response(response, actor=actor)
    return response


def _tell_response(response: Response, *, actor: User) -> None:
    """The author and supporters in their notification centre (their e-mail is the
    response's own, ``response_notify``); the contribution's followers too."""
    contribution = response.contribution
    message = _("Retour argumenté sur « %(title)s » : %(decision)s") % {
        "title": contribution.title,
        "decision": response.get_status_display(),
    }
    told = notifications.notify_response(
        recipients=(user for user, _role in _recipients(response)),
        target=contribution,
        actor=actor,
        message=message,
    )
    notifications.notify_followers(target=contribution, actor=actor, exclude=told, message=message)


def _recipients(response: Response) -> list[tuple[User, str]]:
    """The author, then the supporters: active accounts only (deleted ones get nothing)."""
    contribution = response.contribution
    people: list[tuple[User, str]] = []
    author = contribution.author
    if author.is_active and author.anonymised_at is None:
        people.append((author, "author"))
    supporters = (
        User.objects.filter(
            pk__in=Support.objects.filter(contribution=contribution).values("user_id"),
            is_active=True,
            anonymised_at__isnull=True,
        )
        .exclude(pk=author.pk)
        .order_by("pk")
    )
    people.extend((user, "supporter") for user in supporters)
    return people


def _send(response: Response, user: User, role: str) -> bool:
    if not notifications.wants_email(user, notifications.Kind.RESPONSE):
        return False  # the person chose the digest or the site for responses
    with speaking_to(user):  # the links too
        contribution = response.contribution
        unsubscribe = notifications.unsubscribe_url(user, kind=notifications.Kind.RESPONSE)
        context = {
            "unsubscribe_url": unsubscribe,
            "user": user,
            "response": response,
            "contribution": contribution,
            "url": absolute_url(contribution),
            "role": role,
        }
        return mail_send(
            template="contributions/emails/response",
            context=context,
            to=[user.email],
            once=response_mail_key(
                response_id=response.pk, revision=response.revision, user_id=user.pk
            ),
            recipient=user,
            headers=notifications.unsubscribe_headers(unsubscribe),
        )


def response_notify(*, response_id: int, revision: int) -> int:
    """E-mail the author and supporters about one revision of a response, each once.

    Each e-mail goes through ``mail_send(once=…)`` keyed on (response, revision, person):
    a second run, or a second worker, finds the ``MailDelivery`` row and sends nothing; a
    failed send rolls the row back so that a retry sends it. A newer revision supersedes
    an older one (its own task sends it).
    """
    response = (
        Response.objects.select_related("contribution__author", "contribution__consultation")
        .filter(pk=response_id)
        .first()
    )
    if response is None or response.revision != revision:
        return 0
    sent = 0
    for user, role in _recipients(response):
        if _send(response, user, role):
            sent += 1
    return sent
