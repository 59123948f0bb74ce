"""The audit helper: one row per accountable act, in the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .models import AuditLog, User


class AuditOutsideTransaction(RuntimeError):
    """An audit row must be written in the same transaction as the act it records."""


def audit_log(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditLog:
    """Record who did ``action`` (a namespaced code such as ``forum.application.decide``)
    on ``target``, with the ``changes`` (``{field: [old, new]}``) and the ``reason``.

    Refuses to run outside ``transaction.atomic``: a row written apart from the change it
    records could survive a rolled-back change, or be lost with a committed one.
    """
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransaction(action)
    entry = AuditLog(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        changes=changes or {},
        reason=reason,
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:255]
    entry.save()
    return entry
