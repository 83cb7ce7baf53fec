from django.db import models
from django.utils.translation import gettext_lazy as _


class MissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    SELECTION = "selection", _("Selection")
    CONFIRMED = "confirmed", _("Confirmed")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REPORTED = "reported", _("Reported")
    CANCELLED = "cancelled", _("Cancelled")


# The lifecycle, written once: status -> statuses it may move to.
MISSION_TRANSITIONS = {
    MissionStatus.DRAFT: {MissionStatus.OPEN, MissionStatus.CANCELLED},
    MissionStatus.OPEN: {MissionStatus.SELECTION, MissionStatus.CANCELLED},
    MissionStatus.SELECTION: {MissionStatus.CONFIRMED, MissionStatus.CANCELLED},
    MissionStatus.CONFIRMED: {MissionStatus.IN_PROGRESS, MissionStatus.CANCELLED},
    MissionStatus.IN_PROGRESS: {MissionStatus.COMPLETED, MissionStatus.CANCELLED},
    MissionStatus.COMPLETED: {MissionStatus.REPORTED},
    MissionStatus.REPORTED: set(),
    MissionStatus.CANCELLED: set(),
}

# A mission under way, over or called off: what happened to its delegation is history.
SETTLED = (
    MissionStatus.IN_PROGRESS,
    MissionStatus.COMPLETED,
    MissionStatus.REPORTED,
    MissionStatus.CANCELLED,
)


class ProgrammeItemKind(models.TextChoices):
    INSTITUTIONAL = "institutional", _("Institutional meeting")
    B2B = "b2b", _("Qualified B2B meetings")
    TRADE_FAIR = "trade_fair", _("Trade fair")
    NETWORKING = "networking", _("Networking")
    PROMOTION = "promotion", _("Promotion event")
    VISIT = "visit", _("Site visit")
    TRAVEL = "travel", _("Travel")
