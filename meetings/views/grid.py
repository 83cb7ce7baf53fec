"""The meeting grid of a mission, for staff: sessions and tables, unavailabilities, the
scheduler's run, moves and locks.

Staff run the grid; officials read the grid page and nothing else; to a company every
page is a 404 and anonymous visitors log in, before any mission or meeting is fetched.
The grid page reads a fixed number of queries whatever the number of meetings: moving a
meeting is a page of its own, so that the grid does not carry a list of slots per
meeting.
"""

import datetime
import itertools
import re
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.mixins import HiddenUnlessPermittedMixin
from core.zones import zone_city
from delegations.models import Application
from meetings import scheduling
from meetings.enums import MEETING_INACTIVE, MeetingStatus
from meetings.forms import GridForm, GridSessionFormSet, MeetingMoveForm, ScheduleRunForm
from meetings.models import Meeting, MeetingChange, MeetingSlot
from meetings.selectors import (
    grid_meeting_counts,
    grid_meetings,
    grid_participant,
    grid_participant_names,
    meeting_for_move,
    meeting_history,
    mission_with_grid,
    requests_not_placed,
    schedule_counts,
    unavailabilities_of,
)
from meetings.services.grid import (
    GridError,
    grid_configure,
    meeting_lock,
    meeting_move,
    meetings_schedule,
    reason_sentence,
    sessions_of,
    slot_label,
    unavailability_set,
)

VIEW = "meetings.view_grid"
MANAGE = "meetings.manage_grid"
# The last run's report, by mission, in the session of the staff member who ran it.
REPORTS_KEY = "grid_reports"

# Where a refusal of a move shows: next to the field it is about.
MOVE_ERROR_FIELDS = {
    "no_table": "table",
    "table_taken": "table",
    "other_grid": "slot",
    "company_busy": "slot",
    "counterpart_busy": "slot",
    "company_unavailable": "slot",
    "counterpart_unavailable": "slot",
}
# Where a refusal about one session shows in its row.
SESSION_ERROR_FIELDS = {
    "date_outside_mission": "date",
    "end_before_start": "end",
}


def _messages_of(error: GridError) -> str:
    return " ".join(error.messages)


# Slots by day and session ------------------------------------------------------------


@dataclass
class Session:
    """Slots that follow each other without a gap, on one day in destination time."""

    date: object
    zone: object
    slots: list = field(default_factory=list)
    number: int = 0  # from 1, as the grid page's ?session= says it
    meeting_count: int = 0

    @property
    def start(self):
        return self.slots[0].starts_at

    @property
    def end(self):
        return self.slots[-1].ends_at

    # Times of day in destination time (a datetime would be shown in the reader's).
    @property
    def local_start(self):
        return self.start.astimezone(self.zone).time()

    @property
    def local_end(self):
        return self.end.astimezone(self.zone).time()


@dataclass
class Day:
    date: object
    sessions: list[Session] = field(default_factory=list)


def slots_by_day(slots: list[MeetingSlot], zone) -> list[Day]:
    """Slots grouped by day in destination time, and within a day into sessions: slots
    that follow each other without a gap, numbered from 1 across the days. No query."""
    days: list[Day] = []
    numbers = itertools.count(1)
    for date, group in itertools.groupby(slots, key=lambda s: s.starts_at.astimezone(zone).date()):
        day = Day(date=date)
        for slot in group:
            if not day.sessions or day.sessions[-1].slots[-1].ends_at != slot.starts_at:
                day.sessions.append(Session(date=date, zone=zone, number=next(numbers)))
            day.sessions[-1].slots.append(slot)
        days.append(day)
    return days


def session_to_show(sessions: list[Session], asked: str, now) -> Session | None:
    """The session asked for (``?session=2``: its number, from 1); without one, or with
    one the grid does not have, the first session not over at ``now``, or the first of
    all once the mission is past."""
    if not sessions:
        return None
    # ASCII digits only, and few: int() refuses thousands of them.
    if re.fullmatch(r"[0-9]{1,4}", asked) and 1 <= int(asked) <= len(sessions):
        return sessions[int(asked) - 1]
    return next((session for session in sessions if session.end > now), sessions[0])


# Permissions ---------------------------------------------------------------------------


class GridMixin(HiddenUnlessPermittedMixin):
    """Staff's pages of the grid (``permission_required`` overridden to let officials
    read); the permission is checked before anything is fetched."""

    permission_required = (MANAGE,)

    def get_mission(self):
        mission = mission_with_grid(self.kwargs["mission_pk"])
        if mission is None:
            raise Http404
        self.mission = mission
        self.grid = getattr(mission, "meeting_grid", None)
        return mission

    def grid_url(self):
        return reverse("meetings:grid", args=[self.mission.pk])


# The grid page -------------------------------------------------------------------------


class GridView(GridMixin, TemplateView):
    """A mission's grid: its configuration, a table per day (slots by tables), the
    meetings declined or cancelled, the requests not placed with the reason given by the
    last run, and the actions for staff."""

    permission_required = (VIEW,)
    template_name = "meetings/grid.html"

    def get(self, request, *args, **kwargs):
        self.get_mission()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        mission, grid = self.mission, self.grid
        zone = mission.zone
        can_manage = self.request.user.has_perm(MANAGE)
        context = super().get_context_data(
            mission=mission,
            grid=grid,
            can_manage=can_manage,
            layout="layouts/staff.html" if can_manage else "layouts/official.html",
            zone_name=mission.timezone,
            city=zone_city(mission.timezone),
            city_label=_("%(city)s time") % {"city": zone_city(mission.timezone)},
            **kwargs,
        )
        counts = schedule_counts(mission)
        if grid is None:
            context.update(days=[], unscheduled=[], placed=0, qualified=counts["qualified"])
            return context
        slots = list(grid.slots.order_by("starts_at"))
        days = slots_by_day(slots, zone)
        sessions = [session for day in days for session in day.sessions]
        shown = session_to_show(sessions, self.request.GET.get("session", ""), timezone.now())
        by_slot = grid_meeting_counts(grid)
        for session in sessions:
            session.meeting_count = sum(by_slot.get(slot.pk, (0, 0))[0] for slot in session.slots)
        active = {}
        inactive = []
        for meeting in grid_meetings(grid, shown.slots if shown else []):
            if meeting["status"] in MEETING_INACTIVE:
                meeting["status_label"] = MeetingStatus(meeting["status"]).label
                inactive.append(meeting)
            else:
                active[(meeting["slot_id"], meeting["table"])] = meeting
        tables = range(1, grid.tables + 1)
        for slot in shown.slots if shown else []:
            slot.cells = [active.get((slot.pk, table)) for table in tables]
        report = self.request.session.get(REPORTS_KEY, {}).get(str(mission.pk))
        runs = last_runs(grid)
        reasons = report["unscheduled"] if report else {}
        unscheduled = requests_not_placed(mission)
        for meeting_request in unscheduled:
            code, who = reasons.get(str(meeting_request.pk), ("", ""))
            meeting_request.reason = reason_sentence(code, meeting_request, who)
        context.update(
            days=days,
            shown=shown,
            tables=tables,
            sessions=sessions_of(grid),
            slot_count=len(slots),
            inactive=inactive,
            freed=sum(meeting["status"] == MeetingStatus.DECLINED for meeting in inactive),
            qualified=counts["qualified"],
            placed=counts["placed"],
            unscheduled=unscheduled,
            to_invite=sum(to_invite for _, to_invite in by_slot.values()),
            meeting_count=sum(meetings for meetings, _ in by_slot.values()),
            report=report,
            runs=runs,
            run_form=ScheduleRunForm(
                initial={
                    "objective": runs[0]["objective_name"] if runs else scheduling.PRIORITY,
                    "counterpart_floor": bool(runs and runs[0]["counterpart_floor"]),
                }
            ),
        )
        return context


def last_runs(grid) -> list[dict]:
    """The grid's last run of each objective, the latest first, for the page to compare:
    each with its time as a datetime and whether it is the grid as it stands."""
    runs = []
    for run in grid.last_runs.values():
        try:
            at = datetime.datetime.fromisoformat(run["at"])
        except (KeyError, TypeError, ValueError):
            continue
        runs.append({**run, "at": at})
    runs.sort(key=lambda run: run["at"], reverse=True)
    for position, run in enumerate(runs):
        run["current"] = position == 0
    return runs


class GridConfigureView(GridMixin, TemplateView):
    """The grid's sessions (date, start, end in destination time), slot length, tables
    and venue. A refusal shows next to its field, with what was typed kept."""

    template_name = "meetings/grid_configure.html"

    def get(self, request, *args, **kwargs):
        self.get_mission()
        grid = self.grid
        initial_sessions = (
            [{"date": s.date, "start": s.start, "end": s.end} for s in sessions_of(grid)]
            if grid
            else []
        )
        return self.render_to_response(
            self.get_context_data(
                form=GridForm(
                    initial={
                        "slot_minutes": grid.slot_minutes if grid else 30,
                        "tables": grid.tables if grid else 10,
                        "venue": grid.venue if grid else "",
                    }
                ),
                formset=GridSessionFormSet(initial=initial_sessions, prefix="sessions"),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(mission=self.mission, grid=self.grid, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_mission()
        form = GridForm(request.POST)
        formset = GridSessionFormSet(request.POST, prefix="sessions")
        sessions_errors: list[str] = []
        if form.is_valid() and formset.is_valid():
            rows = [f for f in formset.forms if not f.is_blank]
            try:
                change = grid_configure(
                    mission=self.mission,
                    by=request.user,
                    sessions=[
                        {
                            "date": f.cleaned_data["date"],
                            "start": f.cleaned_data["start"],
                            "end": f.cleaned_data["end"],
                        }
                        for f in rows
                    ],
                    slot_minutes=form.cleaned_data["slot_minutes"],
                    tables=form.cleaned_data["tables"],
                    venue=form.cleaned_data["venue"],
                )
            except GridError as error:
                for name, errors in error.error_dict.items():
                    for one in errors:
                        index = getattr(one, "session", None)
                        if name == "sessions" and index is not None:
                            rows[index].add_error(SESSION_ERROR_FIELDS.get(one.code), one)
                        elif name in form.fields:
                            form.add_error(name, one)
                        elif name == NON_FIELD_ERRORS:
                            form.add_error(None, one)
                        else:
                            sessions_errors.extend(one.messages)
            else:
                messages.success(
                    request,
                    _("The grid is saved: %(slots)d slots, %(tables)d tables.")
                    % {"slots": change.grid.slots.count(), "tables": change.grid.tables},
                )
                for note in change.notes:
                    messages.warning(request, note)
                return redirect(self.grid_url())
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset, sessions_errors=sessions_errors)
        )


class GridScheduleView(GridMixin, View):
    """Run the scheduler; its report shows on the grid page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.get_mission()
        form = ScheduleRunForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, " ".join(str(e) for errors in form.errors.values() for e in errors)
            )
            return redirect(self.grid_url() + "#run-scheduler")
        try:
            report = meetings_schedule(
                mission=self.mission,
                by=request.user,
                objective=form.cleaned_data["objective"],
                counterpart_floor=form.cleaned_data["counterpart_floor"],
            )
        except GridError as error:
            messages.error(request, _messages_of(error))
            return redirect(self.grid_url())
        reports = request.session.get(REPORTS_KEY, {})
        reports[str(self.mission.pk)] = {**report.as_dict(), "at": timezone.now().isoformat()}
        request.session[REPORTS_KEY] = reports
        messages.success(
            request,
            _(
                "The scheduler placed %(placed)d meetings and kept %(kept)d where they were; "
                "%(unscheduled)d requests could not be placed."
            )
            % {
                "placed": report.placed,
                "kept": report.kept,
                "unscheduled": len(report.unscheduled),
            },
        )
        return redirect(self.grid_url() + "#report")


# Unavailabilities ----------------------------------------------------------------------


class GridUnavailabilityView(GridMixin, TemplateView):
    """Each participant's unavailable slots: pick a company or a counterpart, tick the
    slots, in destination time, grouped by day and session."""

    template_name = "meetings/grid_unavailability.html"

    def _load(self, key: str):
        """The participants by key, and the chosen one's name (404 for a key that is not
        one of them)."""
        self.get_mission()
        if self.grid is None:
            raise Http404
        self.participants = grid_participant_names(self.mission)
        self.key, self.participant_name = key, None
        if key:
            self.participant_name = next(
                (name for other, name, _company in self.participants if other == key), None
            )
            if self.participant_name is None:
                raise Http404

    def get(self, request, *args, **kwargs):
        self._load(request.GET.get("participant", ""))
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, chosen=None, error=None, **kwargs):
        slots = list(self.grid.slots.order_by("starts_at"))
        unavailable = unavailabilities_of(self.grid)
        if chosen is None:
            chosen = unavailable.get(self.key, set())
        for slot in slots:
            slot.checked = slot.pk in chosen
        return super().get_context_data(
            mission=self.mission,
            grid=self.grid,
            participants=self.participants,
            unavailable={key: len(slots) for key, slots in unavailable.items()},
            participant_key=self.key,
            participant_name=self.participant_name,
            days=slots_by_day(slots, self.mission.zone),
            zone_name=self.mission.timezone,
            error=error,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self._load(request.POST.get("participant", ""))
        if self.participant_name is None:
            raise Http404
        self.participant = grid_participant(self.mission, self.key)
        try:
            chosen = {int(pk) for pk in request.POST.getlist("slots")}
        except ValueError:
            chosen = None
        who = (
            {"application": self.participant}
            if isinstance(self.participant, Application)
            else {"counterpart": self.participant}
        )
        try:
            if chosen is None:
                raise GridError(_("A slot chosen is not in this mission's grid."))
            count = unavailability_set(grid=self.grid, slots=chosen, by=request.user, **who)
        except GridError as error:
            return self.render_to_response(
                self.get_context_data(chosen=chosen or set(), error=_messages_of(error))
            )
        messages.success(
            request,
            _("%(who)s: %(count)d unavailable slots saved.")
            % {"who": self.participant_name, "count": count},
        )
        return redirect(
            reverse("meetings:grid_unavailability", args=[self.mission.pk])
            + f"?participant={self.key}"
        )


# One meeting ---------------------------------------------------------------------------


class MeetingMixin(GridMixin):
    def get_meeting(self) -> Meeting:
        meeting = meeting_for_move(self.kwargs["pk"])
        if meeting is None:
            raise Http404
        self.mission = meeting.slot.grid.mission
        self.grid = meeting.slot.grid
        return meeting

    def grid_url(self, meeting=None):
        url = reverse("meetings:grid", args=[self.mission.pk])
        return url + (f"#meeting-{meeting.pk}" if meeting else "")


# Who made a change that names no staff member.
COUNTERPART_ACTIONS = {
    MeetingChange.Action.ACCEPTED,
    MeetingChange.Action.DECLINED,
    MeetingChange.Action.FEEDBACK,
}


def change_author(change: MeetingChange) -> str:
    """Who made a change, as staff read it: the staff member, the counterpart (no
    account), or the scheduler (run by a staff member, or by no one)."""
    user = change.changed_by
    name = (user.get_full_name() or user.email) if user else ""
    if change.action == MeetingChange.Action.PLACED:
        return _("The scheduler, run by %(name)s") % {"name": name} if name else _("The scheduler")
    if name:
        return name
    if change.action in COUNTERPART_ACTIONS:
        return _("The counterpart")
    return "—"


class MeetingMoveView(MeetingMixin, TemplateView):
    """Move a meeting to another slot or table of its grid; what is in the way is said
    next to the field it is about. Below, the meeting's history: staff's page only, it
    names staff."""

    template_name = "meetings/meeting_move.html"

    def _form(self, meeting, data=None):
        zone_name = self.mission.timezone
        slots = list(self.grid.slots.order_by("starts_at"))
        choices = [(slot.pk, slot_label(slot, zone_name)) for slot in slots]
        return MeetingMoveForm(
            data,
            slot_choices=choices,
            tables=self.grid.tables,
            initial={"slot": meeting.slot_id, "table": meeting.table},
        )

    def get(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        return self.render_to_response(
            self.get_context_data(meeting=meeting, form=self._form(meeting))
        )

    def get_context_data(self, **kwargs):
        changes = meeting_history(kwargs["meeting"])
        for change in changes:
            change.author = change_author(change)
        return super().get_context_data(
            mission=self.mission, grid=self.grid, changes=changes, **kwargs
        )

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        form = self._form(meeting, request.POST)
        if form.is_valid():
            slot = MeetingSlot.objects.filter(pk=form.cleaned_data["slot"]).first()
            try:
                if slot is None:
                    raise GridError(_("This slot no longer exists."), code="other_grid")
                moved = meeting_move(
                    meeting=meeting,
                    slot=slot,
                    table=form.cleaned_data["table"],
                    by=request.user,
                    base_url=request.build_absolute_uri("/"),
                )
            except GridError as error:
                form.add_error(MOVE_ERROR_FIELDS.get(error.code), error)
            else:
                text = _("%(meeting)s is now at table %(table)d, %(when)s, and locked there.")
                if moved.invited_at:
                    text += " " + _("Both sides are told of the change.")
                messages.success(
                    request,
                    text
                    % {
                        "meeting": f"{moved.application.company.name} ↔ "
                        f"{moved.counterpart.organisation}",
                        "table": moved.table,
                        "when": slot_label(moved.slot, self.mission.timezone),
                    },
                )
                return redirect(self.grid_url(moved))
        return self.render_to_response(self.get_context_data(meeting=meeting, form=form))


class MeetingLockView(MeetingMixin, View):
    """Lock a meeting where it is, or unlock it (``locked`` = "1" or "0")."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        locked = request.POST.get("locked") == "1"
        try:
            meeting = meeting_lock(meeting=meeting, locked=locked, by=request.user)
        except GridError as error:
            messages.error(request, _messages_of(error))
        else:
            names = {
                "meeting": f"{meeting.application.company.name} ↔ "
                f"{meeting.counterpart.organisation}"
            }
            messages.success(
                request,
                (
                    _("%(meeting)s is locked: the scheduler leaves it where it is.")
                    if locked
                    else _("%(meeting)s is unlocked: the scheduler may move it.")
                )
                % names,
            )
        return redirect(self.grid_url(meeting))
