"""In Chromium: staff request a report, watch it render, download it and publish it."""

import re

import pytest
from playwright.sync_api import expect

from forum_ouvert.celery import app
from tests.conftest import browser_login
from tests.engagements.factories import CommitmentFactory, PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker]


@pytest.fixture
def real_queue():
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_staff_request_watch_download_publish(
    page, live_server, axe, csp_violations, make_user, start_celery_worker, real_queue, tmp_path
):
    """The progress fragment moves from queued to rendering to ready, then the PDF downloads."""
    plan = PlanFactory()
    CommitmentFactory(plan=plan, title="Instituer le Forum ouvert")
    staff = make_user("ditp")
    start_celery_worker(REPORTS_STEP_DELAY=0.8)

    browser_login(page, live_server, staff.email)
    page.goto(f"{live_server.url}/pilotage/rapports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapports")
    axe(page)
    page.get_by_label("Type de rapport").select_option("redevabilite")
    page.get_by_role("button", name="Demander le rapport").click()

    state = page.locator("[id^=rapport-][id$=-etat]")
    seen = set()
    for _ in range(120):
        text = state.inner_text()
        seen.add(re.sub(r"\d+ %", "n %", text.split("\n")[0]))
        if "prêt" in text.lower():
            break
        page.wait_for_timeout(500)
    assert any("rendu en cours" in s.lower() for s in seen), seen
    expect(state).to_contain_text("Prêt")
    axe(page)

    with page.expect_download() as download_info:
        state.get_by_role("link", name=re.compile("Télécharger le PDF")).click()
    path = tmp_path / "rapport.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")

    page.get_by_role("button", name="Publier le rapport").click()
    expect(page.get_by_role("status").first).to_contain_text("Rapport publié")
    page.goto(f"{live_server.url}/rapports/")
    expect(page.get_by_role("table")).to_contain_text("Rapport de redevabilité")
    axe(page)
    page.goto(f"{live_server.url}/pilotage/")
    axe(page)
    assert csp_violations == []
