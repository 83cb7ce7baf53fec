import factory
from stdnum import luhn

from accounts.tests.factories import UserFactory
from companies.models import Company, CompanyMembership, Contact, MembershipRole


def _valid_siret(n: int) -> str:
    """A SIRET whose SIREN and whole number pass the Luhn check, different for each n."""
    siren_body = f"{73282932 + n:08d}"
    siren = siren_body + luhn.calc_check_digit(siren_body)
    nic_body = siren + "0001"
    return nic_body + luhn.calc_check_digit(nic_body)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Société {n}")
    siret = factory.Sequence(lambda n: _valid_siret(n))
    city = "Marseille"
    size = "small"
    verified = True


class CompanyMemberFactory(UserFactory):
    """A user acting for a company (created with it unless given)."""

    email = factory.Sequence(lambda n: f"member{n}@company.example")
    membership = factory.RelatedFactory(
        "companies.tests.factories.MembershipFactory", factory_related_name="user"
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyMembership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = MembershipRole.ADMIN


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    company = factory.SubFactory(CompanyFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"contact{n}@company.example")
