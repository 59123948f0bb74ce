"""Publish the Celery tasks left pending while the broker was down (as the beat does)."""

import datetime as dt

from django.core.management.base import BaseCommand

from forum_ouvert.core.outbox import FLUSH_AFTER, flush_pending, pending


class Command(BaseCommand):
    help = "Publie les tâches Celery en attente (courriels, rendus) restées dans la file sortante."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=FLUSH_AFTER.total_seconds(),
            help="Âge minimal des tâches à publier, en secondes (défaut : %(default)s)",
        )

    def handle(self, *args, older_than: float, **options):
        published = flush_pending(older_than=dt.timedelta(seconds=older_than))
        self.stdout.write(f"{published} tâche(s) publiée(s), {pending()} en attente.")
