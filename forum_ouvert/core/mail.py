"""Sending an e-mail built from templates, once: the one helper every app uses.

When to use it: every e-mail the platform sends about something that happened (a
registration, a submitted application, a decision, a report…). Call ``mail_send`` from a
*task*, never from the request: the service queues the task by name with
``core.outbox.enqueue`` in its transaction, so that a mail server that is down or slow
never turns a saved act into an error page (the task retries, see ``core.tasks``).

- ``<template>_subject.txt`` is the subject, ``<template>.txt`` the body, and
  ``<template>.html``, when it exists, an HTML alternative. The context gets ``site_url``.
- The subject always goes through ``mail_subject``: the site's prefix, and one line
  (CR, LF and every other control character become spaces). A title that holds a line
  break can never make the e-mail library refuse the message.
- Each e-mail is written in its reader's language (issue 18, item 6): ``language``, else
  the ``recipient``'s ``preferred_language``, else French — never the language that
  happens to be active (a task run by an English visit must not write English to a French
  reader). Subject, body and the links its templates reverse follow it; a link the
  caller builds into ``context`` must be built in the same language: build the context
  inside ``with speaking_to(person):``.
- ``once="app.what:id"`` records the sending in ``MailDelivery`` in the same transaction:
  a second run of the task finds the row and sends nothing; a failed send rolls the row
  back, so that the retry sends it. Take the key from what the e-mail is about (the
  notice, the revision and the person…), never from the time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

from .links import site_url
from .models import MailDelivery, User
from .validators import is_control

_SPACES = re.compile(" {2,}")


def one_line(text: str) -> str:
    """``text`` on one line: control characters become spaces, runs of spaces collapse,
    the ends are trimmed."""
    text = "".join(" " if is_control(char) else char for char in str(text))
    return _SPACES.sub(" ", text).strip()


def mail_subject(text: str) -> str:
    """A subject as sent: the site's prefix, then ``text`` on one line."""
    return f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{one_line(text)}"


def language_of(person: User | None) -> str:
    """The language of the e-mails ``person`` gets (French for no one, or a code the site
    no longer speaks)."""
    code = getattr(person, "preferred_language", None)
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def speaking_to(person: User | None) -> AbstractContextManager:
    """``with speaking_to(user):`` — what is built inside (links reversed, labels) is in
    ``user``'s language: build an e-mail's context there."""
    return translation.override(language_of(person))


def mail_build(
    *,
    template: str,
    context: dict,
    to: Iterable[str],
    attachments: Sequence[tuple[str, bytes | str, str]] = (),
    headers: dict[str, str] | None = None,
    language: str | None = None,
) -> EmailMultiAlternatives:
    """The message ``template`` would send to ``to`` (addresses deduplicated, empty ones
    dropped), written in ``language`` (French when None); ``attachments`` are
    ``(filename, content, mimetype)``; ``headers`` extra headers (``List-Unsubscribe``:
    see ``core.notifications.unsubscribe_headers``)."""
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        return _build(template, context, to, attachments, headers)


def _build(template, context, to, attachments, headers) -> EmailMultiAlternatives:
    context = {"site_url": site_url(), **context}
    message = EmailMultiAlternatives(
        subject=mail_subject(render_to_string(f"{template}_subject.txt", context)),
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=sorted({address for address in to if address}),
        headers=headers or None,
    )
    try:
        html = get_template(f"{template}.html")
    except TemplateDoesNotExist:
        pass
    else:
        message.attach_alternative(html.render(context), "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def mail_send(
    *,
    template: str,
    context: dict,
    to: Iterable[str],
    attachments: Sequence[tuple[str, bytes | str, str]] = (),
    once: str | None = None,
    recipient: User | None = None,
    headers: dict[str, str] | None = None,
    language: str | None = None,
) -> bool:
    """Send ``template`` to ``to``; True if it went out now.

    Written in ``language``, else in ``recipient``'s (``language_of``). With ``once``,
    sent at most once for that key (the ``MailDelivery`` row, naming ``recipient`` when
    the e-mail is for one account). Nothing is sent, and False is returned, when there is
    no address or the key was already sent. Errors of the mail server propagate: the
    calling task retries them.
    """
    message = mail_build(
        template=template,
        context=context,
        to=to,
        attachments=attachments,
        headers=headers,
        language=language or language_of(recipient),
    )
    if not message.to:
        return False
    if once is None:
        message.send()
        return True
    with transaction.atomic():
        try:
            # The unique key is the lock: a second worker waits here for the first one's
            # commit, then finds the row.
            with transaction.atomic():
                MailDelivery.objects.create(key=once, recipient=recipient, subject=message.subject)
        except IntegrityError:
            return False
        message.send()
    return True


def mail_sent(key: str) -> bool:
    """Whether the e-mail ``key`` was sent."""
    return MailDelivery.objects.filter(key=key).exists()
