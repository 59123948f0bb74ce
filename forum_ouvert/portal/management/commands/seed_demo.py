from django.core.management.base import BaseCommand

from forum_ouvert.core.choices import Role
from forum_ouvert.portal.demo import ACCOUNTS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Charge les données de démonstration (fictives) et un compte de démonstration par rôle."

    def handle(self, *args, **options):
        seed_demo()
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées (fictives)."))
        self.stdout.write(f"\nComptes de démonstration — mot de passe commun : {DEMO_PASSWORD}")
        for acc in ACCOUNTS:
            role = str(Role(acc.role).label)
            self.stdout.write(f"  {role:<30} {acc.email:<38} {acc.what}")
