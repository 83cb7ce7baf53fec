"""The grid page's choice of objective: a balanced run, a priority run, both kept on the
grid and compared (fewest / median / most meetings per company, who has the fewest)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from companies.tests.factories import CompanyFactory
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus
from meetings.models import Meeting, MeetingGrid
from meetings.services.grid import grid_configure
from meetings.tests.factories import CounterpartFactory, MeetingRequestFactory
from missions.tests.factories import OpenMissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def uneven():
    """Two slots, one table: Alpha asks two strong meetings, Beta one weak one."""
    start = datetime.date(2027, 7, 6)
    mission = OpenMissionFactory(
        timezone="America/Toronto", start_date=start, end_date=start + datetime.timedelta(days=2)
    )
    grid_configure(
        mission=mission,
        by=None,
        sessions=[{"date": "2027-07-06", "start": "09:00", "end": "10:00"}],
        slot_minutes=30,
        tables=1,
    )
    alpha, beta = (
        ApplicationFactory(
            mission=mission,
            company=CompanyFactory(name=name),
            status=ApplicationStatus.CONFIRMED,
        )
        for name in ("Alpha", "Beta")
    )
    x, y = (CounterpartFactory(mission=mission, organisation=name) for name in ("X Ltd", "Y Inc"))
    qualified = MeetingRequestStatus.QUALIFIED
    requests = {
        "alpha-x": MeetingRequestFactory(
            application=alpha, counterpart=x, priority=3, status=qualified
        ),
        "alpha-y": MeetingRequestFactory(
            application=alpha, counterpart=y, priority=3, status=qualified
        ),
        "beta-x": MeetingRequestFactory(
            application=beta, counterpart=x, priority=1, status=qualified
        ),
    }
    return mission, requests


def _run(client, mission, **data):
    return client.post(reverse("meetings:grid_schedule", args=[mission.pk]), data)


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_balanced_run_gives_every_company_a_meeting_and_the_grid_keeps_both_runs(
    client, staff_user, uneven
):
    mission, requests = uneven
    client.force_login(staff_user)

    _run(client, mission, objective="priority")
    by_priority = set(Meeting.objects.values_list("request_id", flat=True))
    _run(client, mission, objective="balanced")
    balanced = set(Meeting.objects.values_list("request_id", flat=True))

    assert by_priority == {requests["alpha-x"].pk, requests["alpha-y"].pk}
    assert requests["beta-x"].pk in balanced and len(balanced) == 2
    runs = MeetingGrid.objects.get(mission=mission).last_runs
    assert runs["priority"]["companies"] == {
        "fewest": 0,
        "median": 1,
        "most": 2,
        "fewest_names": ["Beta"],
    }
    assert runs["balanced"]["companies"] == {
        "fewest": 1,
        "median": 1,
        "most": 1,
        "fewest_names": ["Alpha", "Beta"],
    }
    assert (runs["priority"]["objective"], runs["balanced"]["objective"]) == (6, 4)
    assert runs["balanced"]["optimal"] is True
    assert runs["balanced"]["by"] == str(staff_user)

    page = client.get(reverse("meetings:grid", args=[mission.pk]))
    content = page.content.decode()
    assert [run["objective_name"] for run in page.context["runs"]] == ["balanced", "priority"]
    assert page.context["runs"][0]["current"] and not page.context["runs"][1]["current"]
    assert '<td data-run="priority" data-report="fewest"><strong>0</strong>' in content
    assert "(Beta)" in content
    assert '<td data-run="balanced" data-report="fewest"><strong>1</strong>' in content
    assert "4 (at most 4 is possible at this floor) — the best possible" in content
    assert "6 (at most 6 is possible) — the best possible" in content
    # The form offers the last objective again.
    assert page.context["run_form"].initial["objective"] == "balanced"


def test_counterparts_too_are_balanced_on_request(client, staff_user, uneven):
    mission, _requests = uneven
    client.force_login(staff_user)

    _run(client, mission, objective="balanced", counterpart_floor="on")

    run = MeetingGrid.objects.get(mission=mission).last_runs["balanced"]
    assert run["counterpart_floor"] is True
    assert run["floors"] == {"company": 1, "counterpart": 1}
    assert run["counterparts"]["fewest"] == 1
    page = client.get(reverse("meetings:grid", args=[mission.pk]))
    assert "Balanced (counterparts too)" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"objective": "fairest"}, "Select a valid choice. fairest is not one of the available"),
        (
            {"objective": "priority", "counterpart_floor": "on"},
            "Choose the balanced objective to balance counterparts.",
        ),
    ],
)
def test_a_bad_objective_is_refused_and_nothing_changes(client, staff_user, uneven, data, message):
    mission, _requests = uneven
    client.force_login(staff_user)
    _run(client, mission, objective="priority")
    before = set(Meeting.objects.values_list("pk", flat=True))

    response = _run(client, mission, **data)

    assert response.status_code == 302
    assert _messages(response)[-1].startswith(message)
    assert set(Meeting.objects.values_list("pk", flat=True)) == before
    assert list(MeetingGrid.objects.get(mission=mission).last_runs) == ["priority"]


def test_the_grid_page_reads_the_runs_in_the_same_queries(
    client, staff_user, uneven, django_assert_max_num_queries
):
    mission, _requests = uneven
    client.force_login(staff_user)
    url = reverse("meetings:grid", args=[mission.pk])
    with django_assert_max_num_queries(40) as captured:
        client.get(url)
        before = len(captured)

    _run(client, mission, objective="priority")
    _run(client, mission, objective="balanced", counterpart_floor="on")

    assert before > 0
    with django_assert_max_num_queries(before):
        client.get(url)


def test_officials_see_the_runs_but_cannot_run(client, official_user, staff_user, uneven):
    mission, _requests = uneven
    client.force_login(staff_user)
    _run(client, mission, objective="balanced")
    client.force_login(official_user)

    page = client.get(reverse("meetings:grid", args=[mission.pk]))
    response = _run(client, mission, objective="priority")

    assert 'id="runs"' in page.content.decode()
    assert 'id="run-scheduler"' not in page.content.decode()
    assert response.status_code in (403, 404)
    assert list(MeetingGrid.objects.get(mission=mission).last_runs) == ["balanced"]
