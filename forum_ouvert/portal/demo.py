"""Demonstration data: clearly fictitious, idempotent, one account per role.

The plan's titles are real (imported from the plan file); every status, progress,
application, workshop or contribution loaded here is invented. While this data is
loaded, every page shows a notice saying so (``DemoDataset``).
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from forum_ouvert.core import pagecache, terms
from forum_ouvert.core.choices import Role
from forum_ouvert.core.context_processors import DEMO_CACHE_KEY
from forum_ouvert.core.models import DemoDataset, Departement, User
from forum_ouvert.core.services import user_set_public_profile

DEMO_PASSWORD = "demo-forum-ouvert-2026"  # noqa: S105 (public demo accounts, printed by make run)
DEMO_DOMAIN = "demo.forum-ouvert.fr"


@dataclass(frozen=True)
class DemoAccount:
    key: str
    email: str
    display_name: str
    role: str
    departement: str
    what: str
    #: Opened their public page (issue 19, item 4), through the service as a person would.
    public_profile: bool = False


ACCOUNTS = [
    DemoAccount(
        "citizen",
        f"citoyenne@{DEMO_DOMAIN}",
        "Camille D.",
        Role.CITIZEN,
        "69",
        "lit le plan, contribue, soutient, s'inscrit aux ateliers ; a une page publique",
        public_profile=True,
    ),
    DemoAccount(
        "citizen2",
        f"citoyen@{DEMO_DOMAIN}",
        "Malik B.",
        Role.CITIZEN,
        "2A",
        "un second citoyen, pour soutenir et commenter",
    ),
    DemoAccount(
        "association",
        f"association@{DEMO_DOMAIN}",
        "Association Voix Citoyennes",
        Role.ASSOCIATION,
        "33",
        "candidate à l'AMI du Forum ouvert, propose des engagements ; a une page publique",
        public_profile=True,
    ),
    DemoAccount(
        "lead",
        f"pilote@{DEMO_DOMAIN}",
        "Claire M. (pilote)",
        Role.LEAD,
        "75",
        "met à jour ses engagements (n° 3 et 5)",
    ),
    DemoAccount(
        "staff",
        f"agent.ditp@{DEMO_DOMAIN}",
        "Agent DITP",
        Role.STAFF,
        "75",
        "pilote le plan, examine l'AMI, modère, répond, publie les rapports",
    ),
    DemoAccount(
        "admin",
        f"admin@{DEMO_DOMAIN}",
        "Administratrice",
        Role.ADMIN,
        "75",
        "gère les comptes et les rôles, accède à l'administration",
    ),
]


def ensure_accounts() -> dict[str, User]:
    """Create (or reset) one verified demo account per role; returns them by key."""
    users = {}
    for acc in ACCOUNTS:
        user = User.objects.filter(email=acc.email).first()
        if user is None:
            user = User(email=acc.email)
        user.display_name = acc.display_name
        user.role = acc.role
        user.is_staff = acc.role == Role.ADMIN
        user.is_superuser = acc.role == Role.ADMIN
        user.is_active = True
        user.public_display_consent = acc.role in (Role.CITIZEN, Role.ASSOCIATION)
        user.departement = Departement.objects.filter(code=acc.departement).first()
        user.set_password(DEMO_PASSWORD)
        if not terms.is_current(user):  # demo accounts are no one's: nobody accepted
            for name, value in terms.accepted_now().items():
                setattr(user, name, value)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=acc.email, defaults={"verified": True, "primary": True}
        )
        users[acc.key] = user
    return users


def seed_demo_refusal() -> str:
    """Why the demo must not be loaded here ("" when it may): the demo creates an admin
    whose password is public (the README prints it).

    Refused with the production settings, and on a database that holds accounts of real
    people while no demo has been loaded into it (a development checkout pointed at the
    production database). A database the demo was loaded into stays a demo database:
    accounts created there since then do not stop ``make run`` from loading it again.
    """
    if settings.PRODUCTION:
        return _(
            "Réglages de production (%(module)s) : les comptes de démonstration ont un mot "
            "de passe public."
        ) % {"module": settings.SETTINGS_MODULE}
    if DemoDataset.objects.exists():
        return ""
    real = User.objects.exclude(email__iendswith=f"@{DEMO_DOMAIN}").count()
    if real:
        return _(
            "La base contient %(count)d compte(s) réel(s) et aucune donnée de démonstration : "
            "ce n'est pas une base de démonstration."
        ) % {"count": real}
    return ""


def _public_profiles(users: dict[str, User]) -> None:
    """The accounts that opened their public page, so that the demo shows the feature: their
    names link to a page listing their published contributions, proposals and comments.
    Through the service (consent checked, audited); a second run writes nothing."""
    for acc in ACCOUNTS:
        if acc.public_profile:
            user_set_public_profile(user=users[acc.key], public=True)


@transaction.atomic
def seed_demo() -> dict[str, User]:
    """Load every app's demonstration data. Safe to run again: nothing is duplicated."""
    from engagements import demo as engagements_demo
    from participation.cocreation import demo as cocreation_demo
    from participation.contributions import demo as contributions_demo
    from participation.forum import demo as forum_demo
    from participation.workshops import demo as workshops_demo

    users = ensure_accounts()
    from forum_ouvert.reports import demo as reports_demo

    for app_demo in (
        engagements_demo,
        forum_demo,
        workshops_demo,
        contributions_demo,
        cocreation_demo,
    ):
        app_demo.seed(users=users)
    reports_demo.seed(users=users)  # last: its snapshots and report read the others' data
    _public_profiles(users)
    DemoDataset.objects.get_or_create(name="demo")
    pagecache.forget_value(DEMO_CACHE_KEY)
    transaction.on_commit(lambda: pagecache.forget_value(DEMO_CACHE_KEY))
    return users
