import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from companies.tests.factories import CompanyFactory
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus, MeetingStatus
from meetings.tests.factories import (
    CounterpartFactory,
    MeetingFactory,
    MeetingGridFactory,
    MeetingRequestFactory,
    MeetingSlotFactory,
)
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory, SectorFactory
from reports.kpis import (
    mission_kpis,
    report_companies,
    report_companies_header,
    report_meetings,
    report_meetings_header,
)

pytestmark = pytest.mark.django_db

STAGES_EMPTY = (
    ("No further contact", 0),
    ("In discussion", 0),
    ("Negotiation", 0),
    ("Agreement", 0),
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def build_mission(**kwargs):
    """A mission with known numbers; see test_kpis_of_a_hand_built_mission_are_exact."""
    mission = MissionFactory(
        status=MissionStatus.COMPLETED,
        budget_planned=Decimal("10000.00"),
        budget_actual=Decimal("12100.00"),
        **kwargs,
    )
    digital = SectorFactory(code="digital", name_fr="Numérique", name_en="Digital")
    health = SectorFactory(code="health", name_fr="Santé", name_en="Health")

    def apply(name, status, size="small", sectors=(), **extra):
        company = CompanyFactory(name=name, size=size)
        company.sectors.set(sectors)
        return ApplicationFactory(mission=mission, company=company, status=status, **extra)

    alpha = apply("Alpha", ApplicationStatus.CONFIRMED, "small", [digital, health])
    beta = apply("Beta", ApplicationStatus.CONFIRMED, "micro", [digital])
    apply("Gamma", ApplicationStatus.CONFIRMED, "")
    apply("Delta", ApplicationStatus.ACCEPTED, "medium")
    apply("Epsilon", ApplicationStatus.SUBMITTED)
    apply("Zeta", ApplicationStatus.REJECTED)
    apply("Eta", ApplicationStatus.DRAFT)
    apply("Theta", ApplicationStatus.WITHDRAWN)  # a draft given up: never received
    apply("Iota", ApplicationStatus.WITHDRAWN, submitted_at=timezone.now())

    grid = MeetingGridFactory(mission=mission)
    start = datetime.datetime(2027, 7, 8, 13, 0, tzinfo=datetime.UTC)  # 09:00 in Toronto

    def request(application, status=MeetingRequestStatus.SCHEDULED, **extra):
        counterpart = CounterpartFactory(mission=mission)
        return MeetingRequestFactory(
            application=application, counterpart=counterpart, status=status, **extra
        )

    slots = [
        MeetingSlotFactory(
            grid=grid,
            starts_at=start + datetime.timedelta(minutes=30 * n),
            ends_at=start + datetime.timedelta(minutes=30 * (n + 1)),
        )
        for n in range(7)
    ]

    def meeting(application, slot, status, **outcome):
        return MeetingFactory(
            request=request(application),
            slot=slots[slot],
            table=1 if application == alpha else 2,
            status=status,
            **outcome,
        )

    request(alpha, MeetingRequestStatus.REQUESTED)
    request(alpha, MeetingRequestStatus.DECLINED, decline_reason="Out of scope")
    request(beta, MeetingRequestStatus.QUALIFIED)
    meeting(
        alpha, 0, MeetingStatus.HELD, company_rating=4, counterpart_rating=5,
        follow_up_stage="discussion", leads=2, estimated_value=Decimal("1000.00"),
    )  # fmt: skip
    meeting(
        alpha, 1, MeetingStatus.HELD, company_rating=5,
        follow_up_stage="agreement", leads=1, estimated_value=Decimal("500.50"),
    )  # fmt: skip
    meeting(alpha, 2, MeetingStatus.HELD)
    meeting(beta, 0, MeetingStatus.NO_SHOW, company_rating=2)
    meeting(beta, 1, MeetingStatus.CANCELLED)
    meeting(beta, 2, MeetingStatus.SCHEDULED)
    meeting(
        beta, 3, MeetingStatus.HELD, follow_up_stage="negotiation",
        estimated_value=Decimal("99.50"),
    )  # fmt: skip
    return mission


def test_kpis_of_a_hand_built_mission_are_exact():
    mission = build_mission()

    kpis = mission_kpis([mission])[mission.pk]

    assert kpis.applications_received == 7
    assert kpis.applications_accepted == 4
    assert kpis.applications_confirmed == 3
    assert kpis.companies_by_sector == (("Digital", 2), ("Health", 1), ("Sector not stated", 1))
    assert kpis.companies_by_size == (
        ("Fewer than 10 employees", 1),
        ("10 to 49 employees", 1),
        ("Size not stated", 1),
    )
    assert kpis.meetings_requested == 10
    assert kpis.meetings_qualified == 8
    assert kpis.meetings_scheduled == 6
    assert kpis.meetings_held == 4
    assert kpis.meetings_no_show == 1
    assert kpis.average_company_rating == Decimal("3.67")
    assert kpis.average_counterpart_rating == Decimal("5.00")
    assert kpis.follow_up_stages == (
        ("No further contact", 0),
        ("In discussion", 1),
        ("Negotiation", 1),
        ("Agreement", 1),
        ("Not recorded", 1),
    )
    assert kpis.leads == 3
    assert kpis.estimated_value == Decimal("1600.00")
    assert kpis.budget_planned == Decimal("10000.00")
    assert kpis.budget_actual == Decimal("12100.00")
    assert kpis.budget_difference == Decimal("2100.00")
    assert kpis.cost_per_company == Decimal("4033.33")
    assert kpis.cost_per_meeting_held == Decimal("3025.00")
    assert kpis.meetings_funnel == [
        ("Requested", 10),
        ("Qualified", 8),
        ("Scheduled", 6),
        ("Held", 4),
    ]


def test_kpis_without_meetings_nor_budget_are_none_not_errors():
    mission = MissionFactory()
    ApplicationFactory(mission=mission, status=ApplicationStatus.CONFIRMED)

    kpis = mission_kpis([mission])[mission.pk]

    assert kpis.applications_received == 1
    assert kpis.applications_confirmed == 1
    assert kpis.meetings_requested == 0
    assert kpis.meetings_held == 0
    assert kpis.average_company_rating is None
    assert kpis.average_counterpart_rating is None
    assert kpis.follow_up_stages == STAGES_EMPTY
    assert kpis.leads is None
    assert kpis.estimated_value is None
    assert kpis.budget_planned is None
    assert kpis.budget_actual is None
    assert kpis.budget_difference is None
    assert kpis.cost_per_company is None
    assert kpis.cost_per_meeting_held is None


def test_kpis_of_an_empty_mission_are_zero_or_none():
    mission = MissionFactory(budget_planned=Decimal("5000.00"))

    kpis = mission_kpis([mission])[mission.pk]

    assert kpis.applications_received == 0
    assert kpis.companies_by_sector == ()
    assert kpis.companies_by_size == ()
    assert kpis.budget_planned == Decimal("5000.00")
    assert kpis.budget_difference is None
    assert kpis.cost_per_company is None


def test_kpis_with_no_meeting_held_have_no_cost_per_meeting():
    mission = MissionFactory(budget_actual=Decimal("900.00"))
    meeting = MeetingFactory(request__application__mission=mission, status=MeetingStatus.SCHEDULED)

    kpis = mission_kpis([mission])[mission.pk]

    assert meeting.application.status == ApplicationStatus.CONFIRMED
    assert kpis.meetings_scheduled == 1
    assert kpis.meetings_held == 0
    assert kpis.cost_per_company == Decimal("900.00")
    assert kpis.cost_per_meeting_held is None
    assert kpis.leads is None
    assert kpis.average_company_rating is None


def test_kpis_of_missions_do_not_mix():
    first = build_mission()
    second = MissionFactory()

    kpis = mission_kpis([first, second])

    assert kpis[first.pk].meetings_held == 4
    assert kpis[second.pk].meetings_held == 0
    assert kpis[second.pk].applications_received == 0


def test_kpis_of_no_mission_cost_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert mission_kpis([]) == {}


@pytest.mark.parametrize("count", [1, 10])
def test_kpis_of_many_missions_cost_the_queries_of_one(count, django_assert_num_queries):
    missions = []
    for _ in range(count):
        mission = MissionFactory(budget_actual=Decimal("100.00"))
        MeetingFactory(request__application__mission=mission, status=MeetingStatus.HELD)
        missions.append(mission)

    with django_assert_num_queries(5):
        kpis = mission_kpis(missions)

    assert [kpis[m.pk].meetings_held for m in missions] == [1] * count


def test_report_meetings_rows_are_in_destination_time():
    mission = build_mission()

    rows = list(report_meetings(mission))

    assert report_meetings_header(mission)[:2] == ["Day (Toronto time)", "Time (Toronto time)"]
    assert len(rows) == 7
    assert rows[0] == [
        "2027-07-08", "09:00", "Alpha", rows[0][3], "Investor", "Held",
        "4", "5", "In discussion", "2", "1000.00",
    ]  # fmt: skip
    assert rows[1][2] == "Beta"
    assert rows[1][5] == "No-show"
    assert [row[1] for row in rows] == [
        "09:00",
        "09:00",
        "09:30",
        "09:30",
        "10:00",
        "10:00",
        "10:30",
    ]


def test_report_companies_rows_are_the_received_applications():
    mission = build_mission()

    rows = list(report_companies(mission))

    assert report_companies_header()[0] == "Company"
    assert [row[0] for row in rows] == [
        "Alpha", "Beta", "Delta", "Epsilon", "Gamma", "Iota", "Zeta",
    ]  # fmt: skip
    alpha = rows[0]
    assert alpha[2:] == [
        "Digital, Health", "10 to 49 employees", "Marseille", "Seat confirmed", "3", "3",
        "1500.50",
    ]  # fmt: skip
    assert rows[1][6:] == ["1", "0", "99.50"]
    assert rows[2][6:] == ["0", "0", "0.00"]
