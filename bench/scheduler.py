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


def fair_instance(seed: int = 2026) -> Problem:
    rng = random.Random(seed)  # noqa: S311 - seeded grids, not secrets
    slots, half_days = make_slots(days=2, per_half_day=8)
    companies = [f"c{n:03}" for n in range(1, 121)]
    counterparts = [f"k{n:03}" for n in range(1, 401)]
    # A few absences: some companies and counterparts miss one half-day.
    absent = {p: set(rng.choice(half_days)) for p in rng.sample(companies, 6)}
    absent |= {p: set(rng.choice(half_days)) for p in rng.sample(counterparts, 20)}
    # Some counterparts are much more wanted than others.
    weights = [1 / (rank + 8) for rank in range(len(counterparts))]
    load = dict.fromkeys(counterparts, 0)
    pairs: set[tuple[str, str]] = set()
    while len(pairs) < 2000:
        company = companies[len(pairs) % len(companies)]
        counterpart = rng.choices(counterparts, weights)[0]
        if (company, counterpart) in pairs or load[counterpart] >= 24:
            continue
        pairs.add((company, counterpart))
        load[counterpart] += 1
    requests = [
        Request(f"r{n:04}", company, counterpart, rng.choices((1, 2, 3), (35, 40, 25))[0])
        for n, (company, counterpart) in enumerate(sorted(pairs), start=1)
    ]
    participants = [Participant(p, frozenset(absent.get(p, ()))) for p in companies + counterparts]
    return Problem(tuple(slots), 45, tuple(participants), tuple(requests))


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


def exact(problem: Problem, time_limit: float) -> Exact:
    """The integer program, written from scratch with every constraint, solved to gap 0."""
    import highspy

    started = time.perf_counter()
    slot_ids = [slot.id for slot in problem.slots]
    unavailable = {p.id: p.unavailable for p in problem.participants}
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("mip_rel_gap", 0.0)
    solver.setOptionValue("mip_abs_gap", 0.0)
    solver.setOptionValue("time_limit", time_limit)
    variables: dict[tuple[str, str], object] = {}
    for request in problem.requests:
        for slot_id in slot_ids:
            if slot_id in unavailable[request.company] | unavailable[request.counterpart]:
                continue
            variables[(request.id, slot_id)] = solver.addBinary(obj=request.priority)
    by_request: dict = {}
    by_person_slot: dict = {}
    by_slot: dict = {}
    people = {r.id: (r.company, r.counterpart) for r in problem.requests}
    for (request_id, slot_id), variable in variables.items():
        by_request.setdefault(request_id, []).append(variable)
        by_slot.setdefault(slot_id, []).append(variable)
        for person in people[request_id]:
            by_person_slot.setdefault((person, slot_id), []).append(variable)
    for group in (*by_request.values(), *by_person_slot.values()):
        solver.addConstr(sum(group) <= 1)
    for group in by_slot.values():
        solver.addConstr(sum(group) <= problem.tables)
    for placement in problem.locked:
        solver.addConstr(variables[(placement.request, placement.slot)] == 1)
    solver.maximize()
    info = solver.getInfo()
    optimum = info.objective_function_value
    bound = min(info.mip_dual_bound, sum(r.priority for r in problem.requests))
    return Exact(
        optimum=optimum,
        bound=math.floor(bound + 1e-6),
        proven=round(optimum) == math.floor(bound + 1e-6),
        seconds=time.perf_counter() - started,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the grids whose name starts with this")
    parser.add_argument("--exact-time-limit", type=float, default=120.0)
    args = parser.parse_args()
    import highspy

    highspy.Highs()  # its banner, once, before the table rather than inside it

    header = (
        f"{'grid':<9} {'requests':>8} {'tables':>6} {'placed':>6} {'objective':>9} "
        f"{'optimum':>9} {'ratio %':>8} {'seconds':>7} {'proven':>6} {'greedy %':>8} "
        f"{'exact s':>7}"
    )
    print(header)
    print("-" * len(header))
    failures = []
    for name, problem in instances():
        if args.only and not name.startswith(args.only):
            continue
        started = time.perf_counter()
        result = schedule(problem)
        seconds = time.perf_counter() - started
        baseline = greedy(problem)
        best = exact(problem, args.exact_time_limit)
        reference = best.bound
        ratio = 100.0 * result.objective / reference
        greedy_ratio = 100.0 * baseline.objective / reference
        mark = "" if best.proven else "*"
        print(
            f"{name:<9} {len(problem.requests):>8} {problem.tables:>6} "
            f"{len(result.placements):>6} {result.objective:>9} {reference:>8}{mark or ' '} "
            f"{ratio:>8.2f} {seconds:>7.2f} {'yes' if result.optimal else 'no':>6} "
            f"{greedy_ratio:>8.2f} {best.seconds:>7.1f}"
        )
        if ratio < RATIO_TARGET or seconds > SECONDS_TARGET:
            failures.append(name)
    print(
        f"\noptimum: the exact solver's (* = its best proven bound when its time ran out); "
        f"proven: schedule() proved its own answer optimal.\n"
        f"Targets: ratio >= {RATIO_TARGET}% of the optimum, schedule() under "
        f"{SECONDS_TARGET:.0f} s."
    )
    if failures:
        print(f"MISSED on: {', '.join(failures)}")
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
