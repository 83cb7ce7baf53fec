from django.urls import path

from reports import views

app_name = "reports"

# Under /missions/, included before missions' own "<slug>/" pages ("reports" is never a
# mission's slug): the addresses of reports did not change when they left missions.
urlpatterns = [
    path("reports/", views.YearOverviewView.as_view(), name="reports"),
    path("reports/<int:year>/", views.YearOverviewView.as_view(), name="year_overview"),
    path("<slug:slug>/report/", views.ReportView.as_view(), name="report"),
    path("<slug:slug>/report/edit/", views.ReportEditView.as_view(), name="report_edit"),
    path(
        "<slug:slug>/report/review/",
        views.ReportTransitionView.as_view(),
        name="report_transition",
    ),
    path("<slug:slug>/report.pdf", views.ReportPdfView.as_view(), name="report_pdf"),
    path(
        "<slug:slug>/report/meetings.csv",
        views.ReportMeetingsCsvView.as_view(),
        name="report_meetings_csv",
    ),
    path(
        "<slug:slug>/report/companies.csv",
        views.ReportCompaniesCsvView.as_view(),
        name="report_companies_csv",
    ),
]
