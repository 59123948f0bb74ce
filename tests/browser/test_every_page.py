"""Every page of the permission matrix, in Chromium, as the person it concerns: axe-core finds
no violation of any impact, the page reflows at 320 CSS px without horizontal scrolling, and
the structural rules of RGAA that a program can check hold (doctype, language, title, skip
link, landmarks, tab order, new windows announced, no media, no frame without a title…).

The RGAA audit grid (``forum_ouvert/core/data/audit-rgaa.json``) names these tests as the
automated checks behind the criteria it marks *conforme* or *non applicable*: a page that
breaks one of these rules fails here, with the criterion's number in the message.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from forum_ouvert.core.choices import Role
from tests.browser.documents import DocumentTap
from tests.security.conftest import build_world
from tests.security.visits import ROLE_PREFERENCE, matrix_visits

pytestmark = [pytest.mark.browser, pytest.mark.long]

#: One evaluation per page; each finding starts with the RGAA criterion it breaks.
PAGE_RULES = (Path(__file__).parent / "page_rules.js").read_text()
#: What sticks out of a page that scrolls sideways, to name it in the failure.
OVERFLOW = (Path(__file__).parent / "overflow.js").read_text()


#: The walk in three parts, by who reads, so that the test workers share it.
READERS = {
    "equipe": (Role.STAFF, Role.ADMIN),
    "pilote": (Role.LEAD,),
    "public": (Role.ASSOCIATION, Role.CITIZEN, None),
}
#: Pages each part visits at least (the matrix's GET pages, as the people they concern).
AT_LEAST = {"equipe": 60, "pilote": 6, "public": 50}


@pytest.mark.parametrize("readers", READERS)
def test_every_page_passes_axe_reflows_at_320_px_and_keeps_the_structure_rules(
    page, live_server, settings, readers
):
    from axe_playwright_python.sync_playwright import Axe

    settings.RATE_LIMITS_ENABLED = False
    w = build_world()
    visits = sorted(
        (v for v in matrix_visits(w) if v[0] in READERS[readers]),
        key=lambda v: ROLE_PREFERENCE.index(v[0]),
    )
    # Downloads (PDF, CSV, ICS…) are kept aside and shown as a stub page.
    downloads = DocumentTap.install(page, live_server.url).documents
    checker = Axe()
    problems: list[str] = []
    pages = 0
    started = time.monotonic()
    current = object()
    for role, path in visits:
        if role != current:
            page.context.clear_cookies()
            if w.session_keys[role]:
                page.context.add_cookies(
                    [
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": w.session_keys[role],
                            "url": live_server.url,
                        }
                    ]
                )
            current = role
        where = f"{path} ({role or 'anonyme'})"
        page.set_viewport_size({"width": 1280, "height": 900})
        response = page.goto(live_server.url + path, wait_until="load")
        if live_server.url + path in downloads:
            continue
        if response is None or response.status != 200:
            problems.append(f"{where} : statut {response and response.status}")
            continue
        pages += 1
        for violation in checker.run(page).response["violations"]:
            targets = "; ".join(n["target"][0] for n in violation["nodes"][:3])
            problems.append(
                f"{where} : axe [{violation['impact']}] {violation['id']} — {violation['help']}"
                f" → {targets}"
            )
        problems += [f"{where} : {rule}" for rule in page.evaluate(PAGE_RULES)]
        page.set_viewport_size({"width": 320, "height": 800})
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide = ", ".join(page.evaluate(OVERFLOW))
            problems.append(f"{where} : 10.11 {width} px de large à 320 px ({wide})")
    elapsed = time.monotonic() - started
    print(f"{pages} pages vérifiées en {elapsed:.0f} s, {len(downloads)} fichiers")
    assert pages >= AT_LEAST[readers]
    assert problems == [], "\n".join(problems)
