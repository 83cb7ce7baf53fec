"""One action on many meeting requests (the requests list's bulk form, core/bulk.py):
each request goes through the service it would go through alone, the refusals are said
one by one, and a form in error loses nothing."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from accounts.tests.factories import StaffFactory
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus
from meetings.models import MeetingRequest, MeetingRequestStatusChange
from meetings.tests.factories import CounterpartFactory, MeetingFactory, MeetingRequestFactory
from missions.tests.factories import OpenMissionFactory

pytestmark = pytest.mark.django_db

REQUESTED = MeetingRequestStatus.REQUESTED
QUALIFIED = MeetingRequestStatus.QUALIFIED
DECLINED = MeetingRequestStatus.DECLINED


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _url(mission, query=""):
    return reverse("meetings:requests", args=[mission.pk]) + query


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _requests(mission, count, **fields):
    application = ApplicationFactory(mission=mission, status=ApplicationStatus.CONFIRMED)
    return [
        MeetingRequestFactory(
            application=application,
            counterpart=CounterpartFactory(mission=mission),
            rationale=f"Reason {number}",
            **fields,
        )
        for number in range(count)
    ]


def test_staff_qualify_fifty_requests_in_one_action(client, staff_user):
    mission = OpenMissionFactory()
    chosen = _requests(mission, 50)
    client.force_login(staff_user)

    response = client.post(
        _url(mission, "?status=requested"),
        {"action": "qualify", "selected": [r.pk for r in chosen], "purpose": ""},
    )

    assert response.status_code == 302
    assert response["Location"] == _url(mission, "?status=requested")
    assert _messages(response) == ["50 requests qualified."]
    qualified = MeetingRequest.objects.filter(status=QUALIFIED)
    assert qualified.count() == 50
    # Without a purpose typed, each one's is its company's rationale.
    assert {r.purpose for r in qualified} == {f"Reason {n}" for n in range(50)}
    # The same history as one by one.
    changes = MeetingRequestStatusChange.objects.filter(to_status=QUALIFIED)
    assert changes.count() == 50
    assert {change.changed_by_id for change in changes} == {staff_user.pk}


def test_refusals_are_said_one_by_one_and_the_rest_is_done(client, staff_user):
    mission = OpenMissionFactory()
    waiting = _requests(mission, 3)
    declined = MeetingRequestFactory(
        application__mission=mission, status=DECLINED, decline_reason="Closed"
    )
    scheduled = MeetingFactory(
        request=MeetingRequestFactory(application__mission=mission, status=QUALIFIED)
    ).request
    elsewhere = MeetingRequestFactory()  # another mission's: not this page's to touch
    client.force_login(staff_user)

    response = client.post(
        _url(mission),
        {
            "action": "decline",
            "reason": "Not the right partner.",
            "selected": [r.pk for r in [*waiting, declined, scheduled, elsewhere]],
        },
    )

    said = _messages(response)
    assert said[0] == "3 requests declined; each company reads the reason."
    assert said[1].startswith("2 refused: ")
    assert "is already “Declined”" in said[1]
    assert "remove the meeting from the grid first" in said[1]
    assert set(
        MeetingRequest.objects.filter(pk__in=[r.pk for r in waiting]).values_list(
            "decline_reason", flat=True
        )
    ) == {"Not the right partner."}
    for untouched in (declined, scheduled, elsewhere):
        before = untouched.status
        untouched.refresh_from_db()
        assert untouched.status == before


def test_a_form_in_error_keeps_the_ticks_and_changes_nothing(client, staff_user):
    mission = OpenMissionFactory()
    chosen = _requests(mission, 2)
    client.force_login(staff_user)

    response = client.post(
        _url(mission), {"action": "decline", "reason": "  ", "selected": [chosen[0].pk]}
    )

    assert response.status_code == 200
    assert response.context["bulk_form"].errors["reason"] == [
        "Give the companies the reason why the meetings are declined."
    ]
    page = response.content.decode()
    assert f'value="{chosen[0].pk}" form="bulk-form" id="select-{chosen[0].pk}" checked' in page
    assert f'value="{chosen[1].pk}" form="bulk-form" id="select-{chosen[1].pk}">' in page
    assert not MeetingRequest.objects.exclude(status=REQUESTED).exists()


def test_nothing_selected_is_said_next_to_the_form(client, staff_user):
    mission = OpenMissionFactory()
    _requests(mission, 1)
    client.force_login(staff_user)

    response = client.post(_url(mission), {"action": "qualify"})

    assert response.status_code == 200
    assert "Select at least one row" in response.content.decode()


def test_every_request_matching_the_filters_on_every_page(client, staff_user):
    mission = OpenMissionFactory()
    waiting = _requests(mission, 30)  # more than a page (25)
    done = MeetingRequestFactory(application__mission=mission, status=QUALIFIED, priority=1)
    client.force_login(staff_user)

    client.post(
        _url(mission, "?status=requested"),
        {"action": "priority", "priority": "3", "everything": "on"},
    )

    assert {r.priority for r in MeetingRequest.objects.filter(pk__in=[w.pk for w in waiting])} == {
        3
    }
    done.refresh_from_db()
    assert done.priority == 1  # qualified: it did not match the filter


def test_officials_read_the_list_but_cannot_act(client, official_user):
    mission = OpenMissionFactory()
    chosen = _requests(mission, 1)
    client.force_login(official_user)

    assert "bulk-form" not in client.get(_url(mission)).content.decode()
    response = client.post(_url(mission), {"action": "qualify", "selected": [chosen[0].pk]})

    assert response.status_code == 403
    assert MeetingRequest.objects.get().status == REQUESTED


@pytest.mark.parametrize("selected", [["x"], ["-1"], ["1" * 30]])
def test_a_forged_selection_is_a_clear_error(client, staff_user, selected):
    mission = OpenMissionFactory()
    client.force_login(staff_user)

    response = client.post(_url(mission), {"action": "qualify", "selected": selected})

    assert response.status_code == 200
    assert "The selection is not valid." in response.content.decode()


ACTIONS = {
    "qualify": {"action": "qualify", "purpose": ""},
    "decline": {"action": "decline", "reason": "Closed"},
    "priority": {"action": "priority", "priority": "1"},
}


class BulkAsOneByOne(TestCase):
    """Whatever the statuses and the rationales, a bulk action leaves each request as
    the single action would have: done ones changed, refused ones as they were, and
    every selected request either done or refused."""

    @settings(max_examples=25, deadline=None)
    @given(
        rows=st.lists(
            st.tuples(
                st.sampled_from([REQUESTED, QUALIFIED, DECLINED]),
                st.sampled_from(["", "Meet them", "x" * 301]),
            ),
            min_size=1,
            max_size=6,
        ),
        action=st.sampled_from(sorted(ACTIONS)),
    )
    def test_each_request_is_done_or_refused(self, rows, action):
        mission = OpenMissionFactory()
        made = [
            MeetingRequestFactory(
                application__mission=mission,
                status=status,
                rationale=rationale,
                decline_reason="Old" if status == DECLINED else "",
                purpose="Old" if status == QUALIFIED else "",
            )
            for status, rationale in rows
        ]
        self.client.force_login(StaffFactory())

        with translation.override("en"):
            response = self.client.post(
                _url(mission), {**ACTIONS[action], "selected": [r.pk for r in made]}
            )

        said = " ".join(_messages(response))
        done = 0
        for before in made:
            after = MeetingRequest.objects.get(pk=before.pk)
            if action == "qualify":
                ok = before.status == REQUESTED and 0 < len(before.rationale) <= 300
                expected = (QUALIFIED, before.rationale) if ok else (before.status, before.purpose)
                assert (after.status, after.purpose) == expected
            elif action == "decline":
                ok = before.status in (REQUESTED, QUALIFIED)
                assert after.status == (DECLINED if ok else before.status)
            else:
                ok = before.status in (REQUESTED, QUALIFIED)
                assert after.priority == (1 if ok else before.priority)
            done += ok
        refused = len(made) - done
        assert (f"{done} request" in said) == bool(done)
        assert (f"{refused} refused" in said) == bool(refused)
