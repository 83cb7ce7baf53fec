"""The six-month follow-up: who is asked, when, in which language, once; the signed page
that records where each meeting led, for that application's meetings only."""

import datetime

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from companies.models import MembershipStatus
from companies.tests.factories import CompanyFactory, CompanyMemberFactory
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import FollowUpStage, MeetingStatus
from meetings.models import Meeting, MeetingChange
from meetings.services.follow_up import (
    FollowUpError,
    follow_up_at,
    follow_up_record,
    follow_up_schedule,
)
from meetings.tests.factories import MeetingFactory, MeetingGridFactory, MeetingSlotFactory
from meetings.tokens import application_for_follow_up_token, follow_up_token
from missions.enums import MissionStatus
from missions.services import mission_transition
from missions.tests.factories import MissionFactory
from notifications.models import OutboundEmail


@pytest.fixture(autouse=True)
def _english():
    """The services' messages are asserted in English; the catalogue has the French."""
    with translation.override("en"):
        yield


UTC = datetime.UTC
PAST = datetime.datetime(2026, 1, 12, 15, 0, tzinfo=UTC)


def _mission(**fields):
    defaults = {
        "status": MissionStatus.COMPLETED,
        "start_date": datetime.date(2026, 1, 10),
        "end_date": datetime.date(2026, 1, 14),
    }
    return MissionFactory(**{**defaults, **fields})


def _member(company, language="fr", **fields):
    return CompanyMemberFactory(membership__company=company, language=language, **fields)


class _World:
    """A past mission: Transpare (confirmed) had a held meeting, a past unmarked one, a
    cancelled one and a no-show; Protecto (confirmed) only a cancelled one; Navalis
    (withdrawn) a held one."""

    def __init__(self):
        self.mission = _mission()
        self.grid = MeetingGridFactory(mission=self.mission)
        self.slots = {}
        self.transpare = CompanyFactory(name="Transpare")
        self.protecto = CompanyFactory(name="Protecto")
        self.navalis = CompanyFactory(name="Navalis")
        self.ali = _member(self.transpare, "fr", email="ali@transpare.example")
        self.jane = _member(self.transpare, "en", email="jane@transpare.example")
        _member(
            self.transpare,
            email="pending@transpare.example",
            membership__status=MembershipStatus.PENDING,
        )
        self.paul = _member(self.protecto, "fr", email="paul@protecto.example")
        self.nina = _member(self.navalis, "en", email="nina@navalis.example")
        confirmed = ApplicationStatus.CONFIRMED
        self.application = ApplicationFactory(
            mission=self.mission, company=self.transpare, status=confirmed
        )
        self.protecto_application = ApplicationFactory(
            mission=self.mission, company=self.protecto, status=confirmed
        )
        self.navalis_application = ApplicationFactory(
            mission=self.mission, company=self.navalis, status=ApplicationStatus.WITHDRAWN
        )
        self.held = self.meeting(self.application, 0, MeetingStatus.HELD)
        self.unmarked = self.meeting(self.application, 1, MeetingStatus.CONFIRMED)
        self.cancelled = self.meeting(self.application, 2, MeetingStatus.CANCELLED)
        self.no_show = self.meeting(self.application, 3, MeetingStatus.NO_SHOW)
        self.meeting(self.protecto_application, 0, MeetingStatus.CANCELLED)
        self.navalis_held = self.meeting(self.navalis_application, 4, MeetingStatus.HELD)

    def meeting(self, application, slot, status):
        if slot not in self.slots:
            starts_at = PAST + datetime.timedelta(minutes=30 * slot)
            self.slots[slot] = MeetingSlotFactory(grid=self.grid, starts_at=starts_at)
        return MeetingFactory(
            request__application=application,
            slot=self.slots[slot],
            table=1 + Meeting.objects.filter(slot=self.slots[slot]).count(),
            status=status,
        )


@pytest.fixture
def world(db):
    return _World()


# Scheduling -------------------------------------------------------------------------------


def test_follow_up_schedule_asks_active_members_of_confirmed_companies_that_met(world):
    count = follow_up_schedule(mission=world.mission, base_url="https://portal.example")

    emails = OutboundEmail.objects.order_by("recipient")
    assert count == 2
    assert [(e.recipient, e.language) for e in emails] == [
        ("ali@transpare.example", "fr"),
        ("jane@transpare.example", "en"),
    ]
    email = emails[0]
    assert email.template_key == "follow_up_request"
    assert email.idempotency_key == (
        f"follow-up:application:{world.application.pk}:user:{world.ali.pk}"
    )
    assert email.topic == world.mission
    assert email.context["company_name"] == "Transpare"
    assert email.context["meeting_count"] == 2  # the held one and the past unmarked one
    assert email.context["end_date"] == datetime.date(2026, 1, 14)
    url = email.context["follow_up_url"]
    assert url.startswith("https://portal.example/")
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert application_for_follow_up_token(token) == world.application


def test_follow_up_schedule_at_nine_paris_six_months_after_the_last_day(world):
    follow_up_schedule(mission=world.mission, base_url="https://portal.example")

    # 14 January (winter, UTC+1) → 14 July (summer time, UTC+2): 09:00 Paris is 07:00 UTC.
    expected = datetime.datetime(2026, 7, 14, 7, 0, tzinfo=UTC)
    assert set(OutboundEmail.objects.values_list("scheduled_at", flat=True)) == {expected}


@pytest.mark.parametrize(
    ("end_date", "expected"),
    [
        # Summer to winter: 09:00 CET is 08:00 UTC.
        (datetime.date(2026, 9, 10), datetime.datetime(2027, 3, 10, 8, 0, tzinfo=UTC)),
        # Across the March change itself: 28 March 2027 is the day clocks go forward.
        (datetime.date(2026, 9, 28), datetime.datetime(2027, 3, 28, 7, 0, tzinfo=UTC)),
        # A shorter month: 31 August → 28 February.
        (datetime.date(2026, 8, 31), datetime.datetime(2027, 2, 28, 8, 0, tzinfo=UTC)),
    ],
)
def test_follow_up_at_is_nine_paris_across_time_changes(end_date, expected):
    mission = MissionFactory.build(start_date=end_date, end_date=end_date)
    assert follow_up_at(mission) == expected


def test_follow_up_schedule_twice_queues_once(world):
    follow_up_schedule(mission=world.mission, base_url="https://portal.example")
    again = follow_up_schedule(mission=world.mission, base_url="https://portal.example")

    assert again == 2
    assert OutboundEmail.objects.count() == 2


def test_follow_up_email_renders_in_each_language(world):
    from notifications.rendering import render_email

    follow_up_schedule(mission=world.mission, base_url="https://portal.example")
    french = render_email(OutboundEmail.objects.get(recipient="ali@transpare.example"))
    english = render_email(OutboundEmail.objects.get(recipient="jane@transpare.example"))

    assert "Transpare" in english.body
    assert "2 meetings" in english.body
    assert "/delegations/follow-up/" in french.body


def test_mission_transition_to_completed_schedules_the_follow_up(world, staff_user):
    mission = world.mission
    type(mission).objects.filter(pk=mission.pk).update(status=MissionStatus.IN_PROGRESS)

    mission_transition(mission=mission, to_status=MissionStatus.COMPLETED, by=staff_user)

    assert sorted(OutboundEmail.objects.values_list("recipient", flat=True)) == [
        "ali@transpare.example",
        "jane@transpare.example",
    ]


def test_mission_transition_to_in_progress_schedules_nothing(staff_user, db):
    today = timezone.localdate()
    mission = _mission(
        status=MissionStatus.CONFIRMED,
        start_date=today - datetime.timedelta(days=1),
        end_date=today + datetime.timedelta(days=3),
    )
    mission_transition(mission=mission, to_status=MissionStatus.IN_PROGRESS, by=staff_user)

    assert OutboundEmail.objects.count() == 0


# Recording ---------------------------------------------------------------------------------


def test_follow_up_record_writes_stages_and_history(world):
    changed = follow_up_record(
        application=world.application,
        stages={world.held.pk: FollowUpStage.NEGOTIATION, world.unmarked.pk: "none"},
    )

    assert changed == 2
    world.held.refresh_from_db()
    world.unmarked.refresh_from_db()
    assert world.held.follow_up_stage == FollowUpStage.NEGOTIATION
    assert world.unmarked.follow_up_stage == FollowUpStage.NONE
    change = MeetingChange.objects.get(meeting=world.held)
    assert change.action == MeetingChange.Action.OUTCOME
    assert change.changed_by is None
    assert change.from_status == change.to_status == MeetingStatus.HELD


def test_follow_up_record_same_stage_again_writes_no_history(world):
    follow_up_record(application=world.application, stages={world.held.pk: "agreement"})
    changed = follow_up_record(application=world.application, stages={world.held.pk: "agreement"})

    assert changed == 0
    assert MeetingChange.objects.filter(meeting=world.held).count() == 1


@pytest.mark.parametrize("which", ["navalis_held", "cancelled", "no_show"])
def test_follow_up_record_refuses_meetings_not_followed(world, which):
    other = getattr(world, which)
    with pytest.raises(FollowUpError) as raised:
        follow_up_record(
            application=world.application,
            stages={world.held.pk: "agreement", other.pk: "agreement"},
        )

    assert raised.value.messages == [
        "Only the meetings of your company on this mission that took place can be followed "
        "up: nothing was recorded."
    ]
    assert Meeting.objects.filter(follow_up_stage="agreement").count() == 0


def test_follow_up_record_refuses_an_unknown_stage(world):
    with pytest.raises(FollowUpError) as raised:
        follow_up_record(application=world.application, stages={world.held.pk: "signed"})

    assert raised.value.messages == ["Choose one of the stages offered for each meeting."]
    world.held.refresh_from_db()
    assert world.held.follow_up_stage == ""


# The page ------------------------------------------------------------------------------------


@pytest.fixture
def client(client):
    """The page speaks the request's language: English here."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _url(application):
    return reverse("meetings:follow_up", kwargs={"token": follow_up_token(application)})


def test_follow_up_page_lists_only_the_application_s_meetings(client, world):
    world.held.follow_up_stage = FollowUpStage.DISCUSSION
    world.held.save()

    response = client.get(_url(world.application))

    assert response.status_code == 200
    assert [m.pk for m, _field in response.context["rows"]] == [
        world.held.pk,
        world.unmarked.pk,
    ]
    html = response.content.decode()
    assert world.held.counterpart.organisation in html
    assert world.navalis_held.counterpart.organisation not in html
    assert world.cancelled.counterpart.organisation not in html
    assert f'name="stage-{world.held.pk}"' in html
    assert '<option value="discussion" selected>' in html


def test_follow_up_page_tampered_token_is_404(client, world):
    token = follow_up_token(world.application)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    response = client.get(reverse("meetings:follow_up", kwargs={"token": tampered}))

    assert response.status_code == 404


def test_follow_up_page_token_of_another_purpose_is_404(client, world):
    token = signing.dumps(
        {"a": world.application.pk, "m": world.mission.pk}, salt="meetings.meeting.answer"
    )

    response = client.get(reverse("meetings:follow_up", kwargs={"token": token}))

    assert response.status_code == 404


def test_follow_up_page_records_stages(client, world):
    response = client.post(
        _url(world.application),
        {f"stage-{world.held.pk}": "agreement", f"stage-{world.unmarked.pk}": ""},
    )

    assert response.status_code == 302
    world.held.refresh_from_db()
    world.unmarked.refresh_from_db()
    assert world.held.follow_up_stage == FollowUpStage.AGREEMENT
    assert world.unmarked.follow_up_stage == ""
    page = client.get(response.url)
    assert "the follow-up of your meetings is recorded" in page.content.decode()


def test_follow_up_page_with_another_application_s_token_cannot_touch_these_meetings(
    client, world
):
    response = client.post(
        _url(world.navalis_application), {f"stage-{world.held.pk}": "agreement"}
    )

    assert response.status_code == 200
    assert "nothing was recorded" in response.content.decode()
    world.held.refresh_from_db()
    assert world.held.follow_up_stage == ""


def test_follow_up_page_refuses_a_meeting_of_another_application(client, world):
    response = client.post(
        _url(world.application),
        {f"stage-{world.held.pk}": "agreement", f"stage-{world.navalis_held.pk}": "agreement"},
    )

    assert response.status_code == 200
    assert "nothing was recorded" in response.content.decode()
    assert Meeting.objects.filter(follow_up_stage="agreement").count() == 0


@pytest.mark.parametrize("key", ["stage-abc", "stage-999999"])
def test_follow_up_page_refuses_unknown_meeting_ids(client, world, key):
    response = client.post(_url(world.application), {key: "agreement"})

    assert response.status_code == 200
    assert "nothing was recorded" in response.content.decode()


def test_follow_up_page_refuses_an_unknown_stage(client, world):
    response = client.post(_url(world.application), {f"stage-{world.held.pk}": "signed"})

    assert response.status_code == 200
    assert "Choose one of the stages offered." in response.content.decode()
    world.held.refresh_from_db()
    assert world.held.follow_up_stage == ""
