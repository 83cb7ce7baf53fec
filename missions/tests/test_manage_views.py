"""The staff's mission pages: the form and its errors, the version check, transitions,
duplicating, the programme, the mission page per role, and who may reach each page."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from core.zones import PARIS
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from missions.enums import MissionStatus
from missions.models import Mission, MissionStatusChange, ProgrammeItem
from missions.services import mission_create, mission_transition, mission_update
from missions.tests.factories import (
    MissionFactory,
    OpenMissionFactory,
    ProgrammeItemFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db

TORONTO = zoneinfo.ZoneInfo("America/Toronto")


@pytest.fixture(autouse=True)
def _in_english(client):
    """Pages in English, as the messages are asserted; French is the default."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def form_data(**overrides):
    data = {
        "title": "Canada — Toronto et Montréal 2027",
        "country": "CA",
        "cities": "Toronto, Montréal",
        "timezone": "America/Toronto",
        "start_date": "2027-07-08",
        "end_date": "2027-07-12",
        "capacity": "30",
        "applications_open_at": "2027-03-01T09:00",
        "application_deadline": "2027-05-15T18:00",
        "partners": "CCI Aix-Marseille-Provence",
        "budget_planned": "45000",
        "summary": "",
        "description": "Startup Fest.",
        "objectives": "",
    }
    return data | overrides


def field_errors(response, name) -> list[str]:
    return response.context["form"].errors.get(name, [])


# Create ---------------------------------------------------------------------------------


def test_create_saves_and_redirects_to_mission(staff_client, staff_user, official_user):
    sector = SectorFactory(code="numerique")

    response = staff_client.post(
        reverse("missions:create"),
        form_data(sectors=[sector.pk], officials=[official_user.pk]),
    )

    mission = Mission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/missions/canada-toronto-et-montreal-2027/"
    assert mission.application_deadline == datetime.datetime(2027, 5, 15, 18, tzinfo=PARIS)
    assert mission.applications_open_at == datetime.datetime(2027, 3, 1, 9, tzinfo=PARIS)
    assert (mission.status, mission.timezone, mission.capacity) == ("draft", "America/Toronto", 30)
    assert list(mission.officials.all()) == [official_user]
    assert list(mission.status_changes.values_list("to_status", "changed_by")) == [
        ("draft", staff_user.pk)
    ]


def test_create_empty_zone_proposed_from_country(staff_client):
    staff_client.post(reverse("missions:create"), form_data(country="JP", timezone=""))

    assert Mission.objects.get().timezone == "Asia/Tokyo"


def test_create_form_proposes_main_zone_of_each_country(staff_client):
    response = staff_client.get(reverse("missions:create"))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'src="/static/js/mission-form.js"' in content
    assert "&quot;CA&quot;: &quot;America/Toronto&quot;" in content


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"end_date": "2027-07-07"},
            "end_date",
            "The end date cannot be before the start date.",
        ),
        (
            {"application_deadline": "2027-07-09T12:00"},
            "application_deadline",
            "The application deadline must be before the start date of the mission.",
        ),
        ({"capacity": "0"}, "capacity", "The capacity must be at least 1 company."),
        (
            {"timezone": "Mars/Olympus_Mons"},
            "timezone",
            "“Mars/Olympus_Mons” is not a known time zone (expected e.g. America/Toronto).",
        ),
        (
            {"applications_open_at": "2027-06-01T09:00"},
            "applications_open_at",
            "Applications must open before the deadline.",
        ),
    ],
)
def test_create_invalid_shows_error_by_field_and_keeps_input(
    staff_client, overrides, field, message
):
    response = staff_client.post(reverse("missions:create"), form_data(**overrides))

    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert list(response.context["form"].errors) == [field]
    content = response.content.decode()
    assert f'id="error_1_id_{field}"' in content
    assert 'value="Canada — Toronto et Montréal 2027"' in content
    assert Mission.objects.count() == 0


def test_create_invalid_keeps_datetime_input(staff_client):
    response = staff_client.post(reverse("missions:create"), form_data(end_date="2027-07-01"))

    assert 'value="2027-05-15T18:00"' in response.content.decode()


@pytest.mark.parametrize("typed", ["demain", "32/13/2027 25:61", "2027-02-30T10:00", "١٢/٠٨/٢٠٢٧"])
def test_create_nonsense_datetime_said_by_its_field_and_kept(staff_client, typed):
    response = staff_client.post(reverse("missions:create"), form_data(application_deadline=typed))

    assert response.status_code == 200
    assert field_errors(response, "application_deadline") == ["Enter a valid date/time."]
    assert f'value="{typed}"' in response.content.decode()
    assert Mission.objects.count() == 0


def test_create_reads_a_datetime_typed_in_french(client, staff_user):
    client.force_login(staff_user)
    client.cookies["django_language"] = "fr"

    with translation.override("fr"):
        response = client.post(
            reverse("missions:create"),
            form_data(
                application_deadline="15/05/2027 18:00", applications_open_at="01/03/2027 09:00"
            ),
        )

    assert response.status_code == 302
    mission = Mission.objects.get()
    assert mission.application_deadline == datetime.datetime(2027, 5, 15, 18, tzinfo=PARIS)
    assert mission.applications_open_at == datetime.datetime(2027, 3, 1, 9, tzinfo=PARIS)


OUT_OF_RANGE = "Enter a date between 1 January 2000 and 31 December 2100."


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("start_date", "9999-12-31"),
        ("end_date", "0001-01-01"),
        ("start_date", "1999-12-31"),
        ("application_deadline", "9999-12-31T10:00"),
        ("applications_open_at", "0001-01-01T00:00"),
        ("application_deadline", "2101-01-01T00:00"),
    ],
)
def test_create_dates_the_calendar_cannot_hold_said_by_their_field(staff_client, field, typed):
    response = staff_client.post(reverse("missions:create"), form_data(**{field: typed}))

    assert response.status_code == 200
    assert field_errors(response, field) == [OUT_OF_RANGE]
    assert Mission.objects.count() == 0


def test_create_dates_at_the_bounds_of_the_range_accepted(staff_client):
    response = staff_client.post(
        reverse("missions:create"),
        form_data(
            start_date="2100-12-30",
            end_date="2100-12-31",
            applications_open_at="2000-01-01T09:00",
            application_deadline="2100-12-01T18:00",
        ),
    )

    assert response.status_code == 302
    assert Mission.objects.get().end_date == datetime.date(2100, 12, 31)


def test_the_database_refuses_dates_out_of_range(mission):
    for constraint, values in (
        ("mission_end_date_in_range", {"end_date": datetime.date(9999, 12, 31)}),
        ("mission_start_date_in_range", {"start_date": datetime.date(1, 1, 1)}),
        (
            "mission_deadline_in_range",
            {"application_deadline": datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)},
        ),
    ):
        with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
            Mission.objects.filter(pk=mission.pk).update(**values)
    with (
        pytest.raises(IntegrityError, match="programme_item_start_in_range"),
        transaction.atomic(),
    ):
        ProgrammeItemFactory(
            mission=mission,
            starts_at=datetime.datetime(1, 1, 2, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
        )


# Edit and the version check ----------------------------------------------------------


@pytest.fixture
def mission(staff_user):
    return mission_create(
        by=staff_user,
        title="Canada 2027",
        country="CA",
        cities="Toronto",
        timezone="America/Toronto",
        start_date=datetime.date(2027, 7, 8),
        end_date=datetime.date(2027, 7, 12),
        capacity=30,
        application_deadline=datetime.datetime(2027, 5, 15, 18, tzinfo=PARIS),
    )


def test_edit_form_shows_deadline_in_paris_time_and_version(staff_client, mission):
    response = staff_client.get(reverse("missions:edit", kwargs={"slug": mission.slug}))

    content = response.content.decode()
    assert 'name="application_deadline" value="2027-05-15T18:00"' in content
    assert 'name="version" value="1"' in content


def test_edit_saves_with_current_version(staff_client, mission):
    response = staff_client.post(
        reverse("missions:edit", kwargs={"slug": mission.slug}),
        form_data(title="Canada 2027", capacity="25", version="1"),
    )

    mission.refresh_from_db()
    assert response.status_code == 302
    assert (mission.capacity, mission.version, mission.slug) == (25, 2, "canada-2027")


def test_staff_enter_the_budgets_as_they_write_them_and_the_report_counts_with_them(
    client, staff_user, mission
):
    client.force_login(staff_user)
    ApplicationFactory(mission=mission, status=ApplicationStatus.CONFIRMED)
    client.cookies["django_language"] = "fr"
    edit = reverse("missions:edit", kwargs={"slug": mission.slug})
    assert 'name="budget_actual"' in client.get(edit).content.decode()
    assert 'name="budget_actual"' not in client.get(reverse("missions:create")).content.decode()

    client.post(
        edit,
        form_data(
            title="Canada 2027", budget_planned="45 000", budget_actual="12 100,50", version="1"
        ),
    )

    mission.refresh_from_db()
    assert (mission.budget_planned, mission.budget_actual) == (
        Decimal("45000"),
        Decimal("12100.50"),
    )
    # The form shows them back as French writes them; the report counts with them.
    assert 'value="12100,50"' in client.get(edit).content.decode()
    client.cookies["django_language"] = "en"
    report = client.get(reverse("reports:report", args=[mission.slug]))
    assert report.context["kpis"].cost_per_company == Decimal("12100.50")
    assert "€12,100.50" in report.content.decode()


def test_edit_after_colleague_changed_it_refused_with_input_kept(
    staff_client, mission, staff_user
):
    mission_update(mission=mission, by=staff_user, expected_version=1, capacity=12)

    response = staff_client.post(
        reverse("missions:edit", kwargs={"slug": mission.slug}),
        form_data(title="Canada 2027", capacity="25", version="1"),
    )

    mission.refresh_from_db()
    assert response.status_code == 200
    assert (mission.capacity, mission.version) == (12, 2)
    form = response.context["form"]
    assert form.non_field_errors()[0].startswith("Someone else changed this mission on ")
    assert "Capacity (companies)" in response.context["differing"]
    content = response.content.decode()
    assert 'name="capacity" value="25"' in content
    # Seen now: saving again replaces the colleague's change knowingly.
    assert 'name="version" value="2"' in content


def test_edit_after_conflict_second_save_goes_through(staff_client, mission, staff_user):
    mission_update(mission=mission, by=staff_user, expected_version=1, capacity=12)

    response = staff_client.post(
        reverse("missions:edit", kwargs={"slug": mission.slug}),
        form_data(title="Canada 2027", capacity="25", version="2"),
    )

    mission.refresh_from_db()
    assert response.status_code == 302
    assert (mission.capacity, mission.version) == (25, 3)


def test_edit_invalid_shows_error_by_field(staff_client, mission):
    response = staff_client.post(
        reverse("missions:edit", kwargs={"slug": mission.slug}),
        form_data(title="Canada 2027", end_date="2027-07-01", version="1"),
    )

    assert field_errors(response, "end_date") == ["The end date cannot be before the start date."]
    mission.refresh_from_db()
    assert mission.version == 1


# Transitions --------------------------------------------------------------------------


def test_transition_allowed_moves_and_says_so(staff_client, staff_user):
    mission = MissionFactory(status=MissionStatus.SELECTION)
    ApplicationFactory(mission=mission, status=ApplicationStatus.ACCEPTED)

    response = staff_client.post(
        reverse("missions:transition", kwargs={"slug": mission.slug}),
        {"to_status": "confirmed"},
        follow=True,
    )

    mission.refresh_from_db()
    assert mission.status == MissionStatus.CONFIRMED
    assert [str(m) for m in response.context["messages"]] == ["The mission is now “Confirmed”."]
    assert list(
        MissionStatusChange.objects.values_list("from_status", "to_status", "changed_by")
    ) == [("selection", "confirmed", staff_user.pk)]


def test_transition_refused_says_why_and_changes_nothing(staff_client):
    mission = MissionFactory(status=MissionStatus.SELECTION)

    response = staff_client.post(
        reverse("missions:transition", kwargs={"slug": mission.slug}),
        {"to_status": "confirmed"},
        follow=True,
    )

    mission.refresh_from_db()
    assert mission.status == MissionStatus.SELECTION
    assert [str(m) for m in response.context["messages"]] == [
        "No company is accepted yet: accept at least one before confirming."
    ]
    assert MissionStatusChange.objects.count() == 0


def test_transition_from_wrong_state_refused(staff_client):
    mission = MissionFactory(status=MissionStatus.DRAFT)

    response = staff_client.post(
        reverse("missions:transition", kwargs={"slug": mission.slug}),
        {"to_status": "completed"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "A mission that is “Draft” cannot become “Completed”."
    ]
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DRAFT


def test_a_move_that_is_not_asked_first_goes_back_to_the_mission(staff_client):
    mission = MissionFactory()

    response = staff_client.get(reverse("missions:transition", kwargs={"slug": mission.slug}))

    assert response["Location"] == mission.get_absolute_url()


@pytest.mark.parametrize("to_status", ["open", "cancelled"])
def test_opening_and_cancelling_are_asked_first(staff_client, staff_user, to_status):
    mission = MissionFactory(
        status=MissionStatus.DRAFT,
        application_deadline=timezone.now() + datetime.timedelta(days=30),
    )
    mission.sectors.add(SectorFactory())
    url = reverse("missions:transition", kwargs={"slug": mission.slug})

    # The mission page's button leads to the question; a post without the answer too.
    detail = staff_client.get(mission.get_absolute_url()).content.decode()
    assert f'href="{url}?to_status={to_status}"' in detail
    asked = staff_client.post(url, {"to_status": to_status})
    assert asked["Location"] == f"{url}?to_status={to_status}"
    page = staff_client.get(asked["Location"]).content.decode()
    assert "cannot" in page  # neither move can be undone, and the page says so
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DRAFT

    staff_client.post(url, {"to_status": to_status, "confirmed": "yes"})

    mission.refresh_from_db()
    assert mission.status == to_status
    assert MissionStatusChange.objects.get().changed_by == staff_user


def test_the_question_says_what_stands_in_the_way(staff_client):
    mission = MissionFactory(status=MissionStatus.DRAFT, application_deadline=None)
    url = reverse("missions:transition", kwargs={"slug": mission.slug})

    page = staff_client.get(f"{url}?to_status=open").content.decode()

    assert "Set an application deadline before opening the mission." in page
    assert 'id="confirm-transition"' not in page


# Duplicate ----------------------------------------------------------------------------


def test_duplicate_past_2100_refused_with_a_message(staff_client):
    mission = MissionFactory(
        title="Expo 2100",
        start_date=datetime.date(2100, 6, 1),
        end_date=datetime.date(2100, 6, 3),
        status=MissionStatus.REPORTED,
    )

    response = staff_client.post(
        reverse("missions:duplicate", kwargs={"slug": mission.slug}), follow=True
    )

    assert Mission.objects.count() == 1
    assert [str(m) for m in response.context["messages"]] == [
        "The copy would be dated after 31 December 2100: create a new mission instead."
    ]


def test_duplicate_redirects_to_edit_of_new_draft(staff_client):
    mission = MissionFactory(title="Austin SXSW 2026", status=MissionStatus.REPORTED)

    response = staff_client.post(reverse("missions:duplicate", kwargs={"slug": mission.slug}))

    copy = Mission.objects.exclude(pk=mission.pk).get()
    assert (copy.title, copy.status) == ("Austin SXSW 2027", MissionStatus.DRAFT)
    assert response["Location"] == f"/missions/{copy.slug}/edit/"


# Programme ----------------------------------------------------------------------------


def test_programme_add_reads_destination_time(staff_client, mission):
    response = staff_client.post(
        reverse("missions:programme_add", kwargs={"slug": mission.slug}),
        {
            "kind": "trade_fair",
            "title": "Startup Fest",
            "city": "Montréal",
            "starts_at": "2027-07-09T09:30",
            "ends_at": "2027-07-09T18:00",
        },
    )

    item = ProgrammeItem.objects.get()
    assert response["Location"] == f"/missions/{mission.slug}/#programme"
    assert item.starts_at == datetime.datetime(2027, 7, 9, 13, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize("typed", ["demain", "01/08/2027 10:00:00:00"])
def test_programme_add_nonsense_time_said_by_its_field(staff_client, mission, typed):
    response = staff_client.post(
        reverse("missions:programme_add", kwargs={"slug": mission.slug}),
        {"kind": "travel", "title": "Train", "starts_at": typed, "ends_at": "2027-07-09T18:00"},
    )

    assert response.status_code == 200
    assert field_errors(response, "starts_at") == ["Enter a valid date/time."]
    assert ProgrammeItem.objects.count() == 0


def test_edit_nonsense_deadline_said_by_its_field(staff_client, mission):
    url = reverse("missions:edit", kwargs={"slug": mission.slug})
    data = form_data(application_deadline="demain", version=str(mission.version))

    response = staff_client.post(url, data)

    assert field_errors(response, "application_deadline") == ["Enter a valid date/time."]
    mission.refresh_from_db()
    assert mission.application_deadline == datetime.datetime(2027, 5, 15, 18, tzinfo=PARIS)


def test_programme_form_labels_destination_time(staff_client, mission):
    response = staff_client.get(reverse("missions:programme_add", kwargs={"slug": mission.slug}))

    content = response.content.decode()
    assert "Starts (Toronto time)" in content
    assert 'type="datetime-local"' in content


def test_programme_add_nonexistent_time_shown_by_field(staff_client, mission):
    response = staff_client.post(
        reverse("missions:programme_add", kwargs={"slug": mission.slug}),
        {
            "kind": "travel",
            "title": "Night train",
            "starts_at": "2027-03-14T02:30",
            "ends_at": "2027-03-14T05:00",
        },
    )

    assert field_errors(response, "starts_at") == [
        "2027-03-14 02:30 does not exist in America/Toronto: the clocks skip that hour that "
        "night (daylight saving time). Choose another time."
    ]
    assert 'value="Night train"' in response.content.decode()
    assert ProgrammeItem.objects.count() == 0


def test_programme_add_end_before_start_shown_by_field(staff_client, mission):
    response = staff_client.post(
        reverse("missions:programme_add", kwargs={"slug": mission.slug}),
        {
            "kind": "networking",
            "title": "Cocktail",
            "starts_at": "2027-07-09T19:00",
            "ends_at": "2027-07-09T18:00",
        },
    )

    assert field_errors(response, "ends_at") == ["An event must end after it starts."]
    assert ProgrammeItem.objects.count() == 0


def test_programme_edit_shows_destination_time_and_saves(staff_client, mission):
    item = ProgrammeItemFactory(
        mission=mission,
        starts_at=datetime.datetime(2027, 7, 9, 9, 30, tzinfo=TORONTO),
        ends_at=datetime.datetime(2027, 7, 9, 11, 0, tzinfo=TORONTO),
    )
    url = reverse("missions:programme_edit", kwargs={"slug": mission.slug, "pk": item.pk})

    assert 'value="2027-07-09T09:30"' in staff_client.get(url).content.decode()
    staff_client.post(
        url,
        {
            "kind": "networking",
            "title": "Breakfast",
            "starts_at": "2027-07-09T08:00",
            "ends_at": "2027-07-09T09:00",
        },
    )
    item.refresh_from_db()
    assert (item.title, item.starts_at) == (
        "Breakfast",
        datetime.datetime(2027, 7, 9, 12, 0, tzinfo=datetime.UTC),
    )


def test_programme_item_of_other_mission_404(staff_client, mission):
    item = ProgrammeItemFactory()

    url = reverse("missions:programme_edit", kwargs={"slug": mission.slug, "pk": item.pk})

    assert staff_client.get(url).status_code == 404


def test_programme_delete_confirms_then_removes(staff_client, mission):
    item = ProgrammeItemFactory(mission=mission, title="Cocktail")
    url = reverse("missions:programme_delete", kwargs={"slug": mission.slug, "pk": item.pk})

    assert "Remove “Cocktail” from the programme" in staff_client.get(url).content.decode()
    response = staff_client.post(url)

    assert response["Location"] == f"/missions/{mission.slug}/#programme"
    assert ProgrammeItem.objects.count() == 0


# Role access --------------------------------------------------------------------------

ROLES = [None, "company_member", "official_user"]


def staff_pages(mission, item):
    slug = {"slug": mission.slug}
    item_kwargs = {"slug": mission.slug, "pk": item.pk}
    return [
        ("get", reverse("missions:create")),
        ("post", reverse("missions:create")),
        ("get", reverse("missions:edit", kwargs=slug)),
        ("post", reverse("missions:edit", kwargs=slug)),
        ("post", reverse("missions:transition", kwargs=slug)),
        ("post", reverse("missions:duplicate", kwargs=slug)),
        ("get", reverse("missions:programme_add", kwargs=slug)),
        ("post", reverse("missions:programme_add", kwargs=slug)),
        ("get", reverse("missions:programme_edit", kwargs=item_kwargs)),
        ("post", reverse("missions:programme_edit", kwargs=item_kwargs)),
        ("get", reverse("missions:programme_delete", kwargs=item_kwargs)),
        ("post", reverse("missions:programme_delete", kwargs=item_kwargs)),
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", range(12))
def test_staff_pages_refused_to_others(client, request, role, page):
    # An open mission: companies may see it, and must still not change it.
    mission = OpenMissionFactory(title="Secret Canada", capacity=30)
    item = ProgrammeItemFactory(mission=mission, title="Confidential dinner")
    method, url = staff_pages(mission, item)[page]
    if role:
        client.force_login(request.getfixturevalue(role))

    data = {"to_status": "cancelled", **form_data(title="Hijacked", version="1")}
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)

    if role is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == 404
        assert "Confidential dinner" not in response.content.decode()
    mission.refresh_from_db()
    assert (mission.title, mission.status, mission.version) == (
        "Secret Canada",
        MissionStatus.OPEN,
        1,
    )
    assert Mission.objects.count() == 1
    assert ProgrammeItem.objects.get().title == "Confidential dinner"


@pytest.mark.parametrize("page", range(2, 12))  # the pages of one mission
def test_staff_pages_unknown_mission_404_for_staff(staff_client, page):
    mission = MissionFactory(slug="gone")
    item = ProgrammeItemFactory(mission=mission)
    method, url = staff_pages(mission, item)[page]
    url = url.replace("gone", "nowhere")

    response = getattr(staff_client, method)(url)

    assert response.status_code == 404


# The mission page -------------------------------------------------------------------


def detail_mission(staff_user):
    mission = MissionFactory(
        title="Canada 2027",
        status=MissionStatus.SELECTION,
        capacity=4,
        budget_planned=45000,
    )
    ApplicationFactory(mission=mission, status=ApplicationStatus.ACCEPTED)
    ApplicationFactory(mission=mission, status=ApplicationStatus.SUBMITTED)
    ProgrammeItemFactory(
        mission=mission,
        title="Startup Fest",
        starts_at=datetime.datetime(2027, 7, 9, 9, 30, tzinfo=TORONTO),
        ends_at=datetime.datetime(2027, 7, 9, 18, 0, tzinfo=TORONTO),
    )
    MissionStatusChange.objects.create(
        mission=mission, from_status="open", to_status="selection", changed_by=staff_user
    )
    return mission


def test_detail_staff_sees_buttons_history_paris_time_and_fill_rate(staff_client, staff_user):
    mission = detail_mission(staff_user)

    response = staff_client.get(mission.get_absolute_url())

    content = response.content.decode()
    assert [s.value for s in response.context["next_statuses"]] == ["confirmed", "cancelled"]
    assert 'name="to_status" value="confirmed"' in content
    # Cancelling is asked first: a link to the question.
    assert "?to_status=cancelled" in content
    assert "?to_status=open" not in content
    assert f'href="/missions/{mission.slug}/edit/"' in content
    assert f'action="/missions/{mission.slug}/duplicate/"' in content
    assert '<time datetime="2027-07-09T09:30:00-04:00">9 July 2027, 09:30</time>' in content
    assert "(Toronto time)" in content
    assert '<time datetime="2027-07-09T15:30:00+02:00">9 July 2027, 15:30</time>' in content
    assert "(Paris time)" in content
    assert "1 / 4" in content
    assert "Sophie Martin" in content
    assert 'id="mission-calls"' in content
    assert "planned €45,000.00, actual —" in content


def test_detail_official_reads_everything_without_buttons(client, official_user, staff_user):
    mission = detail_mission(staff_user)
    client.force_login(official_user)

    response = client.get(mission.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["next_statuses"] == []
    assert "to_status" not in content
    assert "/edit/" not in content
    assert "/duplicate/" not in content
    assert 'id="mission-calls"' not in content
    assert "Sophie Martin" in content
    assert "(Paris time)" in content
    assert "1 / 4" in content


@pytest.mark.parametrize("role", [None, "company_member"])
def test_detail_open_mission_public_without_city_data(client, request, role, staff_user):
    mission = detail_mission(staff_user)
    Mission.objects.filter(pk=mission.pk).update(status=MissionStatus.OPEN)
    if role:
        client.force_login(request.getfixturevalue(role))

    response = client.get(mission.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert "Startup Fest" in content
    assert "(Toronto time)" in content
    for secret in ("(Paris time)", "Sophie Martin", "1 / 4", "45,000", "to_status", "/edit/"):
        assert secret not in content


@pytest.mark.parametrize("role", [None, "company_member"])
@pytest.mark.parametrize("status", [s for s in MissionStatus if s != MissionStatus.OPEN], ids=str)
def test_detail_not_open_mission_404_for_public(client, request, role, status):
    mission = MissionFactory(title="Secret Canada", status=status)
    if role:
        client.force_login(request.getfixturevalue(role))

    response = client.get(mission.get_absolute_url())

    assert response.status_code == 404
    assert "Secret Canada" not in response.content.decode()


def test_detail_mission_after_transitions_shows_each_change(staff_client, staff_user):
    mission = MissionFactory(
        application_deadline=timezone.now() + datetime.timedelta(days=10),
    )
    mission.sectors.add(SectorFactory(code="numerique"))
    mission_transition(mission=mission, to_status=MissionStatus.OPEN, by=staff_user)
    mission_transition(mission=mission, to_status=MissionStatus.SELECTION, by=staff_user)

    response = staff_client.get(mission.get_absolute_url())

    assert [
        (c.from_status, c.to_status, c.changed_by.get_full_name())
        for c in response.context["mission"].status_changes.all()
    ] == [("draft", "open", "Sophie Martin"), ("open", "selection", "Sophie Martin")]


@pytest.mark.parametrize("count", [1, 10])
def test_detail_staff_query_count_constant(
    staff_client, staff_user, django_assert_num_queries, count
):
    mission = MissionFactory()
    for _ in range(count):
        ProgrammeItemFactory(mission=mission)
        MissionStatusChange.objects.create(
            mission=mission, from_status="", to_status="draft", changed_by=staff_user
        )

    # The page's own eight, and the workspace's counts.
    with django_assert_num_queries(9):
        assert staff_client.get(mission.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_detail_public_query_count_constant(client, django_assert_num_queries, count):
    mission = OpenMissionFactory()
    ProgrammeItemFactory.create_batch(count, mission=mission)

    with django_assert_num_queries(5):
        assert client.get(mission.get_absolute_url()).status_code == 200
