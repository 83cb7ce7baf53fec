"""Browsing missions: the list with its filters, the year calendar, the iCal feed."""

import datetime

import pytest
from django.core import signing
from django.core.management import call_command
from django.urls import reverse

from accounts.rules import OFFICIALS_GROUP, STAFF_GROUP
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory, OpenMissionFactory, SectorFactory
from missions.views.browse import feed_token

pytestmark = pytest.mark.django_db

LIST = reverse("missions:list")
OPEN = reverse("missions:open")
FEED = reverse("missions:feed")


def calendar(year):
    return reverse("missions:calendar_year", kwargs={"year": year})


def titles(response, name="missions"):
    return [mission.title for mission in response.context[name]]


@pytest.fixture
def programme():
    """Missions of 2019 and 2027, in several states, with applications."""
    digital = SectorFactory(code="digital", name_en="Digital", name_fr="Numérique")
    maritime = SectorFactory(code="maritime", name_en="Maritime", name_fr="Maritime")
    data = {
        "austin": MissionFactory(
            title="Austin SXSW 2019",
            country="US",
            cities="Austin",
            timezone="America/Chicago",
            start_date=datetime.date(2019, 3, 8),
            end_date=datetime.date(2019, 3, 13),
            status=MissionStatus.REPORTED,
            description="Festival of the creative industries.",
        ),
        "canada": MissionFactory(
            title="Canada 2019",
            country="CA",
            cities="Toronto, Montréal",
            start_date=datetime.date(2019, 7, 8),
            end_date=datetime.date(2019, 7, 12),
            status=MissionStatus.REPORTED,
            capacity=30,
        ),
        "japan": OpenMissionFactory(
            title="Japon 2027",
            country="JP",
            cities="Tokyo, Kobe, Kyoto",
            timezone="Asia/Tokyo",
            start_date=datetime.date(2027, 12, 9),
            end_date=datetime.date(2027, 12, 13),
            capacity=10,
        ),
        "draft": MissionFactory(
            title="Secret draft Hamburg",
            country="DE",
            cities="Hamburg",
            timezone="Europe/Berlin",
            start_date=datetime.date(2027, 5, 3),
            end_date=datetime.date(2027, 5, 6),
            status=MissionStatus.DRAFT,
        ),
        "london": MissionFactory(
            title="Focus London",
            country="GB",
            cities="London",
            timezone="Europe/London",
            start_date=None,
            end_date=None,
            status=MissionStatus.DRAFT,
        ),
    }
    data["austin"].sectors.set([digital])
    data["canada"].sectors.set([digital, maritime])
    data["japan"].sectors.set([maritime])
    data["digital"], data["maritime"] = digital, maritime
    for status in [
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.CONFIRMED,
        ApplicationStatus.CONFIRMED,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.REJECTED,
    ]:
        ApplicationFactory(mission=data["canada"], status=status)
    return data


# The list ------------------------------------------------------------------------------


def test_list_staff_sees_every_mission_by_start_date(client, staff_user, programme):
    client.force_login(staff_user)

    response = client.get(LIST)

    assert response.status_code == 200
    assert titles(response) == [
        "Austin SXSW 2019",
        "Canada 2019",
        "Secret draft Hamburg",
        "Japon 2027",
        "Focus London",
    ]
    content = response.content.decode()
    assert reverse("missions:create") in content
    assert programme["canada"].get_absolute_url() in content


def test_list_fill_rate_counts_accepted_and_confirmed(client, staff_user, programme):
    client.force_login(staff_user)

    response = client.get(LIST)

    missions = {mission.title: mission for mission in response.context["missions"]}
    assert missions["Canada 2019"].seats_taken == 3
    assert missions["Japon 2027"].seats_taken == 0
    assert "3 / 30" in response.content.decode()
    assert "(10 %)" in response.content.decode()


def test_list_official_reads_without_new_mission_button(client, official_user, programme):
    client.force_login(official_user)

    response = client.get(LIST)

    assert response.status_code == 200
    assert len(response.context["missions"]) == 5
    assert "layouts/official.html" in [t.name for t in response.templates]
    assert reverse("missions:create") not in response.content.decode()


@pytest.mark.parametrize("role", [None, "company_member"])
def test_list_company_and_anonymous_sent_to_open_missions(client, request, role, programme):
    if role:
        client.force_login(request.getfixturevalue(role))

    response = client.get(LIST, follow=True)

    assert response.redirect_chain == [(OPEN, 302)]
    assert titles(response) == ["Japon 2027"]
    content = response.content.decode()
    assert "Secret draft Hamburg" not in content
    assert "Focus London" not in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"year": "2019"}, ["Austin SXSW 2019", "Canada 2019"]),
        ({"year": "2027"}, ["Secret draft Hamburg", "Japon 2027"]),
        ({"year": "undated"}, ["Focus London"]),
        ({"status": "draft"}, ["Secret draft Hamburg", "Focus London"]),
        ({"status": "open"}, ["Japon 2027"]),
        ({"country": "CA"}, ["Canada 2019"]),
        ({"country": "GB"}, ["Focus London"]),
        ({"year": "2019", "status": "reported", "country": "US"}, ["Austin SXSW 2019"]),
        ({"search": "montréal"}, ["Canada 2019"]),
        ({"search": "Hamburg"}, ["Secret draft Hamburg"]),
        ({"search": "creative industries"}, ["Austin SXSW 2019"]),
        ({"search": "nowhere"}, []),
    ],
)
def test_list_filters_narrow_to_exact_rows(client, staff_user, programme, query, expected):
    client.force_login(staff_user)

    response = client.get(LIST, query)

    assert response.status_code == 200
    assert titles(response) == expected


def test_list_sector_filter_narrows_to_exact_rows(client, staff_user, programme):
    client.force_login(staff_user)

    digital = client.get(LIST, {"sector": programme["digital"].pk})
    maritime = client.get(LIST, {"sector": programme["maritime"].pk})

    assert titles(digital) == ["Austin SXSW 2019", "Canada 2019"]
    assert titles(maritime) == ["Canada 2019", "Japon 2027"]
    # A sector filter does not multiply the applications counted.
    assert maritime.context["missions"][0].seats_taken == 3


def test_list_year_and_country_choices_come_from_the_missions(client, staff_user, programme):
    client.force_login(staff_user)

    form = client.get(LIST).context["filterset"].form

    assert [value for value, _ in form.fields["year"].choices] == [
        "",
        "2027",
        "2019",
        "undated",
    ]
    assert sorted(value for value, _ in form.fields["country"].choices if value) == [
        "CA",
        "DE",
        "GB",
        "JP",
        "US",
    ]


def test_list_unknown_year_choice_shows_the_error_and_no_narrowing(client, staff_user, programme):
    client.force_login(staff_user)

    response = client.get(LIST, {"year": "1850"})

    assert response.status_code == 200
    assert "year" in response.context["filterset"].form.errors


@pytest.mark.parametrize("count", [1, 20])
def test_list_query_count_constant(client, staff_user, django_assert_num_queries, count):
    for mission in MissionFactory.create_batch(count):
        ApplicationFactory(mission=mission, status=ApplicationStatus.ACCEPTED)
    client.force_login(staff_user)

    # Session, user with its groups; years, countries, sectors of the filters; count, missions.
    with django_assert_num_queries(7):
        response = client.get(LIST)

    assert len(response.context["missions"]) == count


# The calendar --------------------------------------------------------------------------


def test_calendar_places_missions_in_their_months(client, staff_user, programme):
    client.force_login(staff_user)

    response = client.get(calendar(2019))

    assert response.status_code == 200
    months = {
        month.month: [m.title for m in missions] for month, missions in response.context["months"]
    }
    assert months[3] == ["Austin SXSW 2019"]
    assert months[7] == ["Canada 2019"]
    assert [number for number, missions in months.items() if missions] == [3, 7]
    assert [m.title for m in response.context["undated"]] == ["Focus London"]
    content = response.content.decode()
    assert "Japon 2027" not in content
    assert "3 / 30" in content
    assert reverse("missions:calendar_year", kwargs={"year": 2018}) in content
    assert reverse("missions:calendar_year", kwargs={"year": 2020}) in content


def test_calendar_mission_across_months_and_years_in_each(client, staff_user, db):
    MissionFactory(
        title="New Year in Tokyo",
        start_date=datetime.date(2026, 12, 28),
        end_date=datetime.date(2027, 2, 2),
    )
    client.force_login(staff_user)

    year_2026 = client.get(calendar(2026)).context["months"]
    year_2027 = client.get(calendar(2027)).context["months"]

    assert [month.month for month, missions in year_2026 if missions] == [12]
    assert [month.month for month, missions in year_2027 if missions] == [1, 2]


def test_calendar_undated_listed_every_year_but_not_once_cancelled(client, staff_user, db):
    MissionFactory(title="Focus London", start_date=None, end_date=None)
    MissionFactory(
        title="Cancelled Berlin",
        start_date=None,
        end_date=None,
        status=MissionStatus.CANCELLED,
    )
    client.force_login(staff_user)

    for year in (2019, 2031):
        assert titles(client.get(calendar(year)), "undated") == ["Focus London"]


def test_calendar_without_year_shows_the_current_year(client, staff_user, db):
    client.force_login(staff_user)

    response = client.get(reverse("missions:calendar"))

    assert response.context["year"] == datetime.date.today().year


def test_calendar_year_out_of_range_404(client, staff_user, db):
    client.force_login(staff_user)

    assert client.get(calendar(1500)).status_code == 404


def test_calendar_official_reads_it(client, official_user, programme):
    client.force_login(official_user)

    response = client.get(calendar(2027))

    assert response.status_code == 200
    assert "Secret draft Hamburg" in response.content.decode()


@pytest.mark.parametrize("role", [None, "company_member"])
def test_calendar_company_and_anonymous_sent_to_open_missions(client, request, role, programme):
    if role:
        client.force_login(request.getfixturevalue(role))

    response = client.get(calendar(2027), follow=True)

    assert response.redirect_chain == [(OPEN, 302)]
    assert "Secret draft Hamburg" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_calendar_query_count_constant(client, staff_user, django_assert_num_queries, count):
    for number in range(count):
        mission = MissionFactory(
            start_date=datetime.date(2027, 1 + number % 12, 3),
            end_date=datetime.date(2027, 1 + number % 12, 7),
        )
        ApplicationFactory(mission=mission, status=ApplicationStatus.CONFIRMED)
    MissionFactory(start_date=None, end_date=None)
    client.force_login(staff_user)

    # Session, user with its groups; the year's missions with their fill rate.
    with django_assert_num_queries(3):
        response = client.get(calendar(2027))

    assert response.context["mission_count"] == count


def test_calendar_shows_the_2019_programme_of_the_demo(client, staff_user):
    call_command("seed_demo")
    client.force_login(staff_user)

    response = client.get(calendar(2019))

    assert response.status_code == 200
    months = {
        month.month: [m.title for m in missions] for month, missions in response.context["months"]
    }
    assert months[3] == ["Austin — South By Southwest (SXSW) 2019"]
    assert months[4] == ["Maroc — Tanger et Casablanca 2019"]
    assert months[7] == ["Canada — Toronto et Montréal 2019"]
    assert months[9] == ["Israël — Tel-Aviv, Haïfa, Jérusalem (DLD Tel-Aviv) 2019"]
    assert months[12] == ["Japon — Tokyo, Kobe, Kyoto 2019"]
    assert [number for number, titles in months.items() if titles] == [3, 4, 7, 9, 12]
    assert [m.title for m in response.context["undated"]] == ["Focus London 2019"]
    content = response.content.decode()
    for title in ["Austin", "Maroc", "Canada", "Israël", "Japon", "Focus London"]:
        assert title in content


# The feed ------------------------------------------------------------------------------


def vevents(response) -> list[list[str]]:
    """The feed's events, each as its unfolded lines."""
    text = response.content.decode().replace("\r\n ", "")
    events, current = [], None
    for line in text.split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return events


@pytest.fixture
def toronto(db):
    return MissionFactory(
        title="Canada — Toronto et Montréal 2019",
        slug="canada-2019",
        country="CA",
        cities="Toronto, Montréal",
        start_date=datetime.date(2019, 7, 8),
        end_date=datetime.date(2019, 7, 12),
        summary="Qualified meetings, then Startup Fest",
        status=MissionStatus.CONFIRMED,
    )


def test_feed_holds_missions_at_the_bounds_of_the_portal_years(client, staff_user):
    MissionFactory(
        title="Last", start_date=datetime.date(2100, 12, 31), end_date=datetime.date(2100, 12, 31)
    )
    MissionFactory(
        title="First", start_date=datetime.date(2000, 1, 1), end_date=datetime.date(2000, 1, 1)
    )
    client.force_login(staff_user)

    response = client.get(FEED)

    assert response.status_code == 200
    assert [line for event in vevents(response) for line in event if "DTEND" in line] == [
        "DTEND;VALUE=DATE:20000102",
        "DTEND;VALUE=DATE:21010101",
    ]


def test_feed_one_all_day_event_per_dated_mission(client, staff_user, toronto):
    MissionFactory(title="Focus London", start_date=None, end_date=None)
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"

    response = client.get(FEED)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = vevents(response)
    lines = [line for line in event if not line.startswith(("DTSTAMP:", "LAST-MODIFIED:"))]
    assert lines == [
        f"UID:mission-{toronto.pk}@marseille.fr",
        "DTSTART;VALUE=DATE:20190708",
        "DTEND;VALUE=DATE:20190713",
        "SUMMARY:Canada — Toronto et Montréal 2019",
        "LOCATION:Toronto\\, Montréal\\, Canada",
        "DESCRIPTION:Qualified meetings\\, then Startup Fest\\nStatus: Confirmed",
        "URL:http://testserver/missions/canada-2019/",
        "TRANSP:TRANSPARENT",
    ]
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")


def test_feed_uids_do_not_depend_on_the_address_it_is_asked_under(client, staff_user, toronto):
    """A calendar subscribed under one name and then another replaces its events."""
    client.force_login(staff_user)

    by_name = client.get(FEED, HTTP_HOST="localhost").content.decode()
    by_address = client.get(FEED, HTTP_HOST="127.0.0.1").content.decode()

    uid = f"UID:mission-{toronto.pk}@marseille.fr"
    assert uid in by_name.splitlines()
    assert uid in by_address.splitlines()


def test_feed_cancelled_mission_marked_cancelled(client, staff_user, toronto):
    MissionFactory(
        title="Cancelled Hamburg",
        start_date=datetime.date(2019, 5, 2),
        end_date=datetime.date(2019, 5, 2),
        status=MissionStatus.CANCELLED,
    )
    client.force_login(staff_user)

    events = vevents(client.get(FEED))

    statuses = {
        next(line for line in event if line.startswith("SUMMARY:")): [
            line for line in event if line.startswith(("STATUS:", "DTEND"))
        ]
        for event in events
    }
    assert statuses == {
        "SUMMARY:Cancelled Hamburg": ["DTEND;VALUE=DATE:20190503", "STATUS:CANCELLED"],
        "SUMMARY:Canada — Toronto et Montréal 2019": ["DTEND;VALUE=DATE:20190713"],
    }


@pytest.mark.parametrize(("role", "status_code"), [("staff_user", 200), ("official_user", 200)])
def test_feed_city_logged_in(client, request, toronto, role, status_code):
    client.force_login(request.getfixturevalue(role))

    assert client.get(FEED).status_code == status_code


@pytest.mark.parametrize("role", [None, "company_member"])
def test_feed_anonymous_and_company_404(client, request, toronto, role):
    if role:
        client.force_login(request.getfixturevalue(role))

    response = client.get(FEED)

    assert response.status_code == 404
    assert "Toronto" not in response.content.decode()


@pytest.mark.parametrize("role", ["staff_user", "official_user"])
def test_feed_token_lets_a_calendar_app_read_it(client, request, toronto, role):
    token = feed_token(request.getfixturevalue(role))

    response = client.get(FEED, {"token": token})

    assert response.status_code == 200
    assert len(vevents(response)) == 1


def test_feed_token_shown_on_the_calendar(client, staff_user, db):
    client.force_login(staff_user)

    content = client.get(calendar(2027)).content.decode()

    assert f"http://testserver{FEED}?token={feed_token(staff_user)}" in content


def test_feed_tampered_token_404(client, staff_user, toronto):
    pk, signature = feed_token(staff_user).split(":")

    assert client.get(FEED, {"token": f"{pk}:{signature[:-1]}x"}).status_code == 404
    assert client.get(FEED, {"token": f"{pk + '1'}:{signature}"}).status_code == 404
    assert client.get(FEED, {"token": staff_user.pk}).status_code == 404


def test_feed_token_of_another_salt_404(client, staff_user, toronto):
    token = signing.Signer(salt="something.else").sign(str(staff_user.pk))

    assert client.get(FEED, {"token": token}).status_code == 404


def test_feed_token_of_company_member_404(client, company_member, toronto):
    assert client.get(FEED, {"token": feed_token(company_member)}).status_code == 404


@pytest.mark.parametrize(
    ("role", "group"), [("staff_user", STAFF_GROUP), ("official_user", OFFICIALS_GROUP)]
)
def test_feed_token_revoked_with_the_role_404(client, request, toronto, role, group):
    user = request.getfixturevalue(role)
    token = feed_token(user)
    assert client.get(FEED, {"token": token}).status_code == 200

    user.groups.remove(user.groups.get(name=group))

    assert client.get(FEED, {"token": token}).status_code == 404


def test_feed_token_of_deactivated_user_404(client, staff_user, toronto):
    token = feed_token(staff_user)
    staff_user.is_active = False
    staff_user.save()

    assert client.get(FEED, {"token": token}).status_code == 404


# Accessibility -------------------------------------------------------------------------


@pytest.mark.browser
def test_calendar_and_list_are_accessible(page, live_server, staff_user, programme):
    from playwright.sync_api import expect

    from accounts.tests.factories import PASSWORD
    from portal.tests.browser import PHONE, audit, describe, log_in

    log_in(page, live_server, staff_user.email, PASSWORD)
    found = {}
    for name, url in {
        "calendar": calendar(2019),
        "list": LIST,
        "filtered list": f"{LIST}?year=undated&search=nowhere",
    }.items():
        page.goto(url)
        expect(page.locator("main h1")).to_have_count(1)
        if violations := audit(page):
            found[name] = describe(violations)
    page.set_viewport_size(PHONE)
    page.goto(calendar(2019))
    expect(page.get_by_role("heading", name="juillet 2019")).to_be_visible()
    if violations := audit(page):
        found["calendar on a phone"] = describe(violations)

    assert not found, "\n".join(f"{name}:\n{text}" for name, text in found.items())
