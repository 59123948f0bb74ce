"""factory_boy factories shared by the whole suite."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from forum_ouvert.core import terms
from forum_ouvert.core.choices import Role
from forum_ouvert.core.models import User

PASSWORD = "mot-de-passe-de-test-solide"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The current code of an authenticator app holding ``secret``."""
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


class UserFactory(factory.django.DjangoModelFactory):
    """A verified, active account that accepted the terms of use in force; ``role`` picks
    what it may do."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    display_name = factory.Faker("name", locale="fr_FR")
    role = Role.CITIZEN
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)
    # Accounts of tests have accepted the terms in force (``terms.accepted_now``, no audit
    # row); ``terms_version=""`` (with ``terms_accepted_at=None``) makes one that has not.
    terms_version = factory.LazyFunction(lambda: terms.current().id)
    terms_accepted_at = factory.LazyAttribute(
        lambda o: terms.accepted_now()["terms_accepted_at"] if o.terms_version else None
    )
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            if extracted is not False:
                EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def second_factor(obj, create, extracted, **kwargs):
        """DITP staff, admins and commitment leads have two-factor authentication on, as
        the site requires of whoever changes the public record."""
        wanted = obj.role in (Role.STAFF, Role.ADMIN, Role.LEAD) if extracted is None else extracted
        if create and wanted:
            TOTP.activate(obj, TOTP_SECRET)

    class Params:
        citizen = factory.Trait(role=Role.CITIZEN)
        association = factory.Trait(role=Role.ASSOCIATION)
        lead = factory.Trait(role=Role.LEAD)
        staff = factory.Trait(role=Role.STAFF)
        admin = factory.Trait(role=Role.ADMIN, is_superuser=True)
