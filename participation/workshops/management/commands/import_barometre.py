from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from participation.workshops.barometre import (
    DATASET_DIR,
    BarometreImportError,
    import_barometre,
    import_barometre_dataset,
)


class Command(BaseCommand):
    help = (
        "Importe le Baromètre des résultats de l'action publique. Sans argument : les données "
        "publiées par la DITP livrées avec le site (participation/workshops/data/barometre/), "
        "métadonnées, chantiers, engagements, unités et valeurs ; rien n'est refait si les "
        "fichiers n'ont pas changé depuis le dernier import (--force pour réimporter). "
        "Avec FICHIER : un seul fichier CSV de valeurs (colonnes indic_id, enforce_zone_id, "
        "metric_enforce_date, maille, indic_vi, indic_va, indic_vc, indic_ta). "
        "Idempotent ; tout ou rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Un fichier CSV de valeurs")
        parser.add_argument(
            "--indicator-metadata",
            dest="metadata",
            help="Avec FICHIER : le fichier CSV des indicateurs (indic_id, nom, tendance…)",
        )
        parser.add_argument(
            "--dataset",
            default=str(DATASET_DIR),
            help="Dossier des données publiées (metadata/, config/, data/)",
        )
        parser.add_argument(
            "--force", action="store_true", help="Réimporter même si rien n'a changé"
        )

    def handle(self, *args, file=None, metadata=None, dataset, force=False, **options):
        try:
            if file:
                try:
                    data = Path(file).read_bytes()
                    meta = Path(metadata).read_bytes() if metadata else None
                except OSError as exc:
                    raise CommandError(f"Lecture impossible : {exc}") from exc
                report = import_barometre(data=data, metadata=meta)
            else:
                if metadata:
                    raise CommandError("--indicator-metadata accompagne un FICHIER de valeurs.")
                directory = Path(dataset)
                if not directory.is_dir():
                    raise CommandError(f"Dossier introuvable : {directory}")
                report = import_barometre_dataset(directory=directory, force=force)
        except BarometreImportError as exc:
            raise CommandError(
                "Import refusé, rien n'a été enregistré :\n" + "\n".join(exc.errors)
            ) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
