"""The database itself refuses bad applications, requests, grids and meetings.

Rows are written through the ORM without form validation, so the constraints
tested are PostgreSQL's. Each refused row has its accepted neighbour.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from delegations.models import Application
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus, MeetingStatus
from meetings.models import (
    Counterpart,
    Meeting,
    MeetingGrid,
    MeetingRequest,
    MeetingSlot,
    Unavailability,
)
from meetings.tests.factories import (
    CounterpartFactory,
    MeetingFactory,
    MeetingGridFactory,
    MeetingRequestFactory,
    MeetingSlotFactory,
)
from missions.tests.factories import OpenMissionFactory

pytestmark = pytest.mark.django_db

NINE = datetime.datetime(2026, 9, 15, 13, 0, tzinfo=datetime.UTC)
HALF_HOUR = datetime.timedelta(minutes=30)


# Applications ----------------------------------------------------------------


def test_application_second_for_mission_and_company_refused():
    application = ApplicationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(mission=application.mission, company=application.company)

    assert Application.objects.count() == 1


def test_application_same_company_other_mission_accepted():
    application = ApplicationFactory()
    ApplicationFactory(company=application.company)

    assert Application.objects.filter(company=application.company).count() == 2


def test_application_other_company_same_mission_accepted():
    application = ApplicationFactory()
    ApplicationFactory(mission=application.mission)

    assert Application.objects.filter(mission=application.mission).count() == 2


def test_application_status_unknown_refused():
    application = ApplicationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(status="approved")

    application.refresh_from_db()
    assert application.status == "submitted"


@pytest.mark.parametrize("score", [11, -1])
def test_application_internal_score_out_of_range_refused(score):
    application = ApplicationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(internal_score=score)

    application.refresh_from_db()
    assert application.internal_score is None


@pytest.mark.parametrize("score", [0, 10])
def test_application_internal_score_in_range_accepted(score):
    application = ApplicationFactory(internal_score=score)

    application.refresh_from_db()
    assert application.internal_score == score


# Counterparts ------------------------------------------------------------------


def test_counterpart_duplicate_in_mission_refused():
    counterpart = CounterpartFactory(organisation="Maple Ventures", email="jane@maple.example")

    with pytest.raises(IntegrityError), transaction.atomic():
        CounterpartFactory(
            mission=counterpart.mission,
            organisation="Maple Ventures",
            email="jane@maple.example",
        )

    assert Counterpart.objects.count() == 1


def test_counterpart_same_organisation_other_email_accepted():
    counterpart = CounterpartFactory(organisation="Maple Ventures", email="jane@maple.example")
    CounterpartFactory(
        mission=counterpart.mission, organisation="Maple Ventures", email="john@maple.example"
    )

    assert Counterpart.objects.filter(mission=counterpart.mission).count() == 2


# Meeting requests ------------------------------------------------------------


def test_meeting_request_duplicate_pair_refused():
    request = MeetingRequestFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.create(
            application=request.application, counterpart=request.counterpart, priority=3
        )

    assert MeetingRequest.objects.count() == 1


def test_meeting_request_same_application_other_counterpart_accepted():
    request = MeetingRequestFactory()
    MeetingRequestFactory(application=request.application)

    assert MeetingRequest.objects.filter(application=request.application).count() == 2


@pytest.mark.parametrize("priority", [0, 4])
def test_meeting_request_priority_out_of_range_refused(priority):
    request = MeetingRequestFactory(priority=2)

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.filter(pk=request.pk).update(priority=priority)

    request.refresh_from_db()
    assert request.priority == 2


@pytest.mark.parametrize("priority", [1, 3])
def test_meeting_request_priority_in_range_accepted(priority):
    request = MeetingRequestFactory(priority=priority)

    request.refresh_from_db()
    assert request.priority == priority


def test_meeting_request_declined_without_reason_refused():
    request = MeetingRequestFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.filter(pk=request.pk).update(status=MeetingRequestStatus.DECLINED)

    request.refresh_from_db()
    assert request.status == "requested"


def test_meeting_request_declined_with_reason_accepted():
    request = MeetingRequestFactory()

    MeetingRequest.objects.filter(pk=request.pk).update(
        status=MeetingRequestStatus.DECLINED, decline_reason="Not investing in this sector."
    )

    request.refresh_from_db()
    assert request.status == "declined"
    assert request.decline_reason == "Not investing in this sector."


@pytest.mark.parametrize("status", ["requested", "qualified", "scheduled"])
def test_meeting_request_not_declined_without_reason_accepted(status):
    request = MeetingRequestFactory(status=status, decline_reason="")

    request.refresh_from_db()
    assert request.status == status


# Grids and slots ---------------------------------------------------------------


def test_grid_tables_zero_refused():
    grid = MeetingGridFactory(tables=5)

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingGrid.objects.filter(pk=grid.pk).update(tables=0)

    grid.refresh_from_db()
    assert grid.tables == 5


def test_grid_tables_one_accepted():
    grid = MeetingGridFactory(tables=1)

    grid.refresh_from_db()
    assert grid.tables == 1


def test_grid_slot_four_minutes_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingGridFactory(slot_minutes=4)

    assert MeetingGrid.objects.count() == 0


def test_grid_slot_five_minutes_accepted():
    grid = MeetingGridFactory(slot_minutes=5)

    grid.refresh_from_db()
    assert grid.slot_minutes == 5


def test_grid_second_for_mission_refused():
    grid = MeetingGridFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingGrid.objects.create(mission=grid.mission, tables=3)

    assert MeetingGrid.objects.filter(mission=grid.mission).count() == 1


def test_slot_same_start_in_grid_refused():
    slot = MeetingSlotFactory(starts_at=NINE, ends_at=NINE + HALF_HOUR)

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSlot.objects.create(
            grid=slot.grid, starts_at=NINE, ends_at=NINE + datetime.timedelta(minutes=20)
        )

    assert MeetingSlot.objects.filter(grid=slot.grid).count() == 1


def test_slot_same_start_in_other_grid_accepted():
    MeetingSlotFactory(starts_at=NINE, ends_at=NINE + HALF_HOUR)
    MeetingSlotFactory(starts_at=NINE, ends_at=NINE + HALF_HOUR)

    assert MeetingSlot.objects.filter(starts_at=NINE).count() == 2


@pytest.mark.parametrize(
    "length", [datetime.timedelta(0), -HALF_HOUR], ids=["zero-length", "ends-before"]
)
def test_slot_end_not_after_start_refused(length):
    grid = MeetingGridFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSlot.objects.create(grid=grid, starts_at=NINE, ends_at=NINE + length)

    assert MeetingSlot.objects.count() == 0


def test_slot_end_after_start_accepted():
    slot = MeetingSlotFactory(starts_at=NINE, ends_at=NINE + HALF_HOUR)

    slot.refresh_from_db()
    assert slot.ends_at == datetime.datetime(2026, 9, 15, 13, 30, tzinfo=datetime.UTC)


# Unavailabilities ------------------------------------------------------------


@pytest.fixture
def slot_and_participants():
    mission = OpenMissionFactory()
    slot = MeetingSlotFactory(grid__mission=mission)
    application = ApplicationFactory(mission=mission)
    counterpart = CounterpartFactory(mission=mission)
    return slot, application, counterpart


def test_unavailability_without_participant_refused(slot_and_participants):
    slot, _, _ = slot_and_participants

    with pytest.raises(IntegrityError), transaction.atomic():
        Unavailability.objects.create(slot=slot)

    assert Unavailability.objects.count() == 0


def test_unavailability_with_both_participants_refused(slot_and_participants):
    slot, application, counterpart = slot_and_participants

    with pytest.raises(IntegrityError), transaction.atomic():
        Unavailability.objects.create(slot=slot, application=application, counterpart=counterpart)

    assert Unavailability.objects.count() == 0


def test_unavailability_with_one_participant_accepted(slot_and_participants):
    slot, application, counterpart = slot_and_participants

    Unavailability.objects.bulk_create(
        [
            Unavailability(slot=slot, application=application),
            Unavailability(slot=slot, counterpart=counterpart),
        ]
    )

    assert Unavailability.objects.filter(slot=slot).count() == 2


def test_unavailability_application_twice_in_slot_refused(slot_and_participants):
    slot, application, _ = slot_and_participants
    Unavailability.objects.create(slot=slot, application=application)

    with pytest.raises(IntegrityError), transaction.atomic():
        Unavailability.objects.create(slot=slot, application=application)

    assert Unavailability.objects.count() == 1


def test_unavailability_counterpart_twice_in_slot_refused(slot_and_participants):
    slot, _, counterpart = slot_and_participants
    Unavailability.objects.create(slot=slot, counterpart=counterpart)

    with pytest.raises(IntegrityError), transaction.atomic():
        Unavailability.objects.create(slot=slot, counterpart=counterpart)

    assert Unavailability.objects.count() == 1


# Meetings --------------------------------------------------------------------


def _meeting_for(request, *, slot, table, status=MeetingStatus.SCHEDULED):
    """A meeting row written straight to the database, repeating the request's parties."""
    return Meeting.objects.create(
        request=request,
        slot=slot,
        table=table,
        application=request.application,
        counterpart=request.counterpart,
        status=status,
    )


@pytest.fixture
def meeting():
    return MeetingFactory(table=1)


def test_meeting_same_table_and_slot_refused(meeting):
    other = MeetingRequestFactory(application__mission=meeting.application.mission)

    with pytest.raises(IntegrityError), transaction.atomic():
        _meeting_for(other, slot=meeting.slot, table=1)

    assert Meeting.objects.filter(slot=meeting.slot).count() == 1


def test_meeting_other_table_same_slot_accepted(meeting):
    other = MeetingRequestFactory(application__mission=meeting.application.mission)

    _meeting_for(other, slot=meeting.slot, table=2)

    assert sorted(Meeting.objects.filter(slot=meeting.slot).values_list("table", flat=True)) == [
        1,
        2,
    ]


def test_meeting_same_company_twice_in_slot_refused(meeting):
    other = MeetingRequestFactory(application=meeting.application)

    with pytest.raises(IntegrityError), transaction.atomic():
        _meeting_for(other, slot=meeting.slot, table=2)

    assert Meeting.objects.filter(application=meeting.application).count() == 1


def test_meeting_same_company_in_next_slot_accepted(meeting):
    other = MeetingRequestFactory(application=meeting.application)
    next_slot = MeetingSlotFactory(
        grid=meeting.slot.grid,
        starts_at=meeting.slot.ends_at,
        ends_at=meeting.slot.ends_at + HALF_HOUR,
    )

    _meeting_for(other, slot=next_slot, table=1)

    assert Meeting.objects.filter(application=meeting.application).count() == 2


def test_meeting_same_counterpart_twice_in_slot_refused(meeting):
    other = MeetingRequestFactory(
        application__mission=meeting.application.mission, counterpart=meeting.counterpart
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        _meeting_for(other, slot=meeting.slot, table=2)

    assert Meeting.objects.filter(counterpart=meeting.counterpart).count() == 1


def test_meeting_cancelled_does_not_block_table(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    other = MeetingRequestFactory(application__mission=meeting.application.mission)

    _meeting_for(other, slot=meeting.slot, table=1)

    assert list(
        Meeting.objects.filter(slot=meeting.slot, table=1)
        .order_by("pk")
        .values_list("status", flat=True)
    ) == ["cancelled", "scheduled"]


def test_meeting_cancelled_does_not_block_company(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    other = MeetingRequestFactory(application=meeting.application)

    _meeting_for(other, slot=meeting.slot, table=2)

    assert Meeting.objects.filter(slot=meeting.slot, application=meeting.application).count() == 2


def test_meeting_cancelled_does_not_block_counterpart(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    other = MeetingRequestFactory(
        application__mission=meeting.application.mission, counterpart=meeting.counterpart
    )

    _meeting_for(other, slot=meeting.slot, table=2)

    assert Meeting.objects.filter(slot=meeting.slot, counterpart=meeting.counterpart).count() == 2


def test_meeting_two_cancelled_at_same_table_accepted(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    other = MeetingRequestFactory(application__mission=meeting.application.mission)

    _meeting_for(other, slot=meeting.slot, table=1, status=MeetingStatus.CANCELLED)

    assert Meeting.objects.filter(slot=meeting.slot, table=1, status="cancelled").count() == 2


def test_meeting_reactivated_into_taken_table_refused(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    other = MeetingRequestFactory(application__mission=meeting.application.mission)
    _meeting_for(other, slot=meeting.slot, table=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.SCHEDULED)

    meeting.refresh_from_db()
    assert meeting.status == "cancelled"


def test_meeting_second_for_request_refused(meeting):
    next_slot = MeetingSlotFactory(
        grid=meeting.slot.grid,
        starts_at=meeting.slot.ends_at,
        ends_at=meeting.slot.ends_at + HALF_HOUR,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        _meeting_for(meeting.request, slot=next_slot, table=1)

    assert Meeting.objects.count() == 1


def test_meeting_table_zero_refused(meeting):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(table=0)

    meeting.refresh_from_db()
    assert meeting.table == 1


@pytest.mark.parametrize("field", ["company_rating", "counterpart_rating"])
@pytest.mark.parametrize("rating", [0, 6])
def test_meeting_rating_out_of_range_refused(meeting, field, rating):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(**{field: rating})

    meeting.refresh_from_db()
    assert getattr(meeting, field) is None


@pytest.mark.parametrize("field", ["company_rating", "counterpart_rating"])
@pytest.mark.parametrize("rating", [1, 5])
def test_meeting_rating_in_range_accepted(meeting, field, rating):
    assert Meeting.objects.filter(pk=meeting.pk).update(**{field: rating}) == 1

    meeting.refresh_from_db()
    assert getattr(meeting, field) == rating


def test_meeting_estimated_value_negative_refused(meeting):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(estimated_value=Decimal("-1.00"))


def test_meeting_estimated_value_zero_accepted(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(estimated_value=Decimal("0.00"), leads=0)

    meeting.refresh_from_db()
    assert meeting.estimated_value == Decimal("0.00")
    assert meeting.leads == 0


def test_meeting_leads_negative_refused(meeting):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(leads=-1)


# A meeting's repeated parties, and statuses, are checked by the database too.


def test_meeting_application_other_than_request_refused(meeting):
    stranger = ApplicationFactory(mission=meeting.application.mission)

    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(application=stranger)


def test_meeting_status_unknown_refused(meeting):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(status="canceled")


def test_meeting_request_status_unknown_refused():
    request = MeetingRequestFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.filter(pk=request.pk).update(status="approved")
