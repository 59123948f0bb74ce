"""factory_boy factories shared by the whole suite."""

import factory
from allauth.account.models import EmailAddress

from forum_ouvert.core.choices import Role
from forum_ouvert.core.models import User

PASSWORD = "mot-de-passe-de-test-solide"


class UserFactory(factory.django.DjangoModelFactory):
    """A verified, active account; ``role`` picks what it may do."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    display_name = factory.Faker("name", locale="fr_FR")
    role = Role.CITIZEN
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            if extracted is not False:
                EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    class Params:
        citizen = factory.Trait(role=Role.CITIZEN)
        association = factory.Trait(role=Role.ASSOCIATION)
        lead = factory.Trait(role=Role.LEAD)
        staff = factory.Trait(role=Role.STAFF)
        admin = factory.Trait(role=Role.ADMIN, is_superuser=True)
