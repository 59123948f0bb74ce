"""Structured logs: a request id on every record, JSON lines in production (stdlib only).

The request id comes from ``RequestIdMiddleware`` (the ``X-Request-ID`` of the request, or
a new one) or, in a Celery worker, from the task id; it is shown on error pages as
« Référence de l'erreur », so that a person's report leads to the log lines of their request.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid

#: The id of the request (or Celery task) being handled; "" outside of both.
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

#: What we accept from a proxy's ``X-Request-ID``: a short token, nothing to inject.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def get_request_id() -> str:
    return request_id.get()


def new_request_id(incoming: str | None = None) -> str:
    """The proxy's id when it is a sane token, else a fresh uuid4 (hex)."""
    if incoming and SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` ("-" outside a request or task) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, exc_info."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _record_request_id(record),
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _record_request_id(record: logging.LogRecord) -> str | None:
    rid = getattr(record, "request_id", None) or request_id.get()
    return rid if rid and rid != "-" else None


def sentry_before_send(event: dict, hint: dict) -> dict:
    """Sentry: tag each event with the request id shown to the person on the error page."""
    rid = request_id.get()
    if rid:
        event.setdefault("tags", {})["request_id"] = rid
    return event
