"""The database itself refuses bad companies, memberships and contacts."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.tests.factories import UserFactory
from companies.models import Company, CompanyMembership, Contact
from companies.tests.factories import CompanyFactory, ContactFactory, MembershipFactory

pytestmark = pytest.mark.django_db

# 14 digits whose SIREN and SIRET checksums hold.
VALID_SIRET = "73282932000074"


# SIRET -----------------------------------------------------------------------


def test_company_siret_duplicate_refused():
    CompanyFactory(siret=VALID_SIRET)

    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(name="Doublon", siret=VALID_SIRET)

    assert Company.objects.filter(siret=VALID_SIRET).count() == 1


def test_company_siret_duplicate_refused_on_update():
    CompanyFactory(siret=VALID_SIRET)
    other = CompanyFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.filter(pk=other.pk).update(siret=VALID_SIRET)


def test_company_siret_empty_twice_accepted():
    Company.objects.bulk_create(
        [Company(name="Sans SIRET 1", siret=""), Company(name="Sans SIRET 2", siret="")]
    )

    assert Company.objects.filter(siret="").count() == 2


@pytest.mark.parametrize(
    "siret",
    ["7328293200007", "7328293200007A", "732 829 320 00", "ABCDEFGHIJKLMN"],
    ids=["thirteen-digits", "letter", "spaces", "letters-only"],
)
def test_company_siret_not_fourteen_digits_refused(siret):
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(name="Mauvais SIRET", siret=siret)

    assert Company.objects.count() == 0


def test_company_siret_fourteen_digits_accepted():
    company = Company.objects.create(name="Bon SIRET", siret=VALID_SIRET)

    company.refresh_from_db()
    assert company.siret == "73282932000074"


def test_company_full_clean_invalid_siret_checksum_invalid():
    company = CompanyFactory.build(siret="12345678901234")

    with pytest.raises(ValidationError) as error:
        company.full_clean()

    assert list(error.value.message_dict) == ["siret"]
    assert error.value.error_dict["siret"][0].code == "invalid_siret"


def test_company_full_clean_valid_siret_valid():
    company = CompanyFactory.build(siret=VALID_SIRET)

    company.full_clean()

    assert company.siret == "73282932000074"


def test_company_full_clean_empty_siret_valid():
    company = CompanyFactory.build(siret="")

    company.full_clean()

    assert company.siret == ""


def test_company_full_clean_duplicate_siret_invalid():
    CompanyFactory(siret=VALID_SIRET)
    company = CompanyFactory.build(siret=VALID_SIRET)

    with pytest.raises(ValidationError) as error:
        company.full_clean()

    assert error.value.messages == ["Une entreprise portant ce SIRET est déjà inscrite."]


# Memberships -------------------------------------------------------------------


def test_membership_second_company_for_user_refused():
    membership = MembershipFactory()
    other_company = CompanyFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyMembership.objects.create(user=membership.user, company=other_company)

    assert CompanyMembership.objects.filter(user=membership.user).count() == 1


def test_membership_two_users_same_company_accepted():
    company = CompanyFactory()
    MembershipFactory(company=company, user=UserFactory())
    MembershipFactory(company=company, user=UserFactory())

    assert CompanyMembership.objects.filter(company=company).count() == 2


# Contacts --------------------------------------------------------------------


def test_contact_email_duplicate_in_company_refused():
    contact = ContactFactory(email="marie@transpare.example")

    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(
            company=contact.company,
            first_name="Marie",
            last_name="Durand",
            email="marie@transpare.example",
        )

    assert Contact.objects.filter(company=contact.company).count() == 1


def test_contact_email_same_in_other_company_accepted():
    ContactFactory(email="marie@transpare.example")
    ContactFactory(email="marie@transpare.example")

    assert Contact.objects.filter(email="marie@transpare.example").count() == 2


def test_contact_email_empty_refused():
    company = CompanyFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(company=company, first_name="Sans", last_name="Email", email="")

    assert Contact.objects.count() == 0


def test_contact_full_clean_duplicate_email_invalid():
    contact = ContactFactory(email="marie@transpare.example")
    duplicate = ContactFactory.build(company=contact.company, email="marie@transpare.example")

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()

    assert error.value.messages == [
        "Cette entreprise a déjà un contact avec cette adresse e-mail."
    ]


def test_contact_email_duplicate_in_company_other_case_refused():
    contact = ContactFactory(email="marie@transpare.example")

    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(company=contact.company, email="Marie@Transpare.example")
