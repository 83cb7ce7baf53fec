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

import heapq
import itertools
import math
import time
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

# What a run maximises: the sum of the priorities placed, or first the fewest meetings of
# any company (then the priorities at that floor).
PRIORITY = "priority"
BALANCED = "balanced"
OBJECTIVES = (PRIORITY, BALANCED)

# Enough for the trade-fair grids of bench/scheduler.py on two cores, with room to spare.
DEFAULT_TIME_LIMIT = 8.0
# A balanced run settles for priorities within this share of the best at its floor.
BALANCED_GAP = 0.001
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
    # The objective it was run for, and for "balanced" the floors reached by role
    # ("company", "counterpart"): everyone has at least min(floor, most_alone) meetings.
    objective_name: str = PRIORITY
    floors: Mapping[str, int] = field(default_factory=dict, hash=False)


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
        # (participant, rank) -> the request they meet for there
        self.busy: dict[tuple[Id, int], Id] = {}
        self.used = [0] * len(index.slots)
        self.rank_of: dict[Id, int] = {}
        self.in_rank: list[set[Id]] = [set() for _ in index.slots]
        for placement in index.problem.locked:
            self.place(index.requests[placement.request], index.slot_rank[placement.slot])

    def fits(self, request: Request, rank: int) -> bool:
        return (
            self.used[rank] < self.index.problem.tables
            and (request.company, rank) not in self.busy
            and (request.counterpart, rank) not in self.busy
        )

    def place(self, request: Request, rank: int) -> None:
        self.busy[(request.company, rank)] = request.id
        self.busy[(request.counterpart, rank)] = request.id
        self.used[rank] += 1
        self.rank_of[request.id] = rank
        self.in_rank[rank].add(request.id)

    def remove(self, request: Request) -> int:
        rank = self.rank_of.pop(request.id)
        del self.busy[(request.company, rank)]
        del self.busy[(request.counterpart, rank)]
        self.used[rank] -= 1
        self.in_rank[rank].discard(request.id)
        return rank

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


def schedule(
    problem: Problem,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    objective: str = PRIORITY,
    counterpart_floor: bool = False,
) -> Schedule:
    """Place the requests for `objective` (see the module); `time_limit` is for the whole
    run. `counterpart_floor` (balanced only) also raises the fewest meetings of any
    counterpart as high as it goes, once the companies' floor is reached."""
    if objective not in OBJECTIVES:
        raise SchedulingError(
            f"The objective must be one of {', '.join(OBJECTIVES)}, not {objective!r}."
        )
    deadline = time.monotonic() + time_limit
    index = _validate(problem)
    candidates = _candidates(index)
    grid = _Grid(index)
    program = _Program(grid, _classes(grid, candidates), candidates)
    if objective == PRIORITY:
        start = _Grid(index)
        start.first_fit(_by_priority(index), candidates)
        answer = program.solve(start=program.start(start), time_limit=time_limit)
        fair = _Fairness({}, {}, proven=True)
    else:
        roles = ("company", "counterpart") if counterpart_floor else ("company",)
        answer, fair = _balanced(grid, program, candidates, roles, deadline)
    if answer.chosen is None and fair.fallback is not None:
        for request_id in sorted(fair.fallback.rank_of, key=id_order):
            if request_id not in index.locked:
                grid.place(index.requests[request_id], fair.fallback.rank_of[request_id])
    for slot_class_key, members in sorted((answer.chosen or {}).items()):
        slot_class = program.classes[slot_class_key]
        members = sorted(
            members,
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
    # every slot again, first to whoever is under their floor, then best requests first.
    targets = fair.targets()
    for role, target in targets.items():
        _round_robin(grid, candidates, role, target)
        _repair(grid, candidates, role, targets)
    grid.first_fit(_by_priority(index), candidates)
    locked_sum = sum(index.requests[request_id].priority for request_id in index.locked)
    bound = locked_sum + math.floor(answer.bound + 1e-6)
    reached = {role: _floor_of(grid, role, fair.most[role]) for role in fair.floors}
    return _finish(
        grid,
        candidates,
        bound=bound,
        objective_name=objective,
        floors=reached,
        floors_proven=fair.proven and reached == fair.floors,
    )


def most_alone(problem: Problem, role: str = "company") -> dict[Id, int]:
    """For each participant who is `role` ("company" or "counterpart") in a request: the
    most meetings they could have in that role if nobody else wanted any slot (their
    locked meetings, and a matching of their other requests to distinct free slots).

    The balanced floor F asks each of them for min(F, this): a company that asked for
    three meetings is not a reason to give the others only three.
    """
    index = _validate(problem)
    candidates = _candidates(index)
    return _most_alone(_Grid(index), candidates, role)


def _most_alone(grid: _Grid, candidates: Mapping[Id, list[int]], role: str) -> dict[Id, int]:
    index = grid.index
    tables = index.problem.tables
    blocked = _blocked(grid)
    most: dict[Id, int] = defaultdict(int)
    options: dict[Id, list[list[int]]] = defaultdict(list)
    for request in index.problem.requests:
        person = getattr(request, role)
        most[person] += 0
        if request.id in index.locked:
            most[person] += 1
            continue
        ranks = [
            rank
            for rank in candidates[request.id]
            if grid.used[rank] < tables
            and rank not in blocked[request.company]
            and rank not in blocked[request.counterpart]
        ]
        if ranks:
            options[person].append(ranks)
    for person, requests in options.items():
        most[person] += _matching(requests)
    return dict(most)


def _matching(options: list[list[int]]) -> int:
    """The size of a maximum matching of items to ranks (Kuhn's augmenting paths)."""
    owner: dict[int, int] = {}

    def augment(item: int, seen: set[int]) -> bool:
        for rank in options[item]:
            if rank in seen:
                continue
            seen.add(rank)
            if rank not in owner or augment(owner[rank], seen):
                owner[rank] = item
                return True
        return False

    return sum(1 for item in range(len(options)) if augment(item, set()))


def _floor_of(grid: _Grid, role: str, most: Mapping[Id, int]) -> int:
    """The highest F such that everyone has at least min(F, most alone) in `role`."""
    count = _count(grid, role)
    short = [count[person] for person, alone in most.items() if count[person] < alone]
    return min(short, default=max(most.values(), default=0))


def _round_robin(
    grid: _Grid,
    candidates: Mapping[Id, list[int]],
    role: str,
    target: Mapping[Id, int] | None = None,
) -> None:
    """Whoever has fewest meetings in `role` takes their best request that still fits, in
    turn; with `target`, only until each has that many meetings."""
    index = grid.index
    queues: dict[Id, list[Request]] = defaultdict(list)
    for request in reversed(_by_priority(index)):
        if request.id not in grid.rank_of:
            queues[getattr(request, role)].append(request)
    count = _count(grid, role)

    def wants(person: Id, placed: int) -> bool:
        return target is None or placed < target.get(person, 0)

    heap = [(count[p], id_order(p), p) for p in queues if wants(p, count[p])]
    heapq.heapify(heap)
    while heap:
        placed, order, person = heapq.heappop(heap)
        queue = queues[person]
        while queue:
            request = queue.pop()
            rank = next((r for r in candidates[request.id] if grid.fits(request, r)), None)
            if rank is not None:
                grid.place(request, rank)
                if wants(person, placed + 1):
                    heapq.heappush(heap, (placed + 1, order, person))
                break


def _repair(
    grid: _Grid,
    candidates: Mapping[Id, list[int]],
    role: str,
    targets: Mapping[str, Mapping[Id, int]],
) -> None:
    """Bring whoever is still under their target in `role` up, one meeting at a time: put
    one of their requests in a slot by moving the meetings in its way to another slot, or
    by dropping them where nobody falls under their own target."""
    index = grid.index
    tables = index.problem.tables
    counts = {r: _count(grid, r) for r in targets}
    under = sorted(
        (p for p, target in targets[role].items() if counts[role][p] < target), key=id_order
    )
    waiting: dict[Id, list[Request]] = defaultdict(list)
    if under:
        for request in _by_priority(index):
            if request.id not in grid.rank_of:
                waiting[getattr(request, role)].append(request)
    for person in under:
        for request in waiting[person]:
            if request.id in grid.rank_of:
                continue
            if counts[role][person] >= targets[role][person]:
                break
            for rank in candidates[request.id]:
                in_way = {
                    grid.busy[(someone, rank)]
                    for someone in (request.company, request.counterpart)
                    if (someone, rank) in grid.busy
                }
                if any(request_id in index.locked for request_id in in_way):
                    continue
                if grid.used[rank] - len(in_way) >= tables:
                    spare = sorted(grid.in_rank[rank] - in_way - set(index.locked), key=id_order)
                    if not spare:
                        continue
                    in_way.add(min(spare, key=lambda r: _spare_key(index, counts, targets, r)))
                if _make_way(grid, candidates, request, rank, in_way, counts, targets):
                    for r in targets:
                        counts[r][getattr(request, r)] += 1
                    break


def _spare_key(index: _Index, counts, targets, request_id: Id) -> tuple:
    """Which meeting of a full slot to move or drop first: one whose people have most
    above their targets, then the lowest priority."""
    request = index.requests[request_id]
    margin = min(
        counts[role][getattr(request, role)] - targets[role].get(getattr(request, role), 0)
        for role in targets
    )
    return (-margin, request.priority, _reverse(request_id))


def _make_way(
    grid: _Grid,
    candidates: Mapping[Id, list[int]],
    request: Request,
    rank: int,
    in_way: set[Id],
    counts: dict[str, dict[Id, int]],
    targets: Mapping[str, Mapping[Id, int]],
) -> bool:
    """Place `request` at `rank` after moving (or dropping) the meetings `in_way`; undo
    everything and return False if one can be neither."""
    index = grid.index
    moved = [(index.requests[r], grid.remove(index.requests[r])) for r in sorted(in_way)]
    grid.place(request, rank)
    done: list[tuple[Request, int | None]] = []
    for other, was in moved:
        to = next((r for r in candidates[other.id] if r != was and grid.fits(other, r)), None)
        if to is None and any(
            counts[role][getattr(other, role)] - 1 < targets[role].get(getattr(other, role), 0)
            for role in targets
        ):
            grid.remove(request)
            for placed, _ in done:
                if placed.id in grid.rank_of:
                    grid.remove(placed)
            for back, rank_back in moved:
                grid.place(back, rank_back)
            return False
        if to is not None:
            grid.place(other, to)
        done.append((other, to))
    for other, to in done:
        if to is None:
            for role in targets:
                counts[role][getattr(other, role)] -= 1
    return True


def _count(grid: _Grid, role: str) -> dict[Id, int]:
    """How many meetings each participant has in `role` so far."""
    count: dict[Id, int] = defaultdict(int)
    for request_id in grid.rank_of:
        count[getattr(grid.index.requests[request_id], role)] += 1
    return count


def _locked_count(index: _Index, role: str) -> dict[Id, int]:
    count: dict[Id, int] = defaultdict(int)
    for request_id in index.locked:
        count[getattr(index.requests[request_id], role)] += 1
    return count


@dataclass
class _Fairness:
    """What a balanced run asks: per role, the floor and what each could have alone."""

    floors: dict[str, int]
    most: dict[str, dict[Id, int]]
    proven: bool
    fallback: _Grid | None = None  # what to place if the solver found nothing in time

    def targets(self) -> dict[str, dict[Id, int]]:
        """Per role, the meetings each participant should have: min(floor, most alone)."""
        return {
            role: {p: min(floor, alone) for p, alone in self.most[role].items()}
            for role, floor in self.floors.items()
        }


def _balanced(
    grid: _Grid,
    program: _Program,
    candidates: Mapping[Id, list[int]],
    roles: tuple[str, ...],
    deadline: float,
) -> tuple[_Answer, _Fairness]:
    """Raise each role's floor in turn as high as it goes, then place the most priority.

    A floor is sought on the program's linear relaxation by bisection (a relaxation
    without solution proves the floor out of reach); the integer program is then solved
    for the priorities at those floors, one floor lower (the last role's first) in the
    rare case it has no solution."""
    index = grid.index
    start = _Grid(index)
    _round_robin(start, candidates, roles[0])
    start.first_fit(_by_priority(index), candidates)
    locked = {role: _locked_count(index, role) for role in roles}
    fair = _Fairness({}, {role: _most_alone(grid, candidates, role) for role in roles}, True)

    def rows(floors: Mapping[str, int]) -> list[tuple[list[int], int]]:
        return [
            (program.by_role[role].get(person, []), min(floor, alone) - locked[role][person])
            for role, floor in floors.items()
            for person, alone in fair.most[role].items()
        ]

    # The bisections may take half the time, shared between the roles; the rest is for
    # the priorities.
    searched_by = time.monotonic() + (deadline - time.monotonic()) / 2
    for position, role in enumerate(roles):
        now = time.monotonic()
        role_deadline = now + (searched_by - now) / (len(roles) - position)
        low = _floor_of(start, role, fair.most[role]) if role == roles[0] else 0
        high = max(fair.most[role].values(), default=0)
        while low < high and time.monotonic() < role_deadline:
            middle = (low + high + 1) // 2
            relaxed = program.solve(
                floors=rows({**fair.floors, role: middle}),
                integer=False,
                weighted=False,
                time_limit=role_deadline - time.monotonic(),
            )
            if relaxed.infeasible:
                high = middle - 1
            elif relaxed.chosen is not None:
                low = middle
            else:
                break  # out of time: keep the floor known to be reachable
        fair.proven = fair.proven and low == high
        fair.floors[role] = low
    while True:
        # A start that reaches the floors, if moving meetings aside gets there: the solver
        # then only has to better its priorities, and keeps it if time runs out.
        lifted = _Grid(index)
        for request_id in sorted(start.rank_of, key=id_order):
            if request_id not in index.locked:
                lifted.place(index.requests[request_id], start.rank_of[request_id])
        for role in roles:
            _repair(lifted, candidates, role, fair.targets())
        # The relaxation first: on grids like the portal's its vertex is often whole,
        # hence the optimum, found in a fraction of the integer program's time.
        relaxed = program.solve(
            floors=rows(fair.floors), integer=False, time_limit=deadline - time.monotonic()
        )
        if relaxed.integral:
            return relaxed, fair
        answer = program.solve(
            floors=rows(fair.floors),
            start=program.start(lifted),
            gap=BALANCED_GAP,
            time_limit=deadline - time.monotonic(),
        )
        if relaxed.chosen is not None and answer.bound > relaxed.bound:
            answer = _Answer(answer.chosen, relaxed.bound, answer.infeasible)
        lower = [role for role in reversed(roles) if fair.floors[role] > 0]
        if answer.chosen is not None or not lower:
            return answer, fair
        if not answer.infeasible:
            # Out of time with no solution: the lifted start is the answer.
            fair.proven = False
            fair.fallback = lifted
            return answer, fair
        fair.proven = fair.proven and answer.infeasible
        fair.floors[lower[0]] -= 1


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


class _Program:
    """The integer program of a grid: for each request, a class of slots (or none).

    The program counts meetings per class instead of per slot: a participant free in k
    slots of a class meets at most k times there, and the class holds at most its free
    tables, summed over its slots. Every schedule satisfies these rows, so the program's
    bound is an upper bound of the optimum; with exact classes the converse holds too. It
    is far smaller than one binary per slot, with none of the symmetry between
    interchangeable slots that slows a solver down.
    """

    def __init__(
        self, grid: _Grid, classes: list[_SlotClass], candidates: Mapping[Id, list[int]]
    ) -> None:
        index = grid.index
        self.index = index
        self.classes = classes
        tables = index.problem.tables
        blocked = _blocked(grid)
        self.class_of = {rank: slot_class for slot_class in classes for rank in slot_class.ranks}
        self.columns: list[tuple[Id, _SlotClass]] = []
        for request_id in sorted(candidates, key=id_order):
            request = index.requests[request_id]
            seen: set[int] = set()
            for rank in candidates[request_id]:
                slot_class = self.class_of.get(rank)
                if (
                    slot_class is not None
                    and slot_class.key not in seen
                    and rank not in blocked[request.company]
                    and rank not in blocked[request.counterpart]
                ):
                    seen.add(slot_class.key)
                    self.columns.append((request_id, slot_class))
        # Rows: one per request, per (participant, class) and per class, kept if they bind.
        by_request: dict[Id, list[int]] = defaultdict(list)
        by_person: dict[tuple[Id, int], list[int]] = defaultdict(list)
        by_class: dict[int, list[int]] = defaultdict(list)
        self.by_role: dict[str, dict[Id, list[int]]] = {
            "company": defaultdict(list),
            "counterpart": defaultdict(list),
        }
        for column, (request_id, slot_class) in enumerate(self.columns):
            request = index.requests[request_id]
            by_request[request_id].append(column)
            by_person[(request.company, slot_class.key)].append(column)
            by_person[(request.counterpart, slot_class.key)].append(column)
            by_class[slot_class.key].append(column)
            self.by_role["company"][request.company].append(column)
            self.by_role["counterpart"][request.counterpart].append(column)
        ranks_of = {slot_class.key: slot_class.ranks for slot_class in classes}
        self.rows: list[tuple[list[int], int]] = []
        self.rows += [(cols, 1) for cols in by_request.values() if len(cols) > 1]
        for (person, key), cols in by_person.items():
            free = sum(1 for rank in ranks_of[key] if rank not in blocked[person])
            if len(cols) > free:
                self.rows.append((cols, free))
        for key, cols in by_class.items():
            free = sum(tables - grid.used[rank] for rank in ranks_of[key])
            if len(cols) > free:
                self.rows.append((cols, free))

    def start(self, start: _Grid) -> list[float]:
        """The columns of a schedule under construction, as a solution of the program."""
        return [
            1.0 if self.class_of.get(start.rank_of.get(request_id, -1)) is slot_class else 0.0
            for request_id, slot_class in self.columns
        ]

    def solve(
        self,
        *,
        floors: Iterable[tuple[list[int], int]] = (),
        integer: bool = True,
        weighted: bool = True,
        start: list[float] | None = None,
        gap: float = 0.0,
        time_limit: float,
    ) -> _Answer:
        """Maximise the priorities placed (or just find a solution, if not `weighted`),
        with at least `need` of the columns of each floor row chosen."""
        import numpy as np
        from highspy import _core as highs  # `highspy.Highs()` prints a banner on stdout.

        floors = [(cols, need) for cols, need in floors if need > 0]
        if not self.columns:
            return _Answer({} if not floors else None, 0.0, bool(floors), not floors)
        rows = [(cols, -highs.kHighsInf, upper) for cols, upper in self.rows]
        rows += [(cols, need, highs.kHighsInf) for cols, need in floors]
        entries: list[list[int]] = [[] for _ in self.columns]
        for row, (cols, _lower, _upper) in enumerate(rows):
            for column in cols:
                entries[column].append(row)
        requests = self.index.requests
        lp = highs.HighsLp()
        lp.num_col_ = len(self.columns)
        lp.num_row_ = len(rows)
        lp.col_cost_ = np.array(
            [requests[request_id].priority if weighted else 0 for request_id, _ in self.columns],
            dtype=np.float64,
        )
        lp.col_lower_ = np.zeros(len(self.columns))
        lp.col_upper_ = np.ones(len(self.columns))
        lp.row_lower_ = np.array([lower for _cols, lower, _upper in rows], dtype=np.float64)
        lp.row_upper_ = np.array([upper for _cols, _lower, upper in rows], dtype=np.float64)
        lp.sense_ = highs.ObjSense.kMaximize
        lp.a_matrix_.format_ = highs.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.cumsum([0] + [len(e) for e in entries], dtype=np.int32)
        lp.a_matrix_.index_ = np.array([row for e in entries for row in e], dtype=np.int32)
        lp.a_matrix_.value_ = np.ones(int(lp.a_matrix_.start_[-1]), dtype=np.float64)
        if integer:
            lp.integrality_ = [highs.HighsVarType.kInteger] * len(self.columns)

        solver = highs._Highs()
        solver.setOptionValue("output_flag", False)
        solver.setOptionValue("time_limit", max(float(time_limit), 0.05))
        # Priorities are whole numbers: a gap under 1 proves the optimum.
        solver.setOptionValue("mip_rel_gap", gap)
        solver.setOptionValue("mip_abs_gap", 0.99)
        solver.setOptionValue("random_seed", 0)
        solver.passModel(lp)
        if start is not None and integer:
            initial = highs.HighsSolution()
            initial.col_value = start
            initial.value_valid = True
            solver.setSolution(initial)
        solver.run()

        status = solver.getModelStatus()
        info = solver.getInfo()
        infeasible = status == highs.HighsModelStatus.kInfeasible
        values = [] if infeasible else list(solver.getSolution().col_value)
        has_solution = (
            bool(info.primal_solution_status)
            if integer
            else (status == highs.HighsModelStatus.kOptimal)
        )
        integral = has_solution and all(min(v, 1.0 - v) < 1e-6 for v in values)
        chosen: dict[int, list[Id]] = defaultdict(list)
        if has_solution:
            for column, value in enumerate(values):
                if value > 0.5:
                    request_id, slot_class = self.columns[column]
                    chosen[slot_class.key].append(request_id)
        bound = info.mip_dual_bound if integer else info.objective_function_value
        if not math.isfinite(bound) or not weighted:
            bound = float(sum(requests[request_id].priority for request_id, _ in self.columns))
        return _Answer(chosen if has_solution else None, bound, infeasible, integral)


@dataclass(frozen=True)
class _Answer:
    chosen: dict[int, list[Id]] | None  # class key -> request ids; None: no solution found
    bound: float
    infeasible: bool  # proven infeasible
    integral: bool = False  # a whole solution, even of the relaxation


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


def _finish(
    grid: _Grid,
    candidates: Mapping[Id, list[int]],
    *,
    bound: int,
    objective_name: str = PRIORITY,
    floors: Mapping[str, int] | None = None,
    floors_proven: bool = True,
) -> Schedule:
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
        optimal=objective == bound and floors_proven,
        objective_name=objective_name,
        floors=floors or {},
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
