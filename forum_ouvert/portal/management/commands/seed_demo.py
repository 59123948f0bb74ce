from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from forum_ouvert.core.choices import Role
from forum_ouvert.portal.demo import ACCOUNTS, DEMO_PASSWORD, seed_demo, seed_demo_refusal


class Command(BaseCommand):
    help = "Charge les données de démonstration (fictives) et un compte de démonstration par rôle."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="charger la démonstration même en production ou sur une base de données réelles",
        )

    def handle(self, *args, **options):
        refusal = seed_demo_refusal()
        if refusal and not options["force"]:
            raise CommandError(
                _("Démonstration non chargée. %(why)s Relancez avec --force si c'est voulu.")
                % {"why": refusal}
            )
        seed_demo()
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées (fictives)."))
        self.stdout.write(f"\nComptes de démonstration — mot de passe commun : {DEMO_PASSWORD}")
        for acc in ACCOUNTS:
            role = str(Role(acc.role).label)
            self.stdout.write(f"  {role:<30} {acc.email:<38} {acc.what}")
