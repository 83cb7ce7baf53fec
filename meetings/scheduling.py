"""The B2B meeting scheduler: which qualified request meets in which slot, at which table.

A pure module (no Django): the staff grid page and `manage.py schedule_meetings` both call
`schedule(problem)`.

What `schedule` guarantees, for a `Problem` that passes validation:
- no participant has two meetings in the same slot, whatever their role (a participant may
  be the company of one request and the counterpart of another: a participant is a
  calendar, and two companies of a delegation may well meet);
- nobody meets in a slot they are unavailable for;
- a slot holds at most `tables` meetings, numbered from 1: locked meetings keep their table,
  the others take the lowest free tables in the order of their request ids;
- locked placements are kept exactly as they are;
- every request is either placed once or listed once in `unscheduled`, with a reason code;
- the sum of the priorities of the placed meetings (`objective`) is maximal when `optimal`
  is true; otherwise `bound` is a proven upper bound on that sum, so
  `objective / bound` is a floor on the quality of the answer;
- the same problem always gives the same schedule when the solver proves optimality (or
  stops at its tolerance) within the time limit, which is the case on the grids measured in
  `bench/scheduler.py`; a run cut short by the time limit depends on the machine's speed.

How: slots where the same people are free and the same number of tables is left are
interchangeable, so an integer program solved by HiGHS chooses, for each request, a class of
such slots (or none): a participant free in the k slots of a class meets at most k times
there, a class holds at most its free tables. When companies and counterparts are distinct
people (the portal's case), any such choice can be seated slot by slot by edge colouring
(König), so the answer is optimal and `optimal` says so. When absences and locked meetings
scatter so much that classes become too many, runs of similar slots are merged: the bound
stays valid, and the rare meeting the colouring cannot seat is left to a final pass, which
offers every slot again to whatever is unplaced, best first, so no unscheduled request could
simply be added. First-fit by priority gives HiGHS its first solution.

Reason codes of an unscheduled request (`REASONS`):
- `participant_unavailable`: the company or the counterpart is unavailable for every slot;
- `no_common_slot`: both are available sometimes, but never in the same slot;
- `participant_busy`: in every slot where both are available, one of them already meets
  someone (a locked meeting, or one the optimisation preferred);
- `slots_full`: in some slot where both are available and free, every table is taken.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

Id = Hashable

PRIORITIES = (1, 2, 3)

PARTICIPANT_UNAVAILABLE = "participant_unavailable"
NO_COMMON_SLOT = "no_common_slot"
PARTICIPANT_BUSY = "participant_busy"
SLOTS_FULL = "slots_full"
REASONS = (PARTICIPANT_UNAVAILABLE, NO_COMMON_SLOT, PARTICIPANT_BUSY, SLOTS_FULL)

# Enough for the trade-fair grids of bench/scheduler.py on two cores, with room to spare.
DEFAULT_TIME_LIMIT = 8.0
# Beyond this many (request, class) pairs, exact classes are merged per day (see _classes).
MAX_EXACT_COLUMNS = 20_000


class SchedulingError(ValueError):
    """The problem is inconsistent; the message is one sentence naming the culprit."""


@dataclass(frozen=True)
class Slot:
    id: Id
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Participant:
    id: Id
    unavailable: frozenset[Id] = frozenset()


@dataclass(frozen=True)
class Request:
    id: Id
    company: Id
    counterpart: Id
    priority: int


@dataclass(frozen=True)
class Placement:
    request: Id
    slot: Id
    table: int


@dataclass(frozen=True)
class Problem:
    slots: tuple[Slot, ...]
    tables: int
    participants: tuple[Participant, ...]
    requests: tuple[Request, ...]
    locked: tuple[Placement, ...] = ()


@dataclass(frozen=True)
class Schedule:
    """Placements sorted by slot (chronologically), then table; unscheduled ids sorted."""

    placements: tuple[Placement, ...]
    unscheduled: tuple[Id, ...]
    reasons: Mapping[Id, str] = field(hash=False)
    objective: int
    bound: int
    optimal: bool


def id_order(value: Id) -> tuple:
    """A total order on ids that may mix integers and strings: integers first."""
    if isinstance(value, int) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, str(value))


class _Index:
    """The validated problem, with the lookups every step needs."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        # Slots in chronological order; position in this list is the slot's rank.
        self.slots = sorted(problem.slots, key=lambda slot: (slot.start, id_order(slot.id)))
        self.slot_rank = {slot.id: rank for rank, slot in enumerate(self.slots)}
        self.unavailable = {p.id: frozenset(p.unavailable) for p in problem.participants}
        self.requests = {request.id: request for request in problem.requests}
        self.locked = {placement.request: placement for placement in problem.locked}

    def available_ranks(self, participant: Id) -> set[int]:
        unavailable = self.unavailable[participant]
        return {rank for rank, slot in enumerate(self.slots) if slot.id not in unavailable}


def validate(problem: Problem) -> None:
    """Raise `SchedulingError` naming the first inconsistency found, or return None."""
    _validate(problem)


def _validate(problem: Problem) -> _Index:
    tables = problem.tables
    if not isinstance(tables, int) or isinstance(tables, bool) or tables < 1:
        raise SchedulingError(
            f"The number of tables must be a whole number of at least 1, not {tables!r}."
        )
    slot_ids: set[Id] = set()
    for slot in problem.slots:
        if slot.id in slot_ids:
            raise SchedulingError(f"Slot {slot.id!r} is listed twice.")
        slot_ids.add(slot.id)
        if slot.start.utcoffset() is None or slot.end.utcoffset() is None:
            raise SchedulingError(f"Slot {slot.id!r} has a time without a UTC offset.")
        if slot.end <= slot.start:
            raise SchedulingError(f"Slot {slot.id!r} does not end after it starts.")
    chronological = sorted(problem.slots, key=lambda slot: (slot.start, id_order(slot.id)))
    for earlier, later in itertools.pairwise(chronological):
        if later.start < earlier.end:
            raise SchedulingError(f"Slots {earlier.id!r} and {later.id!r} overlap.")

    participant_ids: set[Id] = set()
    for participant in problem.participants:
        if participant.id in participant_ids:
            raise SchedulingError(f"Participant {participant.id!r} is listed twice.")
        participant_ids.add(participant.id)
        for slot_id in sorted(participant.unavailable, key=id_order):
            if slot_id not in slot_ids:
                raise SchedulingError(
                    f"Participant {participant.id!r} is unavailable for an unknown slot "
                    f"{slot_id!r}."
                )

    request_ids: set[Id] = set()
    for request in problem.requests:
        if request.id in request_ids:
            raise SchedulingError(f"Request {request.id!r} is listed twice.")
        request_ids.add(request.id)
        for role in ("company", "counterpart"):
            if getattr(request, role) not in participant_ids:
                raise SchedulingError(
                    f"Request {request.id!r} names an unknown {role} {getattr(request, role)!r}."
                )
        if request.company == request.counterpart:
            raise SchedulingError(
                f"Request {request.id!r} has {request.company!r} as both company and counterpart."
            )
        priority = request.priority
        if (
            not isinstance(priority, int)
            or isinstance(priority, bool)
            or priority not in (PRIORITIES)
        ):
            raise SchedulingError(
                f"Request {request.id!r} has priority {priority!r}; priorities go from "
                f"{PRIORITIES[0]} to {PRIORITIES[-1]}."
            )

    index = _Index(problem)
    at_table: dict[tuple[Id, int], Id] = {}
    in_slot: dict[tuple[Id, Id], Id] = {}
    locked_ids: set[Id] = set()
    for placement in problem.locked:
        request_id = placement.request
        if request_id not in request_ids:
            raise SchedulingError(f"A locked meeting names an unknown request {request_id!r}.")
        if request_id in locked_ids:
            raise SchedulingError(f"Request {request_id!r} is locked twice.")
        locked_ids.add(request_id)
        if placement.slot not in slot_ids:
            raise SchedulingError(
                f"Locked request {request_id!r} is in an unknown slot {placement.slot!r}."
            )
        table = placement.table
        if not isinstance(table, int) or isinstance(table, bool) or not 1 <= table <= tables:
            raise SchedulingError(
                f"Locked request {request_id!r} is at table {table!r}, but tables go from 1 "
                f"to {tables}."
            )
        other = at_table.setdefault((placement.slot, table), request_id)
        if other != request_id:
            raise SchedulingError(
                f"Locked requests {other!r} and {request_id!r} share table {table} in slot "
                f"{placement.slot!r}."
            )
        request = index.requests[request_id]
        for participant in (request.company, request.counterpart):
            if placement.slot in index.unavailable[participant]:
                raise SchedulingError(
                    f"Locked request {request_id!r} is in slot {placement.slot!r}, for which "
                    f"{participant!r} is unavailable."
                )
            other = in_slot.setdefault((participant, placement.slot), request_id)
            if other != request_id:
                raise SchedulingError(
                    f"Locked requests {other!r} and {request_id!r} both need {participant!r} "
                    f"in slot {placement.slot!r}."
                )
    return index


class _Grid:
    """A schedule under construction: who is busy when, how many tables each slot uses."""

    def __init__(self, index: _Index) -> None:
        self.index = index
        self.busy: set[tuple[Id, int]] = set()
        self.used = [0] * len(index.slots)
        self.rank_of: dict[Id, int] = {}
        for placement in index.problem.locked:
            self.place(index.requests[placement.request], index.slot_rank[placement.slot])

    def fits(self, request: Request, rank: int) -> bool:
        return (
            self.used[rank] < self.index.problem.tables
            and (request.company, rank) not in self.busy
            and (request.counterpart, rank) not in self.busy
        )

    def place(self, request: Request, rank: int) -> None:
        self.busy.add((request.company, rank))
        self.busy.add((request.counterpart, rank))
        self.used[rank] += 1
        self.rank_of[request.id] = rank

    def first_fit(self, requests: Iterable[Request], candidates: Mapping[Id, list[int]]) -> None:
        """Place each request, in the order given, in its earliest slot that still fits."""
        for request in requests:
            if request.id in self.rank_of:
                continue
            for rank in candidates[request.id]:
                if self.fits(request, rank):
                    self.place(request, rank)
                    break


def _candidates(index: _Index) -> dict[Id, list[int]]:
    """For each request not locked: the ranks of the slots where both are available."""
    available = {p: index.available_ranks(p) for p in index.unavailable}
    return {
        request.id: sorted(available[request.company] & available[request.counterpart])
        for request in index.problem.requests
        if request.id not in index.locked
    }


def _by_priority(index: _Index) -> list[Request]:
    return sorted(
        (r for r in index.problem.requests if r.id not in index.locked),
        key=lambda r: (-r.priority, id_order(r.id)),
    )


def greedy(problem: Problem) -> Schedule:
    """First-fit by priority: the BASELINE of bench/scheduler.py, not used by the portal.

    Requests by decreasing priority (then id), each in its earliest slot that still fits.
    `bound` is the sum of all priorities, the only bound it knows.
    """
    index = _validate(problem)
    candidates = _candidates(index)
    grid = _Grid(index)
    grid.first_fit(_by_priority(index), candidates)
    total = sum(request.priority for request in problem.requests)
    return _finish(grid, candidates, bound=total)


def schedule(problem: Problem, *, time_limit: float = DEFAULT_TIME_LIMIT) -> Schedule:
    """Place the requests so as to maximise the sum of their priorities (see the module)."""
    index = _validate(problem)
    candidates = _candidates(index)
    grid = _Grid(index)
    start = _Grid(index)
    start.first_fit(_by_priority(index), candidates)
    locked_sum = sum(index.requests[request_id].priority for request_id in index.locked)
    classes = _classes(grid, candidates)
    chosen, solver_bound = _solve(grid, classes, candidates, start, time_limit)
    for slot_class in classes:
        members = sorted(
            chosen.get(slot_class.key, ()),
            key=lambda request_id: (-index.requests[request_id].priority, id_order(request_id)),
        )
        for request_id, rank in sorted(
            _colour(grid, slot_class, members).items(), key=lambda item: id_order(item[0])
        ):
            request = index.requests[request_id]
            # Checking costs nothing and keeps the guarantees whatever happened upstream.
            if grid.fits(request, rank):
                grid.place(request, rank)
    # A solve cut short, or a meeting the colouring could not seat, may leave room: offer
    # every slot again, best requests first.
    grid.first_fit(_by_priority(index), candidates)
    bound = locked_sum + math.floor(solver_bound + 1e-6)
    return _finish(grid, candidates, bound=bound)


@dataclass(frozen=True)
class _SlotClass:
    """Slots that the integer program treats as one: it counts meetings per class."""

    key: int
    ranks: tuple[int, ...]


def _blocked(grid: _Grid) -> dict[Id, set[int]]:
    """For each participant, the ranks of the slots they are unavailable or locked in."""
    index = grid.index
    blocked: dict[Id, set[int]] = {
        participant: {index.slot_rank[slot_id] for slot_id in unavailable}
        for participant, unavailable in index.unavailable.items()
    }
    for participant, rank in grid.busy:
        blocked[participant].add(rank)
    return blocked


def _classes(grid: _Grid, candidates: Mapping[Id, list[int]]) -> list[_SlotClass]:
    """Group the slots that still have a free table.

    Exactly: slots with the same people blocked and the same free tables are
    interchangeable, and a plan that counts meetings per such class can always be seated
    (see `_colour`). When absences and locked meetings scatter so much that the classes
    become too many for a quick solve, runs of consecutive slots whose blocked people
    differ little are merged (within a day); the program then still bounds the optimum from
    above, and the rare meeting that cannot be seated goes to the final pass.
    """
    index = grid.index
    tables = index.problem.tables
    blocked_at: dict[int, set[Id]] = defaultdict(set)
    for participant, ranks in _blocked(grid).items():
        for rank in ranks:
            blocked_at[rank].add(participant)
    open_ranks = [rank for rank in range(len(index.slots)) if grid.used[rank] < tables]
    exact: dict[tuple[frozenset[Id], int], list[int]] = {}
    for rank in open_ranks:
        exact.setdefault((frozenset(blocked_at[rank]), grid.used[rank]), []).append(rank)
    groups = list(exact.values())
    # Too many classes for a quick solve: merge runs of consecutive slots of a day whose
    # blocked people differ by at most `spread`, doubling it until the program is small.
    spread = 1
    while _columns(groups, candidates) > MAX_EXACT_COLUMNS and spread < len(index.unavailable):
        spread *= 2
        groups = []
        for rank in open_ranks:
            if groups:
                first = groups[-1][0]
                if index.slots[first].start.date() == index.slots[rank].start.date() and (
                    len(blocked_at[first] ^ blocked_at[rank]) <= spread
                ):
                    groups[-1].append(rank)
                    continue
            groups.append([rank])
    return [_SlotClass(key, tuple(ranks)) for key, ranks in enumerate(groups)]


def _columns(groups: list[list[int]], candidates: Mapping[Id, list[int]]) -> int:
    """How many (request, class) binaries the integer program would have."""
    class_of = {rank: key for key, ranks in enumerate(groups) for rank in ranks}
    return sum(len({class_of.get(rank) for rank in ranks}) for ranks in candidates.values())


def _solve(
    grid: _Grid,
    classes: list[_SlotClass],
    candidates: Mapping[Id, list[int]],
    start: _Grid,
    time_limit: float,
) -> tuple[dict[int, list[Id]], float]:
    """Choose, for each request, a class of slots (or none); return them and the bound.

    The integer program counts meetings per class instead of per slot: a participant free
    in k slots of a class meets at most k times there, and the class holds at most its free
    tables, summed over its slots. Every schedule satisfies these rows, so the program's
    bound is an upper bound of the optimum; with exact classes the converse holds too. It
    is far smaller than one binary per slot, with none of the symmetry between
    interchangeable slots that slows a solver down.
    """
    index = grid.index
    tables = index.problem.tables
    blocked = _blocked(grid)
    class_of = {rank: slot_class for slot_class in classes for rank in slot_class.ranks}
    columns: list[tuple[Id, _SlotClass]] = []
    for request_id in sorted(candidates, key=id_order):
        request = index.requests[request_id]
        seen: set[int] = set()
        for rank in candidates[request_id]:
            slot_class = class_of.get(rank)
            if (
                slot_class is not None
                and slot_class.key not in seen
                and rank not in blocked[request.company]
                and rank not in blocked[request.counterpart]
            ):
                seen.add(slot_class.key)
                columns.append((request_id, slot_class))
    if not columns:
        return {}, 0.0

    import numpy as np
    from highspy import _core as highs  # `highspy.Highs()` prints a banner on stdout.

    # Rows: one per request, per (participant, class) and per class, kept only if they bind.
    by_request: dict[Id, list[int]] = defaultdict(list)
    by_person: dict[tuple[Id, int], list[int]] = defaultdict(list)
    by_class: dict[int, list[int]] = defaultdict(list)
    for column, (request_id, slot_class) in enumerate(columns):
        request = index.requests[request_id]
        by_request[request_id].append(column)
        by_person[(request.company, slot_class.key)].append(column)
        by_person[(request.counterpart, slot_class.key)].append(column)
        by_class[slot_class.key].append(column)
    ranks_of = {slot_class.key: slot_class.ranks for slot_class in classes}
    rows: list[tuple[list[int], int]] = []
    rows += [(cols, 1) for cols in by_request.values() if len(cols) > 1]
    for (person, key), cols in by_person.items():
        free = sum(1 for rank in ranks_of[key] if rank not in blocked[person])
        if len(cols) > free:
            rows.append((cols, free))
    for key, cols in by_class.items():
        free = sum(tables - grid.used[rank] for rank in ranks_of[key])
        if len(cols) > free:
            rows.append((cols, free))
    entries: list[list[int]] = [[] for _ in columns]
    for row, (cols, _upper) in enumerate(rows):
        for column in cols:
            entries[column].append(row)

    lp = highs.HighsLp()
    lp.num_col_ = len(columns)
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.array(
        [index.requests[request_id].priority for request_id, _class in columns], dtype=np.float64
    )
    lp.col_lower_ = np.zeros(len(columns))
    lp.col_upper_ = np.ones(len(columns))
    lp.row_lower_ = np.full(len(rows), -highs.kHighsInf)
    lp.row_upper_ = np.array([upper for _cols, upper in rows], dtype=np.float64)
    lp.sense_ = highs.ObjSense.kMaximize
    lp.a_matrix_.format_ = highs.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.cumsum([0] + [len(e) for e in entries], dtype=np.int32)
    lp.a_matrix_.index_ = np.array([row for e in entries for row in e], dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(int(lp.a_matrix_.start_[-1]), dtype=np.float64)
    lp.integrality_ = [highs.HighsVarType.kInteger] * len(columns)

    solver = highs._Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("time_limit", float(time_limit))
    # Priorities are whole numbers: a gap under 1 proves the optimum.
    solver.setOptionValue("mip_rel_gap", 0.0)
    solver.setOptionValue("mip_abs_gap", 0.99)
    solver.setOptionValue("random_seed", 0)
    solver.passModel(lp)

    initial = highs.HighsSolution()
    initial.col_value = [
        1.0 if class_of.get(start.rank_of.get(request_id, -1)) is slot_class else 0.0
        for request_id, slot_class in columns
    ]
    initial.value_valid = True
    solver.setSolution(initial)
    solver.run()

    info = solver.getInfo()
    values = solver.getSolution().col_value if info.primal_solution_status else []
    chosen: dict[int, list[Id]] = defaultdict(list)
    for column, value in enumerate(values):
        if value > 0.5:
            request_id, slot_class = columns[column]
            chosen[slot_class.key].append(request_id)
    bound = info.mip_dual_bound
    if not math.isfinite(bound):
        bound = float(sum(index.requests[request_id].priority for request_id in candidates))
    return chosen, bound


class _Colouring:
    """Meetings as the edges of a graph on participants; a colour is a slot of the class."""

    def __init__(self, grid: _Grid, slot_class: _SlotClass) -> None:
        self.requests = grid.index.requests
        self.colours = range(len(slot_class.ranks))
        tables = grid.index.problem.tables
        self.room = [tables - grid.used[rank] for rank in slot_class.ranks]
        blocked = _blocked(grid)
        self.blocked = {
            person: {c for c, rank in enumerate(slot_class.ranks) if rank in ranks}
            for person, ranks in blocked.items()
        }
        # at[participant][colour] = (request id, the other participant)
        self.at: dict[Id, dict[int, tuple[Id, Id]]] = defaultdict(dict)
        self.colour_of: dict[Id, int] = {}
        self.size = [0] * len(slot_class.ranks)

    def free(self, person: Id, colour: int) -> bool:
        return colour not in self.at[person] and colour not in self.blocked[person]

    def add(self, edge: Id, colour: int) -> None:
        request = self.requests[edge]
        self.at[request.company][colour] = (edge, request.counterpart)
        self.at[request.counterpart][colour] = (edge, request.company)
        self.colour_of[edge] = colour
        self.size[colour] += 1

    def remove(self, edge: Id) -> None:
        request = self.requests[edge]
        colour = self.colour_of.pop(edge)
        del self.at[request.company][colour]
        del self.at[request.counterpart][colour]
        self.size[colour] -= 1

    def path(self, start: Id, first: int, second: int) -> list[Id]:
        """The edges of the first/second alternating path that leaves `start` by `first`."""
        edges: list[Id] = []
        node, colour = start, first
        while colour in self.at[node]:
            edge, node = self.at[node][colour]
            if edges and edge == edges[0]:
                break  # a cycle
            edges.append(edge)
            colour = second if colour == first else first
        return edges

    def swappable(self, edges: list[Id], a: int, b: int) -> bool:
        for edge in edges:
            request = self.requests[edge]
            target = b if self.colour_of[edge] == a else a
            if (
                target in self.blocked[request.company]
                or target in self.blocked[request.counterpart]
            ):
                return False
        return True

    def swap(self, edges: list[Id], a: int, b: int) -> None:
        colours = {edge: self.colour_of[edge] for edge in edges}
        for edge in edges:
            self.remove(edge)
        for edge in edges:
            self.add(edge, b if colours[edge] == a else a)

    def seat(self, edge: Id) -> bool:
        """Colour one more edge, swapping an alternating path if needed (König's method)."""
        request = self.requests[edge]
        u, v = request.company, request.counterpart
        both = [c for c in self.colours if self.free(u, c) and self.free(v, c)]
        if both:
            self.add(edge, min(both, key=lambda c: (self.size[c] >= self.room[c], c)))
            return True
        for a in (c for c in self.colours if self.free(u, c) and c not in self.blocked[v]):
            for b in (c for c in self.colours if self.free(v, c) and c not in self.blocked[u]):
                edges = self.path(v, a, b)
                ends_at_u = edges and u in (
                    self.requests[edges[-1]].company,
                    self.requests[edges[-1]].counterpart,
                )
                if not ends_at_u and self.swappable(edges, a, b):
                    self.swap(edges, a, b)
                    self.add(edge, a)
                    return True
        return False

    def heavy_path(self, a: int, b: int) -> list[Id] | None:
        """An a/b alternating path with more a-edges than b-edges that may be swapped."""
        for edge in sorted((e for e, c in self.colour_of.items() if c == a), key=id_order):
            request = self.requests[edge]
            left = self.path(request.company, b, a)
            right = self.path(request.counterpart, b, a)
            if edge in left:
                continue  # a cycle: as many a-edges as b-edges
            edges = [*left, edge, *right]
            count_a = sum(1 for e in edges if self.colour_of[e] == a)
            if 2 * count_a > len(edges) and self.swappable(edges, a, b):
                return edges
        return None


def _colour(grid: _Grid, slot_class: _SlotClass, members: list[Id]) -> dict[Id, int]:
    """Seat the meetings chosen for a class in its slots; return request id -> slot rank.

    Each slot is a colour of an edge colouring of the graph whose vertices are participants
    and whose edges are the meetings. With companies on one side and counterparts on the
    other, the graph is bipartite and König's theorem gives a colouring with as many colours
    as the busiest participant has meetings, found by swapping alternating paths; swapping
    paths again evens out the colours until none holds more meetings than its slot has free
    tables. That is exact for the exact classes of `_classes`. Where it cannot be (odd
    cycles when someone is company in one request and counterpart in another, slots of a
    day class blocked for some), a meeting that cannot be seated is left to the final pass;
    `members` come best first, so those are the least valuable.
    """
    colouring = _Colouring(grid, slot_class)
    for edge in members:
        colouring.seat(edge)
    # Even out: move meetings from an overfull colour to one with room, a path at a time.
    while True:
        over = [c for c in colouring.colours if colouring.size[c] > colouring.room[c]]
        if not over:
            break
        a = over[0]
        spare = sorted(
            (c for c in colouring.colours if colouring.size[c] < colouring.room[c]),
            key=lambda c: (colouring.size[c], c),
        )
        for b in spare:
            edges = colouring.heavy_path(a, b)
            if edges is not None:
                colouring.swap(edges, a, b)
                break
        else:
            # No path helps: leave the least valuable meeting of that slot to the final pass.
            requests = grid.index.requests
            colouring.remove(
                min(
                    (e for e, c in colouring.colour_of.items() if c == a),
                    key=lambda e: (requests[e].priority, _reverse(e)),
                )
            )
    # Fuller slots first where slots are alike, so the grid fills from the start.
    ranks = slot_class.ranks
    rank_of_colour = dict(enumerate(ranks))
    if not any(colouring.blocked.values()) and len(set(colouring.room)) == 1:
        order = sorted(colouring.colours, key=lambda c: (-colouring.size[c], c))
        rank_of_colour = {colour: ranks[i] for i, colour in enumerate(order)}
    return {edge: rank_of_colour[colour] for edge, colour in colouring.colour_of.items()}


def _reverse(value: Id) -> tuple:
    """The opposite of `id_order`, to pick the highest id with `min`."""
    kind, number, text = id_order(value)
    return (-kind, -number, tuple(-ord(char) for char in text))


def _finish(grid: _Grid, candidates: Mapping[Id, list[int]], *, bound: int) -> Schedule:
    index = grid.index
    tables = index.problem.tables
    taken: dict[int, set[int]] = defaultdict(set)
    placements: dict[Id, Placement] = {}
    for placement in index.problem.locked:
        taken[index.slot_rank[placement.slot]].add(placement.table)
        placements[placement.request] = placement
    for request_id in sorted(grid.rank_of, key=id_order):
        if request_id in placements:
            continue
        rank = grid.rank_of[request_id]
        table = next(t for t in range(1, tables + 1) if t not in taken[rank])
        taken[rank].add(table)
        placements[request_id] = Placement(request_id, index.slots[rank].id, table)

    unscheduled = sorted(
        (r.id for r in index.problem.requests if r.id not in placements), key=id_order
    )
    reasons = {request_id: _reason(grid, candidates, request_id) for request_id in unscheduled}
    objective = sum(index.requests[request_id].priority for request_id in placements)
    bound = max(bound, objective)
    ordered = sorted(placements.values(), key=lambda p: (index.slot_rank[p.slot], p.table))
    return Schedule(
        placements=tuple(ordered),
        unscheduled=tuple(unscheduled),
        reasons=reasons,
        objective=objective,
        bound=bound,
        optimal=objective == bound,
    )


def _reason(grid: _Grid, candidates: Mapping[Id, list[int]], request_id: Id) -> str:
    index = grid.index
    request = index.requests[request_id]
    if not candidates[request_id]:
        if not index.available_ranks(request.company) or not index.available_ranks(
            request.counterpart
        ):
            return PARTICIPANT_UNAVAILABLE
        return NO_COMMON_SLOT
    for rank in candidates[request_id]:
        if (request.company, rank) not in grid.busy and (
            request.counterpart,
            rank,
        ) not in grid.busy:
            return SLOTS_FULL
    return PARTICIPANT_BUSY
