"""A company keeps its profile and its contacts; staff verify it."""

import pytest
from django.urls import reverse

from companies.models import Company, Contact
from companies.services import (
    company_update,
    company_verify,
    contact_create,
    contact_delete,
    contact_update,
)
from companies.tests.factories import ContactFactory
from missions.tests.factories import SectorFactory

pytestmark = pytest.mark.django_db


def _company(member) -> Company:
    return member.membership.company


@pytest.fixture
def profile_data():
    sector = SectorFactory(code="maritime", name_fr="Maritime", name_en="Maritime")
    return {
        "name": "Transpare Ports",
        "sectors": [sector.pk],
        "size": "medium",
        "city": "Aubagne",
        "website": "transpare.example",
        "description": "Logiciels portuaires.",
        "export_experience": "Canada depuis 2019.",
        "invitations_opt_in": "",
    }


# Services ----------------------------------------------------------------------------


def test_company_update_changes_profile_fields_and_sectors(company_member):
    company = _company(company_member)
    sector = SectorFactory(code="digital")

    company_update(
        company=company,
        by=company_member,
        fields={"name": "Transpare SA", "city": "Aix"},
        sectors=[sector],
    )

    company.refresh_from_db()
    assert (company.name, company.city) == ("Transpare SA", "Aix")
    assert [s.code for s in company.sectors.all()] == ["digital"]


def test_company_update_refuses_the_siret(company_member):
    with pytest.raises(ValueError, match="siret"):
        company_update(
            company=_company(company_member),
            by=company_member,
            fields={"siret": "73282932000074"},
        )


def test_company_verify_records_who_and_when(company_member, staff_user):
    company = _company(company_member)
    company.verified = False
    company.save()

    company_verify(company=company, by=staff_user)

    company.refresh_from_db()
    assert company.verified is True
    assert company.verified_by == staff_user
    assert company.verified_at is not None


def test_company_unverify_clears_who_and_when(company_member, staff_user):
    company = company_verify(company=_company(company_member), by=staff_user, verified=False)

    company.refresh_from_db()
    assert (company.verified, company.verified_at, company.verified_by) == (False, None, None)


def test_contact_create_update_delete(company_member):
    company = _company(company_member)
    contact = contact_create(
        company=company,
        by=company_member,
        fields={"first_name": "Léa", "last_name": "Durand", "email": "lea@transpare.example"},
    )
    contact_update(
        contact=contact, by=company_member, fields={"job_title": "CEO", "language": "en"}
    )
    contact.refresh_from_db()
    assert (contact.company, contact.job_title, contact.language) == (company, "CEO", "en")

    contact_delete(contact=contact, by=company_member)

    assert Contact.objects.count() == 0


# Profile page -----------------------------------------------------------------------


def test_profile_edit_by_member_saves_everything_but_the_siret(
    client, company_member, profile_data
):
    company = _company(company_member)
    siret = company.siret
    client.force_login(company_member)

    response = client.post(reverse("companies:edit", args=[company.pk]), profile_data)

    assert response.status_code == 302
    assert response["Location"] == company.get_absolute_url()
    company.refresh_from_db()
    assert (company.name, company.size, company.city, company.website) == (
        "Transpare Ports",
        "medium",
        "Aubagne",
        "https://transpare.example",
    )
    assert (company.description, company.export_experience) == (
        "Logiciels portuaires.",
        "Canada depuis 2019.",
    )
    assert company.invitations_opt_in is False
    assert company.siret == siret
    assert [s.code for s in company.sectors.all()] == ["maritime"]


def test_profile_edit_shows_siret_read_only(client, company_member):
    company = _company(company_member)
    client.force_login(company_member)

    response = client.get(reverse("companies:edit", args=[company.pk]))

    assert f'value="{company.siret}" readonly' in response.content.decode()
    assert "siret" not in response.context["form"].fields


def test_profile_edit_siret_posted_is_ignored(client, company_member, profile_data):
    company = _company(company_member)
    siret = company.siret
    client.force_login(company_member)

    client.post(reverse("companies:edit", args=[company.pk]), {**profile_data, "siret": "1"})

    company.refresh_from_db()
    assert company.siret == siret


def test_profile_edit_over_long_name_explained_and_draft_kept(
    client, company_member, profile_data
):
    company = _company(company_member)
    client.force_login(company_member)

    response = client.post(
        reverse("companies:edit", args=[company.pk]), {**profile_data, "name": "x" * 201}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["Ensure this value has at most 200 characters (it has 201)."]
    } or list(response.context["form"].errors) == ["name"]
    assert "Canada depuis 2019." in response.content.decode()
    company.refresh_from_db()
    assert company.name == "Transpare"


def test_profile_edit_empty_name_explained(client, company_member, profile_data):
    company = _company(company_member)
    client.force_login(company_member)

    response = client.post(
        reverse("companies:edit", args=[company.pk]), {**profile_data, "name": ""}
    )

    assert list(response.context["form"].errors) == ["name"]


def test_verify_button_staff_verifies(client, company_member, staff_user):
    company = _company(company_member)
    company.verified = False
    company.save()
    client.force_login(staff_user)

    response = client.post(reverse("companies:verify", args=[company.pk]), {"verified": "1"})

    assert response["Location"] == company.get_absolute_url()
    company.refresh_from_db()
    assert (company.verified, company.verified_by) == (True, staff_user)


def test_verify_button_staff_unverifies(client, company_member, staff_user):
    company = _company(company_member)
    client.force_login(staff_user)

    client.post(reverse("companies:verify", args=[company.pk]), {"verified": "0"})

    company.refresh_from_db()
    assert company.verified is False


def test_verify_get_not_allowed(client, company_member, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("companies:verify", args=[_company(company_member).pk]))

    assert response.status_code == 405


@pytest.mark.parametrize("role", ["company_member", "official_user"])
def test_verify_refused_to_company_and_officials(
    client, company_member, official_user, role, request
):
    company = _company(company_member)
    company.verified = False
    company.save()
    client.force_login(request.getfixturevalue(role))

    response = client.post(reverse("companies:verify", args=[company.pk]), {"verified": "1"})

    assert response.status_code == 404
    company.refresh_from_db()
    assert company.verified is False


def test_detail_verify_button_only_for_staff(client, company_member, staff_user):
    company = _company(company_member)
    verify_url = reverse("companies:verify", args=[company.pk])
    client.force_login(company_member)
    assert verify_url not in client.get(company.get_absolute_url()).content.decode()
    client.force_login(staff_user)
    assert verify_url in client.get(company.get_absolute_url()).content.decode()


# Contacts ---------------------------------------------------------------------------

CONTACT = {
    "first_name": "Léa",
    "last_name": "Durand",
    "job_title": "Directrice export",
    "email": "lea@transpare.example",
    "phone": "+33 4 91 00 00 00",
    "language": "en",
}


def test_contact_add_by_member(client, company_member):
    company = _company(company_member)
    client.force_login(company_member)

    response = client.post(reverse("companies:contact_add", args=[company.pk]), CONTACT)

    assert response["Location"] == reverse("companies:contacts", args=[company.pk])
    contact = Contact.objects.get()
    assert (contact.company, contact.email, contact.language, contact.job_title) == (
        company,
        "lea@transpare.example",
        "en",
        "Directrice export",
    )


def test_contact_add_without_email_explained_and_draft_kept(client, company_member):
    company = _company(company_member)
    client.force_login(company_member)

    response = client.post(
        reverse("companies:contact_add", args=[company.pk]), {**CONTACT, "email": ""}
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert 'value="Directrice export"' in response.content.decode()
    assert Contact.objects.count() == 0


def test_contact_add_same_email_any_case_is_a_field_error(client, company_member):
    company = _company(company_member)
    ContactFactory(company=company, email="lea@transpare.example")
    client.force_login(company_member)

    response = client.post(
        reverse("companies:contact_add", args=[company.pk]),
        {**CONTACT, "email": "LEA@Transpare.example"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Cette entreprise a déjà un contact avec cette adresse e-mail."]
    }
    assert Contact.objects.count() == 1


def test_contact_same_email_in_another_company_allowed(client, company_member):
    ContactFactory(email="lea@transpare.example")
    client.force_login(company_member)

    client.post(reverse("companies:contact_add", args=[_company(company_member).pk]), CONTACT)

    assert Contact.objects.count() == 2


def test_contact_edit_keeps_own_email(client, company_member):
    company = _company(company_member)
    contact = ContactFactory(company=company, email="lea@transpare.example")
    client.force_login(company_member)

    response = client.post(
        reverse("companies:contact_edit", args=[company.pk, contact.pk]),
        {**CONTACT, "job_title": "CEO"},
    )

    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.job_title == "CEO"


def test_contact_delete_by_member(client, company_member):
    company = _company(company_member)
    contact = ContactFactory(company=company)
    client.force_login(company_member)

    response = client.post(reverse("companies:contact_delete", args=[company.pk, contact.pk]))

    assert response["Location"] == reverse("companies:contacts", args=[company.pk])
    assert Contact.objects.count() == 0


def test_contact_of_other_company_through_own_url_is_404(
    client, company_member, other_company_member
):
    own = _company(company_member)
    foreign = ContactFactory(company=_company(other_company_member), email="x@protecto.example")
    client.force_login(company_member)

    edit = client.get(reverse("companies:contact_edit", args=[own.pk, foreign.pk]))
    delete = client.post(reverse("companies:contact_delete", args=[own.pk, foreign.pk]))

    assert (edit.status_code, delete.status_code) == (404, 404)
    assert "x@protecto.example" not in edit.content.decode()
    assert Contact.objects.count() == 1


@pytest.mark.parametrize("count", [1, 25])
def test_contacts_list_query_count_constant(
    client, company_member, django_assert_num_queries, count
):
    company = _company(company_member)
    ContactFactory.create_batch(count, company=company)
    client.force_login(company_member)

    # Session, user with its groups, membership and company, the company, contacts.
    with django_assert_num_queries(4):
        response = client.get(reverse("companies:contacts", args=[company.pk]))

    assert len(response.context["contacts"]) == count
