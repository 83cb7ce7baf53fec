"""Every write to a report: its narrative and its review, and the emails they cause.

Each function validates first, then writes in one transaction.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.rules import OFFICIALS_GROUP
from missions.enums import MissionStatus
from missions.models import Mission
from missions.services import TransitionError
from notifications.services import email_queue_for_user
from reports.enums import REPORT_TRANSITIONS, ReportStatus
from reports.models import MissionReport, ReportStatusChange

# Staff write the narrative and submit it; an official approves it or sends it back with
# a comment.

REPORT_NARRATIVE_MAX_LENGTH = 20_000
REPORT_COMMENT_MAX_LENGTH = 5_000
# Staff may change the narrative while nobody is reviewing it.
REPORT_EDITABLE = (ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED)
REPORT_EMAILS = {
    ReportStatus.SUBMITTED: "report_submitted",
    ReportStatus.CHANGES_REQUESTED: "report_changes_requested",
    ReportStatus.APPROVED: "report_approved",
}


def report_url(mission: Mission, base_url: str) -> str:
    """The report page's address in an email: ``base_url`` is the site's, as seen."""

    return base_url.rstrip("/") + reverse("reports:report", kwargs={"slug": mission.slug})


def _report_locked_state_error(report: MissionReport) -> ValidationError:
    if report.status == ReportStatus.SUBMITTED:
        message = _(
            "This report awaits an official's review: it cannot be changed until it is sent back."
        )
    else:
        message = _("This report is approved: it can no longer be changed.")
    return ValidationError({NON_FIELD_ERRORS: ValidationError(message, code="not_editable")})


def report_save(*, mission: Mission, by, narrative: str) -> MissionReport:
    """Write a mission's narrative, creating its report on the first save.

    Guarantees: only in draft or changes requested (a report under review or approved
    is never changed); at most ``REPORT_NARRATIVE_MAX_LENGTH`` characters; errors keyed
    by field (``narrative``, or ``__all__`` for the state) and nothing saved on error.
    The mission's row is locked first, so two first saves at once make one report; a
    new report's history starts with one change "" → draft by ``by``.
    """

    if len(narrative) > REPORT_NARRATIVE_MAX_LENGTH:
        raise ValidationError(
            {
                "narrative": ValidationError(
                    _(
                        "The narrative is too long: at most %(limit)s characters "
                        "(it has %(count)s)."
                    ),
                    code="too_long",
                    params={
                        "limit": formats.number_format(
                            REPORT_NARRATIVE_MAX_LENGTH, force_grouping=True
                        ),
                        "count": formats.number_format(len(narrative), force_grouping=True),
                    },
                )
            }
        )
    with transaction.atomic():
        Mission.objects.select_for_update(no_key=True).get(pk=mission.pk)
        report = MissionReport.objects.select_for_update().filter(mission=mission).first()
        if report is None:
            report = MissionReport.objects.create(
                mission=mission, narrative=narrative, status=ReportStatus.DRAFT
            )
            ReportStatusChange.objects.create(
                report=report, from_status="", to_status=ReportStatus.DRAFT, changed_by=by
            )
            return report
        if report.status not in REPORT_EDITABLE:
            raise _report_locked_state_error(report)
        report.narrative = narrative
        report.save(update_fields=["narrative", "updated_at"])
    return report


# A report tells what happened: it is submitted and approved once the mission is over.
TAKEN_PLACE = (MissionStatus.COMPLETED, MissionStatus.REPORTED)


def report_refusal(report: MissionReport, to_status: str, comment: str = "") -> str | None:
    """Why ``report`` may not move to ``to_status`` now, in one sentence (None: it may)."""

    if to_status not in REPORT_TRANSITIONS.get(report.status, set()):
        if to_status == ReportStatus.APPROVED:
            if report.status == ReportStatus.APPROVED:
                return _("This report is already approved.")
            return _("This report has not been submitted: it cannot be approved yet.")
        if to_status == ReportStatus.CHANGES_REQUESTED:
            if report.status == ReportStatus.APPROVED:
                return _("This report is approved: it can no longer be sent back.")
            return _("This report has not been submitted: it cannot be sent back yet.")
        if to_status == ReportStatus.SUBMITTED:
            if report.status == ReportStatus.APPROVED:
                return _("This report is approved: it cannot be submitted again.")
            return _("This report is already submitted: it awaits an official's review.")
        return _("A report cannot go back to draft.")
    if to_status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED) and (
        report.mission.status not in TAKEN_PLACE
    ):
        return _(
            "The mission has not taken place yet (it is “%(status)s”): its report is "
            "submitted and approved once the mission is completed."
        ) % {"status": MissionStatus(report.mission.status).label}
    if to_status == ReportStatus.SUBMITTED and not report.narrative.strip():
        return _("Write the narrative before submitting the report.")
    if to_status == ReportStatus.CHANGES_REQUESTED and not comment.strip():
        return _("Say what should change: a comment is required to send the report back.")
    if len(comment) > REPORT_COMMENT_MAX_LENGTH:
        return _("The comment is too long: at most 5,000 characters.")
    return None


def report_transition(
    *, report: MissionReport, to_status: str, by, comment: str = "", base_url: str = ""
) -> MissionReport:
    """Move a report to another status: the one way any report status changes.

    Guarantees: the move follows ``REPORT_TRANSITIONS``, checked on the row locked for
    the transaction, so of two officials clicking at once only one decides and the
    other is refused by the state it finds; a submission needs a narrative, sending
    back needs a comment. Who may do what is the views' business (``missions.rules``);
    this checks states. On success exactly one ``ReportStatusChange`` (from, to, by,
    comment) is recorded; a submission sets ``submitted_at`` and queues an email to
    every active official, in their language; a review sets ``reviewed_by``,
    ``reviewed_at`` and ``reviewer_comment`` and emails the staff member who submitted
    last (if still active). Emails are queued in the same transaction, once per
    recorded change. On refusal a ``TransitionError`` says why and nothing changes.
    """
    if to_status not in ReportStatus.values:
        raise TransitionError(
            _("“%(value)s” is not a report status.") % {"value": to_status},
            code="unknown_status",
        )
    comment = comment.strip()
    with transaction.atomic():
        current = (
            MissionReport.objects.select_for_update(of=("self",))
            .select_related("mission")
            .get(pk=report.pk)
        )
        refusal = report_refusal(current, to_status, comment)
        if refusal is not None:
            raise TransitionError(refusal, code="transition_refused")
        now = timezone.now()
        from_status = current.status
        current.status = to_status
        if to_status == ReportStatus.SUBMITTED:
            current.submitted_at = now
        else:
            current.reviewed_by, current.reviewed_at = by, now
            current.reviewer_comment = comment
        current.save()
        change = ReportStatusChange.objects.create(
            report=current,
            from_status=from_status,
            to_status=to_status,
            comment=comment,
            changed_by=by,
        )
        mission = current.mission
        context = {
            "mission_title": mission.title,
            "report_url": report_url(mission, base_url),
            "author_name": (by.get_full_name() or by.email) if by else "",
        }
        if to_status == ReportStatus.SUBMITTED:
            recipients = list(
                User.objects.filter(groups__name=OFFICIALS_GROUP, is_active=True)
                .distinct()
                .order_by("email")
            )
        else:
            context["comment"] = comment
            last_submission = (
                current.status_changes.filter(to_status=ReportStatus.SUBMITTED)
                .select_related("changed_by")
                .order_by("-changed_at", "-pk")
                .first()
            )
            submitter = last_submission.changed_by if last_submission else None
            recipients = [submitter] if submitter and submitter.is_active else []
        kind = REPORT_EMAILS[to_status]
        for user in recipients:
            email_queue_for_user(
                user=user,
                kind=kind,
                context=context,
                idempotency_key=f"{kind}:report:{current.pk}:{change.pk}:user:{user.pk}",
                related=current,
                topic=mission,
            )
    return current


def report_approval_problems(mission: Mission) -> list[str]:
    """A mission is reported once its report is approved (registered with ``hooks``)."""
    if not MissionReport.objects.filter(mission=mission, status=ReportStatus.APPROVED).exists():
        return [_("The mission's report is not approved yet.")]
    return []
