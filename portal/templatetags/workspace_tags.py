from django import template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.rules import is_city_staff, is_official
from portal.workspace import workspace_counts
from reports.enums import ReportStatus

register = template.Library()

# A badge's look: what waits for staff, what went wrong, a plain figure.
TO_DO, WRONG, FIGURE = "text-bg-warning", "text-bg-danger", "text-bg-light"


@register.inclusion_tag("portal/mission_workspace.html", takes_context=True)
def mission_workspace(context, mission, current: str):
    """The tabs of ``mission``'s pages that staff or an official may open, ``current``
    marked, each with what waits there; nothing for anyone else. One query: the counts
    (the permissions are asked of the mission: rules answer them without the database)."""
    user = context["user"]
    if not (is_city_staff(user) or is_official(user)):
        return {"tabs": []}
    counts = workspace_counts(mission)
    report_status = counts["report_status"] or ReportStatus.DRAFT

    def tab(key, permission, label, url, *badges):
        if not user.has_perm(permission, mission):
            return None
        return {
            "current": key == current,
            "label": label,
            "url": url,
            "badges": [(text, tone) for text, tone in badges if text],
        }

    def counted(text, n, tone):
        """``text`` (ngettext's) for ``n``; no badge for none."""
        return (text % {"n": n} if n else "", tone)

    tabs = [
        tab(
            "overview",
            "missions.view_mission_internals",
            _("Overview"),
            mission.get_absolute_url(),
        ),
        tab(
            "applications",
            "delegations.review_applications",
            _("Applications"),
            reverse("delegations:review", args=[mission.pk]),
            counted(
                ngettext("%(n)d to review", "%(n)d to review", counts["to_review"]),
                counts["to_review"],
                TO_DO,
            ),
        ),
        tab(
            "delegation",
            "delegations.view_delegation",
            _("Delegation"),
            reverse("delegations:delegation", args=[mission.pk]),
            (
                _("%(taken)d of %(capacity)d seats")
                % {"taken": counts["seats_taken"], "capacity": mission.capacity},
                FIGURE,
            ),
        ),
        tab(
            "counterparts",
            "meetings.view_counterparts",
            _("Counterparts"),
            reverse("meetings:counterparts", args=[mission.pk]),
            (str(counts["counterpart_count"]), FIGURE),
        ),
        tab(
            "requests",
            "meetings.view_meeting_requests",
            _("Meeting requests"),
            reverse("meetings:requests", args=[mission.pk]),
            counted(
                ngettext("%(n)d to qualify", "%(n)d to qualify", counts["to_qualify"]),
                counts["to_qualify"],
                TO_DO,
            ),
        ),
        tab(
            "grid",
            "meetings.view_grid",
            _("Meeting grid"),
            reverse("meetings:grid", args=[mission.pk]),
            (
                ngettext("%(n)d meeting", "%(n)d meetings", counts["meeting_count"])
                % {"n": counts["meeting_count"]},
                FIGURE,
            ),
            counted(
                ngettext("%(n)d not placed", "%(n)d not placed", counts["to_place"]),
                counts["to_place"],
                TO_DO,
            ),
            counted(
                ngettext("%(n)d declined", "%(n)d declined", counts["declined"]),
                counts["declined"],
                WRONG,
            ),
        ),
        tab(
            "emails",
            "notifications.view_outbox",
            _("Emails and calls"),
            f"{reverse('campaigns:outbox')}?mission={mission.pk}",
        ),
        tab(
            "report",
            "missions.view_mission_internals",
            _("Report"),
            reverse("reports:report", args=[mission.slug]),
            (
                ReportStatus(report_status).label,
                WRONG if report_status == ReportStatus.CHANGES_REQUESTED else FIGURE,
            ),
        ),
    ]
    return {"label": _("Pages of the mission"), "tabs": [tab for tab in tabs if tab]}
