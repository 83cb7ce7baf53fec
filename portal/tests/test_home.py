"""Each role's home page: what it shows, and what it must never show."""

import pytest
from django.urls import reverse

from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory, OpenMissionFactory
from reports.enums import ReportStatus
from reports.tests.factories import MissionReportFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")


@pytest.fixture
def landscape(company_member, other_company_member):
    """Missions in several states, and applications of two companies."""
    own_company = company_member.membership.company
    other_company = other_company_member.membership.company
    data = {
        "open": OpenMissionFactory(title="Canada — Toronto et Montréal 2027"),
        "open_applied": OpenMissionFactory(title="Japon — Tokyo, Kobe, Kyoto 2027"),
        "draft": MissionFactory(title="Secret draft Austin", status=MissionStatus.DRAFT),
        "reported": MissionFactory(title="Israël 2019 reported", status=MissionStatus.REPORTED),
        "cancelled": MissionFactory(title="Cancelled Hamburg", status=MissionStatus.CANCELLED),
    }
    data["own_application"] = ApplicationFactory(
        mission=data["open_applied"],
        company=own_company,
        status=ApplicationStatus.SUBMITTED,
        internal_notes="STAFF-ONLY-NOTE weak export plan",
    )
    data["other_application"] = ApplicationFactory(
        mission=data["open"], company=other_company, status=ApplicationStatus.SUBMITTED
    )
    data["submitted_report"] = MissionReportFactory(
        mission__title="Japon 2019 completed", status=ReportStatus.SUBMITTED
    )
    data["draft_report"] = MissionReportFactory(
        mission__title="Maroc 2019 completed", status=ReportStatus.DRAFT
    )
    return data


def test_home_anonymous_shows_open_missions_and_signup_only(client, landscape):
    response = client.get(HOME)

    assert response.status_code == 200
    assert [m.title for m in response.context["open_missions"]] == [
        "Canada — Toronto et Montréal 2027",
        "Japon — Tokyo, Kobe, Kyoto 2027",
    ]
    content = response.content.decode()
    assert reverse("companies:signup") in content
    assert "Secret draft Austin" not in content
    assert "Japon 2019 completed" not in content
    assert reverse("admin:index") not in content


def test_home_staff_lists_running_missions_with_counts(client, staff_user, landscape):
    client.force_login(staff_user)

    response = client.get(HOME)

    assert response.status_code == 200
    assert "portal/home_staff.html" in [t.name for t in response.templates]
    missions = {m.title: m for m in response.context["missions"]}
    assert set(missions) == {
        "Canada — Toronto et Montréal 2027",
        "Japon — Tokyo, Kobe, Kyoto 2027",
        "Secret draft Austin",
        "Japon 2019 completed",
        "Maroc 2019 completed",
    }
    assert missions["Canada — Toronto et Montréal 2027"].applications_to_review == 1
    assert missions["Secret draft Austin"].applications_to_review == 0
    assert [r.mission.title for r in response.context["reports"]] == ["Japon 2019 completed"]


def test_home_official_lists_submitted_reports_only(client, official_user, landscape):
    client.force_login(official_user)

    response = client.get(HOME)

    assert response.status_code == 200
    assert [r.mission.title for r in response.context["reports"]] == ["Japon 2019 completed"]
    content = response.content.decode()
    assert "Maroc 2019 completed" not in content
    assert "STAFF-ONLY-NOTE" not in content


def test_home_company_shows_own_applications_and_other_open_missions(
    client, company_member, landscape
):
    client.force_login(company_member)

    response = client.get(HOME)

    assert response.status_code == 200
    assert response.context["company"] == company_member.membership.company
    assert list(response.context["applications"]) == [landscape["own_application"]]
    # Already applied to Japan: only Canada is offered.
    assert [m.title for m in response.context["open_missions"]] == [
        "Canada — Toronto et Montréal 2027"
    ]
    content = response.content.decode()
    assert "STAFF-ONLY-NOTE" not in content
    assert "Protecto" not in content
    assert "Secret draft Austin" not in content
    assert reverse("admin:index") not in content


def test_home_user_without_company_sees_pending_page(client, db):
    from accounts.tests.factories import UserFactory

    client.force_login(UserFactory())

    response = client.get(HOME)

    assert response.status_code == 200
    assert response.templates[0].name == "portal/home_pending.html"


@pytest.mark.parametrize("count", [1, 6])
def test_home_anonymous_query_count_constant(client, db, django_assert_num_queries, count):
    OpenMissionFactory.create_batch(count)
    with django_assert_num_queries(2):  # missions, their sectors
        assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_home_staff_query_count_constant(
    client, staff_user, django_assert_num_queries, count
):
    for _ in range(count):
        ApplicationFactory(mission=MissionFactory(status=MissionStatus.SELECTION))
        MissionReportFactory(status=ReportStatus.SUBMITTED)
    client.force_login(staff_user)
    # session, user with its groups, missions with counts, reports, meetings waiting, reports
    # sent back
    with django_assert_num_queries(6):
        assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_home_company_query_count_constant(
    client, company_member, django_assert_num_queries, count
):
    company = company_member.membership.company
    for _ in range(count):
        ApplicationFactory(company=company)
        OpenMissionFactory()
    client.force_login(company_member)
    # session, user with its groups, membership and company, applications, open missions,
    # sectors
    with django_assert_num_queries(5):
        assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_home_official_query_count_constant(
    client, official_user, django_assert_num_queries, count
):
    MissionReportFactory.create_batch(count, status=ReportStatus.SUBMITTED)
    client.force_login(official_user)
    # session, user with its groups, reports
    with django_assert_num_queries(3):
        assert client.get(HOME).status_code == 200
