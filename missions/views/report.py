"""A mission's report for the city: KPIs computed from the data, charts, the narrative,
the review by an official, the PDF and the CSV exports; the year overview."""

from django.http import Http404
from django.views import View


class _Stub(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


ReportView = ReportEditView = ReportTransitionView = ReportPdfView = _Stub
ReportMeetingsCsvView = ReportCompaniesCsvView = YearOverviewView = _Stub
