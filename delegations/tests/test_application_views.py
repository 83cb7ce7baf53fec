"""The company's application pages: errors by their field, who may see what, queries."""

import pytest
from django.urls import reverse
from django.utils import translation

from companies.tests.factories import ContactFactory
from delegations.enums import ApplicationStatus
from delegations.models import Application
from delegations.tests.factories import ApplicationFactory
from missions.enums import MissionStatus
from missions.tests.factories import OpenMissionFactory
from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db

LEAK = "PROTECTO-SECRET-OBJECTIVE"
NOTE = "STAFF-ONLY-NOTE weak export plan"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def mission():
    return OpenMissionFactory(title="Canada 2027")


@pytest.fixture
def draft(mission, company_member):
    return ApplicationFactory(
        mission=mission,
        company=company_member.membership.company,
        status=ApplicationStatus.DRAFT,
        objectives="",
    )


@pytest.fixture
def others(mission, other_company_member):
    """Protecto's application, with what must never reach Transpare or its staff-free pages."""
    return ApplicationFactory(
        mission=mission,
        company=other_company_member.membership.company,
        status=ApplicationStatus.SUBMITTED,
        objectives=LEAK,
        products=LEAK,
        internal_score=9,
        internal_notes=NOTE,
    )


def _post(client, application, action="save", **data):
    payload = {
        "objectives": "Find a distributor in Ontario.",
        "products": "Transparent solar films.",
        "counterparts_sought": "Distributors",
        "contact_language": "en",
        "action": action,
        **data,
    }
    return client.post(reverse("delegations:application_edit", args=[application.pk]), payload)


def test_apply_creates_draft_and_redirects_to_its_form(client, company_member, mission):
    client.force_login(company_member)

    response = client.post(reverse("delegations:application_start", args=[mission.pk]))

    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("delegations:application_edit", args=[application.pk])
    assert application.status == ApplicationStatus.DRAFT
    assert application.company == company_member.membership.company


def test_apply_twice_leads_to_the_existing_application(client, company_member, draft, mission):
    client.force_login(company_member)

    response = client.post(
        reverse("delegations:application_start", args=[mission.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert "Your company has already applied to this mission." in response.content.decode()
    assert Application.objects.count() == 1


def test_save_draft_keeps_answers_and_delegates(client, company_member, draft):
    contact = ContactFactory(company=company_member.membership.company)
    client.force_login(company_member)

    response = _post(client, draft, delegates=[contact.pk])

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    assert draft.objectives == "Find a distributor in Ontario."
    assert list(draft.delegates.all()) == [contact]


def test_submit_shows_submitted_and_queues_receipt(client, company_member, draft):
    client.force_login(company_member)

    response = _post(client, draft, action="submit")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    receipt = OutboundEmail.objects.get(template_key="application_receipt")
    assert receipt.context["application_url"] == (
        f"http://testserver/delegations/applications/{draft.pk}/"
    )


def test_submit_with_empty_answers_errors_by_field_and_keeps_draft(client, company_member, draft):
    client.force_login(company_member)

    response = _post(client, draft, action="submit", objectives="", counterparts_sought="Banks")

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"objectives": ["This answer is required to submit the application."]}
    assert form["counterparts_sought"].value() == "Banks"
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    assert draft.counterparts_sought == "Banks"


def test_over_long_answer_errors_by_field_and_keeps_input(client, company_member, draft):
    client.force_login(company_member)

    response = _post(client, draft, products="y" * 2001)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "products": ["At most 2000 characters (this answer has 2001)."]
    }
    assert response.context["form"]["products"].value() == "y" * 2001
    draft.refresh_from_db()
    assert draft.products == ""


def test_delegate_of_another_company_errors_by_field(
    client, company_member, other_company_member, draft
):
    stranger = ContactFactory(company=other_company_member.membership.company)
    client.force_login(company_member)

    response = _post(client, draft, delegates=[stranger.pk])

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["delegates"]
    assert draft.delegates.count() == 0


def test_submit_after_deadline_errors_and_keeps_draft(client, company_member, draft, mission):
    from django.utils import timezone

    mission.application_deadline = timezone.now() - timezone.timedelta(minutes=1)
    mission.save()
    client.force_login(company_member)

    response = _post(client, draft, action="submit")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The application deadline for this mission has passed."
    ]
    assert response.context["form"]["objectives"].value() == "Find a distributor in Ontario."
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_withdraw_after_confirmation(client, company_member, draft):
    client.force_login(company_member)
    url = reverse("delegations:application_withdraw", args=[draft.pk])

    assert client.get(url).status_code == 200
    response = client.post(url)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.WITHDRAWN


def test_a_past_mission_offers_no_withdrawal_and_keeps_its_page(client, company_member):
    application = ApplicationFactory(
        company=company_member.membership.company,
        status=ApplicationStatus.CONFIRMED,
        announced_status=ApplicationStatus.CONFIRMED,
        mission__status=MissionStatus.COMPLETED,
    )
    client.force_login(company_member)
    withdraw = reverse("delegations:application_withdraw", args=[application.pk])

    page = client.get(application.get_absolute_url()).content.decode()

    assert withdraw not in page
    assert client.get(withdraw)["Location"] == application.get_absolute_url()
    # The mission's page, which the application links to, stays open to the company.
    assert client.get(application.mission.get_absolute_url()).status_code == 200
    other = ApplicationFactory(mission__status=MissionStatus.COMPLETED)
    assert client.get(other.mission.get_absolute_url()).status_code == 404


def test_detail_shows_answers_never_internal_score_or_notes(client, company_member, mission):
    own = ApplicationFactory(
        mission=mission,
        company=company_member.membership.company,
        objectives="Own objective text",
        internal_score=7,
        internal_notes=NOTE,
    )
    client.force_login(company_member)

    content = client.get(own.get_absolute_url()).content.decode()

    assert "Own objective text" in content
    assert NOTE not in content
    assert "internal" not in content.lower()


PAGES = [
    ("get", "delegations:application_detail"),
    ("get", "delegations:application_edit"),
    ("post", "delegations:application_edit"),
    ("get", "delegations:application_withdraw"),
    ("post", "delegations:application_withdraw"),
]


@pytest.mark.parametrize(("method", "name"), PAGES)
@pytest.mark.parametrize("who", ["anonymous", "company_a", "staff", "official"])
def test_another_companys_application_is_hidden(
    client, request, method, name, who, company_member, others
):
    users = {
        "company_a": company_member,
        "staff": request.getfixturevalue("staff_user"),
        "official": request.getfixturevalue("official_user"),
    }
    if who != "anonymous":
        client.force_login(users[who])
    url = reverse(name, args=[others.pk])

    response = getattr(client, method)(url, {"objectives": "overwritten", "action": "submit"})

    if who == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 404
        assert LEAK not in response.content.decode()
        assert NOTE not in response.content.decode()
    others.refresh_from_db()
    assert others.status == ApplicationStatus.SUBMITTED
    assert others.objectives == LEAK


@pytest.mark.parametrize(("method", "name"), PAGES)
def test_own_company_member_reaches_every_page(client, method, name, company_member, draft):
    client.force_login(company_member)

    response = getattr(client, method)(reverse(name, args=[draft.pk]), {"action": "save"})

    assert response.status_code in (200, 302)


@pytest.mark.parametrize("who", ["anonymous", "staff", "official"])
def test_apply_refused_to_non_members(client, request, who, mission):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(f"{who}_user"))

    response = client.post(reverse("delegations:application_start", args=[mission.pk]))

    if who == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 404
    assert Application.objects.count() == 0


def test_apply_to_draft_mission_is_not_found(client, company_member):
    from missions.tests.factories import MissionFactory

    client.force_login(company_member)

    response = client.post(reverse("delegations:application_start", args=[MissionFactory().pk]))

    assert response.status_code == 404
    assert Application.objects.count() == 0


def test_mission_page_offers_apply_then_continue(client, company_member, mission):
    client.force_login(company_member)
    apply_url = reverse("delegations:application_start", args=[mission.pk])

    assert apply_url in client.get(mission.get_absolute_url()).content.decode()
    client.post(apply_url)
    application = Application.objects.get()
    content = client.get(mission.get_absolute_url()).content.decode()

    assert "Continue your application" in content
    assert application.get_absolute_url() in content


@pytest.mark.parametrize("count", [1, 25])
def test_home_lists_applications_in_fixed_queries(
    client, company_member, django_assert_num_queries, count
):
    company = company_member.membership.company
    for _ in range(count):
        ApplicationFactory(company=company)
    client.force_login(company_member)

    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("home"))

    assert len(response.context["applications"]) == count
    content = response.content.decode()
    for application in response.context["applications"]:
        assert application.get_absolute_url() in content


# Session, user with its groups, membership and company, applications, open missions,
# their sectors: whatever the number of applications.
QUERIES = 5
