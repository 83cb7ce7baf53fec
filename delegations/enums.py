from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext_lazy


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("Waiting list")
    REJECTED = "rejected", _("Not selected")
    CONFIRMED = "confirmed", _("Seat confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    RELEASED = "released", _("Seat released")


# A status beside a count in the review list's totals, agreeing with it ("12 accepted",
# in French "12 acceptées"): ``APPLICATIONS_COUNTED[status] % {"count": n}``.
APPLICATIONS_COUNTED = {
    ApplicationStatus.DRAFT: npgettext_lazy("applications counted", "draft", "drafts", "count"),
    ApplicationStatus.SUBMITTED: npgettext_lazy(
        "applications counted", "submitted", "submitted", "count"
    ),
    ApplicationStatus.ACCEPTED: npgettext_lazy(
        "applications counted", "accepted", "accepted", "count"
    ),
    ApplicationStatus.WAITLISTED: npgettext_lazy(
        "applications counted", "on the waiting list", "on the waiting list", "count"
    ),
    ApplicationStatus.REJECTED: npgettext_lazy(
        "applications counted", "not selected", "not selected", "count"
    ),
    ApplicationStatus.CONFIRMED: npgettext_lazy(
        "applications counted", "seat confirmed", "seats confirmed", "count"
    ),
    ApplicationStatus.WITHDRAWN: npgettext_lazy(
        "applications counted", "withdrawn", "withdrawn", "count"
    ),
    ApplicationStatus.RELEASED: npgettext_lazy(
        "applications counted", "seat released", "seats released", "count"
    ),
}


# Staff's decisions: recorded first, told to the company only when staff announce them.
DECISIONS = (ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED)
# The statuses that hold one of the mission's seats (its capacity).
HOLDS_A_SEAT = (ApplicationStatus.ACCEPTED, ApplicationStatus.CONFIRMED)


APPLICATION_TRANSITIONS = {
    ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.SUBMITTED: {
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.WAITLISTED: {
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.ACCEPTED: {
        ApplicationStatus.CONFIRMED,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.RELEASED,
    },
    # Withdrawing stays the company's right, even under a rejection not yet told to it.
    ApplicationStatus.REJECTED: {
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.CONFIRMED: {ApplicationStatus.WITHDRAWN},
    ApplicationStatus.WITHDRAWN: set(),
    # A seat released by mistake can be given back.
    ApplicationStatus.RELEASED: {ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED},
}
