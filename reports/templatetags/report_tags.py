"""The review panel of a mission's report: its status, its history, and the actions the
person looking may take now (or why they may not); its figures as people read them."""

from django import template

from accounts.rules import is_city_staff, is_official
from core.numbers import figure
from reports.enums import ReportStatus
from reports.services import REPORT_EDITABLE

register = template.Library()


def unsent_comment_key(mission) -> str:
    return f"report-comment:{mission.pk}"


@register.inclusion_tag("reports/includes/report_review_panel.html", takes_context=True)
def report_review(context, mission, report):
    """Two queries at most whatever the history's length: the groups of the user (cached
    on it) and the history with its authors. Nothing for anyone but staff and officials."""
    user = context["user"]
    staff, official = is_city_staff(user), is_official(user)
    panel = {
        "mission": mission,
        "report": report,
        "visible": staff or official,
        "csrf_token": context.get("csrf_token"),
        # What an official typed before a refused review, given back once.
        "unsent_comment": (
            context["request"].session.pop(unsent_comment_key(mission), "")
            if "request" in context
            else ""
        ),
    }
    if not panel["visible"]:
        return panel
    history = []
    if report is not None:
        history = list(
            report.status_changes.select_related("changed_by").order_by("changed_at", "pk")
        )
    status = report.status if report is not None else ReportStatus.DRAFT
    editable = report is None or status in REPORT_EDITABLE
    has_narrative = report is not None and bool(report.narrative.strip())
    panel.update(
        history=history,
        is_staff=staff,
        is_official=official,
        can_edit=staff and editable,
        can_submit=staff and editable and has_narrative,
        needs_narrative=staff and editable and not has_narrative,
        can_review=official and status == ReportStatus.SUBMITTED,
        awaiting_submission=official and status in REPORT_EDITABLE,
        submitted=status == ReportStatus.SUBMITTED,
        approved=status == ReportStatus.APPROVED,
        changes_requested=status == ReportStatus.CHANGES_REQUESTED,
    )
    return panel


# A report's figure as people read it (``core.numbers.figure``): "—" when it cannot be
# computed, euros as the reader's language writes them, figures grouped by thousands.
register.filter("kpi", figure)
