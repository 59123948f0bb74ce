"""Import of the Baromètre de l'action publique's CSV files."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from participation.workshops.barometre import BarometreImportError, import_barometre
from participation.workshops.models import Indicator, IndicatorValue, Maille

SAMPLE = "participation/workshops/data/barometre-exemple-FICTIF.csv"
SAMPLE_META = "participation/workshops/data/barometre-exemple-FICTIF-indicateurs.csv"
HEADER = "indic_id,enforce_zone_id,metric_enforce_date,maille,indic_vi,indic_va,indic_vc,indic_ta\n"

pytestmark = pytest.mark.django_db


def _values():
    return sorted(
        IndicatorValue.objects.values_list(
            "indicator__code", "maille", "zone_id", "date", "current_value", "target_value"
        )
    )


def test_sample_file_imports_every_maille(capsys):
    """The sample file loads national, regional and departmental figures, kept apart."""
    call_command("import_barometre", SAMPLE, "--indicator-metadata", SAMPLE_META)
    assert "1080 ligne(s) lue(s)" in capsys.readouterr().out
    assert IndicatorValue.objects.count() == 1080
    counts = {m: IndicatorValue.objects.filter(maille=m).count() for m in Maille.values}
    assert counts == {"NAT": 3 * 3, "REG": 3 * 3 * 18, "DEPT": 3 * 3 * 101}
    rhone = IndicatorValue.objects.filter(maille="DEPT", zone_id="D69")
    assert {v.departement_id for v in rhone} == {"69"}
    corse = IndicatorValue.objects.filter(maille="REG", zone_id="R94").first()
    assert corse.region_id == "94" and corse.departement_id is None
    indicator = Indicator.objects.get(code="IND-903")
    assert indicator.higher_is_better is False and indicator.is_sample
    assert indicator.unit == "jours" and "exemple fictif" in indicator.name


def test_import_is_idempotent():
    """Importing the same file twice changes nothing; a changed figure is updated in place."""
    call_command("import_barometre", SAMPLE, "--indicator-metadata", SAMPLE_META)
    first = _values()
    report = import_barometre(data=Path(SAMPLE).read_bytes())
    assert _values() == first
    assert report.values_created == 0 and report.values_updated == 1080
    import_barometre(data=HEADER + "IND-901,D69,2025-09-30,DEPT,4,99,12,50\n")
    value = IndicatorValue.objects.get(indicator__code="IND-901", zone_id="D69", date="2025-09-30")
    assert value.current_value == 99
    assert IndicatorValue.objects.count() == 1080


@pytest.mark.parametrize(
    ("row", "line", "column"),
    [
        ("IND-1,D69,2025-13-45,DEPT,1,2,3,4", 3, "metric_enforce_date"),
        ("IND-1,D69,hier,DEPT,1,2,3,4", 3, "metric_enforce_date"),
        ("IND-1,D69,2025-01-01,COMMUNE,1,2,3,4", 3, "maille"),
        ("IND-1,D00,2025-01-01,DEPT,1,2,3,4", 3, "enforce_zone_id"),
        ("IND-1,R99,2025-01-01,REG,1,2,3,4", 3, "enforce_zone_id"),
        ("IND-1,D69,2025-01-01,DEPT,1,deux,3,4", 3, "indic_va"),
        ("IND-1,D69,2025-01-01,DEPT,1,2,3,=cmd()", 3, "indic_ta"),
        (",D69,2025-01-01,DEPT,1,2,3,4", 3, "indic_id"),
    ],
)
def test_malformed_row_is_rejected_with_line_and_column(row, line, column):
    """A bad row is named by its line and column, and nothing of the file is written."""
    good = "IND-1,D69,2025-01-01,DEPT,1,2,3,4\n"
    with pytest.raises(BarometreImportError) as error:
        import_barometre(data=HEADER + good + row + "\n")
    assert f"Ligne {line}, colonne {column}" in str(error.value)
    assert IndicatorValue.objects.count() == 0
    assert Indicator.objects.count() == 0


def test_command_rejects_a_bad_file_and_writes_nothing(tmp_path):
    """The command stops with the list of errors and leaves the database as it was."""
    call_command("import_barometre", SAMPLE)
    before = _values()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "IND-901,D69,2026-01-01,DEPT,4,5,12,50\nIND-901,D75,x,DEPT,,,,\n")
    with pytest.raises(CommandError) as error:
        call_command("import_barometre", str(bad))
    assert "Ligne 3, colonne metric_enforce_date" in str(error.value)
    assert "rien n'a été enregistré" in str(error.value)
    assert _values() == before


def test_missing_column_is_reported():
    """A file without the Baromètre's columns is refused and says which are missing."""
    with pytest.raises(BarometreImportError) as error:
        import_barometre(data="indic_id,maille\nIND-1,NAT\n")
    assert "indic_vi" in str(error.value) and "Ligne 1" in str(error.value)


def test_import_is_tolerant_about_form():
    """Semicolons, a BOM, decimal commas, NaN, extra columns and bare codes are accepted."""
    data = (
        "\ufeffindic_id;enforce_zone_id;metric_enforce_date;maille;indic_vi;indic_va;"
        "indic_vc;indic_ta;autre\n"
        "IND-7;2A;2024-06-30;dept;1,5;2,25;4;NaN;x\n"
        "IND-7;FRA;2024-06-30 00:00:00;NAT;;;;;\n"
        "IND-7;84;2024-06-30;REG;1;2;3;50;\n"
    ).encode()
    report = import_barometre(data=data)
    assert report.rows == 3
    corse = IndicatorValue.objects.get(maille="DEPT")
    assert corse.departement_id == "2A" and corse.current_value == 2.25
    assert corse.progress_rate is None
    assert IndicatorValue.objects.get(maille="REG").region_id == "84"
    assert IndicatorValue.objects.get(maille="NAT").current_value is None


def test_bad_metadata_is_rejected():
    """Metadata whose direction is neither « hausse » nor « baisse » is refused, by line."""
    with pytest.raises(BarometreImportError) as error:
        import_barometre(
            data=HEADER + "IND-1,FRA,2025-01-01,NAT,1,2,3,4\n",
            metadata="indic_id,nom,sens\nIND-1,Un indicateur,peut-être\n",
        )
    assert "ligne 2" in str(error.value)
    assert Indicator.objects.count() == 0


def test_command_reports_unreadable_file():
    """A missing file is a clear error, not a traceback."""
    with pytest.raises(CommandError, match="Lecture impossible"):
        call_command("import_barometre", "/nonexistent/file.csv")
