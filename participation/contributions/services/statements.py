"""Statements of reasons (DSA art. 17) and the masking decided by reports (issue 19, items 7
and 8): every masking writes a ``Statement`` for the content's author, who is told by
``notify_statement`` (the one place that tells them), may contest it once, and gets the
moderators' answer.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum_ouvert.core import notifications
from forum_ouvert.core.audit import audit_log
from forum_ouvert.core.links import absolute_url
from forum_ouvert.core.mail import mail_send, speaking_to
from forum_ouvert.core.models import User
from forum_ouvert.core.outbox import enqueue
from forum_ouvert.core.text import shorten

from ..models import (
    PUBLICATION_STATES,
    RULE_OF_REPORT,
    Comment,
    Contribution,
    ModerationRule,
    PublicationStatus,
    Report,
    ReportStatus,
    Statement,
    StatementDecision,
    statement_mail_key,
)

#: What the e-mails about a statement say (the ``event`` of ``notify_statement``).
EVENTS = ("issued", "answered")
CONTEST_MAX = 3000


def report_threshold() -> int:
    """How many distinct people reporting an item hide it pending review (setting, 3)."""
    return max(1, int(getattr(settings, "MODERATION_REPORT_THRESHOLD", 3)))


def _target(obj: Contribution | Comment) -> dict:
    return {"comment": obj} if isinstance(obj, Comment) else {"contribution": obj}


def notify_statement(*, statement: Statement, event: str) -> None:
    """Tell the author about their statement: ``issued`` (content hidden) or ``answered``
    (their contest answered, or the content restored). The one place that does it: in the
    notification centre, and by an e-mail queued on commit, sent whatever the person's
    notification settings (the statement of reasons is owed to them, DSA art. 17)."""
    if event not in EVENTS:
        raise ValueError(event)
    title = shorten(str(statement.target), 120)
    notifications.notify_moderation(
        author=statement.author,
        target=statement,
        message=(
            _("« %(title)s » a été masqué : le motif, et comment contester cette décision")
            if event == "issued"
            else _("La modération a réexaminé « %(title)s » : sa réponse")
        )
        % {"title": title},
    )
    enqueue("contributions.notify_statement", statement.pk, event)


def statement_issue(
    *,
    obj: Contribution | Comment,
    decision: str,
    rule: str,
    reason: str,
    actor: User | None,
) -> Statement:
    """Write the statement of reasons of a masking (inside the masking's transaction) and
    tell the author."""
    statement = Statement(
        **_target(obj),
        author_id=obj.author_id,
        decision=decision,
        rule=rule,
        reason=reason,
        decided_by=actor if actor is not None and actor.pk else None,
    )
    statement.full_clean()
    statement.save()
    notify_statement(statement=statement, event="issued")
    return statement


def statements_close(
    *, obj: Contribution | Comment, outcome: str, actor: User, notify: bool = False
) -> int:
    """Close the open statements of ``obj`` (confirmed: upheld; restored: restored); the
    authors are told when ``notify``. Returns how many were closed."""
    statements = list(
        Statement.objects.select_for_update().filter(**_target(obj), answered_at__isnull=True)
    )
    for statement in statements:
        statement.outcome = outcome
        statement.answered_by = actor
        statement.answered_at = timezone.now()
        statement.save(update_fields=["outcome", "answered_by", "answered_at", "updated_at"])
        if notify:
            notify_statement(statement=statement, event="answered")
    return len(statements)


def hide_if_reported_enough(*, obj: Contribution | Comment) -> bool:
    """Hide a published item pending review once ``report_threshold()`` distinct people
    have open reports on it (the caller holds the item's row lock). Audited as the
    platform's own act (no actor); the reports stay open, so the item stays in the queue
    for staff to restore or confirm. Returns whether it was hidden."""
    if obj.status != PublicationStatus.PUBLISHED:
        return False
    reasons = list(
        Report.objects.filter(**_target(obj), status=ReportStatus.OPEN)
        .order_by("reporter_id")
        .distinct("reporter_id")
        .values_list("reason", flat=True)
    )
    if len(reasons) < report_threshold():
        return False
    common = Counter(reasons).most_common(1)[0][0]
    rule = RULE_OF_REPORT.get(common, ModerationRule.ABUSIVE)
    reason = _(
        "Masquée dans l'attente d'un examen par la modération : %(n)d personnes l'ont signalée."
    ) % {"n": len(reasons)}
    kind = "comment" if isinstance(obj, Comment) else "contribution"
    obj.moderation_reason = reason
    obj.moderated_at = timezone.now()
    PUBLICATION_STATES.move(
        obj,
        PublicationStatus.HIDDEN,
        actor=None,
        action=f"contributions.{kind}.auto_hide",
        reason=reason,
        changes={"reporters": len(reasons), "rule": rule},
        update_fields=["moderation_reason", "moderated_at"],
    )
    statement_issue(
        obj=obj, decision=StatementDecision.AUTO_HIDDEN, rule=rule, reason=reason, actor=None
    )
    return True


@transaction.atomic
def statement_contest(*, author: User, statement: Statement, text: str) -> Statement:
    """The author contests a statement, once, with a text; the contest reaches the
    moderation queue. Allowed to blocked people too (a right of every author)."""
    locked = Statement.objects.select_for_update().get(pk=statement.pk)
    if locked.author_id != author.pk:
        raise ValidationError(_("Seul l'auteur du contenu peut contester cette décision."))
    if not locked.may_be_contested:
        raise ValidationError(_("Cette décision a déjà été contestée ou réexaminée."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Expliquez pourquoi vous contestez cette décision.")})
    if len(text) > CONTEST_MAX:
        raise ValidationError({"text": _("Votre texte est trop long.")})
    locked.contest_text = text
    locked.contested_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["contest_text", "contested_at", "updated_at"])
    audit_log(
        actor=author,
        action="contributions.statement.contest",
        target=locked,
        changes={"contested": [False, True]},
        reason=text,
    )
    return locked


def statement_mail(*, statement_id: int, event: str) -> bool:
    """E-mail the author about a statement, once per (statement, event)."""
    statement = (
        Statement.objects.select_related(
            "author", "contribution__consultation", "comment__contribution__consultation"
        )
        .filter(pk=statement_id)
        .first()
    )
    if statement is None or event not in EVENTS:
        return False
    author = statement.author
    if not author.is_active or author.anonymised_at is not None:
        return False
    with speaking_to(author):
        return mail_send(
            template="contributions/emails/statement",
            context={
                "user": author,
                "statement": statement,
                "event": event,
                "url": absolute_url(statement),
            },
            to=[author.email],
            once=statement_mail_key(statement_id=statement.pk, event=event),
            recipient=author,
        )
