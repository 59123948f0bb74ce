"""The participant's record: « Mon espace », the attestation and its verification, « mes
données », and account deletion (contributions stay anonymised, personal data is gone)."""

import datetime
import json
import re
import subprocess

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from forum_ouvert.core.extensions import VerifiedParticipation
from forum_ouvert.core.models import MailDelivery
from participation.contributions import services
from participation.contributions.models import (
    RESPONSE_MAIL,
    Attestation,
    Comment,
    Contribution,
    Report,
    Support,
)

from .factories import CommentFactory, ConsultationFactory, ContributionFactory, ResponseFactory

pytestmark = pytest.mark.django_db

WORKSHOP = VerifiedParticipation(
    kind="Atelier participatif",
    title="Atelier « Ce qui change chez vous » à Lyon",
    date=datetime.date(2026, 3, 14),
    hours=2.5,
    place="Lyon (69)",
)
FORUM = VerifiedParticipation(
    kind="Séance du Forum ouvert",
    title="Séance plénière de printemps",
    date=datetime.date(2026, 4, 2),
    hours=3,
)


@pytest.fixture
def verified(monkeypatch):
    """The workshops and forum apps report one verified participation each."""
    from participation.forum import selectors as forum
    from participation.workshops import selectors as workshops

    monkeypatch.setattr(workshops, "verified_participations", lambda *, user: [WORKSHOP])
    monkeypatch.setattr(forum, "verified_participations", lambda *, user: [FORUM])


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "attestation.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_my_space_shows_my_participation(client, make_user, consultation, verified):
    """« Mon espace » lists my contributions, the responses I received, my supports, my
    comments, and my verified participations with their hours."""
    me = make_user("citoyen")
    mine = ContributionFactory(consultation=consultation, author=me, title="Mon idée")
    ResponseFactory(contribution=mine, text="Nous la retenons pour 2027.")
    mine.responded_at = timezone.now()
    mine.save()
    other = ContributionFactory(consultation=consultation, title="Idée d'un autre")
    services.support_add(user=me, contribution=other)
    CommentFactory(contribution=other, author=me, body="Mon commentaire")
    client.force_login(me)
    html = client.get("/mon-espace/").content.decode()
    for text in (
        "Mon idée",
        "Nous la retenons pour 2027.",
        "Idée d&#x27;un autre",
        "Mon commentaire",
        "3 participations vérifiées",
        "5,5 heures de participation",
    ):
        assert text in html


def test_my_space_is_bounded(client, make_user, consultation, django_assert_max_num_queries):
    """« Mon espace » costs the same with 2 or 30 contributions, comments and supports."""
    me = make_user("citoyen")
    client.force_login(me)

    def add(n):
        for _i in range(n):
            c = ContributionFactory(
                consultation=consultation, author=me, responded_at=timezone.now()
            )
            ResponseFactory(contribution=c)
            other = ContributionFactory(consultation=consultation)
            CommentFactory(contribution=other, author=me)
            services.support_add(user=me, contribution=other)

    add(2)
    with django_assert_max_num_queries(25) as small:
        client.get("/mon-espace/")
    add(28)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/mon-espace/")


def test_attestation_pdf_and_verification(client, make_user, verified, tmp_path):
    """The PDF lists the verified participations and a code; the public page confirms it
    with no more personal data than the PDF; a forged code does not verify."""
    me = make_user("citoyen", email="camille@exemple.fr", display_name="Camille D.")
    client.force_login(me)
    page = client.get("/mon-espace/attestation/").content.decode()
    assert "Atelier « Ce qui change chez vous » à Lyon" in page
    response = client.post("/mon-espace/attestation/", {"holder_name": "Camille Dupont"})
    attestation = Attestation.objects.get()
    assert response["Location"] == reverse("portal:attestation_pdf", args=[attestation.code])
    assert re.fullmatch(r"([A-Z2-9]{4}-){4}[A-Z2-9]{4}", attestation.code)
    pdf = client.get(response["Location"])
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content, tmp_path)
    for fact in ("Camille Dupont", attestation.code, "Séance plénière de printemps", "5,5 h"):
        assert fact in text
    assert "camille@exemple.fr" not in text

    client.logout()
    verify = client.get(f"/attestations/{attestation.code}/")
    html = verify.content.decode()
    assert verify.status_code == 200
    assert "Attestation authentique" in html
    assert "Camille Dupont" in html
    assert "camille@exemple.fr" not in html
    assert "Camille D." not in html  # the account's display name is not on the attestation
    assert client.get(f"/attestations/{attestation.code.lower()}/").status_code == 200

    forged = "ABCD-EFGH-JKLM-NPQR-STUV"
    response = client.get(f"/attestations/{forged}/")
    assert response.status_code == 404
    assert "Aucune attestation ne correspond à ce code" in response.content.decode()
    assert client.get("/attestations/" + "A" * 500 + "/").status_code == 404


def test_attestation_pdf_is_private(client, make_user, verified):
    """Someone else cannot download my attestation's PDF (the public page is the check)."""
    me = make_user("citoyen")
    attestation = services.attestation_issue(user=me, holder_name="Moi", participations=[WORKSHOP])
    client.force_login(make_user("citoyen"))
    assert client.get(reverse("portal:attestation_pdf", args=[attestation.code])).status_code == 403


def test_asking_again_gives_the_same_attestation(make_user):
    """Nothing new since the last attestation: the same code comes back."""
    me = make_user("citoyen")
    first = services.attestation_issue(user=me, holder_name="Moi", participations=[WORKSHOP])
    again = services.attestation_issue(user=me, holder_name="Moi", participations=[WORKSHOP])
    newer = services.attestation_issue(user=me, holder_name="Moi", participations=[WORKSHOP, FORUM])
    assert first.code == again.code != newer.code


def test_no_attestation_without_verified_participation(client, make_user):
    """Without any verified participation, the page says so and offers no download."""
    client.force_login(make_user("citoyen"))
    html = client.get("/mon-espace/attestation/").content.decode()
    assert "Aucune participation vérifiée pour l'instant" in html
    response = client.post("/mon-espace/attestation/", {"holder_name": "Moi"})
    assert response.status_code == 200
    assert not Attestation.objects.exists()


def test_answered_contribution_is_a_verified_participation(make_user, consultation):
    """A contribution that received a reasoned response counts on the attestation."""
    from forum_ouvert.portal import record

    me = make_user("citoyen")
    answered = ContributionFactory(
        consultation=consultation, author=me, responded_at=timezone.now()
    )
    ContributionFactory(consultation=consultation, author=me)
    items = record.verified_participations(user=me)
    assert [i.title for i in items] == [f"{consultation.title} — {answered.title}"]


def test_download_all_my_data(client, make_user, consultation, verified):
    """« Télécharger mes données » gives a JSON file with my account and my contributions."""
    me = make_user("citoyen", email="moi@exemple.fr")
    ContributionFactory(consultation=consultation, author=me, title="Ma proposition")
    other = ContributionFactory(consultation=consultation)
    services.support_add(user=me, contribution=other)
    services.attestation_issue(user=me, holder_name="Moi", participations=[WORKSHOP])
    answer = ResponseFactory(contribution=other)
    assert services.response_notify(response_id=answer.pk, revision=answer.revision) == 2
    client.force_login(me)
    response = client.get("/mon-espace/mes-donnees.json")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["compte"]["adresse_email"] == "moi@exemple.fr"
    assert data["contributions"]["contributions"][0]["titre"] == "Ma proposition"
    assert data["contributions"]["soutiens"][0]["contribution_id"] == other.pk
    assert data["contributions"]["attestations"][0]["nom"] == "Moi"
    sent = MailDelivery.objects.get(recipient=me)
    assert data["contributions"]["emails_de_retour_recus"] == [
        {"contribution_id": other.pk, "version": 1, "date": sent.sent_at.isoformat()}
    ]
    assert {"forum", "ateliers", "engagements_suivis"} <= set(data)


def _personal_strings(user) -> list[str]:
    return [user.email, user.display_name]


def _rows_mentioning(text: str) -> list[str]:
    """Every row of every table whose text columns contain ``text``."""
    found = []
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.EmailField)
        ]
        if not fields:
            continue
        query = models.Q()
        for name in fields:
            query |= models.Q(**{f"{name}__icontains": text})
        if model._default_manager.filter(query).exists():
            found.append(model._meta.label)
    return found


def test_account_deletion_keeps_contributions_anonymised(client, make_user, consultation):
    """After deletion, contributions stay signed « Participant·e », supports are removed,
    and the e-mail and name are in no table at all."""
    me = make_user(
        "citoyen",
        email="a.effacer@exemple.fr",
        display_name="Zoé Effaçable",
        public_display_consent=True,
        departement_id="69",
    )
    published = ContributionFactory(consultation=consultation, author=me, title="Reste publique")
    pending = ContributionFactory(
        consultation=ConsultationFactory(a_priori=True), author=me, pending=True
    )
    other = ContributionFactory(consultation=consultation)
    services.support_add(user=me, contribution=other)
    comment = CommentFactory(contribution=other, author=me, body="Reste aussi")
    services.report_create(reporter=me, contribution=other, reason="spam")
    services.attestation_issue(user=me, holder_name="Zoé Effaçable", participations=[WORKSHOP])
    answer = ResponseFactory(contribution=other)
    services.response_notify(response_id=answer.pk, revision=answer.revision)
    assert MailDelivery.objects.filter(recipient=me, key__startswith=RESPONSE_MAIL).exists()
    assert _rows_mentioning("a.effacer@exemple.fr")

    client.force_login(me)
    response = client.post("/mon-espace/compte/supprimer/", {"confirm": "on"})
    assert response.status_code == 302

    assert _rows_mentioning("a.effacer@exemple.fr") == []
    assert _rows_mentioning("Zoé Effaçable") == []
    assert Contribution.objects.filter(pk=published.pk).exists()
    assert not Contribution.objects.filter(pk=pending.pk).exists()
    assert Comment.objects.filter(pk=comment.pk).exists()
    for model in (Support, Report, Attestation, MailDelivery):
        assert not model.objects.filter(**{_user_field(model): me}).exists(), model
    other.refresh_from_db()
    assert other.support_count == 0
    html = client.get(published.get_absolute_url()).content.decode()
    assert "Par Participant·e" in html
    csv = b"".join(client.get("/donnees/contributions.csv").streaming_content).decode()
    assert "Zoé" not in csv


def _user_field(model) -> str:
    return {
        Support: "user",
        Report: "reporter",
        Attestation: "user",
        MailDelivery: "recipient",
    }[model]
