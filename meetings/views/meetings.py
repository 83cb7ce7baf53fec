"""Meetings once placed: invitations, the counterpart's answer and feedback through a signed
link, agendas (page, PDF, .ics) and outcomes.

Who sees what: a company's agenda is its active members' (and the city's: staff and
officials); a counterpart's agenda is the city's, and the counterpart's own through the
signed link its emails carry. Companies and counterparts see a meeting once its
invitations are sent; staff also see the meetings the counterpart declined. Anyone else
gets a 404 (never a 403), anonymous visitors log in. The counterpart's pages speak its
language; a bad or tampered link is a 404.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.rules import role_of
from core.forms import add_service_errors
from core.mixins import HiddenUnlessPermittedMixin, PermittedObjectMixin
from core.pdf import pdf_response
from core.zones import PARIS, zone_city
from meetings.enums import MEETING_INACTIVE, FollowUpStage, MeetingStatus
from meetings.forms import CounterpartFeedbackForm, MeetingAnswerForm, MeetingOutcomeForm
from meetings.selectors import (
    agenda_meetings,
    application_for_agenda,
    counterpart_for_agenda,
    meeting_for_outcome,
)
from meetings.services.follow_up import FollowUpError, follow_up_meetings, follow_up_record
from meetings.services.invitations import (
    ANSWERABLE,
    MeetingError,
    invitations_preview,
    meeting_location,
    meeting_place,
    meeting_record_outcome,
    meeting_respond,
    meeting_summary,
    meeting_uid,
    meetings_invite,
)
from meetings.tokens import (
    ANSWER,
    FEEDBACK,
    application_for_follow_up_token,
    counterpart_agenda_token,
    counterpart_agenda_token_valid,
    meeting_for_token,
)
from missions.models import Mission
from notifications.ics import TimedEvent, calendar_events


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _speak(request, language: str) -> None:
    """This request's pages in ``language``: the counterpart's, whatever its browser."""
    translation.activate(language)
    request.LANGUAGE_CODE = language


def _by_day(meetings, zone) -> list[tuple[datetime.date, list]]:
    """Meetings grouped by their day at the destination, in order."""
    days: dict[datetime.date, list] = {}
    for meeting in meetings:
        days.setdefault(timezone.localtime(meeting.slot.starts_at, zone).date(), []).append(
            meeting
        )
    return list(days.items())


# Agendas --------------------------------------------------------------------------------


class AgendaMixin:
    """An agenda: the meetings of one participant by day, in destination time. Its
    page, its PDF and its .ics share what this mixin fetches (two queries)."""

    # "company": the agenda of a company, whose rows name the counterpart; "counterpart":
    # the agenda of a counterpart, whose rows name the company.
    side = "company"

    def agenda(self) -> dict:
        mission = self.mission
        meetings = [m for m in self.meetings if m.status not in MEETING_INACTIVE]
        declined = [m for m in self.meetings if m.status == MeetingStatus.DECLINED]
        return {
            "mission": mission,
            "side": self.side,
            "owner_name": self.owner_name,
            "meetings": meetings,
            "days": _by_day(meetings, mission.zone),
            "declined": declined,
            "place": meeting_place(mission),
            "zone_label": _("%(city)s time") % {"city": zone_city(mission.timezone)},
            "paris": PARIS.key,
            "show_paris": mission.timezone != PARIS.key,
        }

    def filename(self, extension: str) -> str:
        owner = slugify(self.owner_name) or str(self.kwargs["pk"])
        return f"agenda-{self.mission.slug}-{owner}.{extension}"

    def pdf_response(self) -> HttpResponse:
        html = render_to_string("meetings/agenda_pdf.html", self.agenda(), request=self.request)
        return pdf_response(
            self.request,
            html,
            filename=self.filename("pdf"),
            unavailable=_(
                "The PDF cannot be made on this server at the moment. The agenda page "
                "and its .ics file are available."
            ),
        )

    def ics_response(self) -> HttpResponse:
        mission = self.mission
        events = [
            TimedEvent(
                uid=meeting_uid(meeting),
                starts_at=meeting.slot.starts_at,
                ends_at=meeting.slot.ends_at,
                summary=meeting_summary(meeting),
                location=meeting_location(meeting, mission),
                sequence=meeting.sequence,
            )
            for meeting in self.meetings
            if meeting.status not in MEETING_INACTIVE
        ]
        name = _("Meetings of %(name)s — %(mission)s") % {
            "name": self.owner_name,
            "mission": mission.title,
        }
        response = HttpResponse(
            calendar_events(name=name, events=events), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.filename("ics")}"'
        return response


class CompanyAgendaMixin(PermittedObjectMixin, AgendaMixin):
    side = "company"

    permission = "meetings.view_agenda"
    permitted_name = "application"

    def get_permitted_object(self):
        return application_for_agenda(self.kwargs["pk"])

    def permitted(self, application):
        self.mission = application.mission
        self.owner_name = application.company.name
        self.role = role_of(self.request.user)
        city = self.role in ("staff", "official")
        self.meetings = agenda_meetings(
            application=application, with_declined=self.role == "staff", invited_only=not city
        )


class CompanyAgendaView(CompanyAgendaMixin, TemplateView):
    """A company's meetings by day, in destination time, with its PDF and .ics."""

    template_name = "meetings/agenda.html"

    def get_context_data(self, **kwargs):
        pk = self.application.pk
        area = self.role if self.role in ("staff", "official") else "company"
        return super().get_context_data(
            **self.agenda(),
            layout=f"layouts/{area}.html",
            application=self.application,
            pdf_url=reverse("meetings:agenda_pdf", kwargs={"pk": pk}),
            ics_url=reverse("meetings:agenda_ics", kwargs={"pk": pk}),
            can_record_outcome=self.role in ("staff", "company"),
            now=timezone.now(),
            **kwargs,
        )


class CompanyAgendaPdfView(CompanyAgendaMixin, View):
    def get(self, request, *args, **kwargs):
        return self.pdf_response()


class CompanyAgendaIcsView(CompanyAgendaMixin, View):
    def get(self, request, *args, **kwargs):
        return self.ics_response()


class CounterpartAgendaMixin(AgendaMixin):
    """The city's, or the counterpart's own through its signed link (``?t=``)."""

    side = "counterpart"

    def dispatch(self, request, *args, **kwargs):
        token = request.GET.get("t", "")
        self.token = token if counterpart_agenda_token_valid(token, kwargs["pk"]) else ""
        if not self.token:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm("meetings.view_counterpart_agenda"):
                raise Http404
        counterpart = counterpart_for_agenda(kwargs["pk"])
        if counterpart is None:
            raise Http404
        self.counterpart = counterpart
        self.mission = counterpart.mission
        self.owner_name = counterpart.organisation
        self.role = "counterpart" if self.token else role_of(request.user)
        if self.token:
            _speak(request, counterpart.language)
        self.meetings = agenda_meetings(
            counterpart=counterpart,
            with_declined=self.role == "staff",
            invited_only=self.role == "counterpart",
        )
        return super().dispatch(request, *args, **kwargs)

    def _url(self, name: str) -> str:
        url = reverse(name, kwargs={"pk": self.counterpart.pk})
        return f"{url}?t={self.token}" if self.token else url


class CounterpartAgendaView(CounterpartAgendaMixin, TemplateView):
    template_name = "meetings/agenda.html"

    def get_context_data(self, **kwargs):
        layout = "staff" if self.role == "staff" else "official"
        return super().get_context_data(
            **self.agenda(),
            layout="layouts/public.html" if self.token else f"layouts/{layout}.html",
            counterpart=self.counterpart,
            pdf_url=self._url("meetings:counterpart_agenda_pdf"),
            ics_url=self._url("meetings:counterpart_agenda_ics"),
            can_record_outcome=self.role == "staff",
            now=timezone.now(),
            **kwargs,
        )


class CounterpartAgendaPdfView(CounterpartAgendaMixin, View):
    def get(self, request, *args, **kwargs):
        return self.pdf_response()


class CounterpartAgendaIcsView(CounterpartAgendaMixin, View):
    def get(self, request, *args, **kwargs):
        return self.ics_response()


# The counterpart's links ----------------------------------------------------------------


class SignedMeetingMixin:
    """A page of one meeting for its counterpart, opened by a signed token of
    ``purpose``: anything else is a 404. Speaks the counterpart's language."""

    purpose = ANSWER

    def dispatch(self, request, *args, **kwargs):
        self.meeting = meeting_for_token(kwargs["token"], self.purpose)
        if self.meeting is None:
            raise Http404
        _speak(request, self.meeting.counterpart.language)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        meeting = self.meeting
        mission = meeting.application.mission
        counterpart = meeting.counterpart
        agenda = reverse("meetings:counterpart_agenda", kwargs={"pk": counterpart.pk})
        return super().get_context_data(
            meeting=meeting,
            mission=mission,
            company=meeting.application.company,
            counterpart=counterpart,
            sectors=list(meeting.application.company.sectors.all()),
            place=meeting_place(mission),
            started=meeting.slot.starts_at <= timezone.now(),
            agenda_url=f"{agenda}?t={counterpart_agenda_token(counterpart)}",
            **kwargs,
        )


class MeetingRespondView(SignedMeetingMixin, FormView):
    """Accept or decline a meeting, with an optional message, until it starts."""

    purpose = ANSWER
    template_name = "meetings/meeting_respond.html"
    form_class = MeetingAnswerForm

    def get_context_data(self, **kwargs):
        meeting = self.meeting
        started = meeting.slot.starts_at <= timezone.now()
        return super().get_context_data(
            can_answer=meeting.status in ANSWERABLE and not started,
            **kwargs,
        )

    def form_valid(self, form):
        answer = self.request.POST.get("answer")
        if answer not in ("accept", "decline"):
            form.add_error(None, _("Choose to accept or to decline the meeting."))
            return self.form_invalid(form)
        try:
            meeting_respond(
                meeting=self.meeting,
                accept=answer == "accept",
                note=form.cleaned_data["note"],
                base_url=_base_url(self.request),
            )
        except MeetingError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if answer == "accept":
            messages.success(self.request, _("Thank you: your acceptance is recorded."))
        else:
            messages.success(
                self.request, _("Your answer is recorded: you will not attend this meeting.")
            )
        return redirect(self.request.path)


class CounterpartFeedbackView(SignedMeetingMixin, FormView):
    """The counterpart's rating of a meeting, once it has started, and a comment."""

    purpose = FEEDBACK
    template_name = "meetings/counterpart_feedback.html"
    form_class = CounterpartFeedbackForm

    def get_initial(self):
        return {"counterpart_rating": self.meeting.counterpart_rating}

    def get_context_data(self, **kwargs):
        return super().get_context_data(inactive=self.meeting.status in MEETING_INACTIVE, **kwargs)

    def form_valid(self, form):
        try:
            meeting_record_outcome(
                meeting=self.meeting,
                by=None,
                side="counterpart",
                counterpart_rating=form.cleaned_data["counterpart_rating"],
                comment=form.cleaned_data["comment"],
            )
        except MeetingError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you: your feedback is recorded."))
        return redirect(self.request.path)


# Staff's invitations and the outcomes -------------------------------------------------


class MeetingsInviteView(HiddenUnlessPermittedMixin, View):
    """What the invitations will say and to whom (counts by language, the first of each
    kind as its recipient will read it), then sending them: every meeting of the mission
    not invited yet."""

    permission_required = ("meetings.invite_meetings",)

    def get(self, request, mission_pk):
        mission = get_object_or_404(Mission, pk=mission_pk)
        preview = invitations_preview(mission=mission, base_url=_base_url(request))
        if not preview.meetings:
            messages.info(request, _("Every meeting ahead has already been invited."))
            return redirect("meetings:grid", mission_pk=mission.pk)
        languages = dict(settings.LANGUAGES)
        kinds = {
            "meeting_invitation_counterpart": _("Counterparts at the destination"),
            "meeting_invitation": _("Members of the delegation's companies"),
        }
        return render(
            request,
            "meetings/invitations_confirm.html",
            {
                "mission": mission,
                "preview": preview,
                "total": sum(preview.counts.values()),
                "rows": [
                    (kinds[kind], languages.get(language, language), count)
                    for (kind, language), count in preview.counts.items()
                ],
            },
        )

    def post(self, request, mission_pk):
        mission = get_object_or_404(Mission, pk=mission_pk)
        count = meetings_invite(mission=mission, by=request.user, base_url=_base_url(request))
        if count:
            messages.success(
                request,
                ngettext(
                    "Invitations sent for %(count)d meeting.",
                    "Invitations sent for %(count)d meetings.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("Every meeting ahead has already been invited."))
        return redirect("meetings:grid", mission_pk=mission.pk)


class MeetingOutcomeView(PermittedObjectMixin, FormView):
    """What a meeting gave: the company's members record their side, staff both sides
    and whether it was held. Once the meeting has started."""

    template_name = "meetings/meeting_outcome.html"
    form_class = MeetingOutcomeForm

    permission = "meetings.record_meeting_outcome"
    permitted_name = "meeting"

    def get_permitted_object(self):
        return meeting_for_outcome(self.kwargs["pk"])

    def permitted(self, meeting):
        self.staff = self.request.user.has_perm("meetings.record_both_sides")
        # A meeting whose invitations are not sent is staff's draft.
        if not self.staff and meeting.invited_at is None:
            raise Http404

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "company_side": True,
            "counterpart_side": self.staff,
            "staff": self.staff,
        }

    def get_initial(self):
        meeting = self.meeting
        initial = {
            "company_rating": meeting.company_rating,
            "follow_up_stage": meeting.follow_up_stage,
            "leads": meeting.leads,
            "estimated_value": meeting.estimated_value,
            "counterpart_rating": meeting.counterpart_rating,
        }
        if meeting.status in (MeetingStatus.HELD, MeetingStatus.NO_SHOW):
            initial["status"] = meeting.status
        return initial

    def get_context_data(self, **kwargs):
        meeting = self.meeting
        return super().get_context_data(
            meeting=meeting,
            mission=meeting.application.mission,
            company=meeting.application.company,
            counterpart=meeting.counterpart,
            staff=self.staff,
            layout="layouts/staff.html" if self.staff else "layouts/company.html",
            started=meeting.slot.starts_at <= timezone.now(),
            inactive=meeting.status in MEETING_INACTIVE,
            agenda_url=reverse("meetings:agenda", kwargs={"pk": meeting.application_id}),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        values = {
            "company_rating": data.get("company_rating"),
            "follow_up_stage": data.get("follow_up_stage", ""),
            "leads": data.get("leads"),
            "estimated_value": data.get("estimated_value"),
        }
        if self.staff:
            values.update(
                counterpart_rating=data.get("counterpart_rating"), status=data.get("status", "")
            )
        try:
            meeting_record_outcome(
                meeting=self.meeting,
                by=self.request.user,
                side="both" if self.staff else "company",
                **values,
            )
        except MeetingError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The outcome of the meeting is recorded."))
        return redirect("meetings:agenda", pk=self.meeting.application_id)


class FollowUpView(FormView):
    """Six months on, a company says where each of its meetings of the mission led.

    Opened by the signed link of its application (no login): a bad or tampered link is a
    404. Lists only that application's meetings that took place, each with a choice of
    stage (the recorded one preselected); the answers update the meetings, which the
    mission's report reads. In the request's language.
    """

    template_name = "meetings/follow_up.html"
    prefix = "stage"

    def dispatch(self, request, *args, **kwargs):
        self.application = application_for_follow_up_token(kwargs["token"])
        if self.application is None:
            raise Http404
        self.meetings = list(follow_up_meetings(self.application))
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        choices = [("", _("— Not answered —")), *FollowUpStage.choices]
        fields = {
            str(meeting.pk): forms.ChoiceField(
                label=meeting.counterpart.organisation,
                choices=choices,
                required=False,
                error_messages={"invalid_choice": _("Choose one of the stages offered.")},
            )
            for meeting in self.meetings
        }
        return type("FollowUpForm", (forms.Form,), fields)

    def get_initial(self):
        return {str(meeting.pk): meeting.follow_up_stage for meeting in self.meetings}

    def get_context_data(self, **kwargs):
        mission = self.application.mission
        form = kwargs.get("form") or self.get_form()
        rows = [(meeting, form[str(meeting.pk)]) for meeting in self.meetings]
        return super().get_context_data(
            application=self.application,
            company=self.application.company,
            mission=mission,
            rows=rows,
            zone_label=_("%(city)s time") % {"city": zone_city(mission.timezone)},
            **kwargs,
        )

    def _foreign_keys(self) -> bool:
        """Answers sent for meetings this page does not list (another company's, an
        unknown id): refused as a whole."""
        ours = {f"{self.prefix}-{meeting.pk}" for meeting in self.meetings}
        return any(
            key.startswith(f"{self.prefix}-") and key not in ours for key in self.request.POST
        )

    def form_valid(self, form):
        if self._foreign_keys():
            form.add_error(
                None,
                _(
                    "Only the meetings of your company on this mission that took place can "
                    "be followed up: nothing was recorded."
                ),
            )
            return self.form_invalid(form)
        stages = {int(pk): stage for pk, stage in form.cleaned_data.items() if stage}
        try:
            follow_up_record(application=self.application, stages=stages)
        except FollowUpError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Thank you: the follow-up of your meetings is recorded. You may change it."),
        )
        return redirect(self.request.path)
