"""The year overview: missions counted in the year they start, cancelled ones listed but
out of the totals, totals by destination and by sector beside the previous year's, for
staff and officials only, in a fixed number of queries."""

import datetime
import itertools
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from companies.tests.factories import CompanyFactory
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingStatus
from meetings.models import MeetingGrid
from meetings.tests.factories import MeetingFactory, MeetingSlotFactory
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory, SectorFactory
from reports.selectors_year import year_overview
from reports.tests.factories import MissionReportFactory

CONFIRMED = ApplicationStatus.CONFIRMED
SLOTS = itertools.count()


def _mission(start, country="CA", status=MissionStatus.COMPLETED, **fields):
    return MissionFactory(
        start_date=start,
        end_date=start + datetime.timedelta(days=4),
        country=country,
        status=status,
        **fields,
    )


def _company(sector):
    company = CompanyFactory()
    company.sectors.add(sector)
    return company


def _held(application, *, leads=None, value=None, status=MeetingStatus.HELD):
    slot = MeetingSlotFactory(
        grid=MeetingGrid.objects.get_or_create(mission=application.mission)[0],
        starts_at=timezone.make_aware(
            datetime.datetime.combine(application.mission.start_date, datetime.time(15))
        )
        + datetime.timedelta(minutes=30 * next(SLOTS)),
    )
    return MeetingFactory(
        request__application=application,
        slot=slot,
        status=status,
        leads=leads,
        estimated_value=value,
    )


@pytest.fixture
def two_years(db):
    digital = SectorFactory(code="digital", name_en="Digital", name_fr="Numérique")
    maritime = SectorFactory(code="maritime", name_en="Maritime", name_fr="Maritime")
    # 2026: Toronto (2 confirmed, 2 held meetings, budget 10 000), Tokyo (1 confirmed, no
    # meeting, no budget), a cancelled Tel-Aviv (1 confirmed, budget 5 000: not counted).
    toronto = _mission(datetime.date(2026, 3, 10), "CA", budget_actual=Decimal("10000"))
    MissionReportFactory(mission=toronto, status="submitted")
    a = ApplicationFactory(mission=toronto, company=_company(digital), status=CONFIRMED)
    b = ApplicationFactory(mission=toronto, company=_company(maritime), status=CONFIRMED)
    ApplicationFactory(mission=toronto, company=_company(digital), status="rejected")
    _held(a, leads=3, value=Decimal("50000"))
    _held(b, leads=1, value=None)
    _held(b, leads=7, value=Decimal("999"), status=MeetingStatus.NO_SHOW)
    tokyo = _mission(datetime.date(2026, 10, 1), "JP", status=MissionStatus.CONFIRMED)
    ApplicationFactory(mission=tokyo, company=_company(digital), status=CONFIRMED)
    telaviv = _mission(
        datetime.date(2026, 5, 1), "IL", MissionStatus.CANCELLED, budget_actual=Decimal("5000")
    )
    ApplicationFactory(mission=telaviv, company=_company(maritime), status=CONFIRMED)
    # 2025: Montréal (1 confirmed, 1 held meeting, budget 8 000).
    montreal = _mission(datetime.date(2025, 6, 1), "CA", budget_actual=Decimal("8000"))
    c = ApplicationFactory(mission=montreal, company=_company(digital), status=CONFIRMED)
    _held(c, leads=2, value=Decimal("20000"))
    # 2024 and 2027 are not compared with 2026.
    _mission(datetime.date(2024, 6, 1), "US", budget_actual=Decimal("1"))
    return {"toronto": toronto, "tokyo": tokyo, "telaviv": telaviv, "montreal": montreal}


def _figures(comparisons):
    return {c.name: (c.current, c.previous, c.difference) for c in comparisons}


def test_year_overview_lists_the_year_s_missions_cancelled_ones_marked(two_years):
    overview = year_overview(2026)

    assert [row.mission.title for row in overview.missions] == [
        two_years["toronto"].title,
        two_years["telaviv"].title,
        two_years["tokyo"].title,
    ]
    assert [row.counted for row in overview.missions] == [True, False, True]
    assert overview.cancelled == 1


def test_year_overview_totals_beside_the_previous_year(two_years):
    totals = _figures(year_overview(2026).totals)

    assert totals == {
        "missions": (2, 1, 1),
        "confirmed_companies": (3, 1, 2),
        "meetings_held": (2, 1, 1),
        # Tokyo held no meeting: its leads and value are unknown, not 0.
        "leads": (4, 2, 2),
        "estimated_value": (Decimal("50000"), Decimal("20000"), Decimal("30000")),
        "budget_actual": (Decimal("10000"), Decimal("8000"), Decimal("2000")),
    }


def test_year_overview_by_destination(two_years):
    with translation.override("en"):
        lines = {line.label: _figures(line.figures) for line in year_overview(2026).destinations}

    # Israel's only mission was cancelled: it is no destination of either year.
    assert list(lines) == ["Canada", "Japan"]
    assert lines["Canada"]["missions"] == (1, 1, 0)
    assert lines["Canada"]["confirmed_companies"] == (2, 1, 1)
    assert lines["Canada"]["budget_actual"] == (Decimal("10000"), Decimal("8000"), Decimal("2000"))
    assert lines["Japan"]["missions"] == (1, None, None)
    assert lines["Japan"]["leads"] == (None, None, None)


def test_year_overview_by_sector(two_years):
    with translation.override("en"):
        lines = [(line.label, _figures(line.figures)) for line in year_overview(2026).sectors]

    assert lines == [
        ("Digital", {"confirmed_companies": (2, 1, 1)}),
        ("Maritime", {"confirmed_companies": (1, None, None)}),
    ]


def test_year_overview_without_previous_year_shows_no_comparison(two_years):
    totals = _figures(year_overview(2025).totals)

    assert totals["missions"] == (1, 1, 0)  # 2024 has one mission
    empty = _figures(year_overview(2030).totals)
    assert empty["missions"] == (0, None, None)
    assert empty["budget_actual"] == (None, None, None)


# The page -------------------------------------------------------------------------------------


def test_reports_without_year_and_without_missions_open_the_current_year(client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("reports:reports"))

    year = timezone.localdate().year
    assert response.status_code == 302
    assert response.url == reverse("reports:year_overview", kwargs={"year": year})


def test_reports_without_year_open_the_latest_year_with_missions(client, staff_user):
    _mission(datetime.date(2019, 7, 8), "CA")
    _mission(datetime.date(2021, 3, 1), "US")
    _mission(datetime.date(timezone.localdate().year + 2, 1, 1), "JP")  # not yet
    client.force_login(staff_user)

    response = client.get(reverse("reports:reports"))

    assert response.url == reverse("reports:year_overview", kwargs={"year": 2021})


def test_the_year_picker_and_the_charts_across_the_years(client, staff_user, two_years):
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("reports:year_overview", kwargs={"year": 2026})).content.decode()

    picker = page.split('id="year-picker"', 1)[1].split("</nav>", 1)[0]
    assert [int(year) for year in re.findall(r">(\d{4})</a>", picker)] == [2024, 2025, 2026]
    assert 'aria-current="page">2026<' in picker
    glance = page.split('id="years-at-a-glance"', 1)[1].split("</section>", 1)[0]
    # Cancelled Tel-Aviv left out: 2026 has Toronto and Tokyo, 3 companies, 2 meetings held.
    assert "2024: 1; 2025: 1; 2026: 2" in glance
    assert "2024: 0; 2025: 1; 2026: 3" in glance
    assert "2024: 0; 2025: 1; 2026: 2" in glance
    # The year's own: confirmed companies by destination and by sector.
    year_charts = page.split('id="year-charts"', 1)[1].split("</section>", 1)[0]
    assert "Canada: 2; Japan: 1" in year_charts
    assert "Digital: 2; Maritime: 1" in year_charts


@pytest.mark.parametrize(
    ("who", "status"), [("staff_user", 200), ("official_user", 200), ("company_member", 404)]
)
def test_year_overview_page_by_role(client, request, two_years, who, status):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("reports:year_overview", kwargs={"year": 2026}))

    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert two_years["toronto"].title in html
        assert reverse("reports:report", kwargs={"slug": two_years["toronto"].slug}) in html
        assert reverse("reports:year_overview", kwargs={"year": 2025}) in html
        assert reverse("reports:year_overview", kwargs={"year": 2027}) in html


def test_year_overview_page_anonymous_logs_in(client, two_years):
    url = reverse("reports:year_overview", kwargs={"year": 2026})

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_year_overview_page_out_of_range_year_is_404(client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("reports:year_overview", kwargs={"year": 1999}))

    assert response.status_code == 404


def test_year_overview_page_officials_use_their_layout(client, official_user, two_years):
    client.force_login(official_user)

    response = client.get(reverse("reports:year_overview", kwargs={"year": 2026}))

    assert response.context["layout"] == "layouts/official.html"
    assert "area-official" in response.content.decode()


def _missions_in_2026(count):
    sector = SectorFactory(code="digital")
    for number in range(count):
        mission = _mission(
            datetime.date(2026, 1 + number, 5), budget_actual=Decimal("100"), title=f"M{number}"
        )
        MissionReportFactory(mission=mission)
        application = ApplicationFactory(
            mission=mission, company=_company(sector), status=CONFIRMED
        )
        _held(application, leads=1, value=Decimal("10"))
    _mission(datetime.date(2025, 1, 5))


@pytest.mark.parametrize("count", [1, 10])
def test_year_overview_page_queries_do_not_grow_with_missions(
    client, official_user, django_assert_num_queries, count
):
    _missions_in_2026(count)
    client.force_login(official_user)
    url = reverse("reports:year_overview", kwargs={"year": 2026})

    # Session, user with its groups (and permission), the missions of both years with their
    # reports, the five queries of the KPIs; every year's missions and their KPIs (the
    # charts across the years).
    with django_assert_num_queries(14):
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["overview"].missions) == count
