from django.core.management.base import BaseCommand, CommandError

from engagements.importer import PlanFileError, import_plan_file


class Command(BaseCommand):
    help = "Importe (ou met à jour) un plan d'action depuis un fichier JSON forum-ouvert/plan@1."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Chemin du fichier JSON")
        parser.add_argument(
            "--not-current",
            action="store_true",
            help="Ne pas faire de ce plan le plan en cours",
        )

    def handle(self, *args, file, not_current, **options):
        try:
            report = import_plan_file(file, make_current=not not_current)
        except PlanFileError as exc:
            raise CommandError(f"Import refusé, rien n'a été modifié. {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Import terminé — {report.summary()}"))
