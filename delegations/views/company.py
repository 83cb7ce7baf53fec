from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from companies.selectors import company_of
from core.forms import add_service_errors
from core.mixins import PermittedObjectMixin
from delegations.enums import APPLICATION_TRANSITIONS, ApplicationStatus
from delegations.forms import ApplicationForm
from delegations.selectors import application_for_company_page, application_of_company_for
from delegations.services import (
    ANSWER_FIELDS,
    EDITABLE,
    ApplicationError,
    application_confirm_seat,
    application_save,
    application_start,
    application_submit,
    application_withdraw,
    mission_accepts_applications,
)
from missions.enums import SETTLED
from missions.models import Mission


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


class ApplicationStartView(PermittedObjectMixin, View):
    """Apply to an open mission: create the company's draft, then go to its form."""

    http_method_names = ["post"]
    permission = "delegations.apply_to"
    permitted_name = "mission"

    def get_permitted_object(self):
        return Mission.objects.filter(pk=self.kwargs["mission_pk"]).first()

    def post(self, request, mission_pk):
        mission = self.mission
        company = company_of(request.user)
        existing = application_of_company_for(company, mission)
        if existing is not None:
            messages.info(request, _("Your company has already applied to this mission."))
            return redirect(existing)
        try:
            application = application_start(
                mission=mission, company=company, by=request.user, base_url=_base_url(request)
            )
        except ApplicationError as error:
            if error.code == "duplicate":
                messages.info(request, error.messages[0])
                return redirect(application_of_company_for(company, mission) or mission)
            messages.error(request, error.messages[0])
            return redirect(mission)
        messages.success(request, _("Your draft application is created."))
        return redirect("delegations:application_edit", pk=application.pk)


class ApplicationMixin(PermittedObjectMixin):
    """A page of one application, for the active members of its company only: to
    anyone else it does not exist (404, never 403); anonymous visitors log in."""

    permission = "delegations.view_own_application"
    permitted_name = "application"

    def get_permitted_object(self):
        return application_for_company_page(self.kwargs["pk"])

    @property
    def editable(self) -> bool:
        return self.application.status in EDITABLE and mission_accepts_applications(
            self.application.mission
        )

    def get_context_data(self, **kwargs):
        # What the page offers follows what the company was told: offering or hiding
        # a button by the true ``status`` would reveal a decision not announced yet.
        told = self.application.announced_status
        seat_confirm_by = self.application.seat_confirm_by
        return super().get_context_data(
            application=self.application,
            mission=self.application.mission,
            company=self.application.company,
            editable=told in EDITABLE and mission_accepts_applications(self.application.mission),
            # Offered while the company may still take part; a company told it was
            # not selected has nothing left to withdraw from.
            can_withdraw=told != ApplicationStatus.REJECTED
            and ApplicationStatus.WITHDRAWN in APPLICATION_TRANSITIONS.get(told, set())
            and self.application.mission.status not in SETTLED,
            seat_overdue=(
                told == ApplicationStatus.ACCEPTED
                and seat_confirm_by is not None
                and seat_confirm_by <= timezone.now()
            ),
            **kwargs,
        )

    def refusal_message(self, error: ApplicationError) -> str:
        """What to tell the company of a refused move, without naming a decision it has
        not been told: the refusal of a transition from an unannounced status, or of a
        confirmation not announced, gets a neutral message."""
        if error.code in ("transition_refused", "not_announced") and (
            self.application.status != self.application.announced_status
        ):
            return _(
                "This is no longer possible for this application. The city's team will "
                "get in touch with you."
            )
        return error.messages[0]


class ApplicationDetailView(ApplicationMixin, TemplateView):
    """The company's view of its application: answers, delegates, status and history;
    never the internal score or notes."""

    template_name = "delegations/application_detail.html"


class ApplicationEditView(ApplicationMixin, FormView):
    """The form: save the draft, or submit it. Errors sit by their field, and what was
    typed is kept; a refused submission keeps the saved draft."""

    permission = "delegations.change_own_application"
    template_name = "delegations/application_form.html"
    form_class = ApplicationForm

    def get(self, request, *args, **kwargs):
        if not self.editable:
            messages.info(request, _("This application can no longer be changed."))
            return redirect(self.application)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.application,
            "company": self.application.company,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        submit = self.request.POST.get("action") == "submit"
        saved = False
        try:
            application = application_save(
                application=self.application,
                by=self.request.user,
                delegates=data["delegates"],
                **{name: data[name] for name in ANSWER_FIELDS},
            )
            saved = True
            if submit:
                application = application_submit(
                    application=application,
                    by=self.request.user,
                    base_url=_base_url(self.request),
                )
        except ApplicationError as error:
            add_service_errors(form, error)
            if saved and self.application.status == ApplicationStatus.DRAFT:
                messages.warning(self.request, _("Your draft is saved, but not submitted."))
            return self.form_invalid(form)
        if submit:
            messages.success(
                self.request,
                _("Your application is submitted. A receipt has been sent to you by email."),
            )
        else:
            messages.success(self.request, _("Your application is saved."))
        return redirect(application)


class ApplicationWithdrawView(ApplicationMixin, TemplateView):
    """Withdraw, after a confirmation page."""

    permission = "delegations.withdraw_application"
    template_name = "delegations/application_withdraw.html"

    def get(self, request, *args, **kwargs):
        if self.application.mission.status in SETTLED:
            messages.info(request, _("This application can no longer be withdrawn."))
            return redirect(self.application)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            application_withdraw(
                application=self.application, by=request.user, base_url=_base_url(request)
            )
        except ApplicationError as error:
            messages.error(request, self.refusal_message(error))
        else:
            messages.success(request, _("Your application is withdrawn."))
        return redirect(self.application)


class ApplicationConfirmView(ApplicationMixin, TemplateView):
    """Confirm the seat the company was offered, after a page that says what it
    commits to; the link of the acceptance email and its reminder. Only an acceptance
    the company was told of can be confirmed, even past the date (until staff release
    the seat): to the company, any other application has no seat to confirm."""

    permission = "delegations.confirm_seat"
    template_name = "delegations/application_confirm.html"

    def _nothing_to_confirm(self):
        if self.application.announced_status == ApplicationStatus.CONFIRMED:
            messages.info(self.request, _("Your seat is already confirmed."))
        else:
            messages.info(self.request, _("There is no seat to confirm for this application."))
        return redirect(self.application)

    def get(self, request, *args, **kwargs):
        if self.application.announced_status != ApplicationStatus.ACCEPTED:
            return self._nothing_to_confirm()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        # Checked here as on the page: the service's own refusal of an acceptance not
        # yet announced would tell the company it is accepted.
        if self.application.announced_status != ApplicationStatus.ACCEPTED:
            return self._nothing_to_confirm()
        try:
            application_confirm_seat(application=self.application, by=request.user)
        except ApplicationError as error:
            messages.error(request, self.refusal_message(error))
        else:
            messages.success(request, _("Your seat is confirmed: welcome to the delegation."))
        return redirect(self.application)
