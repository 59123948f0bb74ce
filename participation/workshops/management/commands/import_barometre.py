from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from participation.workshops.barometre import BarometreImportError, import_barometre


class Command(BaseCommand):
    help = (
        "Importe un fichier CSV du Baromètre de l'action publique (colonnes indic_id, "
        "enforce_zone_id, metric_enforce_date, maille, indic_vi, indic_va, indic_vc, indic_ta). "
        "Idempotent ; tout ou rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier CSV des valeurs")
        parser.add_argument(
            "--indicator-metadata",
            dest="metadata",
            help="Fichier CSV des indicateurs (indic_id, nom, theme, unite, sens)",
        )

    def handle(self, *args, file, metadata=None, **options):
        try:
            data = Path(file).read_bytes()
            meta = Path(metadata).read_bytes() if metadata else None
        except OSError as exc:
            raise CommandError(f"Lecture impossible : {exc}") from exc
        try:
            report = import_barometre(data=data, metadata=meta)
        except BarometreImportError as exc:
            raise CommandError(
                "Import refusé, rien n'a été enregistré :\n" + "\n".join(exc.errors)
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.rows} ligne(s) lue(s) ; "
                f"indicateurs : {', '.join(report.indicator_codes)} "
                f"({report.indicators_created} nouveau(x)) ; valeurs : "
                f"{report.values_created} ajoutée(s), {report.values_updated} mise(s) à jour."
            )
        )
