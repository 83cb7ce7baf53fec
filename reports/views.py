"""A mission's report for the city: KPIs computed from the data, charts, the narrative,
the review by an official, the PDF and the CSV exports; the year overview."""


from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from accounts.rules import role_of
from core.csv_files import csv_response
from core.dates import FIRST_YEAR, LAST_YEAR
from core.forms import add_service_errors
from core.mixins import HiddenUnlessPermittedMixin
from core.pdf import pdf_response
from missions.models import Mission
from reports.charts import bar_chart, report_charts
from reports.enums import ReportStatus
from reports.forms import ReportForm
from reports.kpis import (
    mission_kpis,
    report_companies,
    report_companies_header,
    report_meetings,
    report_meetings_header,
)
from reports.models import MissionReport
from reports.selectors import mission_for_report
from reports.selectors_year import year_overview, years_at_a_glance
from reports.services import REPORT_EDITABLE, report_save, report_transition
from reports.templatetags.report_tags import unsent_comment_key

# The review: staff write and submit; officials approve or send back ----------------------


def _report_of(mission):
    return MissionReport.objects.filter(mission=mission).first()


class ReportEditView(HiddenUnlessPermittedMixin, View):
    """Staff write the narrative while the report is a draft or sent back."""

    permission_required = "reports.edit_report"
    template_name = "reports/report_edit.html"

    def get(self, request, slug):
        mission = get_object_or_404(Mission, slug=slug)
        report = _report_of(mission)
        if report is not None and report.status not in REPORT_EDITABLE:
            return self.not_editable(mission, report)
        form = ReportForm(initial={"narrative": report.narrative if report else ""})
        return self.show(form, mission, report)

    def post(self, request, slug):
        mission = get_object_or_404(Mission, slug=slug)
        form = ReportForm(data=request.POST)
        if form.is_valid():
            try:
                report_save(
                    mission=mission, by=request.user, narrative=form.cleaned_data["narrative"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, gettext("The report is saved."))
                return redirect("reports:report", slug=mission.slug)
        return self.show(form, mission, _report_of(mission))

    def not_editable(self, mission, report):
        if report.status == ReportStatus.SUBMITTED:
            message = gettext(
                "This report awaits an official's review: it cannot be changed until it is "
                "sent back."
            )
        else:
            message = gettext("This report is approved: it can no longer be changed.")
        messages.error(self.request, message)
        return redirect("reports:report", slug=mission.slug)

    def show(self, form, mission, report):
        return render(
            self.request,
            self.template_name,
            {"form": form, "mission": mission, "report": report},
        )


class ReportTransitionView(HiddenUnlessPermittedMixin, View):
    """POST ``to_status`` (and ``comment``): staff submit; officials approve or send back.

    Companies and anyone else get a 404; a role or a state that does not allow the move
    gets one clear message on the report page.
    """

    permission_required = "reports.act_on_report"
    http_method_names = ["post"]

    def post(self, request, slug):
        mission = get_object_or_404(Mission, slug=slug)
        to_status = request.POST.get("to_status", "")
        comment = request.POST.get("comment", "")
        refusal = self.role_refusal(to_status)
        report = _report_of(mission)
        if refusal is None and report is None:
            refusal = (
                gettext("Write the narrative before submitting the report.")
                if to_status == ReportStatus.SUBMITTED
                else gettext("This report has not been submitted: it cannot be reviewed yet.")
            )
        if refusal is None:
            try:
                report = report_transition(
                    report=report,
                    to_status=to_status,
                    by=request.user,
                    comment=comment,
                    base_url=request.build_absolute_uri("/"),
                )
            except ValidationError as error:
                refusal = " ".join(error.messages)
        if refusal is not None:
            messages.error(request, refusal)
            # Kept for the form on the report page: a refusal never loses what was typed.
            request.session[unsent_comment_key(mission)] = comment
        else:
            request.session.pop(unsent_comment_key(mission), None)
            messages.success(request, SUCCESS_MESSAGES[report.status]())
        return redirect(reverse("reports:report", kwargs={"slug": mission.slug}) + "#review")

    def role_refusal(self, to_status: str) -> str | None:
        user = self.request.user
        if to_status == ReportStatus.SUBMITTED and not user.has_perm("reports.submit_report"):
            return gettext("Only the city's staff can submit a report.")
        reviewing = to_status in (ReportStatus.APPROVED, ReportStatus.CHANGES_REQUESTED)
        if reviewing and not user.has_perm("reports.review_report"):
            return gettext("Only an official can approve a report or send it back.")
        return None


SUCCESS_MESSAGES = {
    ReportStatus.SUBMITTED: lambda: gettext(
        "The report is submitted: the officials are told it awaits their review."
    ),
    ReportStatus.CHANGES_REQUESTED: lambda: gettext(
        "The report is sent back to the staff with your comment."
    ),
    ReportStatus.APPROVED: lambda: gettext("The report is approved."),
}


# The report for reading, its PDF and its exports: staff and officials ----------------------


class ReportReadMixin(HiddenUnlessPermittedMixin):
    """The city's reading of a report; companies never see one. The permission is checked
    before the mission is fetched: an unknown slug and a hidden report look alike."""

    permission_required = "missions.view_mission_internals"

    def get_mission(self) -> Mission:
        mission = mission_for_report(self.kwargs["slug"])
        if mission is None:
            raise Http404
        return mission

    def report_context(self) -> dict:
        mission = self.get_mission()
        try:
            report = mission.report
        except MissionReport.DoesNotExist:
            report = None
        kpis = mission_kpis([mission])[mission.pk]
        return {
            "mission": mission,
            "report": report,
            "report_status": report.get_status_display() if report else ReportStatus.DRAFT.label,
            "approved": report is not None and report.status == ReportStatus.APPROVED,
            "kpis": kpis,
            "charts": report_charts(kpis),
        }


class ReportView(ReportReadMixin, TemplateView):
    """A mission's report: its KPIs, charts and narrative, its exports, and the place of
    its review. Any mission has one, even before staff write a word."""

    template_name = "reports/report.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            layout=f"layouts/{role_of(self.request.user)}.html",
            can_enter_budget=self.request.user.has_perm("missions.manage_mission"),
            **self.report_context(),
            **kwargs,
        )


class ReportPdfView(ReportReadMixin, View):
    """The report as an A4 PDF, with the same KPIs and charts as its page."""

    def get(self, request, *args, **kwargs):
        context = self.report_context()
        html = render_to_string("reports/report_pdf.html", context, request=request)
        return pdf_response(
            request,
            html,
            filename=f"report-{context['mission'].slug}.pdf",
            unavailable=gettext(
                "The PDF cannot be made on this server at the moment. The report page "
                "and its CSV exports are available."
            ),
        )


class ReportCsvMixin(ReportReadMixin):
    """A CSV export (``core.csv_files``: UTF-8 with a BOM, ``;``, every cell safe)."""

    name = ""

    def get(self, request, *args, **kwargs):
        mission = self.get_mission()
        return csv_response(
            filename=f"report-{mission.slug}-{self.name}.csv",
            header=self.header(mission),
            rows=self.rows(mission),
        )


class ReportMeetingsCsvView(ReportCsvMixin, View):
    """One row per meeting of the mission (see ``missions.kpis.report_meetings``)."""

    name = "meetings"

    def header(self, mission):
        return report_meetings_header(mission)

    def rows(self, mission):
        return report_meetings(mission)


class ReportCompaniesCsvView(ReportCsvMixin, View):
    """One row per company that applied (see ``missions.kpis.report_companies``)."""

    name = "companies"

    def header(self, mission):
        return report_companies_header()

    def rows(self, mission):
        return report_companies(mission)


# The year overview: staff and officials ---------------------------------------------------


class YearOverviewView(HiddenUnlessPermittedMixin, TemplateView):
    """Every mission starting in a year, with its figures and report, the year's totals,
    by destination and by sector, beside the previous year's (``selectors_year``).
    Without a year: the current one. Companies never see it (404)."""

    permission_required = "missions.view_mission_internals"
    template_name = "reports/year_overview.html"

    def get(self, request, *args, year=None, **kwargs):
        self.glance = years_at_a_glance()
        if year is None:
            # The latest year with missions up to this one: not an empty page in January.
            this_year = timezone.localdate().year
            years = [row.year for row in self.glance if row.year <= this_year]
            return redirect("reports:year_overview", year=max(years, default=this_year))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise Http404
        return super().get(request, *args, year=year, **kwargs)

    def get_context_data(self, *, year, **kwargs):
        glance = self.glance
        overview = year_overview(year)
        return super().get_context_data(
            layout=f"layouts/{role_of(self.request.user)}.html",
            overview=overview,
            year_charts=[
                bar_chart(
                    gettext("Confirmed companies by destination, %(year)s") % {"year": year},
                    [
                        (line.label, line.figures[1].current)
                        for line in overview.destinations
                        if line.figures[0].current
                    ],
                ),
                bar_chart(
                    gettext("Confirmed companies by sector, %(year)s") % {"year": year},
                    [
                        (line.label, line.figures[0].current)
                        for line in overview.sectors
                        if line.figures[0].current
                    ],
                ),
            ],
            year=year,
            previous_year=year - 1 if year > FIRST_YEAR else None,
            next_year=year + 1 if year < LAST_YEAR else None,
            years=[row.year for row in glance],
            charts=[
                bar_chart(title, [(str(row.year), getattr(row, name)) for row in glance])
                for title, name in (
                    (gettext("Missions by year"), "missions"),
                    (gettext("Companies in the delegations, by year"), "companies"),
                    (gettext("Meetings held, by year"), "meetings_held"),
                    (gettext("Leads from the meetings, by year"), "leads"),
                )
            ],
            **kwargs,
        )
