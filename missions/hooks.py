"""What the apps above missions add to a mission's life, registered explicitly at
start-up (each app's ``AppConfig.ready``): missions never imports them.

- ``add_transition_check(status, check)``: ``check(mission) -> [sentences]`` says why
  the mission may not become ``status`` now (the delegation is not confirmed, the report
  is not approved...); ``mission_transition`` refuses with these sentences.
- ``add_after_transition(callback)``: ``callback(mission=, from_status=, to_status=, by=)``
  runs in the transaction of every status change (follow-ups queued when a mission is
  completed...), after its ``MissionStatusChange`` is written.
- ``add_rule_check(check)``: ``check(mission) -> {field: [ValidationError]}`` adds the
  rules of the apps above to a saved mission's fields (its capacity cannot go below
  the seats its applications hold...).
- ``add_annotation(name, expression)``: ``expression()`` annotates every mission the
  list, the calendar and the feed show (the seats taken, from the applications).
"""

from collections import defaultdict
from collections.abc import Callable

_transition_checks: dict[str, list[Callable]] = defaultdict(list)
_after_transition: list[Callable] = []
_annotations: dict[str, Callable] = {}
_rule_checks: list[Callable] = []


def add_transition_check(status: str, check: Callable) -> None:
    if check not in _transition_checks[status]:
        _transition_checks[status].append(check)


def add_after_transition(callback: Callable) -> None:
    if callback not in _after_transition:
        _after_transition.append(callback)


def add_rule_check(check: Callable) -> None:
    if check not in _rule_checks:
        _rule_checks.append(check)


def rule_checks() -> list[Callable]:
    return list(_rule_checks)


def add_annotation(name: str, expression: Callable) -> None:
    _annotations[name] = expression


def transition_checks(status: str) -> list[Callable]:
    return list(_transition_checks[status])


def after_transition() -> list[Callable]:
    return list(_after_transition)


def annotations() -> dict:
    return {name: expression() for name, expression in _annotations.items()}
