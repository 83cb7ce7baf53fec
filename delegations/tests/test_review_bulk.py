"""One decision on many applications (the review list's bulk form, core/bulk.py): taken
in the list's order, each through ``application_decide`` as on its own page, with the
mission's capacity, the refusals said one by one."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts.tests.factories import StaffFactory
from companies.tests.factories import CompanyFactory
from delegations.enums import HOLDS_A_SEAT, ApplicationStatus
from delegations.models import Application, ApplicationStatusChange
from delegations.tests.factories import ApplicationFactory
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory, OpenMissionFactory

pytestmark = pytest.mark.django_db

SUBMITTED = ApplicationStatus.SUBMITTED
ACCEPTED = ApplicationStatus.ACCEPTED


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _url(mission, query=""):
    return reverse("delegations:review", args=[mission.pk]) + query


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _submitted(mission, count, **fields):
    return [
        ApplicationFactory(
            mission=mission,
            company=CompanyFactory(name=f"Company {number:02}", verified=True),
            status=SUBMITTED,
            announced_status=SUBMITTED,
            submitted_at=timezone.now(),
            internal_score=number % 11,
            **fields,
        )
        for number in range(count)
    ]


def test_staff_decide_twenty_applications_in_one_action(client, staff_user):
    mission = OpenMissionFactory(capacity=30)
    chosen = _submitted(mission, 20)
    client.force_login(staff_user)

    response = client.post(
        _url(mission), {"decision": "accepted", "selected": [a.pk for a in chosen]}
    )

    assert response.status_code == 302
    assert _messages(response) == [
        "20 decisions recorded: “Accepted”. The companies will be told when you announce "
        "the mission's decisions."
    ]
    assert Application.objects.filter(status=ACCEPTED).count() == 20
    # Recorded, not told: the announcement stays staff's to make.
    assert set(Application.objects.values_list("announced_status", flat=True)) == {SUBMITTED}
    assert ApplicationStatusChange.objects.filter(to_status=ACCEPTED).count() == 20


def test_the_seats_go_in_the_lists_order_and_the_rest_is_refused(client, staff_user):
    mission = OpenMissionFactory(capacity=3)
    chosen = _submitted(mission, 6)  # scores 0 to 5
    client.force_login(staff_user)

    response = client.post(
        _url(mission, "?sort=score"), {"decision": "accepted", "selected": [a.pk for a in chosen]}
    )

    accepted = Application.objects.filter(status=ACCEPTED)
    assert sorted(accepted.values_list("internal_score", flat=True)) == [3, 4, 5]
    said = _messages(response)
    assert said[1].startswith("3 refused: Company 02: All 3 seats of the delegation are taken.")
    assert response["Location"] == _url(mission, "?sort=score")


def test_an_unverified_company_is_refused_the_others_decided(client, staff_user):
    mission = OpenMissionFactory(capacity=5)
    verified = _submitted(mission, 2)
    unverified = ApplicationFactory(
        mission=mission,
        company=CompanyFactory(name="Unchecked", verified=False),
        status=SUBMITTED,
        submitted_at=timezone.now(),
    )
    client.force_login(staff_user)

    response = client.post(
        _url(mission),
        {"decision": "accepted", "selected": [a.pk for a in [*verified, unverified]]},
    )

    said = _messages(response)
    assert said[0].startswith("2 decisions recorded")
    assert said[1] == (
        "1 refused: Unchecked: Unchecked is not verified yet: verify the company before "
        "accepting it."
    )


def test_every_application_matching_the_filters_on_every_page(client, staff_user):
    mission = OpenMissionFactory(capacity=50)
    _submitted(mission, 30)  # more than a page (25)
    client.force_login(staff_user)

    client.post(_url(mission, "?status=submitted"), {"decision": "rejected", "everything": "on"})

    assert Application.objects.filter(status=ApplicationStatus.REJECTED).count() == 30


def test_a_form_in_error_keeps_the_ticks(client, staff_user):
    mission = OpenMissionFactory()
    chosen = _submitted(mission, 2)
    client.force_login(staff_user)

    response = client.post(_url(mission), {"decision": "approved", "selected": [chosen[0].pk]})

    assert response.status_code == 200
    assert "decision" in response.context["bulk_form"].errors
    page = response.content.decode()
    assert f'id="select-{chosen[0].pk}" checked' in page
    assert f'id="select-{chosen[1].pk}">' in page
    assert not Application.objects.exclude(status=SUBMITTED).exists()


def test_officials_cannot_decide(client, official_user):
    mission = OpenMissionFactory()
    chosen = _submitted(mission, 1)
    client.force_login(official_user)

    response = client.post(_url(mission), {"decision": "accepted", "selected": [chosen[0].pk]})

    assert response.status_code == 404  # the review list is staff's only
    assert Application.objects.get().status == SUBMITTED


class BulkKeepsTheCapacity(TestCase):
    """Whatever the statuses and the capacity, one bulk acceptance never holds more
    seats than the mission has, and each application ends accepted or as it was."""

    @settings(max_examples=25, deadline=None)
    @given(
        statuses=st.lists(
            st.sampled_from([SUBMITTED, ACCEPTED, ApplicationStatus.WAITLISTED, "confirmed"]),
            min_size=1,
            max_size=8,
        ),
        capacity=st.integers(min_value=1, max_value=6),
        mission_status=st.sampled_from([MissionStatus.OPEN, MissionStatus.COMPLETED]),
    )
    def test_seats_never_exceed_the_capacity(self, statuses, capacity, mission_status):
        mission = MissionFactory(status=mission_status, capacity=max(capacity, len(statuses)))
        made = [
            ApplicationFactory(
                mission=mission,
                company=CompanyFactory(verified=True),
                status=status,
                announced_status=status,
                submitted_at=timezone.now(),
            )
            for status in statuses
        ]
        mission.capacity = capacity
        mission.save(update_fields=["capacity"])
        self.client.force_login(StaffFactory())

        with translation.override("en"):
            self.client.post(
                _url(mission), {"decision": "accepted", "selected": [a.pk for a in made]}
            )

        held = Application.objects.filter(mission=mission, status__in=HOLDS_A_SEAT).count()
        held_before = sum(status in HOLDS_A_SEAT for status in statuses)
        assert held <= max(capacity, held_before)
        for before in made:
            after = Application.objects.get(pk=before.pk).status
            assert after in (before.status, ACCEPTED)
            if mission_status == MissionStatus.COMPLETED:
                assert after == before.status
