"""After scheduling nobody is left guessing: the company reads why a qualified request
is not on its agenda and that a counterpart declined a meeting (with its message); the
counterpart reads what the meeting is for and why the company asked; staff are told a
declined meeting freed a slot."""

import pytest
from django.urls import reverse
from django.utils import translation

from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus, MeetingStatus
from meetings.tests.factories import CounterpartFactory, MeetingFactory, MeetingRequestFactory
from meetings.tokens import ANSWER, meeting_token
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
NOTE = "STAFF-ONLY-QUALIFICATION-NOTE"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def transpare(company_member):
    mission = MissionFactory(status=MissionStatus.CONFIRMED, title="Toronto 2027")
    return ApplicationFactory(
        mission=mission,
        company=company_member.membership.company,
        status=ApplicationStatus.CONFIRMED,
        announced_status=ApplicationStatus.CONFIRMED,
    )


def _row(page: str, organisation: str) -> str:
    return page.split(f'<th scope="row">{organisation}</th>', 1)[1].split("</tr>", 1)[0]


def test_a_qualified_request_left_out_of_the_grid_is_explained(client, company_member, transpare):
    mission = transpare.mission
    waiting = MeetingRequestFactory(
        application=transpare,
        counterpart=CounterpartFactory(mission=mission, organisation="Lake Capital"),
        status=MeetingRequestStatus.QUALIFIED,
    )
    client.force_login(company_member)
    url = reverse("meetings:company_requests", args=[transpare.pk])

    # Before the grid is scheduled, qualified is all there is to say.
    before = _row(client.get(url, **ENGLISH).content.decode(), "Lake Capital")
    assert "Qualified" in before
    assert "not-placed" not in before

    # Another company's meeting: the grid has been scheduled, without this request.
    MeetingFactory(request__application__mission=mission)
    after = _row(client.get(url, **ENGLISH).content.decode(), "Lake Capital")

    assert "Not placed" in after
    assert "it is not on your agenda" in after
    waiting.refresh_from_db()
    assert waiting.status == MeetingRequestStatus.QUALIFIED


def test_a_meeting_the_counterpart_declined_is_explained_with_its_message(
    client, company_member, transpare
):
    MeetingFactory(
        request=MeetingRequestFactory(
            application=transpare,
            counterpart=CounterpartFactory(mission=transpare.mission, organisation="Maple"),
            status=MeetingRequestStatus.SCHEDULED,
        ),
        status=MeetingStatus.DECLINED,
        response_note="We are travelling that week.",
    )
    client.force_login(company_member)

    page = client.get(reverse("meetings:company_requests", args=[transpare.pk]), **ENGLISH)

    row = _row(page.content.decode(), "Maple")
    assert "Declined by the counterpart" in row
    assert "it is no longer on your agenda" in row
    assert "We are travelling that week." in row


def test_the_counterpart_reads_what_the_meeting_is_for_and_why_it_was_asked(client, transpare):
    meeting = MeetingFactory(
        request=MeetingRequestFactory(
            application=transpare,
            status=MeetingRequestStatus.SCHEDULED,
            purpose="Distribution of solar films in Ontario",
            rationale="Maple distributes building materials across Canada.",
            qualification_note=NOTE,
        )
    )

    page = client.get(
        reverse("meetings:meeting_respond", args=[meeting_token(meeting, ANSWER)]), **ENGLISH
    ).content.decode()

    assert "Distribution of solar films in Ontario" in page
    assert "Maple distributes building materials across Canada." in page
    assert NOTE not in page


def test_the_grid_says_a_declined_meeting_freed_a_slot(client, staff_user, transpare):
    mission = transpare.mission
    MeetingFactory(request__application=transpare, status=MeetingStatus.DECLINED)
    MeetingRequestFactory(application=transpare, status=MeetingRequestStatus.QUALIFIED)
    client.force_login(staff_user)

    page = client.get(reverse("meetings:grid", args=[mission.pk]), **ENGLISH).content.decode()

    assert "A counterpart declined 1 meeting: its slot and table are free." in page
