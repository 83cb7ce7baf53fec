"""`manage.py schedule_meetings`: the JSON contract, in-process and as a real process."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from meetings.management.commands.schedule_meetings import Command

BASE_DIR = Path(__file__).resolve().parents[2]
SAMPLE = Path(__file__).resolve().parent / "data" / "schedule_sample.json"

# The sample's optimum: every request but 105, whose people never share a free slot
# (calanques-tech is away on Tuesday, maple-foods on Wednesday).
EXPECTED = {
    "meetings": [
        {"request": 101, "slot": "tue-0900", "table": 1},
        {"request": 110, "slot": "tue-0900", "table": 2},
        {"request": 103, "slot": "tue-0930", "table": 1},
        {"request": 107, "slot": "tue-0930", "table": 2},
        {"request": 108, "slot": "tue-1000", "table": 1},
        {"request": 111, "slot": "tue-1000", "table": 2},
        {"request": 109, "slot": "tue-1030", "table": 1},
        {"request": 113, "slot": "tue-1030", "table": 2},
        {"request": 102, "slot": "tue-1100", "table": 1},
        {"request": 112, "slot": "tue-1100", "table": 2},
        {"request": 104, "slot": "wed-0900", "table": 1},
        {"request": 106, "slot": "wed-0930", "table": 1},
    ],
    "unscheduled": [105],
}


def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def assert_valid(data: dict, output: dict) -> None:
    requests = {r["id"]: r for r in data["requests"]}
    unavailable = {p["id"]: set(p["unavailable"]) for p in data["participants"]}
    placed = [m["request"] for m in output["meetings"]]
    assert sorted(placed + output["unscheduled"]) == sorted(requests)
    for slot in data["slots"]:
        here = [m for m in output["meetings"] if m["slot"] == slot["id"]]
        assert sorted(m["table"] for m in here) == sorted({m["table"] for m in here})
        assert all(1 <= m["table"] <= data["tables"] for m in here)
        people = [
            requests[m["request"]][role] for m in here for role in ("company", "counterpart")
        ]
        assert len(people) == len(set(people))
        assert not any(slot["id"] in unavailable[person] for person in people)
    for locked in data.get("locked", []):
        assert locked in output["meetings"]


def test_schedule_meetings_writes_the_optimum_of_the_sample(tmp_path):
    output = tmp_path / "out.json"

    call_command("schedule_meetings", "--input", str(SAMPLE), "--output", str(output))

    written = json.loads(output.read_text(encoding="utf-8"))
    assert written == EXPECTED
    assert list(written) == ["meetings", "unscheduled"]
    assert_valid(sample(), written)
    assert output.read_text(encoding="utf-8").startswith('{\n  "meetings": [\n    {\n')


def test_schedule_meetings_runs_as_a_process_and_writes_stdout():
    completed = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "schedule_meetings",
            "--input",
            str(SAMPLE),
            "--output",
            "-",
        ],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 0
    assert completed.stderr == ""
    assert json.loads(completed.stdout) == EXPECTED


def test_schedule_meetings_reads_stdin_in_a_process(tmp_path):
    data = sample()
    data["locked"] = [{"request": 105, "slot": "tue-0900", "table": 1}]
    output = tmp_path / "out.json"

    completed = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "schedule_meetings",
            "--input",
            "-",
            "--output",
            str(output),
        ],
        cwd=BASE_DIR,
        input=json.dumps(data),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    # 105 cannot be locked on Tuesday: calanques-tech is away.
    assert completed.returncode == 2
    assert completed.stderr == (
        "schedule_meetings: Locked request 105 is in slot 'tue-0900', for which "
        "'calanques-tech' is unavailable.\n"
    )
    assert not output.exists()


def test_schedule_meetings_exits_2_with_one_line_in_a_process(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"timezone": "America/Toronto",', encoding="utf-8")

    completed = subprocess.run(
        [sys.executable, "manage.py", "schedule_meetings", "--input", str(bad), "--output", "-"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr == (
        "schedule_meetings: the input is not valid JSON: Expecting property name enclosed "
        "in double quotes at line 1, column 32.\n"
    )


def test_schedule_meetings_keeps_locked_meetings(tmp_path):
    data = sample()
    data["locked"] = [{"request": 101, "slot": "tue-1130", "table": 2}]
    source, output = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(data), encoding="utf-8")

    call_command("schedule_meetings", "--input", str(source), "--output", str(output))

    written = json.loads(output.read_text(encoding="utf-8"))
    assert {"request": 101, "slot": "tue-1130", "table": 2} in written["meetings"]
    assert written["unscheduled"] == [105]
    assert_valid(data, written)


def drop(key):
    def change(data):
        del data[key]

    return change


def setter(path, value):
    """Set data[path[0]][path[1]]... = value."""

    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


BAD_INPUTS = [
    (lambda data: data.clear() or data.update({"x": 1}), "the input has no 'participants' key."),
    (drop("slots"), "the input has no 'slots' key."),
    (setter(["lock"], []), "the input has an unknown key 'lock'."),
    (setter(["slots"], {}), "slots must be a list."),
    (setter(["slots", 0], "tue-0900"), "slots[0] must be a JSON object."),
    (drop_slot_id := (lambda data: data["slots"][1].pop("id")), "slots[1] has no 'id' key."),
    (setter(["timezone"], "Marseille"), "timezone 'Marseille' is not an IANA time zone name."),
    (setter(["timezone"], 5), "timezone must be a string, such as 'America/Toronto'."),
    (setter(["tables"], "45"), "tables must be a whole number, not '45'."),
    (setter(["tables"], 0), "tables must be at least 1, not 0."),
    (
        setter(["slots", 0, "start"], "2026-06-09T09:00:00"),
        "slots[0].start '2026-06-09T09:00:00' has no UTC offset (such as -04:00).",
    ),
    (
        setter(["slots", 0, "end"], "9h30"),
        "slots[0].end '9h30' is not an ISO 8601 date and time.",
    ),
    (
        setter(["slots", 0, "end"], "2026-06-09T09:00:00-04:00"),
        "slots[0] ends at 2026-06-09T09:00:00-04:00, not after its start.",
    ),
    (setter(["slots", 1, "id"], "tue-0900"), "Slot 'tue-0900' is listed twice."),
    (
        setter(["slots", 1, "id"], None),
        "slots[1].id must be a non-empty string or a whole number, not None.",
    ),
    (
        setter(["participants", 0, "unavailable"], ["thu-0900"]),
        "Participant 'savonnerie-du-midi' is unavailable for an unknown slot 'thu-0900'.",
    ),
    (
        setter(["participants", 1, "id"], "savonnerie-du-midi"),
        "Participant 'savonnerie-du-midi' is listed twice.",
    ),
    (setter(["requests", 1, "id"], 101), "Request 101 is listed twice."),
    (
        setter(["requests", 0, "counterpart"], "tim-hortons"),
        "Request 101 names an unknown counterpart 'tim-hortons'.",
    ),
    (
        setter(["requests", 0, "priority"], 0),
        "Request 101 has priority 0; priorities go from 1 to 3.",
    ),
    (
        setter(["requests", 0, "priority"], 2.5),
        "requests[0].priority must be a whole number, not 2.5.",
    ),
    (
        setter(["locked"], [{"request": 101, "slot": "tue-0900", "table": 3}]),
        "Locked request 101 is at table 3, but tables go from 1 to 2.",
    ),
    (
        setter(["locked"], [{"request": 999, "slot": "tue-0900", "table": 1}]),
        "A locked meeting names an unknown request 999.",
    ),
]


@pytest.mark.parametrize(("change", "message"), BAD_INPUTS)
def test_schedule_meetings_exits_2_with_one_line_on_bad_input(tmp_path, capsys, change, message):
    data = sample()
    change(data)
    source, output = tmp_path / "in.json", tmp_path / "out.json"
    source.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(
            ["manage.py", "schedule_meetings", "--input", str(source), "--output", str(output)]
        )

    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.err == f"schedule_meetings: {message}\n"
    assert captured.out == ""
    assert not output.exists()


def test_schedule_meetings_raises_a_command_error_with_code_2_in_process(tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command(
            "schedule_meetings",
            "--input",
            str(tmp_path / "missing.json"),
            "--output",
            str(tmp_path / "out.json"),
        )

    assert raised.value.returncode == 2
    assert str(raised.value) == (
        f"cannot read {tmp_path / 'missing.json'}: No such file or directory."
    )
