"""A person whose company is registered asks to join it; its administrators decide."""

import pytest
from django.urls import reverse

from accounts.models import User
from companies.models import CompanyMembership, MembershipRole, MembershipStatus
from companies.services import membership_approve, membership_refuse, membership_request
from companies.tests.factories import CompanyFactory, CompanyMemberFactory, MembershipFactory
from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db

SIGNUP = reverse("companies:signup")
SIRET = "73282932000074"


@pytest.fixture
def transpare():
    """A company with two active admins (French, English), a plain member and a
    pending admin: only the two active admins are asked."""
    company = CompanyFactory(name="Transpare", siret=SIRET)
    CompanyMemberFactory(
        email="ali@transpare.example",
        first_name="Ali",
        last_name="Messoudi",
        language="fr",
        membership__company=company,
    )
    CompanyMemberFactory(
        email="jane@transpare.example",
        first_name="Jane",
        last_name="Doe",
        language="en",
        membership__company=company,
    )
    CompanyMemberFactory(
        email="member@transpare.example",
        membership__company=company,
        membership__role=MembershipRole.MEMBER,
    )
    CompanyMemberFactory(
        email="pending@transpare.example",
        membership__company=company,
        membership__status=MembershipStatus.PENDING,
    )
    return company


@pytest.fixture
def join_data():
    return {
        "first_name": "Léa",
        "last_name": "Durand",
        "email": "lea@transpare.example",
        "language": "en",
        "password1": "Joliette-Docks-2027",
        "password2": "Joliette-Docks-2027",
        "siret": "732 829 320 00074",
        "join_company": "on",
    }


def _request(company, **kwargs):
    return membership_request(
        email=kwargs.get("email", "lea@transpare.example"),
        password="Joliette-Docks-2027",
        first_name="Léa",
        last_name="Durand",
        language=kwargs.get("language", "en"),
        company=company,
        company_url="https://portal.example/companies/1/",
    )


# Services ---------------------------------------------------------------------------


def test_membership_request_pending_and_admins_asked_in_their_language(transpare, handed_over):
    membership = _request(transpare)

    assert (membership.status, membership.role, membership.company) == (
        MembershipStatus.PENDING,
        MembershipRole.MEMBER,
        transpare,
    )
    emails = OutboundEmail.objects.order_by("recipient")
    assert [(e.recipient, e.language, e.template_key) for e in emails] == [
        ("ali@transpare.example", "fr", "membership_request"),
        ("jane@transpare.example", "en", "membership_request"),
    ]
    assert emails[0].context == {
        "recipient_name": "Ali Messoudi",
        "requester_name": "Léa Durand",
        "requester_email": "lea@transpare.example",
        "company_name": "Transpare",
        "company_url": "https://portal.example/companies/1/",
    }


def test_membership_approve_activates_and_tells_requester_in_their_language(
    transpare, handed_over
):
    admin = User.objects.get(email="ali@transpare.example")
    membership = _request(transpare, language="en")

    membership_approve(membership=membership, by=admin, home_url="https://portal.example/")

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    approved = OutboundEmail.objects.get(template_key="membership_approved")
    assert (approved.recipient, approved.language) == ("lea@transpare.example", "en")
    assert approved.context == {
        "recipient_name": "Léa Durand",
        "company_name": "Transpare",
        "approved_by": "Ali Messoudi",
        "home_url": "https://portal.example/",
    }


def test_membership_approve_twice_refused_and_one_email(transpare, handed_over):
    admin = User.objects.get(email="ali@transpare.example")
    membership = _request(transpare)
    membership_approve(membership=membership, by=admin, home_url="https://portal.example/")

    with pytest.raises(ValueError, match="already decided"):
        membership_approve(membership=membership, by=admin, home_url="https://portal.example/")

    assert OutboundEmail.objects.filter(template_key="membership_approved").count() == 1


def test_membership_refuse_removes_membership_keeps_account(transpare, handed_over):
    admin = User.objects.get(email="ali@transpare.example")
    membership = _request(transpare)

    membership_refuse(membership=membership, by=admin, home_url="https://portal.example/")

    assert not CompanyMembership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(email="lea@transpare.example").exists()
    assert OutboundEmail.objects.filter(template_key="membership_approved").count() == 0
    refused = OutboundEmail.objects.get(template_key="membership_refused")
    lea = User.objects.get(email="lea@transpare.example")
    assert (refused.recipient, refused.language) == (lea.email, lea.language)
    assert refused.context["company_name"] == "Transpare"


# Sign-up ----------------------------------------------------------------------------


def test_signup_known_siret_offers_to_join(client, transpare, join_data):
    del join_data["join_company"]

    response = client.post(SIGNUP, join_data)

    assert response.status_code == 200
    assert response.context["form"].has_error("siret", "siret_taken")
    assert 'name="join_company"' in response.content.decode()
    assert User.objects.filter(email="lea@transpare.example").exists() is False


def test_signup_join_creates_pending_account_and_asks_admins(
    client, transpare, join_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(SIGNUP, join_data)

    assert response["Location"] == reverse("home")
    membership = CompanyMembership.objects.get(user__email="lea@transpare.example")
    assert (membership.company, membership.status) == (transpare, MembershipStatus.PENDING)
    assert sorted(
        OutboundEmail.objects.filter(template_key="membership_request").values_list(
            "recipient", "language"
        )
    ) == [("ali@transpare.example", "fr"), ("jane@transpare.example", "en")]
    url = OutboundEmail.objects.first().context["company_url"]
    assert url == f"http://testserver{transpare.get_absolute_url()}"
    home = client.get(reverse("home"))
    assert home.templates[0].name == "portal/home_pending.html"


def test_signup_join_with_an_account_in_another_case_refused(client, transpare, join_data):
    join_data["email"] = "Ali@Transpare.Example"
    memberships = CompanyMembership.objects.count()

    response = client.post(SIGNUP, join_data)

    assert list(response.context["form"].errors) == ["email"]
    assert User.objects.filter(email="ali@transpare.example").count() == 1
    assert CompanyMembership.objects.count() == memberships


def test_signup_join_stores_the_address_in_lower_case(client, transpare, join_data, handed_over):
    join_data["email"] = "Lea.Durand@Transpare.Example"

    client.post(SIGNUP, join_data)

    assert User.objects.get(email="lea.durand@transpare.example").email == (
        "lea.durand@transpare.example"
    )


def test_signup_join_unknown_siret_explained(client, join_data, db):
    response = client.post(SIGNUP, join_data)

    assert response.context["form"].has_error("siret", "siret_unknown")
    assert User.objects.count() == 0


def test_signup_join_company_fields_not_required(client, transpare, join_data, handed_over):
    response = client.post(SIGNUP, join_data)

    assert response.status_code == 302


# Deciding on the company page --------------------------------------------------------


def _pending(transpare):
    return MembershipFactory(
        user__email="lea@transpare.example",
        user__first_name="Léa",
        user__last_name="Durand",
        user__language="en",
        company=transpare,
        role=MembershipRole.MEMBER,
        status=MembershipStatus.PENDING,
    )


def test_company_page_admin_sees_pending_requests(client, transpare):
    pending = _pending(transpare)
    client.force_login(User.objects.get(email="ali@transpare.example"))

    response = client.get(transpare.get_absolute_url())

    assert [m.user.email for m in response.context["pending_requests"]] == [
        "pending@transpare.example",
        pending.user.email,
    ]
    assert "lea@transpare.example" in response.content.decode()


@pytest.mark.parametrize("who", ["member@transpare.example", "staff"])
def test_company_page_non_admins_do_not_see_requests(client, transpare, staff_user, who):
    _pending(transpare)
    user = staff_user if who == "staff" else User.objects.get(email=who)
    client.force_login(user)

    response = client.get(transpare.get_absolute_url())

    assert response.context["pending_requests"] == []
    assert "lea@transpare.example" not in response.content.decode()


def test_approve_by_admin(client, transpare, handed_over):
    pending = _pending(transpare)
    client.force_login(User.objects.get(email="ali@transpare.example"))

    response = client.post(
        reverse("companies:membership_approve", args=[transpare.pk, pending.pk])
    )

    assert response["Location"] == transpare.get_absolute_url()
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.ACTIVE
    email = OutboundEmail.objects.get()
    assert (email.recipient, email.language, email.template_key) == (
        "lea@transpare.example",
        "en",
        "membership_approved",
    )
    assert email.context["home_url"] == "http://testserver/"


def test_refuse_by_admin(client, transpare):
    pending = _pending(transpare)
    client.force_login(User.objects.get(email="ali@transpare.example"))

    client.post(reverse("companies:membership_refuse", args=[transpare.pk, pending.pk]))

    assert not CompanyMembership.objects.filter(pk=pending.pk).exists()


@pytest.mark.parametrize("action", ["membership_approve", "membership_refuse"])
@pytest.mark.parametrize(
    "who", ["member@transpare.example", "pending@transpare.example", "other", "staff", "official"]
)
def test_decide_refused_to_anyone_but_admins_of_that_company(
    client, transpare, other_company_member, staff_user, official_user, action, who
):
    pending = _pending(transpare)
    users = {"other": other_company_member, "staff": staff_user, "official": official_user}
    client.force_login(users.get(who) or User.objects.get(email=who))

    response = client.post(reverse(f"companies:{action}", args=[transpare.pk, pending.pk]))

    assert response.status_code == 404
    assert "Durand" not in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.PENDING


def test_decide_on_a_request_of_another_company_is_404(client, transpare, other_company_member):
    foreign = MembershipFactory(
        company=other_company_member.membership.company, status=MembershipStatus.PENDING
    )
    client.force_login(User.objects.get(email="ali@transpare.example"))

    response = client.post(
        reverse("companies:membership_approve", args=[transpare.pk, foreign.pk])
    )

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == MembershipStatus.PENDING


def test_decide_anonymous_asked_to_log_in(client, transpare):
    pending = _pending(transpare)

    response = client.post(
        reverse("companies:membership_approve", args=[transpare.pk, pending.pk])
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
