from django.urls import path

from missions.views import browse, detail, manage, public, report

app_name = "missions"
# Fixed paths come before "<slug>/"; services never give a mission one of these slugs.
RESERVED_SLUGS = {"new", "open", "calendar", "reports"}

urlpatterns = [
    path("", browse.MissionListView.as_view(), name="list"),
    path("open/", public.OpenMissionListView.as_view(), name="open"),
    path("new/", manage.MissionCreateView.as_view(), name="create"),
    path("calendar/", browse.CalendarView.as_view(), name="calendar"),
    path("calendar/<int:year>/", browse.CalendarView.as_view(), name="calendar_year"),
    path("feed.ics", browse.MissionFeedView.as_view(), name="feed"),
    path("reports/", report.YearOverviewView.as_view(), name="reports"),
    path("reports/<int:year>/", report.YearOverviewView.as_view(), name="year_overview"),
    path("<slug:slug>/", detail.MissionDetailView.as_view(), name="detail"),
    path("<slug:slug>/edit/", manage.MissionUpdateView.as_view(), name="edit"),
    path("<slug:slug>/transition/", manage.MissionTransitionView.as_view(), name="transition"),
    path("<slug:slug>/duplicate/", manage.MissionDuplicateView.as_view(), name="duplicate"),
    path("<slug:slug>/report/", report.ReportView.as_view(), name="report"),
    path("<slug:slug>/report/edit/", report.ReportEditView.as_view(), name="report_edit"),
    path(
        "<slug:slug>/report/review/",
        report.ReportTransitionView.as_view(),
        name="report_transition",
    ),
    path("<slug:slug>/report.pdf", report.ReportPdfView.as_view(), name="report_pdf"),
    path(
        "<slug:slug>/report/meetings.csv",
        report.ReportMeetingsCsvView.as_view(),
        name="report_meetings_csv",
    ),
    path(
        "<slug:slug>/report/companies.csv",
        report.ReportCompaniesCsvView.as_view(),
        name="report_companies_csv",
    ),
    path(
        "<slug:slug>/programme/new/",
        manage.ProgrammeItemCreateView.as_view(),
        name="programme_add",
    ),
    path(
        "<slug:slug>/programme/<int:pk>/edit/",
        manage.ProgrammeItemUpdateView.as_view(),
        name="programme_edit",
    ),
    path(
        "<slug:slug>/programme/<int:pk>/delete/",
        manage.ProgrammeItemDeleteView.as_view(),
        name="programme_delete",
    ),
]
