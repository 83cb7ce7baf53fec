"""A person registers their company: the account, the company and the link."""

import pytest
from django.urls import reverse

from accounts.models import User
from companies.models import Company, CompanyMembership, MembershipRole
from companies.tests.factories import CompanyFactory
from missions.tests.factories import SectorFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("companies:signup")
VALID_SIRET = "73282932000074"


@pytest.fixture
def form_data():
    sector = SectorFactory(code="maritime", name_fr="Maritime", name_en="Maritime")
    return {
        "first_name": "Ali",
        "last_name": "Messoudi",
        "email": "ali@transpare.example",
        "language": "fr",
        "password1": "Joliette-Docks-2027",
        "password2": "Joliette-Docks-2027",
        "company_name": "Transpare",
        "siret": "732 829 320 00074",
        "city": "Marseille",
        "size": "small",
        "sectors": [sector.pk],
        "website": "transpare.example",
        "invitations_opt_in": "on",
    }


def test_signup_creates_account_company_and_membership(client, form_data):
    response = client.post(SIGNUP, form_data)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="ali@transpare.example")
    company = Company.objects.get()
    assert (company.name, company.siret, company.verified) == ("Transpare", VALID_SIRET, False)
    assert company.website == "https://transpare.example"
    assert [s.code for s in company.sectors.all()] == ["maritime"]
    membership = CompanyMembership.objects.get()
    assert (membership.user, membership.company, membership.role) == (
        user,
        company,
        MembershipRole.ADMIN,
    )
    home = client.get(reverse("home"))
    assert home.context["company"] == company


def test_signup_invalid_siret_explained_by_the_field_and_input_kept(client, form_data):
    form_data["siret"] = "12345678901234"

    response = client.post(SIGNUP, form_data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["siret"]
    content = response.content.decode()
    assert 'value="Transpare"' in content
    assert 'value="ali@transpare.example"' in content
    assert Company.objects.count() == 0
    assert User.objects.count() == 0


def test_signup_known_siret_points_to_joining_the_company(client, form_data):
    CompanyFactory(siret=VALID_SIRET, name="Transpare")

    response = client.post(SIGNUP, form_data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["siret"]
    assert Company.objects.count() == 1
    assert User.objects.count() == 0


def test_signup_existing_email_refused(client, form_data, staff_user):
    form_data["email"] = staff_user.email.upper()

    response = client.post(SIGNUP, form_data)

    assert list(response.context["form"].errors) == ["email"]
    assert Company.objects.count() == 0


def test_signup_passwords_differ_refused(client, form_data):
    form_data["password2"] = "Something-else-2027"

    response = client.post(SIGNUP, form_data)

    assert list(response.context["form"].errors) == ["password2"]
    assert User.objects.count() == 0


def test_signup_weak_password_refused(client, form_data):
    form_data["password1"] = form_data["password2"] = "12345678"

    response = client.post(SIGNUP, form_data)

    assert list(response.context["form"].errors) == ["password1"]


def test_signup_missing_required_fields_each_named(client, db):
    response = client.post(SIGNUP, {})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {
        "first_name",
        "last_name",
        "email",
        "language",
        "password1",
        "password2",
        "company_name",
        "siret",
        "city",
        "size",
        "sectors",
    }


def test_signup_page_redirects_someone_logged_in(client, company_member):
    client.force_login(company_member)

    assert client.get(SIGNUP)["Location"] == reverse("home")


def test_signup_email_taken_between_check_and_save_is_a_form_error_not_a_500(
    client, form_data, monkeypatch
):
    # The race: another sign-up with this address commits after this form's check.
    from companies.forms import CompanySignupForm
    from companies.tests.factories import CompanyMemberFactory

    monkeypatch.setattr(CompanySignupForm, "clean_email", lambda form: form.cleaned_data["email"])
    CompanyMemberFactory(email="ali@transpare.example")

    response = client.post(SIGNUP, form_data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Cette adresse e-mail ou ce SIRET vient d'être inscrit par quelqu'un d'autre. "
        "Vérifiez-les et renvoyez le formulaire."
    ]
    assert not Company.objects.filter(name="Transpare").exists()
