"""The six-month follow-up: where did each meeting lead?

When a mission is completed, each confirmed company that had at least one meeting take
place (held, or scheduled and past: staff may not have marked it) is asked, six months
after the mission's last day at 09:00 Paris time, for the stage each of those meetings
reached. The email goes to each active member of the company, in their language, through
the outbox as a row with a scheduled time (beat sends it when due); its signed link is
bound to the application (``meetings.tokens.follow_up_token``).

The answers are written on the meetings (``follow_up_stage``), which the mission's KPIs
read: the report updates itself.
"""

import datetime
import functools
import logging
from collections import Counter

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.zones import PARIS
from delegations.enums import ApplicationStatus
from delegations.models import Application
from delegations.services.applications import active_members_by_company
from meetings.enums import FollowUpStage, MeetingStatus
from meetings.models import Meeting, MeetingChange
from meetings.services.grid import meeting_change
from meetings.tokens import follow_up_token
from missions.enums import MissionStatus
from missions.models import Mission
from notifications.services import email_queue_for_user

logger = logging.getLogger(__name__)

FOLLOW_UP_DELAY = relativedelta(months=6)
FOLLOW_UP_TIME = datetime.time(9, 0)
# Meetings that may still be waiting for staff to mark them held.
NOT_MARKED = (MeetingStatus.SCHEDULED, MeetingStatus.CONFIRMED)


class FollowUpError(ValidationError):
    """A refused follow-up answer: a meeting not of this application, an unknown stage."""


def follow_up_at(mission: Mission) -> datetime.datetime:
    """09:00 Paris time, six months after the mission's last day (the last day of the
    month when that month is shorter: 31 August → 28 or 29 February)."""
    day = mission.end_date + FOLLOW_UP_DELAY
    return datetime.datetime.combine(day, FOLLOW_UP_TIME, tzinfo=PARIS)


def followed_meetings(*, now: datetime.datetime | None = None) -> Q:
    """The meetings a follow-up is about: held, or scheduled or confirmed and started
    (never cancelled, declined or no-show)."""
    now = now or timezone.now()
    return Q(status=MeetingStatus.HELD) | Q(status__in=NOT_MARKED, slot__starts_at__lte=now)


def follow_up_meetings(application: Application) -> QuerySet[Meeting]:
    """The meetings of ``application`` the follow-up asks about, in time order, with their
    counterpart and slot."""
    return (
        Meeting.objects.filter(application=application)
        .filter(followed_meetings())
        .select_related("counterpart", "slot")
        .order_by("slot__starts_at", "pk")
    )


def follow_up_url(application: Application, base_url: str) -> str:
    path = reverse("meetings:follow_up", kwargs={"token": follow_up_token(application)})
    return base_url.rstrip("/") + path


def _default_base_url() -> str:
    """The portal's address for emails queued outside a request (a status change)."""
    if settings.PORTAL_BASE_URL:
        return settings.PORTAL_BASE_URL
    hosts = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host not in ("*", "")]
    host = hosts[0] if hosts else "localhost"
    scheme = "http" if settings.DEBUG or host in ("localhost", "127.0.0.1") else "https"
    return f"{scheme}://{host}"


def _key(application: Application, user) -> str:
    return f"follow-up:application:{application.pk}:user:{user.pk}"


def follow_up_schedule(*, mission: Mission, base_url: str = "") -> int:
    """Queue the six-month follow-up requests of a completed mission; returns how many
    emails this call wrote or found.

    Guarantees: one ``follow_up_request`` per active member of each confirmed company
    with at least one meeting that took place (see ``followed_meetings``), in the
    member's language, due at ``follow_up_at(mission)``; called again (a re-run, a
    retry), it queues nothing more (keys made of the application and the user). Call it
    in the transaction that completes the mission. A mission without an end date has no
    follow-up.
    """
    if mission.end_date is None:
        return 0
    base_url = base_url or _default_base_url()
    when = follow_up_at(mission)
    meetings = Meeting.objects.filter(
        followed_meetings(),
        application__mission=mission,
        application__status=ApplicationStatus.CONFIRMED,
    )
    counts = Counter(meetings.values_list("application_id", flat=True))
    applications = list(
        Application.objects.filter(pk__in=counts).select_related("company").order_by("pk")
    )
    members = active_members_by_company({application.company_id for application in applications})
    queued = 0
    for application in applications:
        context = {
            "company_name": application.company.name,
            "mission_title": mission.title,
            "end_date": mission.end_date,
            "meeting_count": counts[application.pk],
            "follow_up_url": follow_up_url(application, base_url),
        }
        for user in members.get(application.company_id, []):
            email_queue_for_user(
                user=user,
                kind="follow_up_request",
                context=context,
                idempotency_key=_key(application, user),
                scheduled_at=when,
                related=application,
                topic=mission,
            )
            queued += 1
    logger.info("%d follow-up requests for mission %s at %s", queued, mission.pk, when)
    return queued


def _stage_errors(application: Application, stages: dict, meetings: dict) -> list:
    errors = []
    unknown = [meeting_id for meeting_id in stages if meeting_id not in meetings]
    if unknown:
        errors.append(
            FollowUpError(
                _(
                    "Only the meetings of your company on this mission that took place can "
                    "be followed up: nothing was recorded."
                ),
                code="not_yours",
            )
        )
    if any(stage not in FollowUpStage.values for stage in stages.values()):
        errors.append(
            FollowUpError(
                _("Choose one of the stages offered for each meeting."), code="invalid_stage"
            )
        )
    return errors


def follow_up_record(*, application: Application, stages: dict, by=None) -> int:
    """Record where each meeting of ``application`` led: ``stages`` maps meeting ids to
    ``FollowUpStage`` values. Returns how many meetings changed stage.

    Guarantees: all or nothing: a meeting not of this application, or not one that took
    place (see ``followed_meetings``), or a value that is not a stage, raises
    ``FollowUpError`` and nothing is written. Each meeting whose stage changes gets an
    "outcome" row in its history, by ``by`` (None: the company through its link).
    """
    with transaction.atomic():
        meetings = {
            meeting.pk: meeting
            for meeting in Meeting.objects.select_for_update(of=("self",))
            .filter(application=application, pk__in=[k for k in stages if isinstance(k, int)])
            .filter(followed_meetings())
        }
        errors = _stage_errors(application, stages, meetings)
        if errors:
            raise FollowUpError(errors)
        changed = []
        for meeting_id, stage in stages.items():
            meeting = meetings[meeting_id]
            if meeting.follow_up_stage != stage:
                meeting.follow_up_stage = stage
                changed.append(meeting)
        Meeting.objects.bulk_update(changed, ["follow_up_stage"])
        rows = [
            meeting_change(
                meeting,
                MeetingChange.Action.OUTCOME,
                by,
                detail=functools.partial(_follow_up_detail, meeting.follow_up_stage),
            )
            for meeting in changed
        ]
        MeetingChange.objects.bulk_create(rows)
    return len(changed)


def _follow_up_detail(stage: str) -> str:
    return gettext("six-month follow-up: %(stage)s") % {"stage": FollowUpStage(stage).label}


def follow_up_when_completed(*, mission: Mission, from_status: str, to_status: str, by) -> None:
    """A mission that becomes completed has its follow-ups queued, in that transaction
    (registered with ``missions.hooks``)."""
    if to_status == MissionStatus.COMPLETED:
        follow_up_schedule(mission=mission)
