"""Notifications: the one way the platform tells a person that something concerns them.

When to use it: every event a participant should hear of (a comment on their contribution,
supports, a reasoned response, moderation of their content, a change to what they follow,
a workshop they registered for). The app's service calls ``notify(recipient=…, kind=…,
target=…, message=…)`` in its transaction; this module then:

- writes the ``Notification`` row shown in the notification centre (the header's counter,
  « Mes notifications »). The target is generic (content type and id, like the audit log):
  this ground floor names no app, and any object with ``get_absolute_url`` can be the
  target. Its title and address are copied onto the row, so the list reads one table;
- e-mails it at once when the person chose « immédiatement » for that kind (the task
  ``core.send_notification``, queued through the outbox, sent once per notification), or
  leaves it to the daily digest (``core.send_digests``, one e-mail per person per day,
  whatever how many times it runs), or to the site only.

Supports are grouped (``group=True``): one row per target, person and day, whose count
grows; a support never sends an e-mail on its own (a database constraint forbids the
« immédiatement » setting for them).

An app that sends its own, richer e-mail for an event (a response, a workshop's
cancellation) passes ``email=False`` and asks ``wants_email(user, kind)`` before sending it,
with ``unsubscribe_url`` in its body and ``unsubscribe_headers`` on the message.

Every notification e-mail carries a signed, expiring one-click link (no login needed):
to stop following the object, or to stop the e-mails of that kind. Its page asks for a
confirmation (GET) and acts on POST, which is also RFC 8058's one-click POST.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .i18n import in_active_language
from .links import absolute_url
from .mail import mail_send, speaking_to
from .models import (
    Notification,
    NotificationDelivery,
    NotificationKind,
    NotificationSetting,
    Subscription,
    User,
)
from .outbox import enqueue, enqueue_many

Kind = NotificationKind
Delivery = NotificationDelivery

#: A kind's delivery until the person chooses: supports go to the digest (never one e-mail
#: per support), everything else by e-mail at once.
DEFAULTS: dict[str, str] = dict.fromkeys(Kind, Delivery.IMMEDIATE) | {Kind.SUPPORT: Delivery.DIGEST}
#: The kinds that are grouped per target and day and may not be e-mailed one by one.
GROUPED = frozenset({Kind.SUPPORT})

UNSUBSCRIBE_SALT = "core.notifications.unsubscribe"
#: How long an e-mail's unsubscribe link works.
UNSUBSCRIBE_MAX_AGE = dt.timedelta(days=90)


def deliveries(kind: str) -> list[tuple[str, str]]:
    """The choices a person has for ``kind``."""
    return [
        (value, label)
        for value, label in Delivery.choices
        if not (kind in GROUPED and value == Delivery.IMMEDIATE)
    ]


def settings_for(user: User) -> dict[str, str]:
    """``{kind: delivery}`` for every kind, the person's choice or the default (one query)."""
    chosen = dict(NotificationSetting.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, DEFAULTS[kind]) for kind in Kind.values}


def delivery_for(user: User, kind: str) -> str:
    """How ``user`` wants ``kind``."""
    chosen = (
        NotificationSetting.objects.filter(user=user, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or DEFAULTS[kind]


def wants_email(user: User, kind: str) -> bool:
    """Whether an e-mail about ``kind`` goes to ``user`` now (for apps with their own mail)."""
    return _reachable(user) and delivery_for(user, kind) == Delivery.IMMEDIATE


@transaction.atomic
def settings_save(*, user: User, choices: dict[str, str]) -> dict[str, str]:
    """Record how ``user`` wants each kind (``{kind: delivery}``); returns every setting."""
    for kind, delivery in choices.items():
        if kind not in Kind.values or delivery not in dict(deliveries(kind)):
            raise ValueError(f"{kind}: {delivery}")
        NotificationSetting.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )
    return settings_for(user)


def _reachable(user: User | None) -> bool:
    return bool(user is not None and user.pk and user.is_active and user.anonymised_at is None)


@transaction.atomic
def notify(
    *,
    recipient: User | None,
    kind: str,
    target: models.Model,
    message: str | Callable[[int], str],
    url: str | None = None,
    actor: User | None = None,
    group: bool | None = None,
    email: bool = True,
) -> Notification | None:
    """Tell ``recipient`` about ``target`` (see the module's docstring); None when the
    person is not told (no account, a deleted account, or the person who acted).

    ``message`` is the sentence shown; a callable gets the group's count (« 3 nouveaux
    soutiens »). ``url`` defaults to the target's own page."""
    if not _reachable(recipient) or (actor is not None and actor.pk == recipient.pk):
        return None
    group = kind in GROUPED if group is None else group
    target_type = ContentType.objects.get_for_model(target)
    now = timezone.now()
    fields = {
        "recipient": recipient,
        "kind": kind,
        "target_type": target_type,
        "target_id": str(target.pk),
        "target_title": str(target)[:255],
        "url": url or target.get_absolute_url(),
    }
    render = message if callable(message) else (lambda _count: message)
    if group:
        key = _group_key(kind, target_type, target, recipient, timezone.localdate(now))
        notification = _grouped(key=key, fields=fields, render=render, now=now)
    else:
        notification = Notification.objects.create(**fields, message=render(1)[:500])
        _unread_changed(recipient, +1)
    if email and not group and delivery_for(recipient, kind) == Delivery.IMMEDIATE:
        enqueue("core.send_notification", notification.pk)
    return notification


def _group_key(kind: str, target_type, target: models.Model, recipient: User, day) -> str:
    return f"{kind}:{target_type.pk}:{target.pk}:{recipient.pk}:{day}"


@transaction.atomic
def notify_undone(
    *,
    recipient: User,
    kind: str,
    target: models.Model,
    message: Callable[[int], str],
    at: dt.datetime,
) -> Notification | None:
    """An event a grouped notification counted is undone (a support withdrawn): the count
    of the day it was counted on (``at``, when it happened) goes down, in the caller's
    transaction, and the sentence says the new count.

    At 0 the notification is deleted: there is nothing left to tell, and « 0 nouveau
    soutien » in the centre (or in tonight's digest) would be noise. Deleted unread, the
    header's count goes down with it; a lower count stays read or unread as it was (nothing
    new happened), and its date is left alone, so that it does not move into another
    day's digest. Returns the notification, or None when it is gone or never existed."""
    target_type = ContentType.objects.get_for_model(target)
    key = _group_key(kind, target_type, target, recipient, timezone.localdate(at))
    existing = Notification.objects.select_for_update().filter(group_key=key).first()
    if existing is None:
        return None
    if existing.count <= 1:
        existing.delete()
        if existing.read_at is None:
            _unread_changed(recipient, -1)
        return None
    existing.count = F("count") - 1
    existing.save(update_fields=["count"])
    existing.refresh_from_db(fields=["count"])
    existing.message = message(existing.count)[:500]
    existing.save(update_fields=["message"])
    return existing


def _grouped(*, key: str, fields: dict, render, now) -> Notification:
    existing = Notification.objects.select_for_update().filter(group_key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                created = Notification.objects.create(**fields, group_key=key, message=render(1))
            _unread_changed(fields["recipient"], +1)
            return created
        except IntegrityError:  # a simultaneous first event: join its row
            existing = Notification.objects.select_for_update().get(group_key=key)
    if existing.read_at is not None:  # read, and unread again with this event
        _unread_changed(fields["recipient"], +1)
    existing.count = F("count") + 1
    existing.updated_at = now
    existing.read_at = None
    existing.save(update_fields=["count", "updated_at", "read_at"])
    existing.refresh_from_db(fields=["count"])
    existing.message = render(existing.count)[:500]
    existing.save(update_fields=["message"])
    return existing


def notify_followers(
    *,
    target: models.Model,
    message: str,
    actor: User | None = None,
    exclude: Iterable[int] = (),
    url: str | None = None,
) -> int:
    """Tell everyone who follows ``target`` (a ``Subscription``) that it changed, except
    the actor and the ids in ``exclude`` (told already under another kind)."""
    told = 0
    for user in followers(target).exclude(pk__in=list(exclude)):
        if notify(
            recipient=user,
            kind=Kind.FOLLOWED,
            target=target,
            message=message,
            url=url,
            actor=actor,
        ):
            told += 1
    return told


def notify_response(
    *,
    recipients: Iterable[User],
    target: models.Model,
    message: str,
    actor: User | None = None,
) -> set[int]:
    """Tell the people a reasoned response concerns (the authors, supporters, amenders of
    ``target``) in their notification centre, in the response's transaction; returns their
    ids, to leave them out of the followers told next. On the site only: the response's
    own e-mail (each app's ``response_notify``) goes to them once, a second would repeat it."""
    told: set[int] = set()
    for user in recipients:
        told.add(user.pk)
        notify(
            recipient=user,
            kind=Kind.RESPONSE,
            target=target,
            actor=actor,
            message=message,
            email=False,
        )
    return told


def notify_moderation(
    *, author: User, target: models.Model, message: str, url: str | None = None
) -> Notification | None:
    """Tell the author that their content was moderated (the statement of reasons calls
    it, with a message that says what, why and how to contest). On the site only: the
    statement's own e-mail always goes, whatever the person's settings (DSA art. 17), and
    a second one would repeat it."""
    return notify(
        recipient=author,
        kind=Kind.MODERATION,
        target=target,
        message=message,
        url=url,
        email=False,
    )


def support_message(title: str) -> Callable[[int], str]:
    """The sentence of a day's supports of ``title``, by count."""
    return lambda count: (
        ngettext(
            "%(n)d nouveau soutien à « %(title)s »",
            "%(n)d nouveaux soutiens à « %(title)s »",
            count,
        )
        % {"n": count, "title": title}
    )


# --- Following ---------------------------------------------------------------------------


def _subscriptions(target: models.Model):
    return Subscription.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    )


def followers(target: models.Model):
    """The active accounts that follow ``target``."""
    return User.objects.filter(
        pk__in=_subscriptions(target).values("user_id"),
        is_active=True,
        anonymised_at__isnull=True,
    ).order_by("pk")


def is_following(user: User, target: models.Model) -> bool:
    return bool(user.is_authenticated and _subscriptions(target).filter(user=user).exists())


@transaction.atomic
def follow_toggle(*, user: User, target: models.Model) -> bool:
    """Follow or stop following ``target``; returns whether ``user`` now follows it."""
    deleted, _detail = _subscriptions(target).filter(user=user).delete()
    if deleted:
        return False
    Subscription.objects.get_or_create(
        user=user,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
    )
    return True


#: Apps whose follows live in their own table (commitments) say how to stop one:
#: ``{"engagements.commitment": lambda user, pk: …}``, registered in their ``ready()``.
UNFOLLOW: dict[str, Callable[[User, int], None]] = {}


def register_unfollow(label: str, unfollow: Callable[[User, int], None]) -> None:
    UNFOLLOW[label] = unfollow


# --- Read / unread -----------------------------------------------------------------------


def _unread_changed(user: User, delta: int) -> None:
    """Keep ``User.unread_notifications`` (the header's count) in the caller's transaction."""
    User.objects.filter(pk=user.pk).update(
        unread_notifications=Greatest(F("unread_notifications") + delta, 0)
    )


def unread_count(user: User) -> int:
    """The person's unread notifications, read again (after a reading in this request)."""
    return User.objects.filter(pk=user.pk).values_list("unread_notifications", flat=True).get()


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of ``user``'s notifications read (someone else's is missing: 404 upstream)."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(
            pk=notification_id, recipient=user
        )
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
            _unread_changed(user, -1)
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    with transaction.atomic():
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        User.objects.filter(pk=user.pk).update(unread_notifications=0)
    return count


# --- Unsubscribe links -------------------------------------------------------------------


def unsubscribe_token(
    user: User, *, kind: str | None = None, follow: models.Model | None = None
) -> str:
    """A signed token that stops, for ``user``: following ``follow``, or the e-mails of
    ``kind``, or (neither) the daily digest."""
    payload: dict = {"u": user.pk}
    if follow is not None:
        payload["f"] = f"{follow._meta.label_lower}:{follow.pk}"
    elif kind is not None:
        payload["k"] = kind
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user: User, **what) -> str:
    return absolute_url(
        reverse("core:unsubscribe", kwargs={"token": unsubscribe_token(user, **what)})
    )


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: the mail client's own « Se désabonner », in one click."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def unsubscribe_read(token: str) -> dict | None:
    """The token's payload, with its user and what it stops; None if forged or expired."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None:
        return None
    result = {"user": user, "kind": payload.get("k"), "follow": None, "title": ""}
    if "f" in payload:
        label, _sep, pk = payload["f"].rpartition(":")
        app_label, _dot, model = label.partition(".")
        try:
            model_class = ContentType.objects.get_by_natural_key(app_label, model).model_class()
        except ContentType.DoesNotExist:
            return None
        target = model_class._default_manager.filter(pk=pk).first() if model_class else None
        if target is None:
            return None
        result.update(follow=target, title=str(target))
    elif result["kind"] is not None and result["kind"] not in Kind.values:
        return None
    return result


@transaction.atomic
def unsubscribe_apply(*, token: str) -> dict | None:
    """Do what the token says (stop following, or e-mail that kind or digest no more)."""
    what = unsubscribe_read(token)
    if what is None:
        return None
    user, target = what["user"], what["follow"]
    if target is not None:
        _subscriptions(target).filter(user=user).delete()
        unfollow = UNFOLLOW.get(target._meta.label_lower)
        if unfollow is not None:
            unfollow(user, target.pk)
    else:
        current = settings_for(user)
        kinds = (
            [what["kind"]]
            if what["kind"]
            else [k for k, v in current.items() if v == Delivery.DIGEST]
        )
        settings_save(user=user, choices=dict.fromkeys(kinds, Delivery.SITE))
    return what


# --- E-mails -----------------------------------------------------------------------------


def notification_mail_send(*, notification_id: int) -> bool:
    """E-mail one notification, once (``core.send_notification``); nothing if the person
    has since chosen otherwise or read it on the site already."""
    notification = (
        Notification.objects.select_related("recipient", "target_type")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.read_at is not None:
        return False
    user = notification.recipient
    if not wants_email(user, notification.kind):
        return False
    follow = None
    if notification.kind == Kind.FOLLOWED:
        model = notification.target_type.model_class()
        follow = model._default_manager.filter(pk=notification.target_id).first() if model else None
    with speaking_to(user):  # the links too
        link = (
            unsubscribe_url(user, follow=follow)
            if follow is not None
            else unsubscribe_url(user, kind=notification.kind)
        )
        return mail_send(
            template="core/emails/notification",
            context={
                "user": user,
                "notification": notification,
                "url": absolute_url(in_active_language(notification.url)),
                "unsubscribe_url": link,
                "following": follow is not None,
            },
            to=[user.email],
            once=f"core.notification:{notification.pk}",
            recipient=user,
            headers=unsubscribe_headers(link),
        )


def digest_key(*, user_id: int, day: dt.date) -> str:
    return f"core.digest:{user_id}:{day.isoformat()}"


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
    return start, start + dt.timedelta(days=1)


def _digest_notifications(user: User, day: dt.date):
    start, end = _day_bounds(day)
    kinds = [k for k, v in settings_for(user).items() if v == Delivery.DIGEST]
    return Notification.objects.filter(
        recipient=user, kind__in=kinds, updated_at__gte=start, updated_at__lt=end
    ).order_by("-updated_at", "-id")


def digests_queue(*, day: dt.date | None = None) -> int:
    """Queue the digest of ``day`` (yesterday by default) for everyone who has something
    in it. Safe to run twice: each digest is sent once (its ``MailDelivery`` key)."""
    day = day or timezone.localdate() - dt.timedelta(days=1)
    start, end = _day_bounds(day)
    user_ids = list(
        Notification.objects.filter(updated_at__gte=start, updated_at__lt=end)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    with transaction.atomic():
        enqueue_many("core.send_digest", [(uid, day.isoformat()) for uid in user_ids])
    return len(user_ids)


def digest_send(*, user_id: int, day: dt.date) -> bool:
    """Send ``user``'s digest of ``day``, once; False when there is nothing in it."""
    user = User.objects.filter(pk=user_id).first()
    if not _reachable(user):
        return False
    items = list(_digest_notifications(user, day))
    if not items:
        return False
    with speaking_to(user):  # the links too
        link = unsubscribe_url(user)
        return mail_send(
            template="core/emails/digest",
            context={
                "user": user,
                "day": day,
                "items": [(n, absolute_url(in_active_language(n.url))) for n in items],
                "unsubscribe_url": link,
                "list_url": absolute_url(reverse("core:notifications")),
            },
            to=[user.email],
            once=digest_key(user_id=user.pk, day=day),
            recipient=user,
            headers=unsubscribe_headers(link),
        )


def message_comment(*, title: str, reply: bool = False) -> str:
    if reply:
        return _("Nouvelle réponse à votre commentaire sur « %(title)s »") % {"title": title}
    return _("Nouveau commentaire sur « %(title)s »") % {"title": title}


def export_user_data(*, user: User) -> dict:
    """What the notification centre holds about ``user``, for « télécharger mes données »:
    the notifications, the settings per kind and what the person follows."""
    labels = dict(Kind.choices)
    deliveries_ = dict(Delivery.choices)
    return {
        "notifications": [
            {
                "type": str(labels.get(n.kind, n.kind)),
                "message": n.message,
                "objet": n.target_title,
                "date": n.updated_at.isoformat(),
                "lue_le": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(recipient=user).order_by("created_at", "id")
        ],
        "reglages": [
            {"type": str(labels[kind]), "envoi": str(deliveries_[delivery])}
            for kind, delivery in settings_for(user).items()
            if kind in labels and delivery in deliveries_
        ],
        "suivis": [
            {
                "type": str(s.target_type.model_class()._meta.verbose_name)
                if s.target_type.model_class()
                else s.target_type.model,
                "objet_id": s.target_id,
                "depuis": s.created_at.isoformat(),
            }
            for s in Subscription.objects.filter(user=user)
            .select_related("target_type")
            .order_by("created_at", "id")
        ],
    }
