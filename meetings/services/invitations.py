"""Meeting invitations, the counterparts' answers, reminders and outcomes.

Every email goes through the outbox in the transaction of the change that causes it,
with an idempotency key made of the meeting, the recipient and the meeting's
``sequence`` (raised at each move): inviting twice, or a double click, sends nothing
more; a move sends the new version once.

Per meeting and per recipient (the counterpart in its language, each active member of
the company in theirs): the invitation with the .ics, a reminder at 09:00 destination
time the day before, and a request for feedback at 09:00 destination time the day
after. Reminders and feedback requests are rows with a scheduled time: they keep the
context they were queued with, so a move or a decline deletes the meeting's queued
ones (and a move queues new ones).

The counterpart answers through a signed link (``meetings.tokens``): it may accept
or decline until the meeting starts, and change its mind from accepted to declined;
a decline is final (its slot may be given to another meeting at once), and every active
member of the company is told by email. ``response_note`` holds the message of the
counterpart's latest answer, ``counterpart_comment`` its latest feedback comment.

History: invitations, answers, feedback and outcomes are each a ``MeetingChange``
written in the transaction of the change (``changed_by`` None for the counterpart,
which has no account); what staff read of it is in ``detail``.
"""

import collections
import dataclasses
import datetime
import decimal
import functools
import logging

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.rules import is_city_staff
from delegations.services.applications import active_members_by_company, active_members_of
from meetings.enums import MEETING_INACTIVE, FollowUpStage, MeetingStatus
from meetings.models import Meeting, MeetingChange, MeetingSlot
from meetings.services.grid import meeting_change
from meetings.tokens import ANSWER, FEEDBACK, counterpart_agenda_token, meeting_token
from missions.models import Mission
from notifications.context import Message, Translated
from notifications.ics import event_uid
from notifications.models import OutboundEmail
from notifications.rendering import render_email
from notifications.services import email_queue, email_queue_for_user, email_withdraw

logger = logging.getLogger(__name__)

# Reminders and feedback requests leave at this hour, in the destination's time.
NOTICE_TIME = datetime.time(9, 0)
NOTE_MAX_LENGTH = 2000
# A meeting's outcome: ratings 1 to 5, the value below what the column holds.
RATING_RANGE = (1, 5)
MAX_ESTIMATED_VALUE = decimal.Decimal("9999999999.99")
# Who records an outcome: the company's members for their side, the counterpart through
# its link for its side, staff for both sides and for whether the meeting was held.
SIDES = ("company", "counterpart", "both")
OUTCOME_STATUSES = (MeetingStatus.HELD, MeetingStatus.NO_SHOW)
# A meeting a counterpart may still answer.
ANSWERABLE = (MeetingStatus.SCHEDULED, MeetingStatus.CONFIRMED)


class MeetingError(ValidationError):
    """A refused action on a meeting: started, declined, out of range..."""


# Addresses, times and places -----------------------------------------------------------


def _absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def meeting_uid(meeting: Meeting) -> str:
    """The calendar UID of a meeting: the same in every email and agenda, so that a
    calendar replaces the event it holds when the SEQUENCE goes up."""
    return event_uid("meeting", meeting.pk)


def meeting_place(mission: Mission) -> str:
    """Where the meetings take place: the venue of the mission's grid, or, while staff
    have not given one, the mission's first destination city. Reads ``meeting_grid``
    (select it with the mission to save the query)."""
    grid = getattr(mission, "meeting_grid", None)
    if grid is not None and grid.venue:
        return grid.venue
    cities = mission.city_list
    return cities[0] if cities else str(mission.country.name)


def meeting_summary(meeting: Meeting) -> str:
    return f"{meeting.application.company.name} — {meeting.counterpart.organisation}"


def meeting_location(meeting: Meeting, mission: Mission) -> str:
    """The place and the table, in the current language."""
    return gettext("%(place)s — table %(table)s") % {
        "place": meeting_place(mission),
        "table": meeting.table,
    }


def _at_nine(day: datetime.date, zone) -> datetime.datetime:
    return datetime.datetime.combine(day, NOTICE_TIME, tzinfo=zone)


def reminder_at(meeting: Meeting, mission: Mission) -> datetime.datetime:
    """09:00 destination time, the day before the meeting's day there."""
    zone = mission.zone
    day = timezone.localtime(meeting.slot.starts_at, zone).date()
    return _at_nine(day - datetime.timedelta(days=1), zone)


def feedback_at(meeting: Meeting, mission: Mission) -> datetime.datetime:
    """09:00 destination time, the day after the meeting's day there."""
    zone = mission.zone
    day = timezone.localtime(meeting.slot.starts_at, zone).date()
    return _at_nine(day + datetime.timedelta(days=1), zone)


def agenda_url(meeting: Meeting, base_url: str) -> str:
    path = reverse("meetings:agenda", kwargs={"pk": meeting.application_id})
    return _absolute(base_url, path)


def counterpart_agenda_url(counterpart, base_url: str) -> str:
    """The counterpart's agenda through its signed link: it has no account."""
    path = reverse("meetings:counterpart_agenda", kwargs={"pk": counterpart.pk})
    return _absolute(base_url, f"{path}?t={counterpart_agenda_token(counterpart)}")


def respond_url(meeting: Meeting, base_url: str) -> str:
    token = meeting_token(meeting, ANSWER)
    return _absolute(base_url, reverse("meetings:meeting_respond", kwargs={"token": token}))


def feedback_url(meeting: Meeting, base_url: str) -> str:
    token = meeting_token(meeting, FEEDBACK)
    return _absolute(base_url, reverse("meetings:counterpart_feedback", kwargs={"token": token}))


def outcome_url(meeting: Meeting, base_url: str) -> str:
    return _absolute(base_url, reverse("meetings:meeting_outcome", kwargs={"pk": meeting.pk}))


# The emails of one meeting -------------------------------------------------------------


def _key(meeting: Meeting, what: str, recipient: str) -> str:
    return f"meeting:{meeting.pk}:{what}:{meeting.sequence}:{recipient}"


def _withdraw_later(meeting: Meeting) -> int:
    """Withdraw the meeting's reminders and feedback requests not sent yet."""
    return email_withdraw(related=meeting, kinds=["meeting_tomorrow", "meeting_feedback"])


def _event(meeting: Meeting, mission: Mission) -> dict:
    """The meeting as a calendar event; its location is said in the recipient's language
    when their email is rendered (as ``meeting_location`` says it)."""
    zone = mission.zone
    return {
        "uid": meeting_uid(meeting),
        "starts_at": timezone.localtime(meeting.slot.starts_at, zone),
        "ends_at": timezone.localtime(meeting.slot.ends_at, zone),
        "summary": meeting_summary(meeting),
        "location": Message(
            gettext_noop("%(place)s — table %(table)s"),
            {"place": meeting_place(mission), "table": meeting.table},
        ),
        "sequence": meeting.sequence,
    }


def _queue_meeting_emails(
    meeting: Meeting, mission: Mission, *, members: list, base_url: str, now, moved=None
) -> int:
    """The invitation to both sides, then the reminders and feedback requests still
    ahead; ``moved`` (``was_starts_at``, ``was_table``) makes the invitation say the
    meeting moved. Returns how many rows this call wrote or found."""
    zone = mission.zone
    counterpart = meeting.counterpart
    company = meeting.application.company
    common = {
        "mission_title": mission.title,
        "starts_at": timezone.localtime(meeting.slot.starts_at, zone),
        "ends_at": timezone.localtime(meeting.slot.ends_at, zone),
        "timezone": mission.timezone,
        "table": meeting.table,
        "location": meeting_place(mission),
        **(moved or {}),
    }
    remind_at = reminder_at(meeting, mission)
    remind = remind_at > now
    ask_at = feedback_at(meeting, mission)
    fields = {"related": meeting, "topic": mission}
    queued = 0

    # The counterpart, in its language, through its signed links.
    event = _event(meeting, mission)
    to_counterpart = {
        "to": counterpart.email,
        "name": counterpart.contact_name,
        "language": counterpart.language,
        **fields,
    }
    recipient = f"counterpart:{counterpart.pk}"
    their_agenda = counterpart_agenda_url(counterpart, base_url)
    side = {
        **common,
        "recipient_name": counterpart.contact_name,
        "other_party": company.name,
        "agenda_url": their_agenda,
        "event": event,
    }
    email_queue(
        kind="meeting_invitation_counterpart",
        context={
            **side,
            "company_name": company.name,
            "company_description": company.description,
            "company_sectors": [
                Translated({"fr": sector.name_fr, "en": sector.name_en})
                for sector in company.sectors.all()
            ],
            "respond_url": respond_url(meeting, base_url),
        },
        idempotency_key=_key(meeting, "invitation", recipient),
        **to_counterpart,
    )
    queued += 1
    if remind:
        email_queue(
            kind="meeting_tomorrow",
            context=side,
            idempotency_key=_key(meeting, "reminder", recipient),
            scheduled_at=remind_at,
            **to_counterpart,
        )
        queued += 1
    email_queue(
        kind="meeting_feedback",
        context={**side, "feedback_url": feedback_url(meeting, base_url)},
        idempotency_key=_key(meeting, "feedback", recipient),
        scheduled_at=ask_at,
        **to_counterpart,
    )
    queued += 1

    # Each active member of the company, in their language.
    ours = agenda_url(meeting, base_url)
    outcome = outcome_url(meeting, base_url)
    for user in members:
        recipient = f"user:{user.pk}"
        side = {
            **common,
            "other_party": counterpart.organisation,
            "agenda_url": ours,
            "event": event,
        }
        email_queue_for_user(
            user=user,
            kind="meeting_invitation",
            context=side,
            idempotency_key=_key(meeting, "invitation", recipient),
            **fields,
        )
        queued += 1
        if remind:
            email_queue_for_user(
                user=user,
                kind="meeting_tomorrow",
                context=side,
                idempotency_key=_key(meeting, "reminder", recipient),
                scheduled_at=remind_at,
                **fields,
            )
            queued += 1
        email_queue_for_user(
            user=user,
            kind="meeting_feedback",
            context={**side, "feedback_url": outcome},
            idempotency_key=_key(meeting, "feedback", recipient),
            scheduled_at=ask_at,
            **fields,
        )
        queued += 1
    return queued


def meetings_invite(*, mission: Mission, by, base_url: str) -> int:
    """Invite both sides of every active meeting of the mission not invited yet and not
    started; returns how many meetings were invited.

    Guarantees: in one transaction, the meetings locked, so two staff clicking at once
    invite each meeting once; each recipient gets the invitation, the reminder and the
    feedback request once (idempotency keys); ``invited_at`` is set; each meeting's
    history records "invited" with ``by`` (one query for them all).
    """
    with transaction.atomic():
        meetings = _invite(mission=mission, by=by, base_url=base_url)
    logger.info(
        "%d meetings of mission %s invited by user %s",
        len(meetings),
        mission.pk,
        getattr(by, "pk", None),
    )
    return len(meetings)


INVITATION_KINDS = ("meeting_invitation_counterpart", "meeting_invitation")


@dataclasses.dataclass
class InvitationPreview:
    meetings: int
    # (kind, language) -> how many invitations
    counts: dict[tuple[str, str], int]
    # The first invitation of each kind, as its recipient will read it.
    samples: list[EmailMultiAlternatives]


class _DryRun(Exception):
    pass


def invitations_preview(*, mission: Mission, base_url: str) -> InvitationPreview:
    """What ``meetings_invite`` would send now, sending nothing: the invitations are
    written, read and rendered in a transaction that is then rolled back, so what staff
    see is the invitations themselves (the same meetings, people, languages and words),
    not a second account of them that could drift."""
    preview = None
    try:
        with transaction.atomic():
            last = OutboundEmail.objects.aggregate(last=Max("pk"))["last"] or 0
            meetings = _invite(mission=mission, by=None, base_url=base_url)
            written = list(
                OutboundEmail.objects.filter(
                    pk__gt=last, template_key__in=INVITATION_KINDS
                ).order_by("pk")
            )
            counts = collections.Counter((email.template_key, email.language) for email in written)
            firsts = {}
            for email in written:
                firsts.setdefault(email.template_key, email)
            preview = InvitationPreview(
                meetings=len(meetings),
                counts=dict(sorted(counts.items())),
                samples=[render_email(firsts[key]) for key in INVITATION_KINDS if key in firsts],
            )
            raise _DryRun
    except _DryRun:
        pass
    return preview


def _invite(*, mission: Mission, by, base_url: str) -> list[Meeting]:
    """The work of ``meetings_invite``, in the caller's transaction."""
    now = timezone.now()
    meetings = list(
        Meeting.objects.select_for_update(of=("self",))
        .filter(application__mission=mission, invited_at__isnull=True)
        .filter(slot__starts_at__gt=now)
        .exclude(status__in=MEETING_INACTIVE)
        .select_related("slot", "counterpart", "application__company")
        .order_by("slot__starts_at", "table", "pk")
    )
    prefetch_related_objects([meeting.application.company for meeting in meetings], "sectors")
    members = active_members_by_company({meeting.application.company_id for meeting in meetings})
    for meeting in meetings:
        meeting.application.mission = mission
        _queue_meeting_emails(
            meeting,
            mission,
            members=members.get(meeting.application.company_id, []),
            base_url=base_url,
            now=now,
        )
    Meeting.objects.filter(pk__in=[meeting.pk for meeting in meetings]).update(invited_at=now)
    MeetingChange.objects.bulk_create(
        [meeting_change(meeting, MeetingChange.Action.INVITED, by) for meeting in meetings]
    )
    return meetings


def meeting_moved(
    *, meeting: Meeting, base_url: str, was_slot: MeetingSlot | None = None, was_table=None
) -> None:
    """Called in the transaction that moved an invited meeting, once the meeting is
    saved at its new slot or table with its ``sequence`` raised: tell both sides
    again (the calendar event's SEQUENCE is the new one), saying it moved from when and
    where (``was_slot``, ``was_table``) to when and where, and replace the meeting's
    queued reminders and feedback requests. An accepted meeting goes back to
    "scheduled": the counterpart accepted another time, and is asked again."""
    if meeting.invited_at is None or meeting.status in MEETING_INACTIVE:
        return
    _withdraw_later(meeting)
    if meeting.status == MeetingStatus.CONFIRMED:
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.SCHEDULED)
        meeting.status = MeetingStatus.SCHEDULED
    mission = meeting.application.mission
    members = active_members_of(meeting.application.company_id)
    moved = {}
    if was_slot is not None:
        moved = {
            "was_starts_at": timezone.localtime(was_slot.starts_at, mission.zone),
            "was_table": was_table if was_table is not None else meeting.table,
        }
    _queue_meeting_emails(
        meeting, mission, members=members, base_url=base_url, now=timezone.now(), moved=moved
    )


# The counterpart's answer --------------------------------------------------------------


def _lock(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("slot", "counterpart", "application__company", "application__mission")
        .get(pk=meeting.pk)
    )


def _tell_declined(meeting: Meeting, *, base_url: str) -> int:
    """Email every active member of the company, in their language, that the
    counterpart declined ``meeting``, with its message; once per member and version of
    the meeting. Returns how many emails."""
    mission = meeting.application.mission
    zone = mission.zone
    members = active_members_of(meeting.application.company_id)
    context = {
        "mission_title": mission.title,
        "company_name": meeting.application.company.name,
        "other_party": meeting.counterpart.organisation,
        "starts_at": timezone.localtime(meeting.slot.starts_at, zone),
        "ends_at": timezone.localtime(meeting.slot.ends_at, zone),
        "timezone": mission.timezone,
        "table": meeting.table,
        "location": meeting_place(mission),
        "message": meeting.response_note,
        "agenda_url": agenda_url(meeting, base_url),
        # Takes the meeting out of the calendars that imported its invitation.
        "event": {**_event(meeting, mission), "cancelled": True},
    }
    for user in members:
        email_queue_for_user(
            user=user,
            kind="meeting_declined",
            context=context,
            idempotency_key=_key(meeting, "declined", f"user:{user.pk}"),
            related=meeting,
            topic=mission,
        )
    return len(members)


def meeting_respond(
    *, meeting: Meeting, accept: bool, note: str = "", base_url: str = ""
) -> Meeting:
    """The counterpart accepts or declines, through its signed link.

    Allowed until the meeting starts: scheduled → confirmed or declined, confirmed →
    declined (or confirmed again, with a new message). A decline is final: the slot,
    the table and the counterpart's time are free for another meeting at once, the
    meeting's queued reminders and feedback requests are deleted, and every active
    member of the company is emailed (``meeting_declined``, its link to the agenda made
    from ``base_url``). ``response_note`` is the message of this answer, ``responded_at``
    its time; the history records "accepted" or "declined" with the statuses before and
    after, by nobody (the counterpart has no account), the message shortened.
    """
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise MeetingError(
            {
                "note": MeetingError(
                    _("At most %(max)d characters.") % {"max": NOTE_MAX_LENGTH},
                    code="too_long",
                )
            }
        )
    now = timezone.now()
    with transaction.atomic():
        current = _lock(meeting)
        if current.status == MeetingStatus.DECLINED:
            raise MeetingError(
                _(
                    "You have declined this meeting and its time may have been given to "
                    "another meeting. To meet after all, please contact the City of "
                    "Marseille's team."
                ),
                code="declined",
            )
        if current.status not in ANSWERABLE:
            raise MeetingError(_("This meeting can no longer be answered."), code="not_answerable")
        if current.slot.starts_at <= now:
            raise MeetingError(
                _("This meeting has already started: it can no longer be answered."),
                code="started",
            )
        was = current.status
        current.status = MeetingStatus.CONFIRMED if accept else MeetingStatus.DECLINED
        current.responded_at = now
        current.response_note = note
        current.save(update_fields=["status", "responded_at", "response_note"])
        action = MeetingChange.Action.ACCEPTED if accept else MeetingChange.Action.DECLINED
        meeting_change(current, action, None, from_status=was, detail=note).save()
        if not accept:
            _withdraw_later(current)
            _tell_declined(current, base_url=base_url)
    return current


# Outcomes --------------------------------------------------------------------------------


def _required(errors: dict, field: str) -> None:
    errors.setdefault(field, []).append(
        MeetingError(_("This field is required."), code="required")
    )


def _check_rating(errors: dict, field: str, value, *, required: bool) -> None:
    if value is None:
        if required:
            _required(errors, field)
        return
    low, high = RATING_RANGE
    if not isinstance(value, int) or not low <= value <= high:
        errors.setdefault(field, []).append(
            MeetingError(
                _("Give a rating from %(low)d to %(high)d.") % {"low": low, "high": high},
                code="rating_range",
            )
        )


def _outcome_errors(
    *,
    meeting: Meeting,
    side: str,
    staff: bool,
    status: str,
    company_rating,
    follow_up_stage: str,
    leads,
    estimated_value,
    counterpart_rating,
    comment: str,
    now,
) -> dict:
    errors: dict[str, list] = {}
    if meeting.status in MEETING_INACTIVE:
        errors[NON_FIELD_ERRORS] = [
            MeetingError(
                _("This meeting did not take place: it was cancelled or declined."),
                code="inactive",
            )
        ]
        return errors
    if meeting.slot.starts_at > now:
        errors[NON_FIELD_ERRORS] = [
            MeetingError(
                _("The outcome of a meeting can be recorded once it has started."),
                code="not_started",
            )
        ]
        return errors
    if status and status not in OUTCOME_STATUSES:
        errors["status"] = [MeetingError(_("Choose held or no-show."), code="invalid_status")]
    if side in ("company", "both"):
        # Staff record what they know; the company gives at least its rating and stage.
        _check_rating(errors, "company_rating", company_rating, required=not staff)
        if not follow_up_stage:
            if not staff:
                _required(errors, "follow_up_stage")
        elif follow_up_stage not in FollowUpStage.values:
            errors["follow_up_stage"] = [
                MeetingError(_("Choose one of the stages offered."), code="invalid_stage")
            ]
        if leads is not None and (not isinstance(leads, int) or leads < 0):
            errors["leads"] = [
                MeetingError(_("The number of leads cannot be negative."), code="negative")
            ]
        if estimated_value is not None:
            if estimated_value < 0:
                errors["estimated_value"] = [
                    MeetingError(_("The estimated value cannot be negative."), code="negative")
                ]
            elif estimated_value > MAX_ESTIMATED_VALUE:
                errors["estimated_value"] = [
                    MeetingError(
                        _("The estimated value must be below 10 billion euros."),
                        code="too_large",
                    )
                ]
    if side in ("counterpart", "both"):
        _check_rating(errors, "counterpart_rating", counterpart_rating, required=not staff)
        if len(comment) > NOTE_MAX_LENGTH:
            errors["comment"] = [
                MeetingError(
                    _("At most %(max)d characters.") % {"max": NOTE_MAX_LENGTH},
                    code="too_long",
                )
            ]
    return errors


def meeting_record_outcome(
    *,
    meeting: Meeting,
    by,
    side: str,
    status: str = "",
    company_rating: int | None = None,
    follow_up_stage: str = "",
    leads: int | None = None,
    estimated_value: decimal.Decimal | None = None,
    counterpart_rating: int | None = None,
    comment: str = "",
) -> Meeting:
    """Record one side's outcome of a meeting that has started.

    ``side`` "company" (its members or staff): ``company_rating`` 1 to 5 and
    ``follow_up_stage`` (required from the company), ``leads`` and ``estimated_value``
    (optional, not negative). ``side`` "counterpart" (through its link, ``by`` None, or
    staff): ``counterpart_rating`` 1 to 5 and an optional ``comment``. ``side`` "both" and
    ``status`` (held or no-show) are staff's. Raises ``MeetingError`` keyed by field;
    writes nothing then. A cancelled or declined meeting has no outcome.

    The comment is the meeting's ``counterpart_comment`` (the latest one given). The
    history records "feedback" for the counterpart's side, "outcome" otherwise, with
    ``by`` and the values given in ``detail``.
    """
    if side not in SIDES:
        raise ValueError(f"Unknown side {side!r}.")
    staff = by is not None and is_city_staff(by)
    if (side == "both" or status) and not staff:
        raise MeetingError(
            _("Only the city's staff record whether a meeting was held."), code="not_allowed"
        )
    comment = comment.strip()
    now = timezone.now()
    with transaction.atomic():
        current = _lock(meeting)
        errors = _outcome_errors(
            meeting=current,
            side=side,
            staff=staff,
            status=status,
            company_rating=company_rating,
            follow_up_stage=follow_up_stage,
            leads=leads,
            estimated_value=estimated_value,
            counterpart_rating=counterpart_rating,
            comment=comment,
            now=now,
        )
        if errors:
            raise MeetingError(errors)
        changed = []
        was = current.status
        if status:
            current.status = status
            changed.append("status")
        if side in ("company", "both"):
            current.company_rating = company_rating
            current.follow_up_stage = follow_up_stage
            current.leads = leads
            current.estimated_value = estimated_value
            changed += ["company_rating", "follow_up_stage", "leads", "estimated_value"]
        if side in ("counterpart", "both"):
            current.counterpart_rating = counterpart_rating
            changed.append("counterpart_rating")
            if comment:
                current.counterpart_comment = comment
                changed.append("counterpart_comment")
        current.save(update_fields=changed)
        action = (
            MeetingChange.Action.FEEDBACK
            if side == "counterpart"
            else MeetingChange.Action.OUTCOME
        )
        detail = functools.partial(
            _outcome_detail, current, side=side, status=status, comment=comment
        )
        meeting_change(current, action, by, from_status=was, detail=detail).save()
    return current


def _outcome_detail(meeting: Meeting, *, side: str, status: str, comment: str) -> str:
    """ "Held; company's rating 4/5; follow-up stage: Proposal sent; leads 2": the values
    a call recorded, those left empty out."""
    parts = []
    if status:
        parts.append(str(MeetingStatus(status).label))
    if side in ("company", "both"):
        if meeting.company_rating is not None:
            parts.append(
                gettext("company's rating %(rating)d/5") % {"rating": meeting.company_rating}
            )
        if meeting.follow_up_stage:
            parts.append(
                gettext("follow-up stage: %(stage)s")
                % {"stage": FollowUpStage(meeting.follow_up_stage).label}
            )
        if meeting.leads is not None:
            parts.append(gettext("leads %(leads)d") % {"leads": meeting.leads})
        if meeting.estimated_value is not None:
            parts.append(
                gettext("estimated value %(value)s €") % {"value": meeting.estimated_value}
            )
    if side in ("counterpart", "both"):
        if meeting.counterpart_rating is not None:
            parts.append(
                gettext("counterpart's rating %(rating)d/5")
                % {"rating": meeting.counterpart_rating}
            )
        if comment:
            parts.append(f"“{comment}”")
    return "; ".join(parts)
