"""The staff's pages of the outbox (/outbox/): the list, a preview, resending, and the
calls for applications (start one, follow its progress).

They live here, above the outbox, because staff read the outbox by mission and by
campaign: this is the lowest app that knows both. The outbox itself (notifications/)
gives them its reads (``outbox_emails``, ``email_counts``), its rendering and
``email_resend``.
"""

from email.header import decode_header, make_header

from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView
from django.views.generic.detail import SingleObjectMixin

from campaigns.audiences import (
    CALL_FOR_APPLICATIONS,
    audience_count,
    audience_sample,
    audience_size,
    invited_company_count,
)
from campaigns.filters import OutboxFilter
from campaigns.forms import CampaignStartForm
from campaigns.models import Campaign, CampaignStatus
from campaigns.selectors import (
    campaign_progress,
    campaigns_with_mission,
    mission_calls,
    outbox_emails_with_mission,
)
from campaigns.services import campaign_email, campaign_start
from companies.models import CompanySize
from core.mixins import HiddenUnlessPermittedMixin
from missions.models import Mission
from notifications.context import Translated
from notifications.kinds import kind_label
from notifications.models import EMAILS_COUNTED, EmailStatus, OutboundEmail
from notifications.preview import allow_email_styles
from notifications.rendering import render_email
from notifications.selectors import email_counts
from notifications.services import email_resend

AUDIENCE = "company_members"


class OutboxView(HiddenUnlessPermittedMixin, ListView):
    permission_required = "notifications.view_outbox"
    template_name = "campaigns/outbox.html"
    context_object_name = "emails"
    paginate_by = 50

    # What a row shows: not the email's context, read only to write or preview it.
    columns = (
        "recipient",
        "recipient_name",
        "template_key",
        "status",
        "attempts",
        "last_error",
        "scheduled_at",
        "sent_at",
    )

    def get_queryset(self):
        self.filterset = OutboxFilter(self.request.GET, queryset=outbox_emails_with_mission())
        return self.filterset.qs.only(*self.columns)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = email_counts(self.filterset.qs_for_counts())
        context.update(
            filterset=self.filterset,
            counts=[
                (status, EMAILS_COUNTED[status] % {"count": counts[status]}, counts[status])
                for status in EmailStatus.values
            ],
            counts_narrowed=self.filterset.narrowed,
            filtered=any(
                value not in (None, "") for value in self.filterset.form.cleaned_data.values()
            ),
        )
        return context


def _message_parts(message) -> dict:
    html = next(
        (content for content, mimetype in message.alternatives if mimetype == "text/html"), ""
    )
    attachments = [
        attachment[0] if isinstance(attachment, tuple) else attachment.get_filename()
        for attachment in message.attachments
    ]
    return {
        "subject": message.subject,
        # The sender as people read it, not as encoded for SMTP (=?utf-8?q?...).
        "from_email": str(make_header(decode_header(message.from_email))),
        "to": ", ".join(message.to),
        "text": message.body,
        "html": html,
        "attachments": attachments,
    }


class EmailPreviewView(HiddenUnlessPermittedMixin, DetailView):
    """The email as its recipient receives it, in their language, and its history."""

    permission_required = "notifications.view_outbox"
    template_name = "campaigns/email_preview.html"
    context_object_name = "email"

    def get_queryset(self):
        return outbox_emails_with_mission()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        email = self.object
        email.kind_label = kind_label(email.template_key)
        context["campaign"] = Campaign.objects.filter(emails=email).first()
        try:
            context["message"] = _message_parts(render_email(email))
        except Exception as error:  # a broken template must not hide the rest of the row
            context["render_error"] = f"{type(error).__name__}: {error}"
        context["can_resend"] = email.status == EmailStatus.FAILED and self.request.user.has_perm(
            "notifications.resend_email"
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        return allow_email_styles(response, context.get("message", {}).get("html", ""))


class EmailResendView(HiddenUnlessPermittedMixin, View):
    """Put a failed email back in the queue; any other email is left as it is."""

    permission_required = "notifications.resend_email"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            # Locked while it is checked and queued again: of two clicks at once, the
            # second one waits, then finds the email queued and is refused.
            email = get_object_or_404(OutboundEmail.objects.select_for_update(), pk=kwargs["pk"])
            resent = email.status == EmailStatus.FAILED
            if resent:
                email_resend(email=email)
        if not resent:
            messages.error(
                request,
                _("Only a failed email can be sent again; this one is “%(status)s”.")
                % {"status": email.get_status_display()},
            )
        else:
            messages.success(
                request,
                _("The email to %(recipient)s is back in the queue: it will be sent shortly.")
                % {"recipient": email.recipient},
            )
        return redirect("campaigns:email", pk=email.pk)


def _call_context(request, mission: Mission, sectors) -> dict:
    """What the call-for-applications email says about the mission, shared by every
    recipient: values, which each recipient's email puts in their language when it is
    rendered (the country's name, the sectors' names, the dates)."""
    return {
        "mission_title": mission.title,
        "mission_url": request.build_absolute_uri(mission.get_absolute_url()),
        "cities": mission.city_list,
        "country": mission.country,
        "start_date": mission.start_date,
        "end_date": mission.end_date,
        "deadline_at": timezone.localtime(mission.application_deadline),
        "sectors": [
            Translated({"fr": sector.name_fr, "en": sector.name_en}) for sector in sectors
        ],
    }


class CampaignStartView(HiddenUnlessPermittedMixin, View):
    """Start a call for applications for a mission: choose the audience, see how many
    companies and people it reaches and the email one of them would receive, start it.
    Starting only records it; a task writes the emails.

    A mission may have several calls (after its sectors grew, say): each reaches only
    the companies that no earlier call invited. One at a time, though: while a call is
    still being written, nobody can tell whom the next one would reach.
    """

    permission_required = "campaigns.start_campaign"
    template_name = "campaigns/campaign_new.html"

    def get(self, request):
        slug = request.GET.get("mission")
        if not slug:
            return self.show(CampaignStartForm(), mission=None)
        mission = _mission_of(slug)
        sectors = list(mission.sectors.all()) if mission else []
        # Checked at once: a mission that is not ready says so before anyone clicks.
        form = CampaignStartForm(
            data={"mission": slug, "sectors": [sector.code for sector in sectors]}
        )
        form.is_valid()
        return self.show(form, mission=mission)

    def post(self, request):
        form = CampaignStartForm(data=request.POST)
        valid = form.is_valid()
        mission = form.cleaned_data.get("mission") or _mission_of(request.POST.get("mission"))
        if not valid or request.POST.get("action") != "start":
            return self.show(form, mission=mission)
        params = _audience_params(request, form.cleaned_data)
        with transaction.atomic():
            # A double click, or two colleagues at once: the lock makes the second
            # start wait, then see the first one's call, still to be written. The
            # idempotency keys of the emails (one per mission and person) are the
            # backstop should two calls ever be written at once.
            Mission.objects.select_for_update().get(pk=mission.pk)
            unfinished = _unfinished_call(mission)
            if unfinished is not None:
                form.add_error(
                    None,
                    _(
                        "The call for applications started on %(date)s is still being "
                        "written: wait until it is, then start another one for the "
                        "companies it did not reach."
                    )
                    % {"date": formats.date_format(timezone.localtime(unfinished.created_at))},
                )
                return self.show(form, mission=mission)
            if audience_count(AUDIENCE, params, mission_id=mission.pk) == 0:
                form.add_error(
                    None,
                    _(
                        "Nobody to invite: every company of this audience has already been "
                        "invited to this mission, or none matches."
                    ),
                )
                return self.show(form, mission=mission)
            campaign = campaign_start(
                kind=CALL_FOR_APPLICATIONS,
                audience=AUDIENCE,
                audience_params=params,
                context=_call_context(request, mission, form.cleaned_data["sectors"]),
                mission=mission,
                started_by=request.user,
            )
        messages.success(
            request, _("The call for applications is started: its emails are being written.")
        )
        return redirect(campaign)

    def show(self, form, *, mission):
        context = {"form": form, "mission": mission, "size": None, "recipient_count": None}
        if mission is not None:
            calls = list(mission_calls(mission))
            context.update(
                calls=calls,
                unfinished=any(call.status != CampaignStatus.WRITTEN for call in calls),
                invited_companies=invited_company_count(mission.pk) if calls else 0,
            )
        sectors = form.cleaned_data.get("sectors") if hasattr(form, "cleaned_data") else None
        if mission is not None and sectors:
            params = _audience_params(self.request, form.cleaned_data)
            size = audience_size(AUDIENCE, params, mission_id=mission.pk)
            context.update(size=size, recipient_count=size["people"])
            if size["people"] and "mission" not in form.errors:
                context.update(self.sample(mission, params, sectors))
        context["can_start"] = (
            mission is not None
            and not form.errors.get("mission")
            and not context.get("unfinished")
            and bool(context["recipient_count"])
        )
        response = render(self.request, self.template_name, context)
        return allow_email_styles(response, context.get("sample_message", {}).get("html", ""))

    def sample(self, mission: Mission, params: dict, sectors) -> dict:
        """The email the audience's first person would receive, in their language."""
        campaign = Campaign(
            kind=CALL_FOR_APPLICATIONS,
            audience=AUDIENCE,
            audience_params=params,
            context=_call_context(self.request, mission, sectors),
            mission=mission,
        )
        recipient = audience_sample(campaign)
        if recipient is None:  # the last one invited between the count and now
            return {}
        email = campaign_email(campaign, recipient)
        try:
            return {"sample": email, "sample_message": _message_parts(render_email(email))}
        except Exception as error:  # a broken template must not hide the page
            return {"sample": email, "sample_error": f"{type(error).__name__}: {error}"}


def _mission_of(slug: str | None) -> Mission | None:
    """The mission a call may be about, as the form's choices have it."""
    if not slug:
        return None
    missions = CampaignStartForm.base_fields["mission"].queryset
    return missions.filter(slug=slug).prefetch_related("sectors").first()


def _unfinished_call(mission: Mission) -> Campaign | None:
    return (
        Campaign.objects.filter(mission=mission, kind=CALL_FOR_APPLICATIONS)
        .exclude(status=CampaignStatus.WRITTEN)
        .first()
    )


def _audience_params(request, data: dict) -> dict:
    params = {"sectors": [sector.code for sector in data["sectors"]]}
    # Only the narrowing chosen: an empty one would say nothing.
    if data.get("sizes"):
        params["sizes"] = sorted(data["sizes"])
    if data.get("city"):
        params["city"] = data["city"].strip()
    # There is no page of email preferences yet: the link leads to the portal's home.
    params["unsubscribe_url"] = request.build_absolute_uri(reverse("home"))
    return params


class CampaignDetailView(HiddenUnlessPermittedMixin, DetailView):
    """A campaign's progress; it refreshes itself (static/js/campaign-progress.js)."""

    permission_required = "notifications.view_outbox"
    template_name = "campaigns/campaign_detail.html"
    context_object_name = "campaign"

    def get_queryset(self):
        return campaigns_with_mission()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind_label"] = kind_label(self.object.kind)
        sizes = dict(CompanySize.choices)
        context["sizes"] = [
            sizes.get(size, size) for size in self.object.audience_params.get("sizes", [])
        ]
        progress = campaign_progress(self.object)
        context["progress"] = progress
        context["counts"] = [
            (status, label, progress[status]) for status, label in EmailStatus.choices
        ]
        return context


class CampaignProgressView(HiddenUnlessPermittedMixin, SingleObjectMixin, View):
    permission_required = "notifications.view_outbox"

    def get_queryset(self):
        return Campaign.objects.all()

    def get(self, request, *args, **kwargs):
        return JsonResponse(campaign_progress(self.get_object()))
