"""Benchmark of the B2B meeting scheduler (`meetings.scheduling.schedule`).

Run with `make bench-scheduler` (or `make bench`, which runs it first); no database needed.
Generates seeded grids, times `schedule()` (wall clock, whole call), solves each grid
exactly with HiGHS (an integer program written here independently, no gap tolerance, no
practical time limit) and prints, per grid: requests, meetings placed, objective, the
optimum (or the best proven bound), the ratio, the seconds, and the ratio of first-fit
`greedy`. Exits non-zero if a grid is under 99.5% of the optimum or over 10 s.

Grids:
- `fair`: a trade fair (120 companies, 400 counterparts, 2,000 qualified requests, 32 slots
  of 20 minutes over 2 days in America/Toronto, 45 tables, a few half-day absences);
- `tight-*`: demand close to capacity for each participant (requests ~ slots where they are
  available) and for each slot (tables ~ requests / slots), a third of the participants
  absent for a half-day or more.
"""

import argparse
import math
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from meetings.scheduling import (  # noqa: E402
    Participant,
    Problem,
    Request,
    Slot,
    greedy,
    schedule,
)

TORONTO = ZoneInfo("America/Toronto")
RATIO_TARGET = 99.5
SECONDS_TARGET = 10.0
# Grids measured for the balanced objective only (the priority one has no target there).
BALANCED_ONLY = {"fair-600"}
# Beyond this many (request, slot) binaries the exact model counts per block of slots.
FULL_MODEL_LIMIT = 200_000


def make_slots(days: int, per_half_day: int, minutes: int = 20) -> tuple[list[Slot], list]:
    """Slots in Toronto from 9:00 and 14:00 each day; returns them and their half-days."""
    slots: list[Slot] = []
    half_days: list[list] = []
    first = date(2026, 6, 9)
    for day in range(days):
        for hour in (9, 14):
            half: list = []
            begin = datetime.combine(first + timedelta(days=day), datetime.min.time())
            begin = begin.replace(hour=hour, tzinfo=TORONTO)
            for index in range(per_half_day):
                start = begin + timedelta(minutes=minutes * index)
                slot_id = f"d{day + 1}-{start:%H%M}"
                slots.append(Slot(slot_id, start, start + timedelta(minutes=minutes)))
                half.append(slot_id)
            half_days.append(half)
    return slots, half_days


def fair_instance(
    seed: int = 2026,
    *,
    companies: int = 120,
    counterparts: int = 400,
    requests: int = 2000,
    days: int = 2,
    tables: int = 45,
) -> Problem:
    rng = random.Random(seed)  # noqa: S311 - seeded grids, not secrets
    slots, half_days = make_slots(days=days, per_half_day=8)
    company_ids = [f"c{n:03}" for n in range(1, companies + 1)]
    counterpart_ids = [f"k{n:03}" for n in range(1, counterparts + 1)]
    # A few absences: some companies and counterparts miss one half-day.
    absent = {p: set(rng.choice(half_days)) for p in rng.sample(company_ids, companies // 20)}
    absent |= {
        p: set(rng.choice(half_days)) for p in rng.sample(counterpart_ids, counterparts // 20)
    }
    # Some counterparts are much more wanted than others.
    weights = [1 / (rank + 8) for rank in range(len(counterpart_ids))]
    load = dict.fromkeys(counterpart_ids, 0)
    most = len(slots) * 3 // 4
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < requests:
        company = company_ids[len(pairs) % len(company_ids)]
        counterpart = rng.choices(counterpart_ids, weights)[0]
        if (company, counterpart) in pairs or load[counterpart] >= most:
            continue
        pairs.add((company, counterpart))
        load[counterpart] += 1
    wanted = [
        Request(f"r{n:05}", company, counterpart, rng.choices((1, 2, 3), (35, 40, 25))[0])
        for n, (company, counterpart) in enumerate(sorted(pairs), start=1)
    ]
    participants = [
        Participant(p, frozenset(absent.get(p, ()))) for p in company_ids + counterpart_ids
    ]
    return Problem(tuple(slots), tables, tuple(participants), tuple(wanted))


def tight_instance(
    seed: int,
    *,
    companies: int,
    counterparts: int,
    days: int,
    fill: float,
    absent_share: float,
    table_ratio: float,
) -> Problem:
    rng = random.Random(seed)  # noqa: S311 - seeded grids, not secrets
    slots, half_days = make_slots(days=days, per_half_day=8)
    company_ids = [f"c{n:03}" for n in range(1, companies + 1)]
    counterpart_ids = [f"k{n:03}" for n in range(1, counterparts + 1)]
    unavailable: dict[str, set[str]] = {}
    for person in company_ids + counterpart_ids:
        unavailable[person] = set()
        if rng.random() < absent_share:
            for half in rng.sample(half_days, rng.choice((1, 1, 2)) if days > 1 else 1):
                unavailable[person] |= set(half)
    available = {p: len(slots) - len(unavailable[p]) for p in unavailable}
    room = {p: round(available[p] * fill) for p in counterpart_ids}
    pairs: list[tuple[str, str]] = []
    for company in rng.sample(company_ids, len(company_ids)):
        wanted = round(available[company] * fill)
        open_ = [k for k in counterpart_ids if room[k] > 0]
        for counterpart in rng.sample(open_, min(wanted, len(open_))):
            pairs.append((company, counterpart))
            room[counterpart] -= 1
    requests = [
        Request(f"r{n:04}", company, counterpart, rng.choices((1, 2, 3), (40, 35, 25))[0])
        for n, (company, counterpart) in enumerate(sorted(pairs), start=1)
    ]
    tables = max(1, round(len(requests) / len(slots) * table_ratio))
    participants = [Participant(p, frozenset(unavailable[p])) for p in unavailable]
    return Problem(tuple(slots), tables, tuple(participants), tuple(requests))


def scattered_instance(fair: Problem, seed: int) -> Problem:
    """A grid with 60 meetings locked by staff and 60 people away for one slot each."""
    rng = random.Random(seed)  # noqa: S311 - seeded grids, not secrets
    placements = greedy(fair).placements
    locked = tuple(sorted(rng.sample(placements, 60), key=lambda p: p.request))
    requests = {r.id: r for r in fair.requests}
    busy = {
        (person, placement.slot)
        for placement in locked
        for person in (
            requests[placement.request].company,
            requests[placement.request].counterpart,
        )
    }
    slot_ids = [slot.id for slot in fair.slots]
    away = {}
    for participant in rng.sample(fair.participants, 60):
        slot_id = rng.choice(slot_ids)
        if (participant.id, slot_id) not in busy:
            away[participant.id] = slot_id
    participants = tuple(
        Participant(p.id, p.unavailable | {away[p.id]} if p.id in away else p.unavailable)
        for p in fair.participants
    )
    return Problem(fair.slots, fair.tables, participants, fair.requests, locked)


def instances() -> list[tuple[str, Problem]]:
    tight = {"companies": 40, "counterparts": 40, "absent_share": 0.35}
    tight_4 = tight_instance(
        4, companies=120, counterparts=160, days=2, fill=0.9, absent_share=0.5, table_ratio=0.95
    )
    return [
        ("fair", fair_instance()),
        (
            "fair-600",
            fair_instance(
                2027, companies=600, counterparts=2000, requests=12000, days=3, tables=180
            ),
        ),
        ("scattered", scattered_instance(fair_instance(), 7)),
        ("tight-1", tight_instance(1, days=2, fill=0.95, table_ratio=0.95, **tight)),
        ("tight-2", tight_instance(2, days=2, fill=1.0, table_ratio=0.9, **tight)),
        ("tight-3", tight_instance(3, days=1, fill=1.0, table_ratio=1.0, **tight)),
        ("tight-4", tight_4),
        ("tight-4s", scattered_instance(tight_4, 8)),
        (
            "tight-5",
            tight_instance(
                5,
                companies=60,
                counterparts=200,
                days=2,
                fill=1.0,
                absent_share=0.5,
                table_ratio=0.97,
            ),
        ),
    ]


@dataclass
class Exact:
    optimum: float
    bound: float
    proven: bool
    seconds: float


def _model(problem: Problem, floors=None, most=None, *, relaxed=False, blocks=False):
    """The full integer program, one binary per request and slot, every constraint written
    out; with `floors`, each company (and counterpart) gets at least min(floor, most).

    With `blocks` (or beyond FULL_MODEL_LIMIT binaries), on a grid whose companies and
    counterparts are distinct people: locked meetings are taken out (their people busy,
    their tables taken, their priorities and counts added), and slots where the same people
    are away or busy and the same tables are free are one block; the binaries are per
    request and block. A plan that gives each person at most one meeting per slot of a
    block, and the block at most its free tables per slot, can be seated slot by slot (an
    equitable edge colouring of a bipartite multigraph, de Werra 1971): the optimum and
    the floors within reach are the same, for a much smaller program.
    """
    import highspy
    import numpy as np

    unavailable = {p.id: p.unavailable for p in problem.participants}
    away: dict[str, frozenset] = {
        slot.id: frozenset(p for p, slots in unavailable.items() if slot.id in slots)
        for slot in problem.slots
    }
    full = sum(
        1
        for request in problem.requests
        for slot in problem.slots
        if request.company not in away[slot.id] and request.counterpart not in away[slot.id]
    )
    companies = {r.company for r in problem.requests}
    bipartite = not companies & {r.counterpart for r in problem.requests}
    requests = {r.id: r for r in problem.requests}
    fixed = 0
    kept: dict[tuple[str, str], int] = {}
    wanted = list(problem.requests)
    if (blocks or full > FULL_MODEL_LIMIT) and bipartite:
        busy: dict[str, set] = {slot.id: set() for slot in problem.slots}
        taken = dict.fromkeys(busy, 0)
        for placement in problem.locked:
            request = requests[placement.request]
            busy[placement.slot] |= {request.company, request.counterpart}
            taken[placement.slot] += 1
            fixed += request.priority
            for role in ("company", "counterpart"):
                key = (role, getattr(request, role))
                kept[key] = kept.get(key, 0) + 1
        locked_ids = {placement.request for placement in problem.locked}
        wanted = [r for r in problem.requests if r.id not in locked_ids]
        grouped: dict[tuple, list[str]] = {}
        for slot in problem.slots:
            key = (away[slot.id] | busy[slot.id], problem.tables - taken[slot.id])
            grouped.setdefault(key, []).append(slot.id)
        places = [
            (f"block-{n}", absent, len(ids), free * len(ids))
            for n, ((absent, free), ids) in enumerate(grouped.items())
            if free > 0
        ]
        locked: tuple = ()
    else:
        places = [(slot.id, away[slot.id], 1, problem.tables) for slot in problem.slots]
        locked = problem.locked
    size = {place: count for place, _absent, count, _tables in places}
    capacity = {place: tables for place, _absent, _count, tables in places}
    columns: list[tuple[Request, str]] = [
        (request, place)
        for request in wanted
        for place, absent, _count, _tables in places
        if request.company not in absent and request.counterpart not in absent
    ]
    groups: dict[tuple, list[int]] = {}
    for column, (request, place) in enumerate(columns):
        for key in (
            ("request", request.id),
            ("slot", place),
            ("person-slot", request.company, place),
            ("person-slot", request.counterpart, place),
            ("company", request.company),
            ("counterpart", request.counterpart),
        ):
            groups.setdefault(key, []).append(column)
    position = {(request.id, place): n for n, (request, place) in enumerate(columns)}
    rows: list[tuple[list[int], float, float]] = []
    for key, group in groups.items():
        if key[0] == "request":
            rows.append((group, -highspy.kHighsInf, 1.0))
        elif key[0] == "person-slot":
            rows.append((group, -highspy.kHighsInf, float(size[key[2]])))
        elif key[0] == "slot":
            rows.append((group, -highspy.kHighsInf, float(capacity[key[1]])))
    for placement in locked:
        rows.append(([position[(placement.request, placement.slot)]], 1.0, 1.0))
    for role, floor in (floors or {}).items():
        for person, alone in most[role].items():
            need = min(floor, alone) - kept.get((role, person), 0)
            if need > 0:
                group = groups.get((role, person), [])
                rows.append((group, float(need), highspy.kHighsInf))
    entries: list[list[int]] = [[] for _ in columns]
    for row, (group, _lower, _upper) in enumerate(rows):
        for column in group:
            entries[column].append(row)
    lp = highspy.HighsLp()
    lp.num_col_ = len(columns)
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.array([request.priority for request, _ in columns], dtype=np.float64)
    lp.col_lower_ = np.zeros(len(columns))
    lp.col_upper_ = np.ones(len(columns))
    lp.row_lower_ = np.array([lower for _, lower, _ in rows], dtype=np.float64)
    lp.row_upper_ = np.array([upper for _, _, upper in rows], dtype=np.float64)
    lp.offset_ = float(fixed)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.cumsum([0] + [len(e) for e in entries], dtype=np.int32)
    lp.a_matrix_.index_ = np.array([row for e in entries for row in e], dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(int(lp.a_matrix_.start_[-1]), dtype=np.float64)
    if not relaxed:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * len(columns)
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.passModel(lp)
    return solver


def exact(
    problem: Problem,
    time_limit: float,
    floors: dict[str, int] | None = None,
    most=None,
    ceiling: float = math.inf,
) -> Exact:
    """The integer program, written from scratch with every constraint, solved to gap 0.

    `ceiling`: an upper bound known otherwise (the optimum without floors)."""
    started = time.perf_counter()
    optimum, bound = 0.0, min(sum(r.priority for r in problem.requests), ceiling)
    # The full model first (for the priority table); if it cannot prove its optimum in
    # time, the same program by blocks of slots.
    for blocks in (False, True) if floors is None else (True,):
        solver = _model(problem, floors, most, blocks=blocks)
        solver.setOptionValue("mip_rel_gap", 0.0)
        solver.setOptionValue("mip_abs_gap", 0.0)
        solver.setOptionValue("time_limit", time_limit)
        solver.run()
        info = solver.getInfo()
        if info.primal_solution_status:
            optimum = max(optimum, info.objective_function_value)
        bound = min(bound, info.mip_dual_bound)
        if round(optimum) == math.floor(bound + 1e-6):
            break
    return Exact(
        optimum=optimum,
        bound=math.floor(bound + 1e-6),
        proven=round(optimum) == math.floor(bound + 1e-6),
        seconds=time.perf_counter() - started,
    )


def most_alone(problem: Problem, role: str) -> dict[str, int]:
    """Independently of the scheduler: the most meetings each participant of `role` could
    have if nobody else wanted a slot, by a linear program per participant (a bipartite
    matching, whose relaxation has whole solutions)."""
    import highspy

    unavailable = {p.id: p.unavailable for p in problem.participants}
    requests = {r.id: r for r in problem.requests}
    locked_slot = {p.request: p.slot for p in problem.locked}
    busy: dict[str, set] = {}
    per_slot: dict = {}
    for placement in problem.locked:
        request = requests[placement.request]
        for person in (request.company, request.counterpart):
            busy.setdefault(person, set()).add(placement.slot)
        per_slot[placement.slot] = per_slot.get(placement.slot, 0) + 1
    full = {slot for slot, used in per_slot.items() if used >= problem.tables}
    mine: dict[str, list] = {}
    for request in problem.requests:
        mine.setdefault(getattr(request, role), []).append(request)
    most = {}
    for person, wanted in mine.items():
        kept = sum(1 for r in wanted if r.id in locked_slot)
        solver = highspy.Highs()
        solver.setOptionValue("output_flag", False)
        by_slot: dict = {}
        count = 0
        for request in wanted:
            if request.id in locked_slot:
                continue
            options = []
            for slot in problem.slots:
                closed = (
                    unavailable[request.company]
                    | unavailable[request.counterpart]
                    | busy.get(request.company, set())
                    | busy.get(request.counterpart, set())
                    | full
                )
                if slot.id not in closed:
                    variable = solver.addVariable(lb=0, ub=1, obj=1)
                    options.append(variable)
                    by_slot.setdefault(slot.id, []).append(variable)
                    count += 1
            if options:
                solver.addConstr(sum(options) <= 1)
        for group in by_slot.values():
            solver.addConstr(sum(group) <= 1)
        if count:
            solver.maximize()
            kept += round(solver.getInfo().objective_function_value)
        most[person] = kept
    return most


def floor_reached(problem: Problem, placements, role: str, most: dict[str, int]) -> int:
    """The highest F with everyone of `role` at least min(F, most alone)."""
    requests = {r.id: r for r in problem.requests}
    count: dict[str, int] = dict.fromkeys(most, 0)
    for placement in placements:
        count[getattr(requests[placement.request], role)] += 1
    short = [count[p] for p, alone in most.items() if count[p] < alone]
    return min(short, default=max(most.values(), default=0))


def floor_beyond_reach(
    problem: Problem, floors: dict[str, int], most, time_limit: float
) -> bool | None:
    """True if no schedule gives every participant min(floor, most alone): the relaxation,
    or else the integer program, has no solution; None if that could not be settled."""
    import highspy

    for relaxed in (True, False):
        solver = _model(problem, floors, most, relaxed=relaxed, blocks=True)
        solver.setOptionValue("time_limit", time_limit)
        if relaxed:
            # The interior point method proves these relaxations infeasible in seconds
            # where the simplex method can stall for minutes.
            solver.setOptionValue("solver", "ipm")
        solver.setOptionValue("mip_max_improving_sols", 1)
        solver.run()
        status = solver.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return True
        if not relaxed and solver.getInfo().primal_solution_status:
            return False
    return None


def spread(problem: Problem, placements, role: str = "company") -> tuple[int, float, int]:
    """Fewest, median and most meetings of the participants of `role` in some request."""
    requests = {r.id: r for r in problem.requests}
    count = dict.fromkeys((getattr(r, role) for r in problem.requests), 0)
    for placement in placements:
        count[getattr(requests[placement.request], role)] += 1
    values = sorted(count.values())
    return values[0], statistics.median(values), values[-1]


def priority_table(grids, exact_time_limit: float) -> tuple[list[str], dict[str, Exact]]:
    header = (
        f"{'grid':<9} {'requests':>8} {'tables':>6} {'placed':>6} {'objective':>9} "
        f"{'optimum':>9} {'ratio %':>8} {'seconds':>7} {'proven':>6} {'greedy %':>8} "
        f"{'exact s':>7} {'fewest/median/most':>18}"
    )
    print("Objective: most priority\n")
    print(header)
    print("-" * len(header))
    failures = []
    optima = {}
    for name, problem in grids:
        started = time.perf_counter()
        result = schedule(problem)
        seconds = time.perf_counter() - started
        baseline = greedy(problem)
        best = exact(problem, exact_time_limit)
        optima[name] = best
        reference = best.bound
        ratio = 100.0 * result.objective / reference
        greedy_ratio = 100.0 * baseline.objective / reference
        mark = "" if best.proven else "*"
        fewest, median, most = spread(problem, result.placements)
        print(
            f"{name:<9} {len(problem.requests):>8} {problem.tables:>6} "
            f"{len(result.placements):>6} {result.objective:>9} {reference:>8}{mark or ' '} "
            f"{ratio:>8.2f} {seconds:>7.2f} {'yes' if result.optimal else 'no':>6} "
            f"{greedy_ratio:>8.2f} {best.seconds:>7.1f} {f'{fewest}/{median:g}/{most}':>18}"
        )
        if ratio < RATIO_TARGET or seconds > SECONDS_TARGET:
            failures.append(f"{name} (priority)")
    print(
        "\noptimum: the exact solver's (* = its best proven bound when its time ran out); "
        "proven: schedule() proved its own answer optimal.\n"
    )
    return failures, optima


def balanced_table(
    grids, exact_time_limit: float, optima: dict[str, Exact], roles: tuple[str, ...]
) -> list[str]:
    counterparts = "counterpart" in roles
    role = roles[-1]
    header = (
        f"{'grid':<9} {'floor':>5} {'best':>5} {'fewest/median/most':>18} {'objective':>9} "
        f"{'at floor':>9} {'ratio %':>8} {'seconds':>7} {'proven':>6} {'exact s':>7}"
    )
    title = "counterparts too" if counterparts else "balanced"
    who = "counterparts" if counterparts else "companies"
    print(f"Objective: {title} (floor and spread: the {who}' meetings)\n")
    print(header)
    print("-" * len(header))
    failures = []
    for name, problem in grids:
        started = time.perf_counter()
        result = schedule(problem, objective="balanced", counterpart_floor=counterparts)
        seconds = time.perf_counter() - started
        checked = time.perf_counter()
        most = {r: most_alone(problem, r) for r in roles}
        floors = {r: floor_reached(problem, result.placements, r, most[r]) for r in roles}
        higher = {**floors, role: floors[role] + 1}
        beyond = (
            True
            if floors[role] >= max(most[role].values(), default=0)
            else floor_beyond_reach(problem, higher, most, exact_time_limit)
        )
        # Without floors the optimum is an upper bound at any floor.
        ceiling = optima[name].bound if name in optima else math.inf
        best = exact(problem, exact_time_limit, floors, most, ceiling=ceiling)
        ratio = 100.0 * result.objective / best.bound
        best_floor = f"{floors[role]}" if beyond else f"{floors[role] + 1}+"
        if beyond is None:
            best_floor = f"{floors[role]}*"
        fewest, median, most_meetings = spread(problem, result.placements, role)
        print(
            f"{name:<9} {floors[role]:>5} {best_floor:>5} "
            f"{f'{fewest}/{median:g}/{most_meetings}':>18} {result.objective:>9} "
            f"{best.bound:>8}{' ' if best.proven else '*'} {ratio:>8.2f} {seconds:>7.2f} "
            f"{'yes' if result.optimal else 'no':>6} {time.perf_counter() - checked:>7.1f}"
        )
        if beyond is not True or ratio < RATIO_TARGET or seconds > SECONDS_TARGET:
            failures.append(f"{name} ({title})")
    print(
        f"\nfloor: every {role} has at least min(floor, the most it could have alone); best: "
        f"the highest floor possible, by an exact solve (* = not settled in time; n+ = a "
        f"higher floor was possible); at floor: the exact optimum of priority at that floor "
        f"(* = its best proven bound).\n"
    )
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the grids whose name starts with this")
    parser.add_argument("--exact-time-limit", type=float, default=120.0)
    args = parser.parse_args()
    import highspy

    highspy.Highs()  # its banner, once, before the tables rather than inside them

    grids = [(n, p) for n, p in instances() if not args.only or n.startswith(args.only)]
    failures, optima = priority_table(
        [(n, p) for n, p in grids if n not in BALANCED_ONLY], args.exact_time_limit
    )
    failures += balanced_table(grids, args.exact_time_limit, optima, ("company",))
    failures += balanced_table(
        [(n, p) for n, p in grids if n not in BALANCED_ONLY],
        args.exact_time_limit,
        optima,
        ("company", "counterpart"),
    )
    print(
        f"Targets: ratio >= {RATIO_TARGET}% of the optimum (balanced: of the optimum at its "
        f"floor, and the floor the best possible), schedule() under {SECONDS_TARGET:.0f} s."
    )
    if failures:
        print(f"MISSED on: {', '.join(failures)}")
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
