"""In Chromium: staff generate the plan's two documents from its back-office page and watch
them render (a real Celery worker), publish them, and the public downloads the plan and the
record of its co-creation from the plan's page (their text read with pdftotext). axe on
every page, with no violation of any impact; the plan's page reflows at 320 px."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from forum_ouvert.celery import app
from forum_ouvert.reports.models import Report
from tests.conftest import browser_login
from tests.reports.test_plan_documents import OPINION, RESPONSE, seed_co_created

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker, pytest.mark.long]
OVERFLOW = (Path(__file__).parent / "overflow.js").read_text()


@pytest.fixture
def real_queue():
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def _pdf_text(download, tmp_path, name: str) -> str:
    import subprocess

    path = tmp_path / name
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    out = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_staff_generate_and_publish_the_plan_documents_then_the_public_downloads_them(
    page, live_server, axe, csp_violations, make_user, start_celery_worker, real_queue, tmp_path
):
    """From the back office to the public plan page: generate, watch, publish, download."""
    staff = make_user("ditp", display_name="Agent DITP")
    _staff, plan, _kept, refused = seed_co_created(staff=staff)
    start_celery_worker(REPORTS_STEP_DELAY=0.5)

    browser_login(page, live_server, staff.email)
    page.goto(f"{live_server.url}{reverse('engagements:bo_plan_edit', args=[plan.slug])}")
    axe(page)
    page.get_by_role("button", name="Générer les documents du plan").click()
    expect(page.get_by_role("status").first).to_contain_text("Documents demandés")
    states = page.locator("#documents [id^=rapport-][id$=-etat]")
    expect(states).to_have_count(2)
    seen = set()
    for _ in range(240):
        texts = [states.nth(i).inner_text() for i in range(states.count())]
        seen.update(re.sub(r"\d+ %", "n %", t.split("\n")[0]) for t in texts)
        # inner_text is the text as shown: the DSFR badge writes it in capitals.
        if len(texts) == 2 and all("prêt" in t.lower() for t in texts):
            break
        page.wait_for_timeout(500)
    assert any("rendu en cours" in s.lower() for s in seen), seen
    expect(states.filter(has_text="Prêt")).to_have_count(2)
    axe(page)

    for report in Report.objects.filter(plan=plan).order_by("pk"):
        page.goto(f"{live_server.url}{report.get_absolute_url()}")
        axe(page)
        page.get_by_role("button", name="Publier le rapport").click()
        expect(page.get_by_role("status").first).to_contain_text("Rapport publié")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    documents = page.locator("#documents-du-plan")
    expect(documents.get_by_role("heading", name="Documents du plan")).to_be_visible()
    axe(page)
    with page.expect_download() as plan_download:
        documents.get_by_role("link", name=re.compile("^Le plan d'action")).click()
    text = _pdf_text(plan_download.value, tmp_path, "plan.pdf")
    for expected in (
        plan.title,
        "Avant-propos",
        "Ouvrir le registre des lobbies",
        "Former les élus à la participation",
        "Registre publié en données ouvertes",
    ):
        assert expected in text, expected
    with page.expect_download() as record_download:
        documents.get_by_role("link", name=re.compile("^Le rapport de co-construction")).click()
    text = _pdf_text(record_download.value, tmp_path, "record.pdf")
    for expected in (f"Proposition n° {refused.pk}", "Non retenue", RESPONSE, OPINION):
        assert expected in text, expected

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    assert page.evaluate(OVERFLOW) == []
    assert csp_violations == []
