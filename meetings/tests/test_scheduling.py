"""The meeting scheduler on hand-built grids whose optimum is known, and on random ones."""

import itertools
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from meetings import scheduling
from meetings.scheduling import (
    NO_COMMON_SLOT,
    PARTICIPANT_BUSY,
    PARTICIPANT_UNAVAILABLE,
    SLOTS_FULL,
    Participant,
    Placement,
    Problem,
    Request,
    SchedulingError,
    Slot,
    greedy,
    schedule,
)

TORONTO = ZoneInfo("America/Toronto")
NINE = datetime(2026, 6, 9, 9, 0, tzinfo=TORONTO)


def make_slots(count: int) -> tuple[Slot, ...]:
    return tuple(
        Slot(f"s{n}", NINE + timedelta(minutes=30 * (n - 1)), NINE + timedelta(minutes=30 * n))
        for n in range(1, count + 1)
    )


def make_problem(
    requests,
    *,
    slots: int = 2,
    tables: int = 2,
    unavailable: dict | None = None,
    locked=(),
    people=None,
) -> Problem:
    """Requests as (id, company, counterpart, priority); participants are deduced."""
    unavailable = unavailable or {}
    if people is None:
        people = sorted({person for _id, a, b, _p in requests for person in (a, b)})
    return Problem(
        slots=make_slots(slots),
        tables=tables,
        participants=tuple(Participant(p, frozenset(unavailable.get(p, ()))) for p in people),
        requests=tuple(Request(*request) for request in requests),
        locked=tuple(Placement(*placement) for placement in locked),
    )


def assert_valid(problem: Problem, result) -> None:
    """Every guarantee of the module's docstring, checked from the outside."""
    requests = {r.id: r for r in problem.requests}
    unavailable = {p.id: p.unavailable for p in problem.participants}
    placed = [p.request for p in result.placements]
    assert sorted(placed + list(result.unscheduled)) == sorted(requests)
    assert len(set(placed)) == len(placed)
    assert set(result.reasons) == set(result.unscheduled)
    for slot in problem.slots:
        here = [p for p in result.placements if p.slot == slot.id]
        assert len(here) <= problem.tables
        assert len({p.table for p in here}) == len(here)
        assert all(1 <= p.table <= problem.tables for p in here)
        people = [
            person
            for p in here
            for person in (requests[p.request].company, requests[p.request].counterpart)
        ]
        assert len(set(people)) == len(people)
        assert all(slot.id not in unavailable[person] for person in people)
    for placement in problem.locked:
        assert placement in result.placements
    assert result.objective == sum(requests[p.request].priority for p in result.placements)
    assert result.bound >= result.objective
    assert result.optimal == (result.bound == result.objective)


def assignments(problem):
    """Every valid schedule, as {request id: slot id} (placed requests only)."""
    unavailable = {p.id: p.unavailable for p in problem.participants}
    locked = {p.request: p.slot for p in problem.locked}
    choices = []
    for request in problem.requests:
        if request.id in locked:
            choices.append([locked[request.id]])
            continue
        choices.append(
            [None]
            + [
                slot.id
                for slot in problem.slots
                if slot.id not in unavailable[request.company] | unavailable[request.counterpart]
            ]
        )
    for assignment in itertools.product(*choices):
        busy, used = set(), {}
        for request, slot_id in zip(problem.requests, assignment, strict=True):
            if slot_id is None:
                continue
            mine = {(request.company, slot_id), (request.counterpart, slot_id)}
            if mine & busy:
                break
            busy |= mine
            used[slot_id] = used.get(slot_id, 0) + 1
            if used[slot_id] > problem.tables:
                break
        else:
            yield {
                request.id: slot_id
                for request, slot_id in zip(problem.requests, assignment, strict=True)
                if slot_id is not None
            }


def brute_force_optimum(problem: Problem) -> int:
    """The best total priority, by trying every slot (or none) for every request."""
    priority = {r.id: r.priority for r in problem.requests}
    return max(sum(priority[r] for r in placed) for placed in assignments(problem))


def test_schedule_places_no_participant_twice_in_a_slot():
    problem = make_problem([("r1", "a", "x", 3), ("r2", "a", "y", 1)], slots=1)

    result = schedule(problem)

    assert result.placements == (Placement("r1", "s1", 1),)
    assert result.unscheduled == ("r2",)
    assert result.reasons == {"r2": PARTICIPANT_BUSY}


def test_schedule_respects_unavailability():
    problem = make_problem([("r1", "a", "x", 2)], slots=2, unavailable={"a": {"s1"}})

    result = schedule(problem)

    assert result.placements == (Placement("r1", "s2", 1),)
    assert result.unscheduled == ()


def test_schedule_holds_at_most_tables_meetings_per_slot():
    problem = make_problem(
        [("r1", "a", "x", 1), ("r2", "b", "y", 2), ("r3", "c", "z", 3)], slots=1, tables=2
    )

    result = schedule(problem)

    assert result.placements == (Placement("r2", "s1", 1), Placement("r3", "s1", 2))
    assert result.unscheduled == ("r1",)
    assert result.reasons == {"r1": SLOTS_FULL}
    assert (result.objective, result.bound, result.optimal) == (5, 5, True)


def test_schedule_numbers_tables_from_one_without_gaps():
    problem = make_problem(
        [("r1", "a", "x", 1), ("r2", "b", "y", 1), ("r3", "c", "z", 1)], slots=1, tables=3
    )

    result = schedule(problem)

    assert [(p.request, p.table) for p in result.placements] == [
        ("r1", 1),
        ("r2", 2),
        ("r3", 3),
    ]


def test_schedule_prefers_earlier_slots_when_nothing_else_differs():
    problem = make_problem([("r1", "a", "x", 2)], slots=3, tables=1)

    assert schedule(problem).placements == (Placement("r1", "s1", 1),)


def test_schedule_keeps_locked_meetings_and_their_tables():
    problem = make_problem(
        [("r1", "a", "x", 1), ("r2", "b", "y", 3), ("r3", "a", "y", 3)],
        slots=2,
        tables=3,
        locked=[("r1", "s2", 3)],
    )

    result = schedule(problem)

    # a is locked in s2, so r3 takes s1 and r2 (who shares y with r3) takes s2, table 1.
    assert result.placements == (
        Placement("r3", "s1", 1),
        Placement("r2", "s2", 1),
        Placement("r1", "s2", 3),
    )
    assert result.objective == 7


def test_schedule_moves_a_meeting_to_make_room_for_a_better_one():
    # First-fit puts r1 in s1, where b's only slot is: a better total moves r1 to s2.
    problem = make_problem(
        [("r1", "a", "x", 3), ("r2", "b", "y", 2)],
        slots=2,
        tables=1,
        unavailable={"b": {"s2"}},
    )

    result = schedule(problem)
    baseline = greedy(problem)

    assert result.placements == (Placement("r2", "s1", 1), Placement("r1", "s2", 1))
    assert (result.objective, result.optimal) == (5, True)
    assert baseline.placements == (Placement("r1", "s1", 1),)
    assert baseline.objective == 3


def test_schedule_prefers_higher_priorities_when_capacity_binds():
    problem = make_problem(
        [("r1", "a", "x", 1), ("r2", "a", "y", 2), ("r3", "b", "x", 3), ("r4", "b", "y", 1)],
        slots=1,
        tables=2,
    )

    result = schedule(problem)

    # {r2, r3} (5) beats {r1, r4} (2): each person meets once in the slot.
    assert [p.request for p in result.placements] == ["r2", "r3"]
    assert result.unscheduled == ("r1", "r4")
    assert result.reasons == {"r1": PARTICIPANT_BUSY, "r4": PARTICIPANT_BUSY}


def test_schedule_gives_the_exact_reason_for_each_unscheduled_request():
    problem = make_problem(
        [
            ("away", "gone", "x", 3),
            ("apart", "morning", "afternoon", 3),
            ("busy", "a", "x", 1),
            ("full", "c", "z", 1),
            ("kept", "a", "y", 3),
            ("other", "b", "x", 3),
        ],
        slots=2,
        tables=1,
        unavailable={"gone": {"s1", "s2"}, "morning": {"s2"}, "afternoon": {"s1"}},
    )

    result = schedule(problem)

    assert result.reasons == {
        "away": PARTICIPANT_UNAVAILABLE,
        "apart": NO_COMMON_SLOT,
        "busy": PARTICIPANT_BUSY,
        "full": SLOTS_FULL,
    }
    assert [p.request for p in result.placements] == ["kept", "other"]


def test_schedule_lists_every_request_exactly_once_with_no_slots():
    problem = make_problem([("r1", "a", "x", 1), ("r2", "b", "y", 2)], slots=0)

    result = schedule(problem)

    assert result.placements == ()
    assert result.unscheduled == ("r1", "r2")
    assert result.reasons == {"r1": PARTICIPANT_UNAVAILABLE, "r2": PARTICIPANT_UNAVAILABLE}
    assert (result.objective, result.bound, result.optimal) == (0, 0, True)


def test_schedule_sorts_mixed_integer_and_string_ids():
    problem = make_problem([(10, "a", "x", 1), ("9", "b", "y", 1), (2, "c", "z", 1)], slots=0)

    assert schedule(problem).unscheduled == (2, 10, "9")


def random_problem(rng: random.Random, *, bipartite: bool, max_requests: int) -> Problem:
    slots = rng.randint(1, 3)
    tables = rng.randint(1, 2)
    if bipartite:
        companies, counterparts = ["a", "b", "c"], ["x", "y", "z"]
    else:
        companies = counterparts = ["a", "b", "c", "d"]
    pairs = [(c, k) for c in companies for k in counterparts if c != k]
    chosen = rng.sample(pairs, rng.randint(1, max_requests))
    requests = [(f"r{n}", c, k, rng.randint(1, 3)) for n, (c, k) in enumerate(chosen)]
    people = sorted(set(companies) | set(counterparts))
    slot_ids = [f"s{n}" for n in range(1, slots + 1)]
    unavailable = {p: {s for s in slot_ids if rng.random() < 0.25} for p in people}
    problem = make_problem(
        requests, slots=slots, tables=tables, unavailable=unavailable, people=people
    )
    # Lock the first request where first-fit put it, sometimes.
    if rng.random() < 0.3:
        placements = greedy(problem).placements
        if placements:
            locked = placements[0]
            problem = make_problem(
                requests,
                slots=slots,
                tables=tables,
                unavailable=unavailable,
                people=people,
                locked=[(locked.request, locked.slot, locked.table)],
            )
    return problem


def test_schedule_reaches_the_brute_force_optimum_on_random_bipartite_grids():
    rng = random.Random(6)
    for _ in range(150):
        problem = random_problem(rng, bipartite=True, max_requests=6)

        result = schedule(problem)

        assert_valid(problem, result)
        optimum = brute_force_optimum(problem)
        assert (result.objective, result.bound, result.optimal) == (optimum, optimum, True)


def test_schedule_keeps_every_constraint_when_a_participant_has_both_roles():
    rng = random.Random(7)
    for _ in range(150):
        problem = random_problem(rng, bipartite=False, max_requests=6)

        result = schedule(problem)

        assert_valid(problem, result)
        # Odd cycles may cost a meeting; the bound stays an upper bound.
        assert result.bound >= brute_force_optimum(problem) >= result.objective


def test_schedule_keeps_every_constraint_when_slots_are_merged(monkeypatch):
    monkeypatch.setattr(scheduling, "MAX_EXACT_COLUMNS", 0)
    rng = random.Random(8)
    for _ in range(150):
        problem = random_problem(rng, bipartite=True, max_requests=6)

        result = schedule(problem)

        assert_valid(problem, result)
        assert result.bound >= brute_force_optimum(problem) >= result.objective


def test_greedy_keeps_every_constraint_on_random_grids():
    rng = random.Random(9)
    for _ in range(100):
        problem = random_problem(rng, bipartite=False, max_requests=6)

        assert_valid(problem, greedy(problem))


def test_schedule_gives_the_same_answer_twice():
    rng = random.Random(10)
    people = [f"c{n}" for n in range(12)], [f"k{n}" for n in range(15)]
    pairs = rng.sample([(c, k) for c in people[0] for k in people[1]], 90)
    requests = [(n, c, k, rng.randint(1, 3)) for n, (c, k) in enumerate(pairs)]
    unavailable = {p: {f"s{n}" for n in range(1, 5)} for p in rng.sample(people[1], 5)}
    problem = make_problem(requests, slots=8, tables=5, unavailable=unavailable)

    first, second = schedule(problem), schedule(problem)

    assert first == second
    assert_valid(problem, first)
    assert first.optimal is True


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tables": 0}, "The number of tables must be a whole number of at least 1, not 0."),
        ({"slots": make_slots(1) * 2}, "Slot 's1' is listed twice."),
        (
            {"slots": (Slot("s1", NINE.replace(tzinfo=None), NINE.replace(tzinfo=None)),)},
            "Slot 's1' has a time without a UTC offset.",
        ),
        ({"slots": (Slot("s1", NINE, NINE),)}, "Slot 's1' does not end after it starts."),
        (
            {"slots": (Slot("s1", NINE, NINE + timedelta(hours=1)), *make_slots(2)[1:])},
            "Slots 's1' and 's2' overlap.",
        ),
        (
            {"participants": (Participant("a"), Participant("a"))},
            "Participant 'a' is listed twice.",
        ),
        (
            {"participants": (Participant("a", frozenset({"s9"})), Participant("x"))},
            "Participant 'a' is unavailable for an unknown slot 's9'.",
        ),
        ({"requests": (Request("r1", "a", "x", 1),) * 2}, "Request 'r1' is listed twice."),
        (
            {"requests": (Request("r1", "zz", "x", 1),)},
            "Request 'r1' names an unknown company 'zz'.",
        ),
        (
            {"requests": (Request("r1", "a", "zz", 1),)},
            "Request 'r1' names an unknown counterpart 'zz'.",
        ),
        (
            {"requests": (Request("r1", "a", "a", 1),)},
            "Request 'r1' has 'a' as both company and counterpart.",
        ),
        (
            {"requests": (Request("r1", "a", "x", 4),)},
            "Request 'r1' has priority 4; priorities go from 1 to 3.",
        ),
        (
            {"locked": (Placement("r9", "s1", 1),)},
            "A locked meeting names an unknown request 'r9'.",
        ),
        (
            {"locked": (Placement("r1", "s1", 1), Placement("r1", "s2", 1))},
            "Request 'r1' is locked twice.",
        ),
        (
            {"locked": (Placement("r1", "s9", 1),)},
            "Locked request 'r1' is in an unknown slot 's9'.",
        ),
        (
            {"locked": (Placement("r1", "s1", 3),)},
            "Locked request 'r1' is at table 3, but tables go from 1 to 2.",
        ),
        (
            {"locked": (Placement("r1", "s1", 1), Placement("r2", "s1", 1))},
            "Locked requests 'r1' and 'r2' share table 1 in slot 's1'.",
        ),
        (
            {"locked": (Placement("r1", "s1", 1), Placement("r3", "s1", 2))},
            "Locked requests 'r1' and 'r3' both need 'a' in slot 's1'.",
        ),
        (
            {"locked": (Placement("r4", "s1", 1),)},
            "Locked request 'r4' is in slot 's1', for which 'late' is unavailable.",
        ),
    ],
)
def test_schedule_refuses_an_inconsistent_problem(change, message):
    base = make_problem(
        [("r1", "a", "x", 1), ("r2", "b", "y", 1), ("r3", "a", "y", 1), ("r4", "late", "x", 1)],
        slots=2,
        tables=2,
        unavailable={"late": {"s1"}},
    )
    fields = {name: getattr(base, name) for name in ("slots", "tables", "participants")}
    fields |= {"requests": base.requests, "locked": base.locked} | change

    with pytest.raises(SchedulingError) as raised:
        schedule(Problem(**fields))

    assert str(raised.value) == message
    assert isinstance(raised.value, ValueError)
