"""The one templated-mail helper: one-line subjects, sent once, a failed send retried."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail

from forum_ouvert.core.mail import mail_send, mail_sent, mail_subject, one_line
from forum_ouvert.core.models import MailDelivery
from tests.engagements.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "engagements/emails/follower_notice"
# What the notice is sent with: one journal entry at least (notifications sends none without).
ENTRIES = [
    {"field_label": "Statut", "old_value": "", "new_value": "En cours", "justification": "Comité"}
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Atelier\nde Lyon", "Atelier de Lyon"),
        ("Atelier\r\nde Lyon", "Atelier de Lyon"),
        ("Atelier\rde Lyon", "Atelier de Lyon"),
        ("  Atelier\t\x00\x1b \x7f\x85de\u2028Lyon\u2029 ", "Atelier de Lyon"),
        ("Atelier « à Lyon » 👩‍👩‍👧", "Atelier « à Lyon » 👩‍👩‍👧"),
    ],
)
def test_a_subject_is_one_line(value, expected):
    """A title holding line breaks or control characters gives a one-line subject."""
    assert one_line(value) == expected
    assert mail_subject(value) == f"[Forum ouvert] {expected}"


def _send(commitment, *, once: str | None = "test:1") -> bool:
    return mail_send(
        template=TEMPLATE,
        context={"commitment": commitment, "entries": ENTRIES, "url": "https://x/", "user": None}
        | {"unsubscribe_url": "https://x/desabonnement/"},
        to=["personne@example.org", "", "personne@example.org"],
        once=once,
    )


def test_an_email_keyed_once_is_sent_once():
    """Sending the same e-mail twice (a task run twice) delivers it once, and records it."""
    commitment = CommitmentFactory()
    assert _send(commitment) is True
    assert _send(commitment) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["personne@example.org"]
    assert (
        mail.outbox[0].subject
        == f"[Forum ouvert] Du nouveau sur l'engagement n° {commitment.number}"
    )
    assert mail_sent("test:1")
    assert MailDelivery.objects.get().subject == mail.outbox[0].subject


def test_a_failed_send_leaves_no_record_and_the_retry_sends(monkeypatch):
    """The mail server refuses once: nothing is recorded, and the next try sends the e-mail."""
    commitment = CommitmentFactory()

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            _send(commitment)
    assert not MailDelivery.objects.exists()
    assert _send(commitment) is True
    assert len(mail.outbox) == 1


def test_without_an_address_nothing_is_sent_nor_recorded():
    """An e-mail with no address to send to is not sent and leaves no record."""
    commitment = CommitmentFactory()
    assert (
        mail_send(
            template=TEMPLATE,
            context={"commitment": commitment, "entries": ENTRIES, "url": "", "user": None}
            | {"unsubscribe_url": ""},
            to=[""],
            once="test:2",
        )
        is False
    )
    assert mail.outbox == []
    assert not MailDelivery.objects.exists()
