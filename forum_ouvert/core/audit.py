"""The audit helper: one row per accountable act, in the caller's transaction."""

from __future__ import annotations

import functools
import re
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _

from .models import AuditLog, User

#: A number stored as text in a row's changes (``"15.33"``).
NUMBER = re.compile(r"-?\d+(\.\d+)?")


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


@functools.cache
def _vocabulary(model: type[models.Model]) -> tuple[dict, dict]:
    """A model's fields by name and every choice label by code (lazy: read in the reader's
    language), computed once per model, not once per history row."""
    fields = {f.name: f for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
    choices = {}
    for field in fields.values():
        for value, label in getattr(field, "flatchoices", None) or ():
            choices[str(value)] = label
    return fields, choices


def readable_changes(
    entry: AuditLog, model: type[models.Model], labels: dict[str, str] | None = None
) -> list[tuple[str, str, str]]:
    """An audit row's changes as people read them: ``[(label, before, after)]``.

    The label is the model field's name (``statut``) or the app's own label for a key that
    is not a field (``labels``, e.g. ``{"decision_notifiee": "Décision notifiée"}``); the
    values are the choices' labels (« Retenue », not ``retenue``), « Oui » / « Non », numbers
    in French (« 15,33 ») and lists joined; a raw code never reaches the page."""
    from .numbers import number_label

    fields, choices = _vocabulary(model)

    def show(value, field) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return str(_("Oui") if value else _("Non"))
        if isinstance(value, list | tuple):
            return ", ".join(show(v, field) for v in value)
        if isinstance(value, int | float):
            return number_label(value)
        text = str(value)
        own = {str(k): v for k, v in getattr(field, "flatchoices", None) or ()}
        if text in own or text in choices:
            return str(own.get(text) or choices[text])
        if NUMBER.fullmatch(text):
            return number_label(float(text))
        return text

    rows = []
    for key, values in (entry.changes or {}).items():
        field = fields.get(key)
        label = (labels or {}).get(key) or (
            str(field.verbose_name) if field is not None else key.replace("_", " ")
        )
        before, after = (
            (list(values) + [None, None])[:2]
            if isinstance(values, list)
            else (
                None,
                values,
            )
        )
        rows.append((label[:1].upper() + label[1:], show(before, field), show(after, field)))
    return rows
