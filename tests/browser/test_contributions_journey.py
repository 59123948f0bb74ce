"""In a real Chromium: a citizen signs up and contributes, a second citizen supports it (htmx),
DITP staff answer it, and the author finds the answer in « Mon espace » and downloads an
attestation de participation, then checks it on the public page. axe on every page."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from forum_ouvert.core.extensions import VerifiedParticipation
from participation.contributions.models import Attestation, Contribution
from tests.conftest import browser_login
from tests.contributions.factories import ConsultationFactory, ThemeFactory

pytestmark = pytest.mark.browser
PASSWORD = "un-mot-de-passe-tres-long"


def _link(message) -> str:
    return re.search(r"https?://[^\s]+", message.body).group(0)


def _logout(page):
    page.get_by_role("button", name="Se déconnecter").first.click()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()


@pytest.fixture
def workshop_attended(monkeypatch):
    """The workshops app reports one attended workshop (its own tests cover how)."""
    from participation.workshops import selectors as workshops

    monkeypatch.setattr(
        workshops,
        "verified_participations",
        lambda *, user: [
            VerifiedParticipation(
                kind="Atelier participatif",
                title="Atelier citoyen de Lyon",
                date=datetime.date(2026, 2, 7),
                hours=3,
                place="Lyon (69)",
            )
        ],
    )


def test_contribution_journey(page, live_server, make_user, axe, csp_violations, workshop_attended):
    """From sign-up to a verified attestation, every step works and passes axe."""
    consultation = ConsultationFactory(title="Préparer le prochain plan d'action")
    ThemeFactory(consultation=consultation, title="Transparence de l'action publique")
    supporter = make_user("citoyen", display_name="Malik B.")
    staff = make_user("ditp", display_name="Agent DITP")
    base = live_server.url

    # 1. A citizen signs up and confirms their address.
    page.goto(f"{base}/")
    page.get_by_role("link", name="Créer un compte").first.click()
    page.get_by_label("Courriel").fill("camille@exemple.fr")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_display_name").fill("Camille D.")
    page.locator("#id_public_display_consent").check(force=True)
    page.locator("#id_accept_terms").check(force=True)
    page.get_by_role("button", name="Création de compte").click()
    page.goto(re.sub(r"^https?://[^/]+", base, _link(mail.outbox[-1])))
    page.get_by_role("button", name="Confirmer").click()
    # Confirming the address logs them in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    axe(page)

    # 2. They find the consultation and contribute.
    page.get_by_role("link", name="Contributions", exact=True).first.click()
    axe(page)
    page.get_by_role("link", name="Préparer le prochain plan d'action").click()
    axe(page)
    page.get_by_role("link", name="Contribuer").click()
    axe(page)
    page.get_by_label("Titre").fill("Publier les agendas des ministres")
    page.get_by_label("Votre contribution").fill(
        "Les rendez-vous avec les représentants d'intérêts, chaque semaine, en données "
        "ouvertes : https://www.data.gouv.fr"
    )
    page.get_by_label("Thème ou question").select_option(label="Transparence de l'action publique")
    page.get_by_role("button", name="Envoyer ma contribution").click()
    expect(page.get_by_text("Merci ! Votre contribution est publiée.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publier les agendas des ministres")
    expect(page.get_by_role("link", name="https://www.data.gouv.fr")).to_be_visible()
    axe(page)
    contribution = Contribution.objects.get()
    _logout(page)

    # 3. A second citizen supports it: the count changes in place, without a reload.
    browser_login(page, live_server, supporter.email)
    page.goto(base + contribution.get_absolute_url())
    page.evaluate("window.__sameDocument = true")
    region = page.locator(f"#soutien-{contribution.pk}")
    expect(region).to_contain_text("Aucun soutien")
    region.get_by_role("button", name="Soutenir").click()
    expect(region).to_contain_text("1 soutien · dont le vôtre")
    expect(region.get_by_role("button", name="Soutenir")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__sameDocument") is True
    axe(page)
    _logout(page)

    # 4. DITP staff answer it; the author and the supporter are e-mailed.
    sent_before = len(mail.outbox)
    browser_login(page, live_server, staff.email)
    page.goto(base + contribution.get_absolute_url())
    page.get_by_role("link", name="Rédiger le retour argumenté").click()
    axe(page)
    page.get_by_label("Décision").select_option(label="Retenue")
    page.get_by_label("Retour argumenté").fill(
        "Retenue : les agendas seront publiés chaque mois à partir de 2027."
    )
    page.get_by_role("button", name="Publier le retour et prévenir").click()
    expect(page.get_by_role("heading", name="Retour argumenté")).to_be_visible()
    axe(page)
    recipients = sorted(m.to[0] for m in mail.outbox[sent_before:])
    assert recipients == sorted(["camille@exemple.fr", supporter.email])
    _logout(page)

    # 5. The author sees the response in « Mon espace » and downloads an attestation.
    browser_login(page, live_server, "camille@exemple.fr", PASSWORD)
    expect(page.get_by_role("heading", name="Les retours que j'ai reçus")).to_be_visible()
    expect(page.get_by_text("Retenue : les agendas seront publiés")).to_be_visible()
    expect(page.get_by_text("2 participations vérifiées")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Mon attestation de participation").click()
    axe(page)
    page.get_by_label("Nom à faire figurer sur l'attestation").fill("Camille Dupont")
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger mon attestation (PDF)").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")

    # 6. Anyone can check it with its code.
    _logout(page)
    code = Attestation.objects.get().code
    page.goto(f"{base}/attestations/")
    axe(page)
    page.get_by_label("Code de vérification").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_text("Attestation authentique")).to_be_visible()
    expect(page.get_by_text("Camille Dupont")).to_be_visible()
    expect(page.get_by_text("Atelier citoyen de Lyon")).to_be_visible()
    axe(page)
    assert csp_violations == []
