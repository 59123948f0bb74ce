"""A participant contributes, edits within 30 minutes, withdraws; bad input never breaks."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from forum_ouvert.core.models import AuditLog
from participation.contributions import services
from participation.contributions.models import Contribution, PublicationStatus

from .factories import CommentFactory, ConsultationFactory, ContributionFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def _post(client, consultation, **data):
    payload = {
        "title": "Ouvrir les données des subventions",
        "body": "Publier chaque année la liste des subventions versées aux associations.",
        "theme": consultation.themes.first().pk,
        **data,
    }
    return client.post(reverse("contributions:create", args=[consultation.slug]), payload)


def test_citizen_contribution_is_published_at_once(client, make_user, consultation):
    """Under a posteriori moderation, a contribution is public as soon as it is sent."""
    user = make_user("citoyen", public_display_consent=True, display_name="Alix R.")
    client.force_login(user)
    response = _post(client, consultation)
    contribution = Contribution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == contribution.get_absolute_url()
    assert contribution.status == PublicationStatus.PUBLISHED
    page = client.get(contribution.get_absolute_url()).content.decode()
    assert "Ouvrir les données des subventions" in page
    assert "Alix R." in page


def test_a_priori_contribution_waits_for_moderation(client, make_user):
    """Under a priori moderation, only the author and moderators see the new contribution."""
    consultation = ConsultationFactory(a_priori=True)
    author = make_user("citoyen")
    client.force_login(author)
    client.post(
        reverse("contributions:create", args=[consultation.slug]),
        {"title": "Une idée à valider", "body": "Un texte assez long pour être accepté ici."},
    )
    contribution = Contribution.objects.get()
    assert contribution.status == PublicationStatus.PENDING
    assert client.get(contribution.get_absolute_url()).status_code == 200
    client.force_login(make_user("citoyen"))
    assert client.get(contribution.get_absolute_url()).status_code == 404
    assert "Une idée à valider" not in client.get("/contributions/").content.decode()


def test_each_contribution_has_its_journal_row(client, make_user, consultation):
    """Sending a contribution writes its audit row (who, what, status), in the journal."""
    author = make_user("citoyen")
    client.force_login(author)
    _post(client, consultation)
    contribution = Contribution.objects.get()
    row = AuditLog.objects.get(
        action="contributions.contribution.submit", target_id=str(contribution.pk)
    )
    assert row.actor == author
    assert row.changes == {"status": [None, PublicationStatus.PUBLISHED]}
    client.force_login(make_user("ditp"))
    assert "Envoyée par son auteur" in client.get(contribution.get_absolute_url()).content.decode()


def test_author_without_consent_is_signed_participant(client, make_user, contribution):
    """Without consent, the author's name never appears: « Participant·e » does."""
    contribution.author.display_name = "Nom Secret"
    contribution.author.public_display_consent = False
    contribution.author.save()
    page = client.get(contribution.get_absolute_url()).content.decode()
    assert "Nom Secret" not in page
    assert "Participant·e" in page


@pytest.mark.parametrize(
    "title,body,message",
    [
        ("", "Un texte tout à fait valable pour une contribution.", "Ce champ est obligatoire"),
        ("x" * 161, "Un texte tout à fait valable pour une contribution.", "160 caractères"),
        ("Titre correct", "y" * 10_001, "10000 caractères"),
        ("Titre correct", "court", "au moins 20 caractères"),
        ("Titre\x00nul", "Un texte tout à fait valable pour une contribution.", "caractère nul"),
    ],
)
def test_bad_input_is_refused_with_a_french_message_and_kept(
    client, make_user, consultation, title, body, message
):
    """Empty, too long, too short or NUL input: the form comes back with the text kept."""
    client.force_login(make_user("citoyen"))
    response = _post(client, consultation, title=title, body=body)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert not Contribution.objects.exists()
    if "\x00" not in body and len(body) < 200:
        assert body in page


@pytest.mark.parametrize(
    "title",
    [
        "'; DROP TABLE contributions_contribution; --",
        "1 OR 1=1",
        "Robert'); DELETE FROM core_user WHERE ('1'='1",
        "Égalité 🇫🇷 — ‘quotes’ « guillemets » 漢字 ﷽",
    ],
)
def test_sql_looking_and_unicode_titles_are_plain_text(client, make_user, consultation, title):
    """SQL-looking or exotic titles are stored and shown as text, never executed."""
    client.force_login(make_user("citoyen"))
    assert _post(client, consultation, title=title).status_code == 302
    assert Contribution.objects.get().title == title
    assert client.get("/contributions/").status_code == 200


def test_theme_must_belong_to_the_consultation(client, make_user, consultation):
    """A theme of another consultation is refused."""
    other = ConsultationFactory()
    from .factories import ThemeFactory

    foreign = ThemeFactory(consultation=other)
    client.force_login(make_user("citoyen"))
    response = _post(client, consultation, theme=foreign.pk)
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_closed_consultation_refuses_contributions(client, make_user):
    """After its closing date, a consultation accepts no contribution."""
    consultation = ConsultationFactory(closed=True)
    client.force_login(make_user("citoyen"))
    response = client.get(reverse("contributions:create", args=[consultation.slug]))
    assert response.status_code == 403


def test_rate_limit_contributions_per_hour(client, make_user, consultation):
    """The 11th contribution in an hour is refused in French (HTTP 429), with the input kept."""
    client.force_login(make_user("citoyen"))
    for i in range(10):
        assert _post(client, consultation, title=f"Idée numéro {i}").status_code == 302
    response = _post(client, consultation, title="Idée de trop")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Vous avez déjà envoyé 10 contributions au cours de la dernière heure" in page
    assert "Idée de trop" in page
    assert Contribution.objects.count() == 10
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1, minutes=1)):
        assert _post(client, consultation, title="Le lendemain").status_code == 302


def test_rate_limits_can_be_switched_off(client, make_user, consultation, settings):
    """``RATE_LIMITS_ENABLED = False`` lifts the limit (hostile-input test campaigns)."""
    settings.RATE_LIMITS_ENABLED = False
    client.force_login(make_user("citoyen"))
    for i in range(12):
        assert _post(client, consultation, title=f"Idée numéro {i}").status_code == 302


def test_edit_within_thirty_minutes_until_supported(client, make_user, consultation):
    """The author may edit for 30 minutes, and not once someone supports the contribution."""
    author = make_user("citoyen")
    contribution = ContributionFactory(
        consultation=consultation, author=author, theme=consultation.themes.first()
    )
    url = reverse("contributions:edit", args=[consultation.slug, contribution.pk])
    client.force_login(author)
    data = {
        "title": "Titre corrigé",
        "body": "Texte corrigé, un peu plus long que le minimum requis.",
        "theme": contribution.theme_id,
    }
    assert client.post(url, data).status_code == 302
    contribution.refresh_from_db()
    assert contribution.title == "Titre corrigé"
    assert AuditLog.objects.filter(action="contributions.contribution.edit").exists()

    with time_machine.travel(contribution.created_at + datetime.timedelta(minutes=31)):
        assert client.get(url).status_code == 403

    services.support_add(user=make_user("citoyen"), contribution=contribution)
    assert client.get(url).status_code == 403


def test_a_priori_edit_goes_back_to_moderation(make_user):
    """Edited under a priori moderation, a published contribution waits again."""
    consultation = ConsultationFactory(a_priori=True)
    author = make_user("citoyen")
    contribution = ContributionFactory(consultation=consultation, author=author)
    services.contribution_edit(
        author=author,
        contribution=contribution,
        title="Nouveau titre",
        body="Un nouveau texte suffisamment long.",
    )
    contribution.refresh_from_db()
    assert contribution.status == PublicationStatus.PENDING


def test_withdraw_without_answers_deletes(client, make_user, contribution):
    """Withdrawn before any answer, the contribution disappears."""
    client.force_login(contribution.author)
    url = reverse("contributions:withdraw", args=[contribution.consultation.slug, contribution.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert not Contribution.objects.filter(pk=contribution.pk).exists()
    assert AuditLog.objects.filter(action="contributions.contribution.withdraw").exists()


def test_withdraw_with_answers_stays_visible(client, make_user, contribution):
    """Withdrawn after a response, it stays, marked « retirée par son auteur »."""
    CommentFactory(contribution=contribution)
    ResponseFactory(contribution=contribution)
    client.force_login(contribution.author)
    client.post(
        reverse("contributions:withdraw", args=[contribution.consultation.slug, contribution.pk])
    )
    contribution.refresh_from_db()
    assert contribution.status == PublicationStatus.WITHDRAWN
    client.logout()
    page = client.get(contribution.get_absolute_url()).content.decode()
    assert "Retirée par son auteur" in page
    assert contribution.title in client.get("/contributions/").content.decode()


def test_only_the_author_may_withdraw(client, make_user, contribution):
    """Someone else gets 403."""
    client.force_login(make_user("citoyen"))
    url = reverse("contributions:withdraw", args=[contribution.consultation.slug, contribution.pk])
    assert client.post(url).status_code == 403
