"""Reasoned responses: shown under the contribution and in lists; e-mailed once, on commit."""

import pytest
from django.core import mail
from django.urls import reverse

from forum_ouvert.core.models import AuditLog, MailDelivery
from forum_ouvert.portal.services import account_delete
from participation.contributions import services, tasks
from participation.contributions.models import RESPONSE_MAIL

from .factories import SupportFactory

pytestmark = pytest.mark.django_db


def _answer(client, contribution, **data):
    url = reverse("contributions:respond", args=[contribution.pk])
    payload = {"status": "retenue", "text": "Retenue : elle entre dans le prochain plan.", **data}
    return client.post(url, payload)


def test_staff_answer_is_shown_and_emailed_once(
    client, make_user, contribution, django_capture_on_commit_callbacks
):
    """The author and each supporter get one e-mail, after the commit; the response shows."""
    supporters = [make_user("citoyen") for _i in range(2)]
    for user in supporters:
        services.support_add(user=user, contribution=contribution)
    client.force_login(make_user("ditp"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _answer(client, contribution)
        assert mail.outbox == []  # nothing is sent inside the transaction
    assert response.status_code == 302
    for callback in callbacks:
        callback()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([contribution.author.email, *(u.email for u in supporters)])
    assert "Retenue : elle entre dans le prochain plan." in mail.outbox[0].body
    assert "&#x27;" not in mail.outbox[0].body  # plain text, not HTML-escaped
    assert contribution.get_absolute_url() in mail.outbox[0].body
    page = client.get(contribution.get_absolute_url()).content.decode()
    assert "Retour argumenté" in page
    assert "Retenue : elle entre dans le prochain plan." in page
    assert "Retenue" in client.get("/contributions/").content.decode()
    assert AuditLog.objects.filter(action="contributions.response.set").count() == 1


def test_task_run_twice_sends_once(make_user, contribution, django_capture_on_commit_callbacks):
    """A retried task (or two workers) does not send the same e-mail twice."""
    SupportFactory(contribution=contribution)
    with django_capture_on_commit_callbacks(execute=True):
        response = services.response_set(
            actor=make_user("ditp"),
            contribution=contribution,
            status="retenue",
            text="Oui, retenue.",
        )
    assert len(mail.outbox) == 2
    assert tasks.notify_response.apply(args=[response.pk, response.revision]).get() == 0
    assert len(mail.outbox) == 2
    assert MailDelivery.objects.filter(key__startswith=RESPONSE_MAIL).count() == 2


def test_changed_response_is_sent_again(
    make_user, contribution, django_capture_on_commit_callbacks
):
    """A new decision (revision) is a new e-mail; an outdated task sends nothing."""
    staff = make_user("ditp")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.response_set(
            actor=staff, contribution=contribution, status="a_l_etude", text="À l'étude."
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.response_set(
            actor=staff, contribution=contribution, status="retenue", text="Finalement retenue."
        )
    assert [m.body.count("Finalement retenue.") for m in mail.outbox] == [0, 1]
    assert tasks.notify_response.apply(args=[first.pk, 1]).get() == 0


def test_failed_send_is_retried_then_sent(
    make_user, contribution, monkeypatch, django_capture_on_commit_callbacks
):
    """An SMTP failure rolls the delivery row back, so that the retry sends it."""
    import smtplib

    from participation.contributions.services import moderation

    real_send, calls = moderation._send, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("coupure")
        return real_send(*args, **kwargs)

    monkeypatch.setattr(moderation, "_send", flaky)
    response = services.response_set(
        actor=make_user("ditp"), contribution=contribution, status="retenue", text="Retenue, oui."
    )
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.response_notify(response_id=response.pk, revision=response.revision)
    assert not MailDelivery.objects.exists()
    assert services.response_notify(response_id=response.pk, revision=response.revision) == 1
    assert len(mail.outbox) == 1


def test_deleted_account_gets_no_email(make_user, contribution, django_capture_on_commit_callbacks):
    """After account deletion, the former author and supporters are not e-mailed."""
    supporter = make_user("citoyen")
    services.support_add(user=supporter, contribution=contribution)
    account_delete(user=supporter)
    account_delete(user=contribution.author)
    with django_capture_on_commit_callbacks(execute=True):
        services.response_set(
            actor=make_user("ditp"), contribution=contribution, status="retenue", text="Retenue."
        )
    assert mail.outbox == []


@pytest.mark.parametrize(
    "data,message",
    [
        ({"status": "inconnu"}, "Sélectionnez un choix valide"),
        ({"text": ""}, "Ce champ est obligatoire"),
        ({"text": "z" * 10_001}, "10000 caractères"),
    ],
)
def test_bad_response_form(client, make_user, contribution, data, message):
    """A bad decision or text re-displays the form in French."""
    client.force_login(make_user("ditp"))
    response = _answer(client, contribution, **data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_no_response_to_pending(client, make_user):
    """A contribution awaiting moderation cannot be answered."""
    from .factories import ConsultationFactory, ContributionFactory

    pending = ContributionFactory(consultation=ConsultationFactory(a_priori=True), pending=True)
    client.force_login(make_user("ditp"))
    response = _answer(client, pending)
    assert "Seule une contribution publiée peut recevoir un retour." in response.content.decode()


def test_a_correction_keeps_the_previous_text_public_and_notifies_only_if_asked(
    client, make_user, contribution, django_capture_on_commit_callbacks
):
    """Editing a reasoned response publishes a new version: the page says « modifié le »
    and keeps the previous text readable; the author and supporters are e-mailed again only
    when staff tick the box (issue 22, item 8)."""
    from django.db import DatabaseError, connection, transaction

    from participation.contributions.models import ResponseRevision

    client.force_login(make_user("ditp"))
    with django_capture_on_commit_callbacks(execute=True):
        _answer(client, contribution, text="Première version du retour, à l'étude.")
    assert len(mail.outbox) == 1
    form = client.get(reverse("contributions:respond", args=[contribution.pk])).content.decode()
    assert "Prévenir l&#x27;auteur et les soutiens de cette correction" in form
    with django_capture_on_commit_callbacks(execute=True):
        done = _answer(client, contribution, text="Version corrigée : une coquille en moins.")
    assert done.status_code == 302 and len(mail.outbox) == 1  # no e-mail for a correction
    page = client.get(contribution.get_absolute_url()).content.decode()
    assert "Version corrigée : une coquille en moins." in page and "modifié le" in page
    assert "Voir la version précédente" in page
    assert "Première version du retour, à l&#x27;étude." in page
    with django_capture_on_commit_callbacks(execute=True):
        _answer(client, contribution, status="non_retenue", text="Décision revue.", notify="on")
    assert len(mail.outbox) == 2 and "Décision revue." in mail.outbox[-1].body
    revisions = ResponseRevision.objects.filter(response__contribution=contribution)
    assert [(r.revision, r.notified) for r in revisions] == [(3, True), (2, False), (1, True)]
    # Published versions cannot be rewritten, even in the database.
    with (
        pytest.raises(DatabaseError, match="ajout seul"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE contributions_responserevision SET text = 'effacé'")
