import factory
from django.conf import settings
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.rules import OFFICIALS_GROUP, STAFF_GROUP

PASSWORD = "Correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(PASSWORD)
    # The test's site language (``settings.LANGUAGE_CODE``), as someone who signed up
    # browsing in it: their pages open in it (accounts.middleware), their emails are
    # written in it.
    language = factory.LazyFunction(lambda: settings.LANGUAGE_CODE[:2])


def _join(group_name):
    def add(user, create, extracted, **kwargs):
        if create:
            group, _ = Group.objects.get_or_create(name=group_name)
            user.groups.add(group)

    return factory.PostGeneration(add)


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@marseille.example")
    groups = _join(STAFF_GROUP)


class OfficialFactory(UserFactory):
    email = factory.Sequence(lambda n: f"official{n}@marseille.example")
    groups = _join(OFFICIALS_GROUP)
