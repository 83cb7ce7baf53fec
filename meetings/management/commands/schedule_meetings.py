"""`manage.py schedule_meetings [--objective balanced|priority] --input IN --output OUT`.

Plans a grid from a file.

Runs `meetings.scheduling.schedule` on the JSON contract of issue 6, outside the portal:

    in:  {"timezone": "America/Toronto",
          "slots": [{"id", "start", "end"}],          (ISO 8601 with a UTC offset)
          "tables": 45,
          "participants": [{"id", "unavailable": [slot ids]}],
          "requests": [{"id", "company", "counterpart", "priority": 1-3}],
          "locked": [{"request", "slot", "table"}]}    (optional: kept as they are)
    out: {"meetings": [{"request", "slot", "table"}], "unscheduled": [request ids]}

`--objective priority` (the default) places the most total priority; `balanced` first
raises the fewest meetings any company gets as high as it goes, then places the most
priority at that floor; `--counterpart-floor` (with `balanced`) raises the counterparts'
floor too. The output has the same shape whatever the objective.

Ids are strings or whole numbers, written back as they came. Meetings come slot by slot in
chronological order, then by table; unscheduled ids are sorted. `-` reads stdin or writes
stdout. Any problem with the input prints one line, `schedule_meetings: <problem>`, on
stderr and exits with code 2.
"""

import json
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError

from meetings.scheduling import (
    BALANCED,
    DEFAULT_TIME_LIMIT,
    OBJECTIVES,
    PRIORITY,
    Participant,
    Placement,
    Problem,
    Request,
    SchedulingError,
    Slot,
    schedule,
)

NAME = "schedule_meetings"
USAGE_ERROR = 2

KEYS = {
    "top level": ({"timezone", "slots", "tables", "participants", "requests"}, {"locked"}),
    "slots": ({"id", "start", "end"}, set()),
    "participants": ({"id"}, {"unavailable"}),
    "requests": ({"id", "company", "counterpart", "priority"}, set()),
    "locked": ({"request", "slot", "table"}, set()),
}


class InputError(Exception):
    """The input breaks the contract; the message names where."""


class Command(BaseCommand):
    help = "Schedule B2B meetings from a JSON file (see the module docstring for the format)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="JSON file to read, or - for stdin")
        parser.add_argument("--output", required=True, help="JSON file to write, or - for stdout")
        parser.add_argument(
            "--time-limit",
            type=float,
            default=DEFAULT_TIME_LIMIT,
            help=f"seconds the solver may take (default {DEFAULT_TIME_LIMIT:g})",
        )
        # Checked in handle() rather than by argparse's choices, whose error takes lines.
        parser.add_argument(
            "--objective",
            default=PRIORITY,
            help=f"what to maximise: {' or '.join(OBJECTIVES)} (default {PRIORITY})",
        )
        parser.add_argument(
            "--counterpart-floor",
            action="store_true",
            help="with --objective balanced: raise the counterparts' fewest meetings too",
        )

    def run_from_argv(self, argv):
        self.from_command_line = True
        super().run_from_argv(argv)

    def execute(self, *args, **options):
        # On the command line: one line on stderr and exit code 2, instead of Django's
        # "CommandError: ..."; call_command still gets the CommandError (returncode 2).
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            if not getattr(self, "from_command_line", False) or error.returncode != USAGE_ERROR:
                raise
            self.stderr.write(f"{NAME}: {error}")
            sys.exit(USAGE_ERROR)

    def handle(self, *args, **options):
        if not options["time_limit"] > 0:
            raise CommandError("--time-limit must be a positive number of seconds.", returncode=2)
        if options["objective"] not in OBJECTIVES:
            raise CommandError(
                f"--objective must be {' or '.join(OBJECTIVES)}, not {options['objective']!r}.",
                returncode=USAGE_ERROR,
            )
        if options["counterpart_floor"] and options["objective"] != BALANCED:
            raise CommandError(
                "--counterpart-floor goes with --objective balanced.", returncode=USAGE_ERROR
            )
        try:
            data = _read(options["input"])
            problem = problem_from_json(data)
            result = schedule(
                problem,
                time_limit=options["time_limit"],
                objective=options["objective"],
                counterpart_floor=options["counterpart_floor"],
            )
        except (InputError, SchedulingError) as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from error
        output = {
            "meetings": [
                {"request": p.request, "slot": p.slot, "table": p.table} for p in result.placements
            ],
            "unscheduled": list(result.unscheduled),
        }
        text = json.dumps(output, indent=2, ensure_ascii=False) + "\n"
        if options["output"] == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(options["output"]).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(
                f"cannot write {options['output']}: {error.strerror}.", returncode=USAGE_ERROR
            ) from error


def _read(source: str):
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read {source}: {error.strerror}.") from error
    except UnicodeDecodeError as error:
        raise InputError(f"{source} is not UTF-8 text.") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"the input is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}."
        ) from error


def problem_from_json(data) -> Problem:
    """Check the shape and types of the contract; `schedule` checks the rest (ids...)."""
    _check_keys(data, "top level", "the input")
    timezone = data["timezone"]
    if not isinstance(timezone, str):
        raise InputError("timezone must be a string, such as 'America/Toronto'.")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"timezone {timezone!r} is not an IANA time zone name.") from None
    tables = data["tables"]
    if not _is_whole(tables):
        raise InputError(f"tables must be a whole number, not {tables!r}.")
    if tables < 1:
        raise InputError(f"tables must be at least 1, not {tables}.")

    slots = []
    for n, item in enumerate(_list(data, "slots")):
        where = f"slots[{n}]"
        _check_keys(item, "slots", where)
        start = _time(item["start"], f"{where}.start")
        end = _time(item["end"], f"{where}.end")
        if end <= start:
            raise InputError(f"{where} ends at {item['end']}, not after its start.")
        slots.append(Slot(_id(item["id"], f"{where}.id"), start, end))

    participants = []
    for n, item in enumerate(_list(data, "participants")):
        where = f"participants[{n}]"
        _check_keys(item, "participants", where)
        unavailable = item.get("unavailable", [])
        if not isinstance(unavailable, list):
            raise InputError(f"{where}.unavailable must be a list of slot ids.")
        ids = [_id(slot_id, f"{where}.unavailable[{i}]") for i, slot_id in enumerate(unavailable)]
        participants.append(Participant(_id(item["id"], f"{where}.id"), frozenset(ids)))

    requests = []
    for n, item in enumerate(_list(data, "requests")):
        where = f"requests[{n}]"
        _check_keys(item, "requests", where)
        priority = item["priority"]
        if not _is_whole(priority):
            raise InputError(f"{where}.priority must be a whole number, not {priority!r}.")
        requests.append(
            Request(
                _id(item["id"], f"{where}.id"),
                _id(item["company"], f"{where}.company"),
                _id(item["counterpart"], f"{where}.counterpart"),
                priority,
            )
        )

    locked = []
    for n, item in enumerate(_list(data, "locked", required=False)):
        where = f"locked[{n}]"
        _check_keys(item, "locked", where)
        if not _is_whole(item["table"]):
            raise InputError(f"{where}.table must be a whole number, not {item['table']!r}.")
        locked.append(
            Placement(
                _id(item["request"], f"{where}.request"),
                _id(item["slot"], f"{where}.slot"),
                item["table"],
            )
        )
    return Problem(tuple(slots), tables, tuple(participants), tuple(requests), tuple(locked))


def _check_keys(item, kind: str, where: str) -> None:
    required, optional = KEYS[kind]
    if not isinstance(item, dict):
        raise InputError(f"{where} must be a JSON object.")
    missing = sorted(required - item.keys())
    if missing:
        raise InputError(f"{where} has no {missing[0]!r} key.")
    unknown = sorted(item.keys() - required - optional)
    if unknown:
        raise InputError(f"{where} has an unknown key {unknown[0]!r}.")


def _list(data: dict, key: str, *, required: bool = True) -> list:
    value = data.get(key, [] if not required else None)
    if not isinstance(value, list):
        raise InputError(f"{key} must be a list.")
    return value


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _id(value, where: str):
    if (isinstance(value, str) and value) or _is_whole(value):
        return value
    raise InputError(f"{where} must be a non-empty string or a whole number, not {value!r}.")


def _time(value, where: str) -> datetime:
    if not isinstance(value, str):
        raise InputError(f"{where} must be an ISO 8601 string, not {value!r}.")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"{where} {value!r} is not an ISO 8601 date and time.") from None
    if moment.utcoffset() is None:
        raise InputError(f"{where} {value!r} has no UTC offset (such as -04:00).")
    return moment
