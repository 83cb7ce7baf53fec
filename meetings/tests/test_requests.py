"""Counterparts and meeting requests, the services: what each one refuses and with
which message, qualification and declining, and the CSV import, all or nothing."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import translation

from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.csv_files import counterpart_list_read
from meetings.enums import MeetingRequestStatus, MeetingStatus
from meetings.models import Counterpart, MeetingRequest
from meetings.services import requests as services
from meetings.services.requests import (
    CounterpartImportError,
    RequestError,
    counterpart_save,
    counterparts_import,
    meeting_request_create,
    meeting_request_decline,
    meeting_request_delete,
    meeting_request_qualify,
)
from meetings.tests.factories import CounterpartFactory, MeetingFactory, MeetingRequestFactory
from missions.enums import MissionStatus
from missions.tests.factories import OpenMissionFactory, SectorFactory

pytestmark = pytest.mark.django_db

REQUESTED = MeetingRequestStatus.REQUESTED
QUALIFIED = MeetingRequestStatus.QUALIFIED
DECLINED = MeetingRequestStatus.DECLINED


@pytest.fixture(autouse=True)
def _english():
    """Messages asserted in English; the French ones are the catalogue's business."""
    with translation.override("en"):
        yield


@pytest.fixture
def mission():
    return OpenMissionFactory(title="Canada 2027")


@pytest.fixture
def confirmed(mission):
    return ApplicationFactory(mission=mission, status=ApplicationStatus.CONFIRMED)


@pytest.fixture
def counterpart(mission):
    return CounterpartFactory(
        mission=mission, organisation="Maple Ventures", email="jane@maple.ca"
    )


def _fields(**overrides):
    return {
        "organisation": "Ontario Buyers",
        "kind": "buyer",
        "city": "Toronto",
        "contact_name": "Paul Roy",
        "email": "paul@buyers.ca",
        "language": "fr",
        "description": "Buys solar films.",
        **overrides,
    }


def _messages(error: RequestError) -> dict[str, list[str]]:
    """The messages of a refusal, by field."""
    return {
        field: [message for e in errors for message in e.messages]
        for field, errors in error.error_dict.items()
    }


# Counterparts ------------------------------------------------------------------------


def test_counterpart_save_creates_one_with_its_sectors(mission, staff_user):
    solar = SectorFactory(code="solar")

    counterpart = counterpart_save(
        mission=mission, by=staff_user, sectors=[solar], **_fields(organisation="  Buyers  ")
    )

    counterpart.refresh_from_db()
    assert (counterpart.mission, counterpart.organisation, counterpart.kind) == (
        mission,
        "Buyers",
        "buyer",
    )
    assert (counterpart.email, counterpart.language) == ("paul@buyers.ca", "fr")
    assert list(counterpart.sectors.all()) == [solar]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("organisation", "The organisation is required."),
        ("kind", "The kind of counterpart is required."),
        ("contact_name", "The contact person is required."),
        ("email", "The contact's email address is required."),
        ("language", "The language is required: fr or en."),
    ],
)
def test_counterpart_save_refuses_a_required_field_empty(mission, staff_user, field, message):
    with pytest.raises(RequestError) as raised:
        counterpart_save(mission=mission, by=staff_user, sectors=[], **_fields(**{field: " "}))

    assert _messages(raised.value) == {field: [message]}
    assert Counterpart.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "paul@", "“paul@” is not a valid email address."),
        ("language", "de", "Unknown language “de”: write fr or en."),
        (
            "kind",
            "bank",
            "Unknown kind “bank”: write one of investor, buyer, distributor, partner, "
            "institution, startup.",
        ),
        ("organisation", "x" * 201, "At most 200 characters (this one has 201)."),
        ("description", "x" * 2001, "At most 2000 characters (this one has 2001)."),
    ],
)
def test_counterpart_save_refuses_a_wrong_value(mission, staff_user, field, value, message):
    with pytest.raises(RequestError) as raised:
        counterpart_save(mission=mission, by=staff_user, sectors=[], **_fields(**{field: value}))

    assert _messages(raised.value) == {field: [message]}
    assert Counterpart.objects.count() == 0


def test_counterpart_save_refuses_the_same_organisation_and_email_whatever_their_case(
    mission, staff_user, counterpart
):
    with pytest.raises(RequestError) as raised:
        counterpart_save(
            mission=mission,
            by=staff_user,
            sectors=[],
            **_fields(organisation="MAPLE ventures", email="Jane@Maple.CA"),
        )

    assert _messages(raised.value) == {
        "email": [
            "MAPLE ventures is already registered with this email address for this mission: "
            "edit that counterpart instead."
        ]
    }
    assert Counterpart.objects.count() == 1


def test_counterpart_save_refuses_a_duplicate_saved_at_the_same_moment(
    mission, staff_user, counterpart, monkeypatch
):
    # The check saw nothing: the database's constraint refuses, and the message is the same.
    monkeypatch.setattr(services, "_same_counterpart", lambda *args: Counterpart.objects.none())

    with pytest.raises(RequestError) as raised:
        counterpart_save(
            mission=mission,
            by=staff_user,
            sectors=[],
            **_fields(organisation="Maple Ventures", email="JANE@maple.ca"),
        )

    assert list(_messages(raised.value)) == ["email"]
    assert Counterpart.objects.count() == 1


def test_counterpart_save_allows_the_same_counterpart_in_another_mission(staff_user, counterpart):
    other = counterpart_save(
        mission=OpenMissionFactory(),
        by=staff_user,
        sectors=[],
        **_fields(organisation="Maple Ventures", email="jane@maple.ca"),
    )

    assert Counterpart.objects.filter(organisation="Maple Ventures").count() == 2
    assert other.mission != counterpart.mission


def test_counterpart_save_edits_one_keeping_its_own_name_and_email(
    mission, staff_user, counterpart
):
    solar = SectorFactory()

    saved = counterpart_save(
        mission=mission,
        by=staff_user,
        counterpart=counterpart,
        sectors=[solar],
        **_fields(organisation="Maple Ventures", email="JANE@maple.ca", city="Ottawa"),
    )

    counterpart.refresh_from_db()
    assert saved.pk == counterpart.pk
    assert (counterpart.city, counterpart.email) == ("Ottawa", "jane@maple.ca")
    assert list(counterpart.sectors.all()) == [solar]


def test_counterpart_save_refuses_an_edit_onto_another_counterpart(
    mission, staff_user, counterpart
):
    other = CounterpartFactory(mission=mission, organisation="Lake Capital")

    with pytest.raises(RequestError) as raised:
        counterpart_save(
            mission=mission,
            by=staff_user,
            counterpart=other,
            sectors=[],
            **_fields(organisation="Maple Ventures", email="jane@maple.ca"),
        )

    assert raised.value.error_dict["email"][0].code == "duplicate"
    other.refresh_from_db()
    assert other.organisation == "Lake Capital"


def test_counterpart_save_refuses_a_counterpart_of_another_mission(staff_user, counterpart):
    with pytest.raises(RequestError) as raised:
        counterpart_save(
            mission=OpenMissionFactory(),
            by=staff_user,
            counterpart=counterpart,
            sectors=[],
            **_fields(),
        )

    assert _messages(raised.value) == {
        NON_FIELD_ERRORS: ["This counterpart belongs to another mission."]
    }


# The CSV file and the import -----------------------------------------------------------

HEADER = "organisation;kind;sectors;city;contact_name;email;language;description\n"


def _csv(*lines, header=HEADER, encoding="utf-8") -> bytes:
    return (header + "".join(line + "\n" for line in lines)).encode(encoding)


def test_counterpart_list_read_reads_semicolons_with_a_bom(db):
    solar, ports = SectorFactory(code="solar"), SectorFactory(code="ports")
    raw = "\ufeff".encode() + _csv(
        "Maple Ventures;Investor;solar|ports;Toronto;Jane Doe;jane@maple.ca;fr;Seed funds",
        "Lake Buyers;buyer;;;Paul Roy;paul@lake.ca;;",
    )

    rows, errors = counterpart_list_read(raw)

    assert errors == []
    assert [(r.line, r.organisation, r.kind, r.language) for r in rows] == [
        (2, "Maple Ventures", "investor", "fr"),
        (3, "Lake Buyers", "buyer", "en"),
    ]
    assert rows[0].sectors == [solar, ports]
    assert (rows[0].city, rows[0].description, rows[1].sectors) == ("Toronto", "Seed funds", [])


def test_counterpart_list_read_reads_commas_in_windows_1252(db):
    raw = _csv(
        "Société Générale Canada,institution,,Montréal,Éloïse Côté,eloise@sg.ca,fr,",
        header=HEADER.replace(";", ","),
        encoding="cp1252",
    )

    rows, errors = counterpart_list_read(raw)

    assert errors == []
    assert (rows[0].organisation, rows[0].city, rows[0].contact_name) == (
        "Société Générale Canada",
        "Montréal",
        "Éloïse Côté",
    )


def test_counterpart_list_read_reports_every_wrong_row_by_line_and_column(db):
    SectorFactory(code="solar")
    raw = _csv(
        "Maple Ventures;investor;solar;Toronto;Jane Doe;jane@maple.ca;en;",
        ";bank;wind;;Paul Roy;paul@;de;",
        "",
        "MAPLE VENTURES;buyer;;;John;JANE@maple.ca;en;",
    )

    rows, errors = counterpart_list_read(raw)

    assert [(e.line, e.column, str(e.message)) for e in errors] == [
        (3, "sectors", "Unknown sector code “wind”."),
        (3, "organisation", "The organisation is required."),
        (
            3,
            "kind",
            "Unknown kind “bank”: write one of investor, buyer, distributor, partner, "
            "institution, startup.",
        ),
        (3, "email", "“paul@” is not a valid email address."),
        (3, "language", "Unknown language “de”: write fr or en."),
        (5, "email", "The same counterpart is already on line 2."),
    ]
    assert len(rows) == 3


def test_counterpart_list_read_names_the_missing_columns(db):
    rows, errors = counterpart_list_read(b"organisation;city\nMaple;Toronto\n")

    assert rows == []
    assert [(e.line, e.column, str(e.message)) for e in errors] == [
        (1, "", "Missing columns: kind, contact_name, email.")
    ]


def test_counterpart_list_read_refuses_a_file_without_counterpart(db):
    rows, errors = counterpart_list_read(_csv())

    assert rows == []
    assert [(e.line, str(e.message)) for e in errors] == [(1, "The file has no counterpart.")]


def test_counterparts_import_creates_and_updates(mission, staff_user, counterpart):
    solar, ports = SectorFactory(code="solar"), SectorFactory(code="ports")
    counterpart.sectors.set([ports])
    rows, errors = counterpart_list_read(
        _csv(
            "maple ventures;distributor;solar;Ottawa;Jane Smith;JANE@maple.ca;fr;New",
            "Lake Buyers;buyer;;;Paul Roy;paul@lake.ca;;",
        )
    )
    assert errors == []

    summary = counterparts_import(mission=mission, rows=rows, by=staff_user)

    assert (summary.created, summary.updated) == (1, 1)
    counterpart.refresh_from_db()
    assert (counterpart.organisation, counterpart.kind, counterpart.city) == (
        "maple ventures",
        "distributor",
        "Ottawa",
    )
    assert set(counterpart.sectors.all()) == {solar, ports}
    lake = Counterpart.objects.get(organisation="Lake Buyers")
    assert (lake.mission, lake.language) == (mission, "en")


def test_counterparts_import_saves_nothing_if_one_row_is_wrong(mission, staff_user):
    rows, _errors = counterpart_list_read(
        _csv(
            "Maple Ventures;investor;;;Jane Doe;jane@maple.ca;en;",
            "Lake Buyers;buyer;;;Paul Roy;paul@lake.ca;en;",
        )
    )
    rows[1].email = "not-an-email"

    with pytest.raises(CounterpartImportError) as raised:
        counterparts_import(mission=mission, rows=rows, by=staff_user)

    assert [(e.line, e.column, str(e.message)) for e in raised.value.rows] == [
        (3, "email", "“not-an-email” is not a valid email address.")
    ]
    assert Counterpart.objects.count() == 0


def test_counterparts_import_refuses_a_counterpart_twice(mission, staff_user):
    rows, _errors = counterpart_list_read(
        _csv(
            "Maple Ventures;investor;;;Jane Doe;jane@maple.ca;en;",
            "Lake Buyers;buyer;;;Paul Roy;paul@lake.ca;en;",
        )
    )
    rows[1].organisation, rows[1].email = "MAPLE Ventures", "Jane@maple.ca"

    with pytest.raises(CounterpartImportError) as raised:
        counterparts_import(mission=mission, rows=rows, by=staff_user)

    assert [(e.line, e.column, str(e.message)) for e in raised.value.rows] == [
        (3, "email", "The same counterpart is already on line 2.")
    ]
    assert Counterpart.objects.count() == 0


# Meeting requests ----------------------------------------------------------------------


def _create(application, counterpart, by, **overrides):
    return meeting_request_create(
        **{
            "application": application,
            "counterpart": counterpart,
            "by": by,
            "priority": 3,
            "rationale": "  They fund solar start-ups.  ",
            "origin": "company",
            **overrides,
        }
    )


def test_meeting_request_create_for_a_confirmed_company(confirmed, counterpart, company_member):
    meeting_request = _create(confirmed, counterpart, company_member)

    meeting_request.refresh_from_db()
    assert (
        meeting_request.status,
        meeting_request.priority,
        meeting_request.rationale,
        meeting_request.origin,
        meeting_request.created_by,
    ) == (REQUESTED, 3, "They fund solar start-ups.", "company", company_member)


@pytest.mark.parametrize(
    "status",
    [
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.RELEASED,
    ],
)
def test_meeting_request_create_refuses_a_company_whose_seat_is_not_confirmed(
    mission, counterpart, staff_user, status
):
    application = ApplicationFactory(mission=mission, status=status)

    with pytest.raises(RequestError) as raised:
        _create(application, counterpart, staff_user, origin="staff")

    assert _messages(raised.value) == {
        "application": [
            "Only a company whose seat in the delegation is confirmed can request meetings."
        ]
    }
    assert MeetingRequest.objects.count() == 0


def test_meeting_request_create_refuses_a_counterpart_of_another_mission(
    confirmed, company_member
):
    elsewhere = CounterpartFactory(mission=OpenMissionFactory())

    with pytest.raises(RequestError) as raised:
        _create(confirmed, elsewhere, company_member)

    assert _messages(raised.value) == {
        "counterpart": ["This counterpart is not one of this mission's."]
    }


@pytest.mark.parametrize("priority", [0, 4, None])
def test_meeting_request_create_refuses_a_priority_out_of_1_to_3(
    confirmed, counterpart, company_member, priority
):
    with pytest.raises(RequestError) as raised:
        _create(confirmed, counterpart, company_member, priority=priority)

    assert _messages(raised.value) == {"priority": ["The priority must be 1, 2 or 3."]}


def test_meeting_request_create_refuses_a_rationale_too_long(
    confirmed, counterpart, company_member
):
    with pytest.raises(RequestError) as raised:
        _create(confirmed, counterpart, company_member, rationale="x" * 2001)

    assert _messages(raised.value) == {
        "rationale": ["At most 2000 characters (this rationale has 2001)."]
    }


def test_meeting_request_create_accepts_a_rationale_of_2000_characters(
    confirmed, counterpart, company_member
):
    assert len(
        _create(confirmed, counterpart, company_member, rationale="x" * 2000).rationale
    ) == (2000)


def test_meeting_request_create_refuses_the_same_pair_twice(
    confirmed, counterpart, company_member, staff_user
):
    _create(confirmed, counterpart, company_member)

    with pytest.raises(RequestError) as raised:
        _create(confirmed, counterpart, staff_user, origin="staff")

    assert _messages(raised.value) == {
        "counterpart": [
            "A meeting with Maple Ventures has already been requested for this company."
        ]
    }
    assert MeetingRequest.objects.count() == 1


def test_meeting_request_create_refuses_an_unknown_origin(confirmed, counterpart, staff_user):
    with pytest.raises(RequestError) as raised:
        _create(confirmed, counterpart, staff_user, origin="mayor")

    assert _messages(raised.value) == {"origin": ["“mayor” is not an origin of a request."]}


@pytest.mark.parametrize(
    "status", [MissionStatus.COMPLETED, MissionStatus.REPORTED, MissionStatus.CANCELLED]
)
def test_meeting_request_create_refuses_once_the_mission_is_over(
    mission, confirmed, counterpart, company_member, status
):
    mission.status = status
    mission.save()

    with pytest.raises(RequestError) as raised:
        _create(confirmed, counterpart, company_member)

    assert _messages(raised.value) == {
        NON_FIELD_ERRORS: ["This mission is over: meetings can no longer be requested."]
    }


# Qualify, decline, delete --------------------------------------------------------------


@pytest.fixture
def requested(confirmed, counterpart):
    return MeetingRequestFactory(application=confirmed, counterpart=counterpart)


def test_meeting_request_qualify_records_purpose_and_note(requested, staff_user):
    meeting_request_qualify(
        request=requested,
        by=staff_user,
        purpose=" Present the films to their portfolio ",
        qualification_note="Strong fit.",
    )

    requested.refresh_from_db()
    assert (requested.status, requested.purpose, requested.qualification_note) == (
        QUALIFIED,
        "Present the films to their portfolio",
        "Strong fit.",
    )


def test_meeting_request_qualify_needs_a_purpose(requested, staff_user):
    with pytest.raises(RequestError) as raised:
        meeting_request_qualify(
            request=requested, by=staff_user, purpose="  ", qualification_note="x"
        )

    assert _messages(raised.value) == {"purpose": ["Say what the meeting is for."]}
    requested.refresh_from_db()
    assert requested.status == REQUESTED


@pytest.mark.parametrize(
    ("status", "label"),
    [(QUALIFIED, "Qualified"), (DECLINED, "Declined"), ("scheduled", "Scheduled")],
)
def test_meeting_request_qualify_refuses_a_request_not_requested(
    requested, staff_user, status, label
):
    MeetingRequest.objects.filter(pk=requested.pk).update(status=status, decline_reason="No")

    with pytest.raises(RequestError) as raised:
        meeting_request_qualify(
            request=requested, by=staff_user, purpose="Sell", qualification_note=""
        )

    assert _messages(raised.value) == {
        NON_FIELD_ERRORS: [
            f"Only a request still “Requested” can be qualified; this one is “{label}”."
        ]
    }


def test_meeting_request_qualify_refuses_a_company_that_withdrew(requested, staff_user):
    requested.application.status = ApplicationStatus.WITHDRAWN
    requested.application.save()
    name = requested.application.company.name

    with pytest.raises(RequestError) as raised:
        meeting_request_qualify(
            request=requested, by=staff_user, purpose="Sell", qualification_note=""
        )

    assert _messages(raised.value) == {
        NON_FIELD_ERRORS: [f"{name} is no longer in the delegation: decline this request instead."]
    }


@pytest.mark.parametrize("status", [REQUESTED, QUALIFIED])
def test_meeting_request_decline_records_the_reason(requested, staff_user, status):
    MeetingRequest.objects.filter(pk=requested.pk).update(status=status)

    meeting_request_decline(request=requested, by=staff_user, reason=" Not in Toronto then. ")

    requested.refresh_from_db()
    assert (requested.status, requested.decline_reason) == (DECLINED, "Not in Toronto then.")


def test_meeting_request_decline_needs_a_reason(requested, staff_user):
    with pytest.raises(RequestError) as raised:
        meeting_request_decline(request=requested, by=staff_user, reason=" ")

    assert _messages(raised.value) == {
        "reason": ["Give the company the reason why the meeting is declined."]
    }
    requested.refresh_from_db()
    assert requested.status == REQUESTED


def test_meeting_request_decline_refuses_a_request_with_a_meeting_in_the_grid(staff_user):
    meeting = MeetingFactory(request__status=QUALIFIED)

    with pytest.raises(RequestError) as raised:
        meeting_request_decline(request=meeting.request, by=staff_user, reason="No")

    assert _messages(raised.value) == {
        NON_FIELD_ERRORS: [
            "This request has a meeting in the grid: remove the meeting from the grid "
            "first, then decline the request."
        ]
    }
    meeting.request.refresh_from_db()
    assert meeting.request.status == QUALIFIED


@pytest.mark.parametrize("status", [MeetingStatus.CANCELLED, MeetingStatus.DECLINED])
def test_meeting_request_decline_accepts_a_request_whose_meeting_is_off_the_grid(
    staff_user, status
):
    meeting = MeetingFactory(request__status=QUALIFIED, status=status)

    meeting_request_decline(request=meeting.request, by=staff_user, reason="No")

    meeting.request.refresh_from_db()
    assert meeting.request.status == DECLINED


def test_meeting_request_decline_refuses_a_declined_request(requested, staff_user):
    meeting_request_decline(request=requested, by=staff_user, reason="First")

    with pytest.raises(RequestError) as raised:
        meeting_request_decline(request=requested, by=staff_user, reason="Second")

    assert _messages(raised.value) == {NON_FIELD_ERRORS: ["This request is already “Declined”."]}
    requested.refresh_from_db()
    assert requested.decline_reason == "First"


def test_meeting_request_delete_removes_a_request_still_requested(requested, company_member):
    meeting_request_delete(request=requested, by=company_member)

    assert MeetingRequest.objects.count() == 0


def test_meeting_request_delete_refuses_a_request_already_handled(requested, company_member):
    MeetingRequest.objects.filter(pk=requested.pk).update(status=QUALIFIED)

    with pytest.raises(RequestError) as raised:
        meeting_request_delete(request=requested, by=company_member)

    assert _messages(raised.value) == {
        NON_FIELD_ERRORS: [
            "This request is “Qualified”: only a request not yet handled by the city's team "
            "can be removed."
        ]
    }
    assert MeetingRequest.objects.count() == 1
