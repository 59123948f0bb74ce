"""Helpers shared by this app's services: change journaling."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def snapshot(obj: models.Model, names: tuple[str, ...]) -> dict[str, Any]:
    """The journal-friendly values of ``names`` on ``obj`` (FKs by their id)."""
    values = {}
    for name in names:
        field = obj._meta.get_field(name)
        attname = field.attname if field.is_relation else name
        values[name] = _plain(getattr(obj, attname))
    return values


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """``{field: [old, new]}`` for what changed between two snapshots."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }
