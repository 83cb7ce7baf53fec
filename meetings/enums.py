from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext_lazy, pgettext_lazy


class CounterpartKind(models.TextChoices):
    INVESTOR = "investor", _("Investor")
    BUYER = "buyer", _("Buyer")
    DISTRIBUTOR = "distributor", _("Distributor")
    PARTNER = "partner", _("Partner")
    INSTITUTION = "institution", _("Institution")
    STARTUP = "startup", _("Start-up")


class RequestOrigin(models.TextChoices):
    COMPANY = "company", _("Company")
    STAFF = "staff", _("Staff")
    COUNTERPART = "counterpart", _("Counterpart")


class MeetingRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    QUALIFIED = "qualified", _("Qualified")
    SCHEDULED = "scheduled", pgettext_lazy("meeting request", "Scheduled")
    DECLINED = "declined", _("Declined")


# A status beside a count in a list's totals, agreeing with it ("71 qualified", in French
# "71 qualifiées"): ``REQUESTS_COUNTED[status] % {"count": n}``.
REQUESTS_COUNTED = {
    MeetingRequestStatus.REQUESTED: npgettext_lazy(
        "requests counted", "requested", "requested", "count"
    ),
    MeetingRequestStatus.QUALIFIED: npgettext_lazy(
        "requests counted", "qualified", "qualified", "count"
    ),
    MeetingRequestStatus.SCHEDULED: npgettext_lazy(
        "requests counted", "scheduled", "scheduled", "count"
    ),
    MeetingRequestStatus.DECLINED: npgettext_lazy(
        "requests counted", "declined", "declined", "count"
    ),
}


# French agrees a status with its noun: "un rendez-vous confirmé", hence contexts.
class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("meeting", "Scheduled")
    CONFIRMED = "confirmed", pgettext_lazy("meeting", "Confirmed")
    HELD = "held", pgettext_lazy("meeting", "Held")
    NO_SHOW = "no_show", pgettext_lazy("meeting", "No-show")
    CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")
    # The counterpart said no through its link: the slot is free again.
    DECLINED = "declined", pgettext_lazy("meeting", "Declined by the counterpart")


# A meeting in one of these no longer takes its slot, its table or its participants.
MEETING_INACTIVE = (MeetingStatus.CANCELLED, MeetingStatus.DECLINED)


class FollowUpStage(models.TextChoices):
    NONE = "none", _("No further contact")
    DISCUSSION = "discussion", _("In discussion")
    NEGOTIATION = "negotiation", _("Negotiation")
    AGREEMENT = "agreement", _("Agreement")
