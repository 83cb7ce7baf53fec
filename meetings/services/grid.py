"""The meeting grid of a mission: its sessions and tables, who is unavailable when, the
scheduler's run, and staff's moves and locks.

Every function validates first and raises a ``GridError`` (a ``ValidationError``)
whose message is one sentence naming what is in the way; ``grid_configure`` keys its
errors by field (``sessions``, ``slot_minutes``, ``tables``), and an error about one
session carries ``session``, that session's index in the list given.

Locks: every write to a grid's slots or meetings locks the grid's row first, then the
meetings it changes. The scheduler's run, a move, a lock and a change of the grid are
therefore served one after the other, and each one checks what the previous one
committed. The database refuses, whatever the code path, two active meetings at one
table, or for one participant, in the same slot (``Meeting``'s constraints); a move that
runs into one of these refusals says so in the same words as the checks.

Times: sessions are wall-clock times at the destination (the mission's time zone);
slots are stored in UTC and cut in elapsed time from the session's start, so a session
on either side of a daylight-saving change starts at the hour people read on the clock
there.

History: each meeting the scheduler places, each move and each lock is a
``MeetingChange``, and each request the scheduler schedules or gives back a
``MeetingRequestStatusChange``, written in the transaction of the change, with the staff
member who did it (None for a run without one, such as the benchmark's). Their
``detail`` is written in the portal's default language, the one staff read.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import statistics
import time
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.zones import aware_in_zone, zone_city
from delegations.enums import ApplicationStatus
from delegations.models import Application
from meetings import scheduling
from meetings.enums import MEETING_INACTIVE, MeetingRequestStatus, MeetingStatus
from meetings.models import (
    ACTIVE_MEETING,
    Counterpart,
    Meeting,
    MeetingChange,
    MeetingGrid,
    MeetingRequest,
    MeetingRequestStatusChange,
    MeetingSlot,
    Unavailability,
)
from missions.models import Mission

# A slot shorter than this is not a meeting; a slot length is a whole number of these.
SLOT_STEP_MINUTES = 5
SLOT_MAX_MINUTES = 240
TABLES_MAX = 500
VENUE_MAX_LENGTH = MeetingGrid._meta.get_field("venue").max_length
DETAIL_MAX_LENGTH = MeetingChange._meta.get_field("detail").max_length

REASON_SENTENCES = {
    scheduling.PARTICIPANT_UNAVAILABLE: _("%(who)s is unavailable in every slot of the grid."),
    scheduling.NO_COMMON_SLOT: _(
        "%(company)s and %(counterpart)s are never available in the same slot."
    ),
    scheduling.PARTICIPANT_BUSY: _(
        "In every slot where both are available, %(company)s or %(counterpart)s already "
        "meets someone."
    ),
    scheduling.SLOTS_FULL: _(
        "Every table is taken in the slots where both are free: add tables or a session."
    ),
}


class GridError(ValidationError):
    """A refused change of the grid or of a meeting's place."""


# Reading times --------------------------------------------------------------------------


def _zone_label(tzname: str) -> str:
    return gettext("%(city)s time") % {"city": zone_city(tzname)}


def _day(moment: datetime.datetime) -> str:
    return formats.date_format(moment.date(), "DATE_FORMAT")


def time_label(starts_at: datetime.datetime, tzname: str) -> str:
    """ "09:30 Toronto time on July 8, 2027": a moment as a sentence names it."""
    local = starts_at.astimezone(zoneinfo.ZoneInfo(tzname))
    return gettext("%(time)s %(zone)s on %(day)s") % {
        "time": local.strftime("%H:%M"),
        "zone": _zone_label(tzname),
        "day": _day(local),
    }


def slot_label(slot: MeetingSlot, tzname: str) -> str:
    """ "09:30 Toronto time on July 8, 2027": a slot as a sentence names it."""
    return time_label(slot.starts_at, tzname)


def meeting_label(meeting: Meeting) -> str:
    """ "Alpha Solar ↔ Maple Ventures": a meeting as staff name it."""
    return f"{meeting.application.company.name} ↔ {meeting.counterpart.organisation}"


# History ---------------------------------------------------------------------------------


def history_language():
    """The language of the history's ``detail``: the portal's default, which staff read,
    whoever made the change (a counterpart answers in its own language)."""
    return translation.override(settings.LANGUAGE_CODE)


def shortened(text: str) -> str:
    """``text`` on one line, cut to fit a history row's ``detail``."""
    return Truncator(" ".join(text.split())).chars(DETAIL_MAX_LENGTH)


def meeting_change(
    meeting: Meeting, action: str, by, *, from_status: str | None = None, detail=""
) -> MeetingChange:
    """A history row (not saved) of ``meeting`` as it is now: ``from_status`` is its
    status before the change, the same as now unless given. ``detail`` is a text (the
    same for every reader: what a counterpart wrote) or a function writing it in the
    language active when called: it is written once per language of the portal, and
    each reader reads their own (``MeetingChange.detail_read``)."""
    if callable(detail):
        details = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                details[code] = shortened(detail())
        default = details.get(settings.LANGUAGE_CODE)
        if default is None:
            with history_language():
                default = shortened(detail())
    else:
        details, default = {}, shortened(detail)
    return MeetingChange(
        meeting=meeting,
        action=action,
        from_status=meeting.status if from_status is None else from_status,
        to_status=meeting.status,
        detail=default,
        details=details,
        changed_by=by,
    )


def place_detail(starts_at: datetime.datetime, table: int, tzname: str) -> str:
    """ "09:30 Toronto time on July 8, 2027, table 3": where a meeting was placed."""
    return gettext("%(when)s, table %(table)d") % {
        "when": time_label(starts_at, tzname),
        "table": table,
    }


def move_detail(
    before: MeetingSlot, before_table: int, after: MeetingSlot, after_table: int, tzname: str
) -> str:
    """ "09:30 → 10:00 Toronto time on July 8, 2027, table 3 → 5": what a move changed,
    in destination time."""
    zone = zoneinfo.ZoneInfo(tzname)
    start, end = before.starts_at.astimezone(zone), after.starts_at.astimezone(zone)
    if start == end:
        when = time_label(end, tzname)
    elif start.date() == end.date():
        when = gettext("%(before)s → %(after)s %(zone)s on %(day)s") % {
            "before": start.strftime("%H:%M"),
            "after": end.strftime("%H:%M"),
            "zone": _zone_label(tzname),
            "day": _day(end),
        }
    else:
        when = gettext("%(before)s → %(after)s %(zone)s") % {
            "before": f"{_day(start)} {start:%H:%M}",
            "after": f"{_day(end)} {end:%H:%M}",
            "zone": _zone_label(tzname),
        }
    if before_table == after_table:
        where = gettext("table %(table)d") % {"table": after_table}
    else:
        where = gettext("table %(before)d → %(after)d") % {
            "before": before_table,
            "after": after_table,
        }
    return f"{when}, {where}"


# Configuration ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    """One session of the grid, in destination time."""

    date: datetime.date
    start: datetime.time
    end: datetime.time

    def as_json(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
        }


@dataclass
class GridChange:
    """What ``grid_configure`` did: slots added and removed, and what staff should know
    (a partial last slot dropped, unavailabilities removed with their slot)."""

    grid: MeetingGrid
    created: bool
    slots_added: int
    slots_removed: int
    notes: list[str] = field(default_factory=list)


def sessions_of(grid: MeetingGrid) -> list[Session]:
    """The grid's stored sessions, as ``Session``s."""
    return [_parse_session(raw) for raw in grid.sessions]


def _parse_session(raw) -> Session:
    if isinstance(raw, Session):
        return raw

    def as_date(value):
        return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)

    def as_time(value):
        return value if isinstance(value, datetime.time) else datetime.time.fromisoformat(value)

    return Session(as_date(raw["date"]), as_time(raw["start"]), as_time(raw["end"]))


def _session_error(index: int, message: str, code: str) -> GridError:
    error = GridError(message, code=code)
    error.session = index
    return error


def _cut(
    session: Session, zone, slot_minutes: int
) -> tuple[list[tuple[datetime.datetime, datetime.datetime]], int]:
    """The slots of one session in UTC, and the minutes left over at its end."""
    start = aware_in_zone(datetime.datetime.combine(session.date, session.start), zone)
    end = aware_in_zone(datetime.datetime.combine(session.date, session.end), zone)
    length = datetime.timedelta(minutes=slot_minutes)
    slots = []
    at = start
    while at + length <= end:
        slots.append((at, at + length))
        at += length
    return slots, int((end - at).total_seconds() // 60)


def grid_configure(
    *,
    mission: Mission,
    by,
    sessions: list,
    slot_minutes: int,
    tables: int,
    venue: str | None = None,
) -> GridChange:
    """Create or change the mission's grid and cut its slots.

    ``sessions``: dicts (or ``Session``s) with ``date``, ``start`` and ``end`` in
    destination time. Guarantees: each session falls within the mission's dates, ends
    after it starts, at times that exist there (a time the clocks skip is refused), and
    no two overlap; slots are ``slot_minutes`` long (a multiple of 5, from 5 to 240), cut
    from each session's start, a partial last slot dropped and said so in the notes;
    slots that stay keep their meetings and unavailabilities; a slot that goes must hold
    no meeting, and ``tables`` may not go under a table an active meeting uses.
    ``venue``, where the meetings take place (at most 300 characters), is kept as it is
    when not given. All or nothing, under the grid's lock.
    """
    errors: dict[str, list] = defaultdict(list)
    if venue is not None:
        venue = venue.strip()
        if len(venue) > VENUE_MAX_LENGTH:
            errors["venue"].append(
                GridError(
                    _("At most %(max)d characters (this one has %(length)d).")
                    % {"max": VENUE_MAX_LENGTH, "length": len(venue)},
                    code="too_long",
                )
            )
    zone = mission.zone
    if not isinstance(slot_minutes, int) or slot_minutes < SLOT_STEP_MINUTES:
        errors["slot_minutes"].append(
            GridError(
                _("A slot lasts at least %(minutes)d minutes.") % {"minutes": SLOT_STEP_MINUTES},
                code="slot_too_short",
            )
        )
    elif slot_minutes > SLOT_MAX_MINUTES:
        errors["slot_minutes"].append(
            GridError(
                _("A slot lasts at most %(minutes)d minutes.") % {"minutes": SLOT_MAX_MINUTES},
                code="slot_too_long",
            )
        )
    elif slot_minutes % SLOT_STEP_MINUTES:
        errors["slot_minutes"].append(
            GridError(
                _("A slot length is a multiple of %(step)d minutes (15, 20, 30...).")
                % {"step": SLOT_STEP_MINUTES},
                code="slot_not_multiple",
            )
        )
    if not isinstance(tables, int) or tables < 1:
        errors["tables"].append(GridError(_("The grid needs at least one table."), code="tables"))
    elif tables > TABLES_MAX:
        errors["tables"].append(
            GridError(_("At most %(max)d tables.") % {"max": TABLES_MAX}, code="tables_too_many")
        )

    parsed = [_parse_session(raw) for raw in sessions]
    if not parsed:
        errors["sessions"].append(
            GridError(_("Add at least one session: a date, a start and an end."), code="empty")
        )
    if mission.start_date is None or mission.end_date is None:
        errors["sessions"].append(
            GridError(
                _("The mission has no dates yet: set them before laying out its grid."),
                code="no_dates",
            )
        )
    spans: list[tuple[datetime.datetime, datetime.datetime, int]] = []
    for index, session in enumerate(parsed):
        number = index + 1
        if (
            mission.start_date
            and mission.end_date
            and not (mission.start_date <= session.date <= mission.end_date)
        ):
            errors["sessions"].append(
                _session_error(
                    index,
                    _(
                        "Session %(number)d: %(date)s is not within the mission's dates "
                        "(%(start)s to %(end)s)."
                    )
                    % {
                        "number": number,
                        "date": formats.date_format(session.date, "DATE_FORMAT"),
                        "start": formats.date_format(mission.start_date, "DATE_FORMAT"),
                        "end": formats.date_format(mission.end_date, "DATE_FORMAT"),
                    },
                    "date_outside_mission",
                )
            )
            continue
        if session.end <= session.start:
            errors["sessions"].append(
                _session_error(
                    index,
                    _("Session %(number)d: the end must be after the start.") % {"number": number},
                    "end_before_start",
                )
            )
            continue
        try:
            start = aware_in_zone(datetime.datetime.combine(session.date, session.start), zone)
            end = aware_in_zone(datetime.datetime.combine(session.date, session.end), zone)
        except ValidationError as error:
            errors["sessions"].append(
                _session_error(
                    index,
                    _("Session %(number)d: %(reason)s")
                    % {"number": number, "reason": " ".join(error.messages)},
                    "nonexistent_time",
                )
            )
            continue
        spans.append((start, end, index))
        if (
            "slot_minutes" not in errors
            and isinstance(slot_minutes, int)
            and end - start < datetime.timedelta(minutes=slot_minutes)
        ):
            errors["sessions"].append(
                _session_error(
                    index,
                    _("Session %(number)d is shorter than one slot of %(minutes)d minutes.")
                    % {"number": number, "minutes": slot_minutes},
                    "session_too_short",
                )
            )
    spans.sort()
    for (_s1, end1, first), (start2, _e2, second) in itertools.pairwise(spans):
        if start2 < end1:
            errors["sessions"].append(
                _session_error(
                    second,
                    _("Sessions %(first)d and %(second)d overlap.")
                    % {"first": min(first, second) + 1, "second": max(first, second) + 1},
                    "overlap",
                )
            )
    if errors:
        raise GridError(dict(errors))

    notes: list[str] = []
    wanted: dict[datetime.datetime, datetime.datetime] = {}
    for index, session in enumerate(parsed):
        slots, left_over = _cut(session, zone, slot_minutes)
        wanted.update(slots)
        if left_over:
            notes.append(
                gettext(
                    "Session %(number)d does not divide into slots of %(minutes)d minutes: "
                    "its last %(left)d minutes are left out of the grid."
                )
                % {"number": index + 1, "minutes": slot_minutes, "left": left_over}
            )

    with transaction.atomic():
        grid, created = MeetingGrid.objects.select_for_update().get_or_create(mission=mission)
        meetings = list(
            Meeting.objects.filter(slot__grid=grid)
            .select_related("slot", "application__company", "counterpart")
            .order_by("slot__starts_at", "table", "pk")
        )
        highest = max(
            (m for m in meetings if m.status not in MEETING_INACTIVE),
            key=lambda m: m.table,
            default=None,
        )
        if highest is not None and tables < highest.table:
            raise GridError(
                {
                    "tables": [
                        GridError(
                            _(
                                "Table %(table)d is in use: %(meeting)s at %(when)s. Move it "
                                "before lowering the number of tables."
                            )
                            % {
                                "table": highest.table,
                                "meeting": meeting_label(highest),
                                "when": slot_label(highest.slot, mission.timezone),
                            },
                            code="table_in_use",
                        )
                    ]
                }
            )
        existing = list(grid.slots.all())
        leaving = [s for s in existing if wanted.get(s.starts_at) != s.ends_at]
        leaving_ids = {slot.pk for slot in leaving}
        blocked = [m for m in meetings if m.slot_id in leaving_ids]
        if blocked:
            meeting = blocked[0]
            raise GridError(
                {
                    "sessions": [
                        GridError(
                            _(
                                "The slot at %(when)s would leave the grid, but it holds the "
                                "meeting %(meeting)s (%(status)s): move it first."
                            )
                            % {
                                "when": slot_label(meeting.slot, mission.timezone),
                                "meeting": meeting_label(meeting),
                                "status": MeetingStatus(meeting.status).label,
                            },
                            code="slot_in_use",
                        )
                    ]
                }
            )
        dropped = Unavailability.objects.filter(slot_id__in=leaving_ids).count()
        if leaving_ids:
            MeetingSlot.objects.filter(pk__in=leaving_ids).delete()
        kept = {s.starts_at for s in existing if s.pk not in leaving_ids}
        added = [
            MeetingSlot(grid=grid, starts_at=starts_at, ends_at=ends_at)
            for starts_at, ends_at in sorted(wanted.items())
            if starts_at not in kept
        ]
        MeetingSlot.objects.bulk_create(added)
        grid.sessions = [s.as_json() for s in sorted(parsed, key=lambda s: (s.date, s.start))]
        grid.slot_minutes = slot_minutes
        grid.tables = tables
        if venue is not None:
            grid.venue = venue
        grid.save()
    if dropped:
        notes.append(
            ngettext(
                "%(count)d unavailability was in a slot that left the grid: it is removed.",
                "%(count)d unavailabilities were in slots that left the grid: they are removed.",
                dropped,
            )
            % {"count": dropped}
        )
    return GridChange(
        grid=grid,
        created=created,
        slots_added=len(added),
        slots_removed=len(leaving_ids),
        notes=notes,
    )


# Participants and unavailabilities --------------------------------------------------------


def unavailability_set(
    *,
    grid: MeetingGrid,
    application: Application | None = None,
    counterpart: Counterpart | None = None,
    slots,
    by,
) -> int:
    """Replace the slots one participant (a confirmed company or a counterpart of the
    mission) cannot meet in; returns how many there are now.

    Refused, naming the meeting, if the participant has an active meeting in one of them:
    the meeting is moved first.
    """
    if (application is None) == (counterpart is None):
        raise GridError(_("Choose one company or one counterpart."), code="participant")
    mission = grid.mission
    if application is not None and (
        application.mission_id != mission.pk or application.status != ApplicationStatus.CONFIRMED
    ):
        raise GridError(
            _("Only a company whose seat in this mission is confirmed takes part in its grid."),
            code="not_participant",
        )
    if counterpart is not None and counterpart.mission_id != mission.pk:
        raise GridError(
            _("This counterpart is not one of this mission's."), code="not_participant"
        )
    slot_ids = {slot.pk if isinstance(slot, MeetingSlot) else int(slot) for slot in slots}
    with transaction.atomic():
        grid = MeetingGrid.objects.select_for_update().get(pk=grid.pk)
        known = set(grid.slots.filter(pk__in=slot_ids).values_list("pk", flat=True))
        if known != slot_ids:
            raise GridError(_("A slot chosen is not in this mission's grid."), code="slot")
        who = {"application": application} if application else {"counterpart": counterpart}
        busy = (
            Meeting.objects.filter(ACTIVE_MEETING, slot_id__in=slot_ids, **who)
            .select_related("slot", "application__company", "counterpart")
            .order_by("slot__starts_at", "pk")
            .first()
        )
        if busy is not None:
            name = application.company.name if application else counterpart.organisation
            other = busy.counterpart.organisation if application else busy.application.company.name
            raise GridError(
                _(
                    "%(who)s meets %(other)s at %(when)s: move that meeting before marking "
                    "the slot unavailable."
                )
                % {"who": name, "other": other, "when": slot_label(busy.slot, mission.timezone)},
                code="meeting_in_slot",
            )
        current = Unavailability.objects.filter(slot__grid=grid, **who)
        current.exclude(slot_id__in=slot_ids).delete()
        present = set(current.values_list("slot_id", flat=True))
        Unavailability.objects.bulk_create(
            [Unavailability(slot_id=pk, **who) for pk in sorted(slot_ids - present)]
        )
    return len(slot_ids)


# The scheduler's run ---------------------------------------------------------------------


def _is_draft(meeting: Meeting) -> bool:
    """A meeting the scheduler may replace: placed by it, not locked, nobody told."""
    return (
        not meeting.locked
        and meeting.invited_at is None
        and meeting.status == MeetingStatus.SCHEDULED
    )


@dataclass(frozen=True)
class Unscheduled:
    request_id: int
    company: str
    counterpart: str
    priority: int
    reason: str  # a code of ``scheduling.REASONS``
    who: str  # for ``participant_unavailable``: "company" or "counterpart"
    request: MeetingRequest

    @property
    def sentence(self) -> str:
        return reason_sentence(self.reason, self.request, self.who)


@dataclass(frozen=True)
class Spread:
    """How evenly a run shared the meetings out: the fewest, median and most meetings of
    the companies (or counterparts) with a request, and who has the fewest."""

    fewest: int
    median: float
    most: int
    fewest_names: tuple[str, ...]

    @classmethod
    def of(cls, counts: dict[str, int]) -> Spread | None:
        if not counts:
            return None
        values = sorted(counts.values())
        return cls(
            fewest=values[0],
            median=statistics.median(values),
            most=values[-1],
            fewest_names=tuple(sorted(name for name, n in counts.items() if n == values[0])),
        )

    def as_dict(self) -> dict:
        return {
            "fewest": self.fewest,
            "median": self.median,
            "most": self.most,
            "fewest_names": list(self.fewest_names),
        }


@dataclass(frozen=True)
class ScheduleReport:
    """The result of a run: meetings placed by it, meetings it kept (locked or already
    sent), requests it could not place with the reason, the solver's figures, and how the
    meetings are shared out among companies (and counterparts)."""

    placed: int
    kept: int
    unscheduled: tuple[Unscheduled, ...]
    objective: int
    bound: int
    optimal: bool
    seconds: float
    objective_name: str = scheduling.PRIORITY
    counterpart_floor: bool = False
    floors: dict[str, int] = field(default_factory=dict)
    companies: Spread | None = None
    counterparts: Spread | None = None

    def summary(self) -> dict:
        """What the grid keeps of its last run of each objective: plain values only."""
        return {
            "objective_name": self.objective_name,
            "counterpart_floor": self.counterpart_floor,
            "placed": self.placed,
            "kept": self.kept,
            "not_placed": len(self.unscheduled),
            "objective": self.objective,
            "bound": self.bound,
            "optimal": self.optimal,
            "seconds": round(self.seconds, 3),
            "floors": dict(self.floors),
            "companies": self.companies.as_dict() if self.companies else None,
            "counterparts": self.counterparts.as_dict() if self.counterparts else None,
        }

    def as_dict(self) -> dict:
        """For the session: plain values only."""
        return {
            **self.summary(),
            "unscheduled": {str(u.request_id): [u.reason, u.who] for u in self.unscheduled},
        }


@dataclass(frozen=True)
class _Snapshot:
    """The grid as the scheduler sees it, and the names to explain its answer."""

    problem: scheduling.Problem
    requests: dict[int, MeetingRequest]
    drafts: frozenset[int]  # ids of the draft meetings a run replaces

    def key(self) -> tuple:
        """What must not have changed between reading and writing."""
        return (self.problem, self.drafts)


def _snapshot(grid: MeetingGrid) -> _Snapshot:
    """Read the grid, its participants, unavailabilities, requests and meetings, in
    seven queries whatever their number."""
    mission_id = grid.mission_id
    slots = list(grid.slots.order_by("starts_at"))
    meetings = list(Meeting.objects.filter(slot__grid=grid).order_by("pk"))
    active = [m for m in meetings if m.status not in MEETING_INACTIVE]
    kept = [m for m in active if not _is_draft(m)]
    kept_request_ids = {m.request_id for m in kept}
    # A request whose meeting was cancelled or declined is not scheduled again by a run.
    inactive_request_ids = {m.request_id for m in meetings if m.status in MEETING_INACTIVE}
    candidates = (
        MeetingRequest.objects.filter(application__mission_id=mission_id)
        .filter(
            Q(
                status__in=(MeetingRequestStatus.QUALIFIED, MeetingRequestStatus.SCHEDULED),
                application__status=ApplicationStatus.CONFIRMED,
            )
            | Q(pk__in=kept_request_ids)
        )
        .select_related("application__company", "counterpart")
        .order_by("pk")
    )
    chosen = [
        request
        for request in candidates
        if request.pk in kept_request_ids or request.pk not in inactive_request_ids
    ]
    unavailable: dict[str, set[int]] = defaultdict(set)
    for slot_id, application_id, counterpart_id in Unavailability.objects.filter(
        slot__grid=grid
    ).values_list("slot_id", "application_id", "counterpart_id"):
        unavailable[f"a{application_id}" if application_id else f"c{counterpart_id}"].add(slot_id)
    participants = {
        f"a{pk}"
        for pk in Application.objects.filter(
            mission_id=mission_id, status=ApplicationStatus.CONFIRMED
        ).values_list("pk", flat=True)
    }
    participants |= {
        f"c{pk}"
        for pk in Counterpart.objects.filter(mission_id=mission_id).values_list("pk", flat=True)
    }
    for request in chosen:
        participants |= {f"a{request.application_id}", f"c{request.counterpart_id}"}
    problem = scheduling.Problem(
        slots=tuple(scheduling.Slot(s.pk, s.starts_at, s.ends_at) for s in slots),
        tables=grid.tables,
        participants=tuple(
            scheduling.Participant(p, frozenset(unavailable.get(p, ())))
            for p in sorted(participants)
        ),
        requests=tuple(
            scheduling.Request(r.pk, f"a{r.application_id}", f"c{r.counterpart_id}", r.priority)
            for r in chosen
        ),
        locked=tuple(
            scheduling.Placement(m.request_id, m.slot_id, m.table)
            for m in sorted(kept, key=lambda m: m.request_id)
        ),
    )
    return _Snapshot(
        problem=problem,
        requests={r.pk: r for r in chosen},
        drafts=frozenset(m.pk for m in active if _is_draft(m)),
    )


def _who(code: str, request: MeetingRequest, problem: scheduling.Problem) -> str:
    """Which side of a request is unavailable in every slot: "company" or "counterpart"."""
    if code != scheduling.PARTICIPANT_UNAVAILABLE:
        return ""
    slots = {slot.id for slot in problem.slots}
    company = f"a{request.application_id}"
    out = next(p.unavailable for p in problem.participants if p.id == company)
    return "company" if slots <= set(out) else "counterpart"


def reason_sentence(code: str, request: MeetingRequest, who: str = "") -> str:
    """Why a request was not placed, as one sentence naming the parties. ``who`` says
    which side is unavailable in every slot (``participant_unavailable``)."""
    company = request.application.company.name
    counterpart = request.counterpart.organisation
    if code == scheduling.PARTICIPANT_UNAVAILABLE:
        if who not in ("company", "counterpart"):
            return gettext("%(company)s or %(counterpart)s is unavailable in every slot.") % {
                "company": company,
                "counterpart": counterpart,
            }
        return str(REASON_SENTENCES[code]) % {"who": company if who == "company" else counterpart}
    if code not in REASON_SENTENCES:
        return ""
    return str(REASON_SENTENCES[code]) % {"company": company, "counterpart": counterpart}


def _spreads(
    snapshot: _Snapshot, result: scheduling.Schedule
) -> tuple[Spread | None, Spread | None]:
    """The meetings per company and per counterpart with a request in the run, by name."""
    names: dict[str, str] = {}
    for request in snapshot.requests.values():
        names[f"a{request.application_id}"] = request.application.company.name
        names[f"c{request.counterpart_id}"] = request.counterpart.organisation
    requests = {r.id: r for r in snapshot.problem.requests}
    spreads = []
    for role in ("company", "counterpart"):
        count = dict.fromkeys((getattr(r, role) for r in requests.values()), 0)
        for placement in result.placements:
            count[getattr(requests[placement.request], role)] += 1
        spreads.append(Spread.of({names[person]: n for person, n in count.items()}))
    return spreads[0], spreads[1]


def meetings_schedule(
    *,
    mission: Mission,
    by,
    time_limit: float | None = None,
    objective: str = scheduling.PRIORITY,
    counterpart_floor: bool = False,
) -> ScheduleReport:
    """Place the mission's qualified requests on its grid with ``scheduling.schedule``,
    for `objective` (``scheduling.OBJECTIVES``).

    Scheduled: the qualified requests of companies whose seat is confirmed, and those
    whose meeting is still a draft (placed by a run, not locked, not sent); a request
    whose meeting was cancelled or declined is not. Kept where they are: locked meetings
    and meetings already sent or answered. The draft meetings are replaced by the run's;
    placed requests become "scheduled", the others "qualified" again.

    The solver runs outside any transaction (it may take seconds); the answer is then
    written in one short transaction under the grid's lock, only if the grid, its
    meetings, unavailabilities and requests are still what the solver was given;
    otherwise nothing is written and the run is refused (run it again).

    Recorded with ``by``, in a fixed number of queries whatever the number of meetings:
    a "placed" change per new meeting, a status change per request scheduled or given
    back to "qualified".
    """
    grid = MeetingGrid.objects.filter(mission=mission).first()
    if grid is None:
        raise GridError(
            _("The meeting grid is not laid out yet: set its sessions first."), code="no_grid"
        )
    snapshot = _snapshot(grid)
    started = time.monotonic()
    try:
        result = scheduling.schedule(
            snapshot.problem,
            objective=objective,
            counterpart_floor=counterpart_floor and objective == scheduling.BALANCED,
            **({"time_limit": time_limit} if time_limit is not None else {}),
        )
    except scheduling.SchedulingError as error:
        raise GridError(
            _("The grid cannot be scheduled as it stands: %(reason)s") % {"reason": error},
            code="inconsistent",
        ) from error
    seconds = time.monotonic() - started
    companies, counterparts = _spreads(snapshot, result)
    locked_ids = {placement.request for placement in snapshot.problem.locked}
    new = [p for p in result.placements if p.request not in locked_ids]
    unscheduled = tuple(
        Unscheduled(
            request_id=request_id,
            company=snapshot.requests[request_id].application.company.name,
            counterpart=snapshot.requests[request_id].counterpart.organisation,
            priority=snapshot.requests[request_id].priority,
            reason=result.reasons[request_id],
            who=_who(result.reasons[request_id], snapshot.requests[request_id], snapshot.problem),
            request=snapshot.requests[request_id],
        )
        for request_id in result.unscheduled
    )
    report = ScheduleReport(
        placed=len(new),
        kept=len(locked_ids),
        unscheduled=unscheduled,
        objective=result.objective,
        bound=result.bound,
        optimal=result.optimal,
        seconds=seconds,
        objective_name=objective,
        counterpart_floor="counterpart" in result.floors,
        floors=dict(result.floors),
        companies=companies,
        counterparts=counterparts,
    )

    changed = GridError(
        _("The grid changed while the scheduler ran: nothing was written, run it again."),
        code="changed",
    )
    try:
        with transaction.atomic():
            locked_grid = MeetingGrid.objects.select_for_update().get(pk=grid.pk)
            list(Meeting.objects.select_for_update().filter(slot__grid=grid).values_list("pk"))
            if _snapshot(grid).key() != snapshot.key():
                raise changed
            Meeting.objects.filter(pk__in=snapshot.drafts).delete()
            meetings = Meeting.objects.bulk_create(
                [
                    Meeting(
                        request_id=placement.request,
                        slot_id=placement.slot,
                        table=placement.table,
                        application_id=snapshot.requests[placement.request].application_id,
                        counterpart_id=snapshot.requests[placement.request].counterpart_id,
                    )
                    for placement in new
                ]
            )
            starts = {slot.id: slot.start for slot in snapshot.problem.slots}
            MeetingChange.objects.bulk_create(
                [
                    meeting_change(
                        meeting,
                        MeetingChange.Action.PLACED,
                        by,
                        from_status="",
                        detail=functools.partial(
                            place_detail,
                            starts[meeting.slot_id],
                            meeting.table,
                            mission.timezone,
                        ),
                    )
                    for meeting in meetings
                ]
            )
            placed_ids = {placement.request for placement in result.placements}
            scheduled = list(
                MeetingRequest.objects.filter(pk__in=placed_ids)
                .exclude(status=MeetingRequestStatus.SCHEDULED)
                .values_list("pk", "status")
            )
            given_back = list(
                MeetingRequest.objects.filter(
                    pk__in=set(snapshot.requests) - placed_ids,
                    status=MeetingRequestStatus.SCHEDULED,
                ).values_list("pk", "status")
            )
            MeetingRequest.objects.filter(pk__in=[pk for pk, _was in scheduled]).update(
                status=MeetingRequestStatus.SCHEDULED
            )
            MeetingRequest.objects.filter(pk__in=[pk for pk, _was in given_back]).update(
                status=MeetingRequestStatus.QUALIFIED
            )
            MeetingRequestStatusChange.objects.bulk_create(
                [
                    MeetingRequestStatusChange(
                        request_id=pk, from_status=was, to_status=to_status, changed_by=by
                    )
                    for changed, to_status in (
                        (scheduled, MeetingRequestStatus.SCHEDULED),
                        (given_back, MeetingRequestStatus.QUALIFIED),
                    )
                    for pk, was in changed
                ]
            )
            last = {
                **report.summary(),
                "at": timezone.now().isoformat(),
                "by": str(by) if by else "",
            }
            MeetingGrid.objects.filter(pk=grid.pk).update(
                last_runs={**locked_grid.last_runs, objective: last}
            )
    except IntegrityError as error:
        raise changed from error

    return report


# Moves and locks ---------------------------------------------------------------------------


def _conflict(meeting: Meeting, slot: MeetingSlot, table: int, tzname: str) -> GridError | None:
    """Why ``meeting`` cannot be at ``table`` in ``slot``, as one sentence, or None."""
    when = slot_label(slot, tzname)
    others = list(
        Meeting.objects.filter(ACTIVE_MEETING, slot=slot)
        .exclude(pk=meeting.pk)
        .select_related("application__company", "counterpart")
        .order_by("table", "pk")
    )
    company = meeting.application.company.name
    counterpart = meeting.counterpart.organisation
    for other in others:
        if other.table == table:
            return GridError(
                _("Table %(table)d is taken at %(when)s by %(meeting)s.")
                % {"table": table, "when": when, "meeting": meeting_label(other)},
                code="table_taken",
            )
    for other in others:
        if other.application_id == meeting.application_id:
            return GridError(
                _("%(company)s already meets %(other)s at %(when)s.")
                % {"company": company, "other": other.counterpart.organisation, "when": when},
                code="company_busy",
            )
    for other in others:
        if other.counterpart_id == meeting.counterpart_id:
            return GridError(
                _("%(counterpart)s already meets %(other)s at %(when)s.")
                % {
                    "counterpart": counterpart,
                    "other": other.application.company.name,
                    "when": when,
                },
                code="counterpart_busy",
            )
    absent = set(
        Unavailability.objects.filter(slot=slot).values_list("application_id", "counterpart_id")
    )
    if (meeting.application_id, None) in absent:
        return GridError(
            _("%(company)s is unavailable at %(when)s.") % {"company": company, "when": when},
            code="company_unavailable",
        )
    if (None, meeting.counterpart_id) in absent:
        return GridError(
            _("%(counterpart)s is unavailable at %(when)s.")
            % {"counterpart": counterpart, "when": when},
            code="counterpart_unavailable",
        )
    return None


def meeting_move(
    *, meeting: Meeting, slot: MeetingSlot, table: int, by, base_url: str = ""
) -> Meeting:
    """Put an active meeting at ``table`` in ``slot`` of its grid, and lock it there: the
    scheduler leaves a meeting staff placed by hand where they put it.

    Refused, in one sentence naming who is in the way: a slot of another grid, a table
    that does not exist, a table taken, the company or the counterpart meeting someone
    else then, either of them unavailable then, a meeting cancelled or declined. A
    meeting already sent gets a new version (``sequence``) and both sides are told
    (``invitations.meeting_moved``) in the same transaction. Recorded as "moved" with
    ``by``, the slots and tables before and after in ``detail``.
    """
    from meetings.services import invitations

    with transaction.atomic():
        current = (
            Meeting.objects.select_related("slot__grid__mission").filter(pk=meeting.pk).first()
        )
        if current is None:
            raise GridError(_("This meeting no longer exists."), code="gone")
        grid = MeetingGrid.objects.select_for_update().get(pk=current.slot.grid_id)
        mission = current.slot.grid.mission
        current = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("slot", "application__company", "counterpart")
            .get(pk=meeting.pk)
        )
        if current.status in MEETING_INACTIVE:
            raise GridError(
                _("This meeting is “%(status)s”: only a meeting still on can be moved.")
                % {"status": MeetingStatus(current.status).label},
                code="inactive",
            )
        if slot.grid_id != grid.pk:
            raise GridError(
                _("This slot is not in the meeting grid of %(mission)s.")
                % {"mission": mission.title},
                code="other_grid",
            )
        if not isinstance(table, int) or not 1 <= table <= grid.tables:
            raise GridError(
                _("There is no table %(table)s: the grid has tables 1 to %(tables)d.")
                % {"table": table, "tables": grid.tables},
                code="no_table",
            )
        if current.slot_id == slot.pk and current.table == table:
            return current
        refusal = _conflict(current, slot, table, mission.timezone)
        if refusal is not None:
            raise refusal
        before, before_table, before_status = current.slot, current.table, current.status
        current.slot = slot
        current.table = table
        current.locked = True
        fields = ["slot", "table", "locked"]
        if current.invited_at is not None:
            current.sequence += 1
            fields.append("sequence")
        try:
            with transaction.atomic():
                current.save(update_fields=fields)
        except IntegrityError as error:
            # Someone placed a meeting there in the meantime, by another path.
            refusal = _conflict(current, slot, table, mission.timezone)
            raise refusal or GridError(
                _("The place was taken a moment ago: reload the grid and try again."),
                code="taken_meanwhile",
            ) from error
        if current.invited_at is not None:
            invitations.meeting_moved(
                meeting=current, base_url=base_url, was_slot=before, was_table=before_table
            )
        meeting_change(
            current,
            MeetingChange.Action.MOVED,
            by,
            from_status=before_status,
            detail=functools.partial(
                move_detail, before, before_table, slot, table, mission.timezone
            ),
        ).save()
    return current


def meeting_lock(*, meeting: Meeting, locked: bool, by) -> Meeting:
    """Lock a meeting where it is (the scheduler leaves it there) or unlock it; a change
    is recorded ("locked" or "unlocked", with ``by``), asking for what is already so is
    not."""
    with transaction.atomic():
        grid_id = MeetingSlot.objects.filter(meetings=meeting).values_list("grid_id", flat=True)
        list(MeetingGrid.objects.select_for_update().filter(pk__in=grid_id).values_list("pk"))
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if current.status in MEETING_INACTIVE:
            raise GridError(
                _("This meeting is “%(status)s”: only a meeting still on can be locked.")
                % {"status": MeetingStatus(current.status).label},
                code="inactive",
            )
        if current.locked != locked:
            current.locked = locked
            current.save(update_fields=["locked"])
            action = MeetingChange.Action.LOCKED if locked else MeetingChange.Action.UNLOCKED
            meeting_change(current, action, by).save()
    return current
