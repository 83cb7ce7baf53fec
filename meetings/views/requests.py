"""Counterparts at the destination and meeting requests: staff's lists, forms and import;
a confirmed company's own requests.

Staff pages: staff run them; officials read the counterparts and the requests lists and
get no form nor button; to anyone else they do not exist (404), and anonymous visitors
log in, before any mission or request is fetched.

The company's page of its meeting requests is its active members' only (404 to anyone
else, staff and officials included). It is open once the company has been told its
seat is confirmed; before that, it says so and offers nothing. The company sees the
counterparts without their contact details, its own requests with the purpose staff
gave a qualified one and the reason of a declined one, and never another company's.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.rules import role_of
from core.bulk import BulkActionMixin
from core.forms import add_service_errors
from core.history import history_page
from core.mixins import PermittedObjectMixin
from delegations.enums import ApplicationStatus
from meetings.csv_files import COLUMNS, counterpart_list_read
from meetings.enums import REQUESTS_COUNTED, CounterpartKind, MeetingRequestStatus, RequestOrigin
from meetings.filters import PRIORITY_CHOICES, CounterpartFilter, MeetingRequestFilter
from meetings.forms import (
    CounterpartForm,
    CounterpartImportForm,
    DeclineForm,
    MeetingRequestForm,
    QualifyForm,
    RequestBulkForm,
    StaffMeetingRequestForm,
    SuggestionsForm,
)
from meetings.models import MeetingRequest
from meetings.selectors import (
    application_for_meetings_page,
    application_for_suggestions,
    applications_with_requests,
    applications_without_fit,
    confirmed_applications,
    counterpart_for_staff,
    counterpart_history,
    counterparts_for_company,
    counterparts_for_staff,
    counterparts_of,
    counterparts_to_request,
    meeting_request_counts,
    meeting_request_for_staff,
    meeting_requests_for_staff,
    meeting_requests_of,
    suggestions_for,
)
from meetings.services.requests import (
    COUNTERPART_FIELDS,
    DECLINABLE,
    CounterpartImportError,
    RequestError,
    counterpart_save,
    counterparts_import,
    meeting_request_create,
    meeting_request_decline,
    meeting_request_delete,
    meeting_request_qualify,
    meeting_request_set_priority,
)
from missions.mixins import MissionPageMixin

VIEW_COUNTERPARTS = "meetings.view_counterparts"
VIEW_COUNTERPART_HISTORY = "meetings.view_counterpart_history"
CHANGE_COUNTERPARTS = "meetings.change_counterparts"
VIEW_REQUESTS = "meetings.view_meeting_requests"
HANDLE_REQUESTS = "meetings.handle_meeting_requests"
PRIORITY_LABELS = dict(PRIORITY_CHOICES)


def _label_priorities(meeting_requests) -> None:
    for meeting_request in meeting_requests:
        meeting_request.priority_label = PRIORITY_LABELS.get(
            meeting_request.priority, meeting_request.priority
        )


def _layout(user) -> str:
    return f"layouts/{'official' if role_of(user) == 'official' else 'staff'}.html"


class StaffMixin(MissionPageMixin):
    """A staff page of a mission's meetings; ``permission_required`` is checked before
    anything is fetched."""

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            layout=_layout(user),
            can_change_counterparts=user.has_perm(CHANGE_COUNTERPARTS),
            can_view_counterpart_history=user.has_perm(VIEW_COUNTERPART_HISTORY),
            can_handle_requests=user.has_perm(HANDLE_REQUESTS),
            **kwargs,
        )


class WithMission:
    """Loads ``self.mission`` from the URL once the permission is checked: place it
    after ``StaffMixin`` in the bases, whose check runs first."""

    def dispatch(self, request, *args, **kwargs):
        self.mission = self.get_mission()
        return super().dispatch(request, *args, **kwargs)


# Counterparts ---------------------------------------------------------------------


class CounterpartListView(StaffMixin, WithMission, ListView):
    """A mission's counterparts, searched and filtered; officials read it."""

    permission_required = (VIEW_COUNTERPARTS,)
    template_name = "meetings/counterpart_list.html"
    context_object_name = "counterparts"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = CounterpartFilter(
            self.request.GET, queryset=counterparts_for_staff(self.mission)
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            mission=self.mission,
            filterset=self.filterset,
            filtered=self.filterset.filtered,
            **kwargs,
        )


class CounterpartFormView(StaffMixin, FormView):
    """Add a counterpart to a mission (``mission_pk``), or edit one (``pk``). Errors sit
    by their field and what was typed is kept."""

    permission_required = (CHANGE_COUNTERPARTS,)
    template_name = "meetings/counterpart_form.html"
    form_class = CounterpartForm

    def dispatch(self, request, *args, **kwargs):
        self.counterpart = self.mission = None
        return super().dispatch(request, *args, **kwargs)

    def _load(self):
        if "pk" in self.kwargs:
            self.counterpart = counterpart_for_staff(self.kwargs["pk"])
            if self.counterpart is None:
                raise Http404
            self.mission = self.counterpart.mission
        else:
            self.mission = self.get_mission()

    def get(self, request, *args, **kwargs):
        self._load()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._load()
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        if self.counterpart is None:
            return super().get_initial()
        return {
            **{name: getattr(self.counterpart, name) for name in COUNTERPART_FIELDS},
            "sectors": list(self.counterpart.sectors.all()),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            mission=self.mission, counterpart=self.counterpart, **kwargs
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            counterpart = counterpart_save(
                mission=self.mission,
                by=self.request.user,
                counterpart=self.counterpart,
                sectors=data["sectors"],
                **{name: data[name] for name in COUNTERPART_FIELDS},
            )
        except RequestError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if self.counterpart is None:
            text = _("%(organisation)s is added to the counterparts.")
        else:
            text = _("%(organisation)s is saved.")
        messages.success(self.request, text % {"organisation": counterpart.organisation})
        return redirect("meetings:counterparts", mission_pk=self.mission.pk)


class CounterpartHistoryView(StaffMixin, TemplateView):
    """Who changed what in a counterpart, and when, newest first; officials read it."""

    permission_required = (VIEW_COUNTERPART_HISTORY,)
    template_name = "meetings/counterpart_history.html"

    def get(self, request, *args, **kwargs):
        self.counterpart = counterpart_for_staff(self.kwargs["pk"])
        if self.counterpart is None:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        page_obj, entries = history_page(
            counterpart_history(self.counterpart), page_number=self.request.GET.get("page")
        )
        return super().get_context_data(
            counterpart=self.counterpart,
            mission=self.counterpart.mission,
            page_obj=page_obj,
            entries=entries,
            **kwargs,
        )


class CounterpartImportView(StaffMixin, WithMission, FormView):
    """Import counterparts from a CSV file: all or nothing, with every wrong line said."""

    permission_required = (CHANGE_COUNTERPARTS,)
    template_name = "meetings/counterpart_import.html"
    form_class = CounterpartImportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            mission=self.mission,
            columns=";".join(COLUMNS),
            kinds=CounterpartKind.choices,
            **kwargs,
        )

    def form_valid(self, form):
        rows, errors = counterpart_list_read(form.cleaned_data["file"].read())
        if not errors:
            try:
                summary = counterparts_import(
                    mission=self.mission, rows=rows, by=self.request.user
                )
            except CounterpartImportError as error:
                errors = error.rows
        if errors:
            return self.render_to_response(self.get_context_data(form=form, errors=errors))
        messages.success(
            self.request,
            _("Imported: %(created)d counterparts created, %(updated)d updated.")
            % {"created": summary.created, "updated": summary.updated},
        )
        return redirect("meetings:counterparts", mission_pk=self.mission.pk)


# Meeting requests, staff's side -------------------------------------------------------


class RequestListView(StaffMixin, WithMission, BulkActionMixin, ListView):
    """A mission's meeting requests, filtered, with what staff may do with each, one by
    one or many at once (qualify, decline, set the priority); officials read it."""

    permission_required = (VIEW_REQUESTS,)
    template_name = "meetings/requests_list.html"
    context_object_name = "meeting_requests"
    paginate_by = 25
    bulk_form_class = RequestBulkForm
    bulk_permission = HANDLE_REQUESTS
    bulk_refusal = RequestError

    def get_queryset(self):
        self.filterset = MeetingRequestFilter(
            self.request.GET,
            queryset=meeting_requests_for_staff(self.mission),
            applications=applications_with_requests(self.mission),
            counterparts=counterparts_of(self.mission),
        )
        return self.filterset.qs

    def bulk_rows(self, data):
        rows = (
            self.get_queryset()
            if data["everything"]
            else meeting_requests_for_staff(self.mission).filter(pk__in=data["selected"])
        )
        return rows.order_by("pk")

    def bulk_label(self, row) -> str:
        return f"{row.application.company.name} ↔ {row.counterpart.organisation}"

    def bulk_action(self, data):
        by, action = self.request.user, data["action"]
        if action == RequestBulkForm.QUALIFY:
            purpose = data["purpose"].strip()
            return (
                lambda row: meeting_request_qualify(
                    request=row,
                    by=by,
                    purpose=purpose or row.rationale,
                    qualification_note="",
                ),
                lambda count: (
                    ngettext(
                        "%(count)d request qualified.", "%(count)d requests qualified.", count
                    )
                    % {"count": count}
                ),
            )
        if action == RequestBulkForm.DECLINE:
            return (
                lambda row: meeting_request_decline(request=row, by=by, reason=data["reason"]),
                lambda count: (
                    ngettext(
                        "%(count)d request declined; each company reads the reason.",
                        "%(count)d requests declined; each company reads the reason.",
                        count,
                    )
                    % {"count": count}
                ),
            )
        return (
            lambda row: meeting_request_set_priority(
                request=row, by=by, priority=data["priority"]
            ),
            lambda count: (
                ngettext(
                    "%(count)d request now has the priority %(priority)s.",
                    "%(count)d requests now have the priority %(priority)s.",
                    count,
                )
                % {"count": count, "priority": PRIORITY_LABELS[data["priority"]]}
            ),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting_requests = list(context["object_list"])
        _label_priorities(meeting_requests)
        for meeting_request in meeting_requests:
            meeting_request.declinable = (
                meeting_request.status in DECLINABLE and not meeting_request.in_grid
            )
        counts = meeting_request_counts(self.mission)
        if context["can_handle_requests"]:
            context["without_fit"] = applications_without_fit(self.mission)
        context.update(
            meeting_requests=meeting_requests,
            mission=self.mission,
            filterset=self.filterset,
            filtered=self.filterset.filtered,
            status_counts=[
                (
                    status.value,
                    REQUESTS_COUNTED[status] % {"count": counts[status.value]},
                    counts[status.value],
                )
                for status in MeetingRequestStatus
            ],
        )
        return context


class RequestAddView(StaffMixin, WithMission, FormView):
    """Staff ask for a meeting on behalf of a company whose seat is confirmed. With
    ``?application=<pk>``, the page shows the counterparts suggested to that company,
    each requested in one click, and the form starts with it."""

    permission_required = (HANDLE_REQUESTS,)
    template_name = "meetings/requests_add.html"
    form_class = StaffMeetingRequestForm

    def dispatch(self, request, *args, **kwargs):
        self.suggested_to = None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.suggested_to = application_for_suggestions(
            self.mission, request.GET.get("application")
        )
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        if self.suggested_to is None:
            return super().get_initial()
        return {"application": self.suggested_to.pk}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "applications": confirmed_applications(self.mission),
            "counterparts": counterparts_of(self.mission),
        }

    def get_context_data(self, **kwargs):
        context = {"mission": self.mission, "suggested_to": self.suggested_to}
        if self.request.method == "GET":
            context["suggestions_form"] = SuggestionsForm(
                initial={"application": self.suggested_to and self.suggested_to.pk},
                applications=confirmed_applications(self.mission),
            )
        if self.suggested_to is not None:
            context["suggestions"] = suggestions_for(self.suggested_to)
        return super().get_context_data(**context, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            meeting_request = meeting_request_create(
                application=data["application"],
                counterpart=data["counterpart"],
                by=self.request.user,
                priority=data["priority"],
                rationale=data["rationale"],
                origin=RequestOrigin.STAFF,
            )
        except RequestError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The meeting of %(company)s with %(organisation)s is requested.")
            % {
                "company": meeting_request.application.company.name,
                "organisation": meeting_request.counterpart.organisation,
            },
        )
        if self.request.POST.get("suggested"):
            # Requested from the suggestions: back to the company's, for the next one.
            return redirect(
                reverse("meetings:request_add", kwargs={"mission_pk": self.mission.pk})
                + f"?application={meeting_request.application_id}#suggestions"
            )
        return redirect("meetings:requests", mission_pk=self.mission.pk)


class RequestActionView(StaffMixin, FormView):
    """A page that does one thing to one request (qualify it, decline it): the request,
    then the form; the service says whether it may be done now."""

    permission_required = (HANDLE_REQUESTS,)
    success_message = ""

    def _load(self):
        self.meeting_request = meeting_request_for_staff(self.kwargs["pk"])
        if self.meeting_request is None:
            raise Http404
        _label_priorities([self.meeting_request])
        self.mission = self.meeting_request.application.mission

    def get(self, request, *args, **kwargs):
        self._load()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._load()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            mission=self.mission, meeting_request=self.meeting_request, **kwargs
        )

    def act(self, data):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.act(form.cleaned_data)
        except RequestError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            self.success_message
            % {
                "company": self.meeting_request.application.company.name,
                "organisation": self.meeting_request.counterpart.organisation,
            },
        )
        return redirect(
            reverse("meetings:requests", kwargs={"mission_pk": self.mission.pk})
            + f"#request-{self.meeting_request.pk}"
        )


class RequestQualifyView(RequestActionView):
    """Qualify a request: its purpose, which the company reads, and staff's note; beside
    it, the other counterparts suggested to the company."""

    template_name = "meetings/requests_qualify.html"
    form_class = QualifyForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            suggestions=suggestions_for(self.meeting_request.application), **kwargs
        )

    @property
    def success_message(self):
        return _("The meeting of %(company)s with %(organisation)s is qualified.")

    def act(self, data):
        meeting_request_qualify(
            request=self.meeting_request,
            by=self.request.user,
            purpose=data["purpose"],
            qualification_note=data["qualification_note"],
        )


class RequestDeclineView(RequestActionView):
    """Decline a request, with the reason the company reads on its page."""

    template_name = "meetings/requests_decline.html"
    form_class = DeclineForm

    @property
    def success_message(self):
        return _(
            "The meeting of %(company)s with %(organisation)s is declined; the company "
            "reads the reason on its meetings page."
        )

    def act(self, data):
        meeting_request_decline(
            request=self.meeting_request, by=self.request.user, reason=data["reason"]
        )


# The company's side --------------------------------------------------------------------


class CompanyRequestsView(PermittedObjectMixin, FormView):
    """A company's meeting requests for one mission (``pk``: its application): the
    counterparts suggested to it (each requested in one click), the counterparts it may
    meet, the form to ask, and its own requests."""

    template_name = "meetings/company_requests.html"
    form_class = MeetingRequestForm

    permission = "meetings.request_meetings"
    permitted_name = "application"

    def get_permitted_object(self):
        return application_for_meetings_page(self.kwargs["pk"])

    @property
    def open(self) -> bool:
        # What the company was told: its own confirmation is told at once.
        return self.application.announced_status == ApplicationStatus.CONFIRMED

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "counterparts": counterparts_to_request(self.application),
        }

    def get_context_data(self, **kwargs):
        context = {
            "application": self.application,
            "mission": self.application.mission,
            "company": self.application.company,
            "open": self.open,
        }
        if self.open:
            page = Paginator(counterparts_for_company(self.application), 30).get_page(
                self.request.GET.get("page")
            )
            counterparts = list(page.object_list)
            for counterpart in counterparts:
                counterpart.requested_label = (
                    MeetingRequestStatus(counterpart.requested_status).label
                    if counterpart.requested_status
                    else None
                )
            meeting_requests = meeting_requests_of(self.application)
            _label_priorities(meeting_requests)
            context.update(
                page_obj=page,
                counterparts=counterparts,
                meeting_requests=meeting_requests,
                suggestions=suggestions_for(self.application),
                # Every request of the company names a counterpart of this mission.
                can_request=page.paginator.count > len(meeting_requests),
            )
        return super().get_context_data(**context, **kwargs)

    def get_form(self, form_class=None):
        return super().get_form(form_class) if self.open else None

    def post(self, request, *args, **kwargs):
        if not self.open:
            messages.error(
                request,
                _("Meetings can be requested once your seat in the delegation is confirmed."),
            )
            return redirect(self.application)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            meeting_request_create(
                application=self.application,
                counterpart=data["counterpart"],
                by=self.request.user,
                priority=data["priority"],
                rationale=data["rationale"],
                origin=RequestOrigin.COMPANY,
            )
        except RequestError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Your request to meet %(organisation)s is sent. The city's team will qualify "
                "it before the meetings are scheduled."
            )
            % {"organisation": data["counterpart"].organisation},
        )
        return redirect("meetings:company_requests", pk=self.application.pk)


class CompanyRequestDeleteView(PermittedObjectMixin, View):
    """The company removes one of its requests not yet handled by staff."""

    http_method_names = ["post"]
    permission = "meetings.delete_meeting_request"
    permitted_name = "meeting_request"

    def get_permitted_object(self):
        return (
            MeetingRequest.objects.select_related("application__company", "counterpart")
            .filter(pk=self.kwargs["pk"])
            .first()
        )

    def post(self, request, pk):
        meeting_request = self.meeting_request
        try:
            meeting_request_delete(request=meeting_request, by=request.user)
        except RequestError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Your request to meet %(organisation)s is removed.")
                % {"organisation": meeting_request.counterpart.organisation},
            )
        return redirect("meetings:company_requests", pk=meeting_request.application_id)
