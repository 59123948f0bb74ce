"""In Chromium with axe: a lead's bulk update from a CSV, refused for one bad row (errors by
line and column, nothing written), then applied from a good file."""

import pytest
from playwright.sync_api import expect

from engagements.models import Commitment, JournalEntry
from tests.conftest import browser_login
from tests.engagements.factories import CommitmentFactory, MilestoneFactory, PlanFactory

pytestmark = pytest.mark.browser

HEADER = "engagement;jalon;etat;avancement;justification\n"


def _file(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_row_refused_then_good_file_applied(
    page, live_server, axe, csp_violations, tmp_path, make_user
):
    """The lead sees the bad row's line and column and nothing changes; the corrected file's
    preview shows before → after, and confirming publishes it."""
    plan = PlanFactory()
    lead = make_user("pilote", display_name="Claire M.")
    commitment = CommitmentFactory(
        plan=plan, number=1, title="Instituer le Forum ouvert", leads=[lead]
    )
    milestone = MilestoneFactory(commitment=commitment, deliverable="Séance d'installation")
    browser_login(page, live_server, lead.email)
    page.get_by_role("link", name="Mise à jour groupée depuis un tableur (CSV ou XLSX)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mise à jour groupée depuis un tableur"
    )
    axe(page)

    bad = _file(
        tmp_path,
        "mauvais.csv",
        HEADER
        + "1;;Limité;30;Premier livrable remis au comité.\n"
        + f"1;{milestone.pk};Terminé;;Séance tenue le 12 mars.\n",
    )
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(bad)
    page.get_by_role("button", name="Afficher l'aperçu").click()
    expect(page.get_by_role("alert")).to_contain_text("rien n'a été enregistré")
    errors = page.locator("#tableau-erreurs")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr td").nth(0)).to_have_text("3")
    expect(errors.locator("tbody tr td").nth(1)).to_have_text("état")
    expect(errors).to_contain_text("État de jalon inconnu : « Terminé »")
    expect(page.get_by_role("button", name="Appliquer")).to_have_count(0)
    axe(page)
    assert JournalEntry.objects.count() == 0

    good = _file(
        tmp_path,
        "bon.csv",
        HEADER
        + "1;;Limité;30;Premier livrable remis au comité.\n"
        + f"1;{milestone.pk};Atteint;;Séance tenue le 12 mars.\n",
    )
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(good)
    page.get_by_role("button", name="Afficher l'aperçu").click()
    preview = page.locator("#tableau-apercu")
    expect(preview).to_contain_text("Non commencé → Limité")
    expect(preview).to_contain_text("0 % → 30 %")
    expect(preview).to_contain_text("À venir → Atteint")
    expect(page.locator("#apercu-compte")).to_contain_text("2 lignes lues")
    axe(page)
    assert JournalEntry.objects.count() == 0

    page.get_by_role("button", name="Appliquer les 2 changements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes engagements")
    expect(page.get_by_role("status")).to_contain_text("2 lignes publiées dans l'historique")
    axe(page)
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("limite", 30)
    page.goto(f"{live_server.url}{commitment.get_absolute_url()}")
    expect(page.locator("#historique")).to_contain_text("Séance tenue le 12 mars.")
    assert Commitment.objects.get(pk=commitment.pk).milestones.get().status == "atteint"
    assert not csp_violations
