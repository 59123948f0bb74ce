"""Helpers shared by this app's services: change journaling and e-mail sending."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.template.loader import render_to_string


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


def send_templated_email(
    *, template: str, context: dict, to: list[str], attachments: list | None = None
) -> int:
    """Send ``forum/emails/<template>.txt`` whose first line is the subject."""
    context = {"site_url": settings.SITE_URL, **context}
    subject, _, body = render_to_string(f"forum/emails/{template}.txt", context).partition("\n")
    message = EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject.strip(),
        body=body.lstrip("\n"),
        to=sorted(set(filter(None, to))),
    )
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send()
