"""`import_plan` loads the real plan, is idempotent, and rejects a malformed file whole."""

import copy
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from engagements.importer import PlanFileError, import_plan
from engagements.models import ActionPlan, Axis, Commitment, Institution, JournalEntry

PLAN_FILE = Path(__file__).resolve().parents[2] / "engagements" / "data" / "plan-2024-2026.json"


@pytest.fixture
def plan_data():
    return json.loads(PLAN_FILE.read_text(encoding="utf-8"))


def _counts():
    return (
        ActionPlan.objects.count(),
        Axis.objects.count(),
        Commitment.objects.count(),
        Institution.objects.count(),
        JournalEntry.objects.count(),
    )


@pytest.mark.django_db
def test_real_plan_imports_with_17_commitments_and_drafts_flagged(capsys):
    """The 2024-2026 plan arrives with its 3 axes and 17 commitments; 9 await a title."""
    call_command("import_plan", str(PLAN_FILE))
    out = capsys.readouterr().out
    plan = ActionPlan.objects.get(slug="pan-2024-2026")
    assert plan.is_current
    assert plan.axes.count() == 3
    assert plan.commitments.count() == 17
    drafts = plan.commitments.filter(title="")
    assert drafts.count() == 9
    assert all(c.display_title == "Intitulé à compléter" and c.needs_completion for c in drafts)
    forum = plan.commitments.get(number=3)
    assert forum.ogp_id == "FR0112" and "Forum ouvert" in forum.title
    assert "CESE" in " ".join(forum.lead_institutions.values_list("name", flat=True))
    assert "17 créé(s)" in out and "9, 10, 11" in out


@pytest.mark.django_db
def test_an_institution_named_two_ways_is_one_row_with_its_short_name():
    """« CESE » and « Conseil économique, social et environnemental (CESE) », « DITP » and
    « DITP (département Innovation) »: one institution each in the « Institution pilote »
    filter, with a short and a long name (issue 22)."""
    from engagements.selectors import lead_institutions

    call_command("import_plan", str(PLAN_FILE))
    cese = Institution.objects.filter(name__contains="CESE")
    assert [(i.short_name, i.name) for i in cese] == [
        ("CESE", "Conseil économique, social et environnemental (CESE)")
    ]
    assert Institution.objects.filter(name__contains="DITP").count() == 1
    plan = ActionPlan.objects.get(slug="pan-2024-2026")
    names = [i.name for i in lead_institutions(plan=plan)]
    assert len(names) == len(set(names)) and "CESE" not in names and "DITP" not in names
    forum = plan.commitments.get(number=3)
    assert cese.get() in forum.lead_institutions.all()


@pytest.mark.django_db
def test_second_import_updates_and_never_duplicates(plan_data):
    """Running the import again changes nothing; a changed title is updated and journaled."""
    import_plan(plan_data)
    before = _counts()
    report = import_plan(plan_data)
    assert _counts() == before
    assert report.unchanged["commitments"] == 17
    changed = copy.deepcopy(plan_data)
    changed["commitments"][0]["title"] = "Un intitulé corrigé"
    report = import_plan(changed, source_name="correctif.json")
    assert report.updated["commitments"] == 1
    assert Commitment.objects.get(number=1).title == "Un intitulé corrigé"
    entry = JournalEntry.objects.get()
    assert entry.field == "title" and "correctif.json" in entry.justification
    assert Commitment.objects.count() == 17


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["commitments"][4].update(axis=9),
            "commitments[4] (engagement n° 5), champ « axis »",
        ),
        (
            lambda d: d["commitments"][2].update(title=None),
            "commitments[2] (engagement n° 3), champ « title »",
        ),
        (lambda d: d["commitments"][1].update(number="deux"), "commitments[1], champ « number »"),
        (lambda d: d["commitments"][6].update(number=1), "engagement n° 1), champ « number »"),
        (lambda d: d["plan"].update(starts_on="2024-13-01"), "plan, champ « starts_on »"),
        (lambda d: d["axes"][0].pop("title"), "axes[0], champ « title »"),
        (lambda d: d.update(format="autre"), "champ « format »"),
        (lambda d: d["commitments"][0].update(lead="DITP"), "champ « lead »"),
    ],
)
def test_malformed_file_is_rejected_naming_entry_and_field(plan_data, mutate, message):
    """A malformed entry is reported with its place and field, and nothing is written."""
    import_plan(plan_data)
    before = _counts()
    titles = list(Commitment.objects.order_by("number").values_list("title", flat=True))
    bad = copy.deepcopy(plan_data)
    bad["commitments"][0]["title"] = "Ce changement ne doit pas passer"
    mutate(bad)
    with pytest.raises(PlanFileError) as excinfo:
        import_plan(bad)
    assert message in str(excinfo.value)
    assert _counts() == before
    assert list(Commitment.objects.order_by("number").values_list("title", flat=True)) == titles


@pytest.mark.django_db
def test_command_reports_invalid_json(tmp_path):
    """A file that is not JSON gets a French error and changes nothing."""
    path = tmp_path / "plan.json"
    path.write_text("{ pas du json", encoding="utf-8")
    with pytest.raises(CommandError, match="rien n'a été modifié. JSON invalide"):
        call_command("import_plan", str(path))
    assert ActionPlan.objects.count() == 0


@pytest.mark.django_db
def test_the_migration_merges_the_old_duplicates():
    """Rows imported before the table existed are merged: the commitments of « CESE » move
    to the long name's row, and « DITP (département Innovation) » becomes the DITP."""
    import importlib

    from django.apps import apps

    from tests.engagements.factories import CommitmentFactory

    migration = importlib.import_module("engagements.migrations.0008_institutions_once")
    short = Institution.objects.create(name="CESE", slug="cese")
    long = Institution.objects.create(
        name="Conseil économique, social et environnemental (CESE)", slug="conseil-cese"
    )
    unit = Institution.objects.create(name="DITP (département Innovation)", slug="ditp-innov")
    first, second = CommitmentFactory(), CommitmentFactory()
    first.lead_institutions.add(short, unit)
    second.supporting_institutions.add(long)
    migration.merge(apps, None)
    (cese,) = Institution.objects.filter(name__contains="CESE")
    assert (cese.pk, cese.short_name) == (long.pk, "CESE")
    assert set(first.lead_institutions.values_list("short_name", flat=True)) == {"CESE", "DITP"}
    assert list(second.supporting_institutions.all()) == [cese]
    assert Institution.objects.get(short_name="DITP").name.startswith(
        "Direction interministérielle"
    )
