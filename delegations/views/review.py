"""Staff review a mission's applications: list, score and notes, decisions, the
announcement of the decisions, seats released.

Every page is staff's only: anonymous visitors log in, anyone else gets a 404, before
any mission or application is fetched. Decisions are recorded here and told to the
companies together from the announce page (see ``delegations.services``).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import ListView, TemplateView

from core.bulk import BulkActionMixin
from core.forms import add_service_errors
from core.mixins import HiddenUnlessPermittedMixin
from delegations.enums import (
    APPLICATION_TRANSITIONS,
    APPLICATIONS_COUNTED,
    DECISIONS,
    ApplicationStatus,
)
from delegations.filters import ReviewFilter
from delegations.forms import ApplicationBulkForm, AssessmentForm
from delegations.models import Application
from delegations.selectors import (
    REVIEW_STATUS_ORDER,
    application_counts,
    application_for_review,
    applications_for_review,
    decisions_to_announce,
    seat_offered_since,
    waitlist_positions,
)
from delegations.services import (
    DECIDING,
    SEAT_CONFIRMATION_DAYS,
    ApplicationError,
    application_assess,
    application_decide,
    application_release_seat,
    applications_announce,
)
from missions.mixins import MissionPageMixin

REVIEW = "delegations.review_applications"

# What each decision button says.
DECISION_LABELS = {
    ApplicationStatus.ACCEPTED: gettext_lazy("Accept"),
    ApplicationStatus.WAITLISTED: gettext_lazy("Waiting list"),
    ApplicationStatus.REJECTED: gettext_lazy("Not selected"),
}


def _seat_overdue(application: Application, now) -> bool:
    """Accepted, told, and the date to confirm the seat by has passed: staff may
    release the seat."""
    return (
        application.status == ApplicationStatus.ACCEPTED
        and application.seat_confirm_by is not None
        and application.seat_confirm_by <= now
    )


def _error_text(error: ApplicationError) -> str:
    return " ".join(error.messages)


class ReviewMixin(HiddenUnlessPermittedMixin):
    """Staff only; the permission is checked before anything is fetched."""

    permission_required = (REVIEW,)


class MissionReviewMixin(MissionPageMixin, ReviewMixin):
    pass


class ApplicationReviewMixin(ReviewMixin):
    def get_application(self) -> Application:
        """The application with what its review page shows."""
        application = application_for_review(self.kwargs["pk"])
        if application is None:
            raise Http404
        return application


class ApplicationActionMixin(ReviewMixin):
    """An action on one application: the service reads it again under its lock."""

    http_method_names = ["post"]

    def get_application(self) -> Application:
        return get_object_or_404(
            Application.objects.select_related("mission", "company"), pk=self.kwargs["pk"]
        )


class ReviewListView(MissionReviewMixin, BulkActionMixin, ListView):
    """A mission's applications for staff, drafts aside, filtered and sorted, with the
    seats, the counts by status and the decisions left to announce; one decision on many
    at once, taken in the list's order (the best scored first when sorted so)."""

    template_name = "delegations/review_list.html"
    context_object_name = "applications"
    paginate_by = 25
    bulk_form_class = ApplicationBulkForm
    bulk_permission = "delegations.decide_application"
    bulk_refusal = ApplicationError

    def get(self, request, *args, **kwargs):
        self.mission = self.get_mission()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.filterset = ReviewFilter(
            self.request.GET, queryset=applications_for_review(self.mission)
        )
        return self.filterset.qs

    def post(self, request, *args, **kwargs):
        self.mission = self.get_mission()
        return super().post(request, *args, **kwargs)

    def bulk_label(self, application) -> str:
        return application.company.name

    def bulk_action(self, data):
        decision, by = data["decision"], self.request.user

        def done(count: int) -> str:
            return ngettext(
                "%(count)d decision recorded: “%(status)s”. The companies will be told when "
                "you announce the mission's decisions.",
                "%(count)d decisions recorded: “%(status)s”. The companies will be told when "
                "you announce the mission's decisions.",
                count,
            ) % {"count": count, "status": ApplicationStatus(decision).label}

        return (
            lambda application: application_decide(
                application=application, decision=decision, by=by
            ),
            done,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        applications = list(context["page_obj"].object_list)
        positions = waitlist_positions(self.mission)
        now = timezone.now()
        for application in applications:
            application.waitlist_position = positions.get(application.pk)
            application.seat_overdue = _seat_overdue(application, now)
        counts = application_counts(self.mission)
        current_status = self.filterset.form.cleaned_data.get("status")
        context.update(
            applications=applications,
            mission=self.mission,
            counts=counts,
            status_counts=[
                (
                    status.value,
                    APPLICATIONS_COUNTED[status] % {"count": counts[status.value]},
                    counts[status.value],
                    status == current_status,
                )
                for status in REVIEW_STATUS_ORDER
            ],
            filterset=self.filterset,
            filtered=self.filterset.filtered,
            sort=self.filterset.current_sort,
            can_announce=self.request.user.has_perm("delegations.announce_decisions"),
        )
        return context


class AnnounceView(MissionReviewMixin, TemplateView):
    """What the announcement will tell, then telling it: every decision recorded and
    not yet told, one email per active member of each company."""

    permission_required = (REVIEW, "delegations.announce_decisions")
    template_name = "delegations/announce.html"

    def _nothing_to_announce(self, mission):
        messages.info(self.request, _("No decision is waiting to be announced."))
        return redirect("delegations:review", mission_pk=mission.pk)

    def get(self, request, *args, **kwargs):
        mission = self.get_mission()
        pending = decisions_to_announce(mission)
        if not pending:
            return self._nothing_to_announce(mission)
        groups = [
            (decision.value, decision.label, [a for a in pending if a.status == decision])
            for decision in DECISIONS
        ]
        return self.render_to_response(
            self.get_context_data(
                mission=mission,
                pending=pending,
                groups=groups,
                recipients=sum(application.recipients for application in pending),
                unreachable=[application for application in pending if not application.recipients],
                confirmation_days=SEAT_CONFIRMATION_DAYS,
            )
        )

    def post(self, request, *args, **kwargs):
        mission = self.get_mission()
        counts = applications_announce(
            mission=mission, by=request.user, base_url=request.build_absolute_uri("/")
        )
        if not sum(counts.values()):
            return self._nothing_to_announce(mission)
        messages.success(
            request,
            _(
                "Decisions announced: %(accepted)d accepted, %(waitlisted)d on the waiting "
                "list, %(rejected)d not selected. The emails are on their way."
            )
            % counts,
        )
        return redirect("delegations:review", mission_pk=mission.pk)


class ReviewApplicationView(ApplicationReviewMixin, TemplateView):
    """One application for staff: the company, its answers and delegates, the whole
    history with what the company was told, the internal score and notes, and the
    decisions that may be taken now."""

    template_name = "delegations/review_application.html"

    def get(self, request, *args, **kwargs):
        self.application = self.get_application()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        application = self.application
        mission = application.mission
        allowed = APPLICATION_TRANSITIONS.get(application.status, set())
        deciding = mission.status in DECIDING
        if form is None:
            form = AssessmentForm(
                initial={
                    "internal_score": application.internal_score,
                    "internal_notes": application.internal_notes,
                }
            )
        counts = application_counts(mission)
        return super().get_context_data(
            application=application,
            mission=mission,
            company=application.company,
            form=form,
            deciding=deciding,
            decisions=[
                (decision.value, DECISION_LABELS[decision])
                for decision in DECISIONS
                if decision in allowed
            ]
            if deciding
            else [],
            seats_taken=counts["seats_taken"],
            seats_full=counts["seats_taken"] >= mission.capacity,
            to_announce=counts["to_announce"],
            waitlist_position=(
                waitlist_positions(mission).get(application.pk)
                if application.status == ApplicationStatus.WAITLISTED
                else None
            ),
            can_release=_seat_overdue(application, timezone.now()),
            **kwargs,
        )


class AssessView(ReviewApplicationView):
    """Save the internal score and notes; on an error, the page again with the
    message by its field and what was typed."""

    permission_required = (REVIEW, "delegations.assess_application")
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.application = self.get_application()
        form = AssessmentForm(request.POST)
        if form.is_valid():
            try:
                application_assess(
                    application=self.application,
                    by=request.user,
                    internal_score=form.cleaned_data["internal_score"],
                    internal_notes=form.cleaned_data["internal_notes"],
                )
            except ApplicationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The internal score and notes are saved."))
                return redirect("delegations:review_application", pk=self.application.pk)
        return self.render_to_response(self.get_context_data(form=form))


class DecideView(ApplicationActionMixin, View):
    """Record a decision. The company is not told until the decisions are announced."""

    permission_required = (REVIEW, "delegations.decide_application")

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        try:
            application = application_decide(
                application=application, decision=request.POST.get("decision", ""), by=request.user
            )
        except ApplicationError as error:
            messages.error(request, _error_text(error))
        else:
            names = {
                "company": application.company.name,
                "status": ApplicationStatus(application.status).label,
            }
            if application.announcement_pending:
                text = _(
                    "Decision recorded for %(company)s: “%(status)s”. The company will be told "
                    "when you announce the mission's decisions."
                )
            else:
                # Back to what the company was told: there is nothing to tell it.
                text = _(
                    "Decision recorded for %(company)s: “%(status)s”, which the company "
                    "has already been told."
                )
            messages.success(request, text % names)
        return redirect("delegations:review_application", pk=application.pk)


class ReleaseView(ApplicationActionMixin, View):
    """Release a seat the company did not confirm in time: the company is told, and the
    seat offered to the first company told it is on the waiting list."""

    permission_required = (REVIEW, "delegations.release_seat")

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        started = timezone.now()
        try:
            application_release_seat(
                application=application,
                by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ApplicationError as error:
            messages.error(request, _error_text(error))
            return redirect("delegations:review_application", pk=application.pk)
        messages.success(
            request,
            _("The seat of %(company)s is released; the company is told by email.")
            % {"company": application.company.name},
        )
        offered = seat_offered_since(application.mission, started)
        if offered is not None:
            messages.info(
                request,
                _("The seat is offered to %(company)s, first on the waiting list.")
                % {"company": offered.company.name},
            )
        return redirect("delegations:review_application", pk=application.pk)
