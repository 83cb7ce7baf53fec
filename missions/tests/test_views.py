"""The public mission pages: anyone sees open missions, only the city sees the rest."""

import pytest
from django.urls import reverse

from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory, OpenMissionFactory, ProgrammeItemFactory

pytestmark = pytest.mark.django_db


def test_open_list_shows_only_open_missions(client, db):
    OpenMissionFactory(title="Canada 2027")
    MissionFactory(title="Draft Austin", status=MissionStatus.DRAFT)

    response = client.get(reverse("missions:open"))

    assert [m.title for m in response.context["missions"]] == ["Canada 2027"]
    assert "Draft Austin" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 6])
def test_open_list_query_count_constant(client, db, django_assert_num_queries, count):
    OpenMissionFactory.create_batch(count)
    with django_assert_num_queries(2):
        assert client.get(reverse("missions:open")).status_code == 200


def test_detail_open_mission_public_with_programme_in_destination_time(client, db):
    mission = OpenMissionFactory(title="Canada 2027")
    ProgrammeItemFactory(mission=mission, title="Startup Fest")

    response = client.get(mission.get_absolute_url())

    assert response.status_code == 200
    content = response.content.decode()
    assert "Startup Fest" in content
    assert "Toronto" in content


@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        (None, 404),
        ("company_member", 404),
        ("staff_user", 200),
        ("official_user", 200),
    ],
)
def test_detail_draft_mission_visible_to_city_only(client, request, role, status_code):
    mission = MissionFactory(title="Draft Austin", status=MissionStatus.DRAFT)
    if role:
        client.force_login(request.getfixturevalue(role))

    response = client.get(mission.get_absolute_url())

    assert response.status_code == status_code
    assert ("Draft Austin" in response.content.decode()) is (status_code == 200)


def test_detail_unknown_slug_404(client, db):
    assert client.get(reverse("missions:detail", kwargs={"slug": "nowhere"})).status_code == 404
