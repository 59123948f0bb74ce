"""Import of the Baromètre de l'action publique: one CSV file, and the whole published data."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from participation.workshops.barometre import (
    DATASET_DIR,
    BarometreImportError,
    import_barometre,
    import_barometre_dataset,
)
from participation.workshops.models import (
    BarometreImport,
    Chantier,
    GovernmentEngagement,
    Indicator,
    IndicatorValue,
    Maille,
)

#: One real file of the DITP (IND-218, reading fluency on entering 6e) and its metadata.
SAMPLE = str(DATASET_DIR / "data" / "ind-218.csv")
SAMPLE_META = str(DATASET_DIR / "metadata" / "meta_indicateurs.csv")
HEADER = "indic_id,enforce_zone_id,metric_enforce_date,maille,indic_vi,indic_va,indic_vc,indic_ta\n"

pytestmark = pytest.mark.django_db


def _values():
    return sorted(
        IndicatorValue.objects.values_list(
            "indicator__code", "maille", "zone_id", "date", "current_value", "target_value"
        )
    )


def test_real_file_imports_every_maille(capsys):
    """One DITP file loads national, regional and departmental figures, kept apart."""
    call_command("import_barometre", SAMPLE, "--indicator-metadata", SAMPLE_META)
    assert "360 ligne(s) lue(s)" in capsys.readouterr().out
    ours = IndicatorValue.objects.filter(indicator__code="IND-218")
    assert ours.count() == 360
    counts = {m: ours.filter(maille=m).count() for m in Maille.values}
    assert counts == {"NAT": 3, "REG": 3 * 18, "DEPT": 3 * 101}
    rhone = ours.filter(maille="DEPT", zone_id="D69").order_by("date")
    assert {v.departement_id for v in rhone} == {"69"}
    assert [(v.initial_value, v.current_value, v.target_value, v.progress_rate) for v in rhone] == [
        (62.4, 62.4, None, None),
        (None, 64.0, None, 25.4),
        (None, None, 68.7, None),
    ]
    corse = ours.filter(maille="REG", zone_id="R94").first()
    assert corse.region_id == "94" and corse.departement_id is None
    assert ours.filter(maille="NAT").first().zone_id == "FRANCE"
    indicator = Indicator.objects.get(code="IND-218")
    assert indicator.higher_is_better is True
    assert indicator.name == "Début 6° - Part des élèves maitrisant la fluence de lecture"
    assert indicator.description.startswith("La part des élèves entrant en sixième")
    assert indicator.chantier.code == "CH-067"


def test_import_is_idempotent():
    """Importing the same file twice changes nothing; a changed figure is updated in place."""
    call_command("import_barometre", SAMPLE, "--indicator-metadata", SAMPLE_META)
    first = _values()
    report = import_barometre(data=Path(SAMPLE).read_bytes())
    assert _values() == first
    assert report.values_created == 0 and report.values_updated == 360
    import_barometre(data=HEADER + "IND-218,D69,2023-12-01,DEPT,,99,,50\n")
    value = IndicatorValue.objects.get(indicator__code="IND-218", zone_id="D69", date="2023-12-01")
    assert value.current_value == 99
    assert IndicatorValue.objects.count() == 360


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
    bad.write_text(HEADER + "IND-218,D69,2026-01-01,DEPT,4,5,12,50\nIND-218,D75,x,DEPT,,,,\n")
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


@pytest.mark.long
def test_the_whole_published_dataset_imports_once_and_says_what_it_read(capsys):
    """All 106 indicators, 77,816 rows, 59 chantiers, the 4 engagements and the units."""
    call_command("import_barometre")
    out = capsys.readouterr().out
    # The DITP lists every zone; 4,443 rows have neither a date nor a figure.
    assert "77816 ligne(s) lue(s) dans 106 fichier(s), dont 4443 sans date ni valeur" in out
    assert "indicateurs : 106 (106 nouveau(x)), dont 106 avec leurs unités" in out
    assert "chantiers : 59 ; engagements gouvernementaux : 4" in out
    assert IndicatorValue.objects.count() == 77816 - 4443
    assert Indicator.objects.count() == 106
    assert Chantier.objects.count() == 59
    assert sorted(GovernmentEngagement.objects.values_list("code", flat=True)) == [
        "EMPLOI",
        "ENGAG",
        "PROGRES",
        "TE",
    ]
    reading = Indicator.objects.select_related("chantier__engagement").get(code="IND-218")
    assert reading.theme == "Education" and reading.is_percentage
    assert reading.value_unit == "%" and reading.short_unit == "% des élèves de 6ème"
    assert reading.mailles == ["NAT", "REG", "DEPT"]
    assert reading.chantier.engagement.code == "PROGRES"
    electricity = Indicator.objects.get(code="IND-232")
    assert not electricity.is_percentage and electricity.value_unit == "TWh"
    assert Indicator.objects.filter(higher_is_better=False).count() == 9
    assert Indicator.objects.filter(chantier__isnull=True).count() == 0

    # Same files: nothing is read again.
    call_command("import_barometre")
    assert "déjà à jour" in capsys.readouterr().out
    assert BarometreImport.objects.count() == 1
    # Forced: everything is read again, and nothing is duplicated.
    before = _values()
    report = import_barometre_dataset(force=True)
    assert report.values_created == 0 and report.values_updated == 77816 - 4443
    assert report.indicators_created == 0
    assert _values() == before
    assert Chantier.objects.count() == 59 and GovernmentEngagement.objects.count() == 4


def test_a_bad_file_in_the_dataset_is_named_and_nothing_is_written(tmp_path):
    """A broken figure in one of the 106 files names that file and line; nothing is saved."""
    import shutil

    shutil.copytree(DATASET_DIR, tmp_path / "barometre")
    broken = tmp_path / "barometre" / "data" / "ind-218.csv"
    broken.write_text(broken.read_text() + "IND-218,D69,2024-01-01,DEPT,,beaucoup,,\n")
    with pytest.raises(CommandError) as error:
        call_command("import_barometre", "--dataset", str(tmp_path / "barometre"))
    assert "ind-218.csv, Ligne 362, colonne indic_va" in str(error.value)
    assert IndicatorValue.objects.count() == 0 and Indicator.objects.count() == 0
