"""« Soutenir »: one person supports one published thing of someone else (a contribution, a
co-creation proposal), once; the thing's ``support_count`` follows in the same transaction,
and its author is told in the day's grouped notification, which a withdrawal counts down.

Each app keeps its own rules (what may be supported, by whom, when) and its own table of
supports (a unique constraint on the thing and the person is the guard against a double
click); it calls :func:`give` and :func:`withdraw` with the thing's relation of supports
(``contribution.supports``), and its view answers with :func:`toggle`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.shortcuts import redirect

from . import notifications
from .forms import SupportForm
from .links import safe_next
from .models import User


@transaction.atomic
def give(*, user: User, target: models.Model, supports, author: User) -> bool:
    """``user`` supports ``target`` (rules checked by the caller); False when already done:
    two simultaneous clicks insert once, the second fails in its savepoint."""
    try:
        with transaction.atomic():
            supports.create(user=user)
    except IntegrityError:
        return False
    type(target).objects.filter(pk=target.pk).update(support_count=F("support_count") + 1)
    notifications.notify(
        recipient=author,
        kind=notifications.Kind.SUPPORT,
        target=target,
        actor=user,
        message=notifications.support_message(target.title),
    )
    return True


@transaction.atomic
def withdraw(*, user: User, target: models.Model, supports, author: User) -> bool:
    """``user`` withdraws their support of ``target``; False when there was none. The
    author's notification of the day it was given counts one less (none left: it is gone)."""
    support = supports.select_for_update().filter(user=user).first()
    if support is None:
        return False
    support.delete()
    type(target).objects.filter(pk=target.pk, support_count__gt=0).update(
        support_count=F("support_count") - 1
    )
    notifications.notify_undone(
        recipient=author,
        kind=notifications.Kind.SUPPORT,
        target=target,
        message=notifications.support_message(target.title),
        at=support.created_at,
    )
    return True


def toggle(
    request,
    *,
    target: models.Model,
    add: Callable[[], object],
    remove: Callable[[], object],
    page,
    region: str,
    context: Callable[[], dict],
):
    """The « Soutenir » button's POST: ``add`` or ``remove`` as the form says (a refusal
    becomes a message); htmx gets the ``region`` of ``page`` again with ``context()`` and
    the new count, a plain form goes back to ``next`` (the target's page by default)."""
    form = SupportForm(request.POST)
    if form.is_valid():
        try:
            (add if form.cleaned_data["action"] == "add" else remove)()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    target.refresh_from_db(fields=["support_count"])
    next_url = safe_next(request, target.get_absolute_url())
    if request.htmx:
        return page.render_fragment(
            request, region, {**context(), "can_support": True, "next_url": next_url}
        )
    return redirect(next_url)
