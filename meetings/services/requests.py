"""Every write to the counterparts of a mission and to the meeting requests.

Views and forms call these functions; none of them writes to the ORM itself. Each one
validates first and raises a ``RequestError`` (a ``ValidationError``) keyed by field,
so that a form shows the message next to the field, then writes in one transaction:
nothing is saved half-way.

A meeting request goes requested → qualified → scheduled, or is declined with a reason
the company reads on its page. Each of these changes is a ``MeetingRequestStatusChange``
(from, to, by, at) written in the transaction of the change: staff read who qualified or
declined a request, and when. Only a company whose seat is confirmed requests
meetings, and only qualified requests are scheduled (the grid's services do that).

Locks: each change of a request locks the request's row, so two staff qualifying and
declining it at the same moment are served one after the other and the second sees the
first's result. A new request locks its application's row (after nothing else), so a
withdrawal and a request cannot cross; an import locks the mission's row, so two
imports of the same file are served one after the other (the second updates what the
first created). The database's unique constraints catch what remains: a duplicate saved
by two people at once is refused with the same message as any duplicate.
"""

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.models import Language
from core.csv_files import RowError
from core.history import VIA_IMPORT, recorded
from delegations.enums import ApplicationStatus
from delegations.models import Application
from meetings.enums import MEETING_INACTIVE, CounterpartKind, MeetingRequestStatus, RequestOrigin
from meetings.models import Counterpart, Meeting, MeetingRequest, MeetingRequestStatusChange
from missions.enums import MissionStatus
from missions.models import Mission

# What staff type about a counterpart; its mission and sectors are given apart.
COUNTERPART_FIELDS = (
    "organisation",
    "kind",
    "city",
    "contact_name",
    "email",
    "language",
    "description",
    "interests",
)
REQUIRED_COUNTERPART_FIELDS = ("organisation", "kind", "contact_name", "email")
DESCRIPTION_MAX_LENGTH = 2000
RATIONALE_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 2000
PRIORITIES = (1, 2, 3)
# Meetings are no longer requested nor qualified once a mission is over.
MISSION_OVER = (MissionStatus.COMPLETED, MissionStatus.REPORTED, MissionStatus.CANCELLED)
# A request may be declined while it waits for a slot; a scheduled one has its meeting
# in the grid, which staff remove first.
DECLINABLE = (MeetingRequestStatus.REQUESTED, MeetingRequestStatus.QUALIFIED)

REQUIRED_MESSAGES = {
    "organisation": _("The organisation is required."),
    "kind": _("The kind of counterpart is required."),
    "contact_name": _("The contact person is required."),
    "email": _("The contact's email address is required."),
}


class RequestError(ValidationError):
    """A refused change to a counterpart or a meeting request."""


def _error(field: str, message, code: str) -> RequestError:
    return RequestError({field: [ValidationError(message, code=code)]})


def _max_length(field: str) -> int:
    return Counterpart._meta.get_field(field).max_length


def counterpart_field_problems(fields: dict) -> dict[str, list[ValidationError]]:
    """What is wrong with a counterpart's fields on their own, by field (nothing that
    needs the database): the required ones, the email, the kind, the language, the
    lengths. ``fields`` hold stripped strings."""
    errors: dict[str, list[ValidationError]] = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    for field in REQUIRED_COUNTERPART_FIELDS:
        if not fields.get(field):
            add(field, REQUIRED_MESSAGES[field], "required")
    kind = fields.get("kind", "")
    if kind and kind not in CounterpartKind.values:
        add(
            "kind",
            _("Unknown kind “%(value)s”: write one of %(codes)s.")
            % {"value": kind, "codes": ", ".join(CounterpartKind.values)},
            "unknown_kind",
        )
    email = fields.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            add(
                "email", _("“%(value)s” is not a valid email address.") % {"value": email}, "email"
            )
    language = fields.get("language", "")
    if not language:
        add("language", _("The language is required: fr or en."), "required")
    elif language not in Language.values:
        add(
            "language",
            _("Unknown language “%(value)s”: write fr or en.") % {"value": language},
            "unknown_language",
        )
    for field in ("organisation", "city", "contact_name", "email"):
        value, limit = fields.get(field, ""), _max_length(field)
        if len(value) > limit:
            add(
                field,
                _("At most %(max)d characters (this one has %(length)d).")
                % {"max": limit, "length": len(value)},
                "too_long",
            )
    for field in ("description", "interests"):
        if len(fields.get(field, "")) > DESCRIPTION_MAX_LENGTH:
            add(
                field,
                _("At most %(max)d characters (this one has %(length)d).")
                % {"max": DESCRIPTION_MAX_LENGTH, "length": len(fields[field])},
                "too_long",
            )
    return errors


def _duplicate_error(organisation: str) -> ValidationError:
    return ValidationError(
        _(
            "%(organisation)s is already registered with this email address for this "
            "mission: edit that counterpart instead."
        )
        % {"organisation": organisation},
        code="duplicate",
    )


def _same_counterpart(mission_id: int, organisation: str, email: str):
    """The mission's counterparts with this organisation and email, whatever their
    case: what the ``counterpart_unique_per_mission`` constraint compares."""
    return Counterpart.objects.annotate(
        organisation_lower=Lower("organisation"), email_lower=Lower("email")
    ).filter(
        mission_id=mission_id,
        organisation_lower=organisation.lower(),
        email_lower=email.lower(),
    )


def _clean(fields: dict) -> dict:
    unknown = set(fields) - set(COUNTERPART_FIELDS)
    if unknown:
        raise TypeError(f"Not a field of a counterpart: {sorted(unknown)}")
    cleaned = {name: (fields.get(name) or "").strip() for name in COUNTERPART_FIELDS}
    cleaned["language"] = cleaned["language"].lower()
    cleaned["kind"] = cleaned["kind"].lower()
    return cleaned


def counterpart_save(
    *, mission: Mission, by, counterpart: Counterpart | None = None, sectors, **fields
) -> Counterpart:
    """Create a counterpart of ``mission``, or change ``counterpart`` (one of its own).

    Guarantees: organisation, kind, contact person and email are required; the email is
    valid; the kind is one of ``CounterpartKind`` and the language fr or en; no field is
    longer than its column. One counterpart per organisation and email in a mission,
    whatever their case (``counterpart_unique_per_mission``): a second one is refused
    on the ``email`` field, even when two staff save it at the same moment, never with
    an ``IntegrityError``. Errors are keyed by field and nothing is saved on error.
    The change, if any, is one row of the counterpart's history by ``by``.
    """
    values = _clean(fields)
    sectors = list(sectors)
    if counterpart is not None and counterpart.mission_id != mission.pk:
        raise _error(
            NON_FIELD_ERRORS,
            _("This counterpart belongs to another mission."),
            "other_mission",
        )
    errors = counterpart_field_problems(values)
    if errors:
        raise RequestError(errors)
    try:
        with transaction.atomic():
            if counterpart is None:
                current = Counterpart(mission=mission)
            else:
                current = Counterpart.objects.select_for_update().get(pk=counterpart.pk)
            same = _same_counterpart(mission.pk, values["organisation"], values["email"])
            if current.pk:
                same = same.exclude(pk=current.pk)
            if same.exists():
                raise RequestError({"email": [_duplicate_error(values["organisation"])]})
            with recorded(current, by=by):
                for name, value in values.items():
                    setattr(current, name, value)
                current.save()
                current.sectors.set(sectors)
    except IntegrityError:
        # Saved by someone else between the check and the write.
        raise RequestError({"email": [_duplicate_error(values["organisation"])]}) from None
    return current


class CounterpartImportError(RequestError):
    """An import refused as a whole; ``rows`` says what is wrong, line by line."""

    def __init__(self, rows: list[RowError]):
        super().__init__([str(row.message) for row in rows], code="import_refused")
        self.rows = rows


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int


def counterparts_import(*, mission: Mission, rows: list, by) -> ImportSummary:
    """Create or update the counterparts of ``mission`` from the rows of a file read by
    ``meetings.csv_files.counterpart_list_read``.

    Guarantees: all or nothing, in one transaction with the mission's row locked. A
    counterpart already registered (same organisation and email, whatever their case)
    is updated from the file and keeps its sectors with the file's added; the others
    are created. Every row is checked again as ``counterpart_save`` checks it, and two
    rows for one counterpart are refused: if any row is wrong, nothing is saved and a
    ``CounterpartImportError`` lists every problem with its line and column. Each
    counterpart the file creates or changes gets one row of history by ``by``, marked
    as an import; one the file leaves as it was gets none.
    """
    problems: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    checked = []
    for row in rows:
        values = _clean({name: getattr(row, name) for name in COUNTERPART_FIELDS})
        for field, errors in counterpart_field_problems(values).items():
            problems.extend(RowError(row.line, field, e.messages[0]) for e in errors)
        key = (values["organisation"].lower(), values["email"].lower())
        if all(key) and key in seen:
            problems.append(
                RowError(
                    row.line,
                    "email",
                    str(
                        _("The same counterpart is already on line %(line)d.")
                        % {"line": seen[key]}
                    ),
                )
            )
        seen.setdefault(key, row.line)
        checked.append((row, values))
    if problems:
        raise CounterpartImportError(problems)
    created = updated = 0
    try:
        with transaction.atomic():
            Mission.objects.select_for_update(no_key=True).filter(pk=mission.pk).first()
            for row, values in checked:
                current = (
                    _same_counterpart(mission.pk, values["organisation"], values["email"])
                    .select_for_update()
                    .first()
                )
                if current is None:
                    current = Counterpart(mission=mission)
                    created += 1
                else:
                    updated += 1
                with recorded(current, by=by, via=VIA_IMPORT):
                    for name, value in values.items():
                        setattr(current, name, value)
                    current.save()
                    current.sectors.add(*row.sectors)
    except IntegrityError:
        raise CounterpartImportError(
            [
                RowError(
                    1,
                    "",
                    str(_("The counterparts changed during the import: send the file again.")),
                )
            ]
        ) from None
    return ImportSummary(created, updated)


# Meeting requests --------------------------------------------------------------------


def _status_label(status: str) -> str:
    return str(MeetingRequestStatus(status).label)


def _rationale_problem(rationale: str) -> ValidationError | None:
    if len(rationale) > RATIONALE_MAX_LENGTH:
        return ValidationError(
            _("At most %(max)d characters (this rationale has %(length)d).")
            % {"max": RATIONALE_MAX_LENGTH, "length": len(rationale)},
            code="too_long",
        )
    return None


def _duplicate_request_error(counterpart: Counterpart) -> RequestError:
    return _error(
        "counterpart",
        _("A meeting with %(organisation)s has already been requested for this company.")
        % {"organisation": counterpart.organisation},
        "duplicate",
    )


def meeting_request_create(
    *,
    application: Application,
    counterpart: Counterpart,
    by,
    priority: int,
    rationale: str,
    origin: str,
) -> MeetingRequest:
    """Ask for a meeting of ``application``'s company with ``counterpart``.

    Guarantees: only for an application whose seat is confirmed (checked on its row,
    locked, so a withdrawal at the same moment comes before or after), while the
    mission is not over; the counterpart is one of the application's mission; the
    priority is 1, 2 or 3; the rationale at most ``RATIONALE_MAX_LENGTH`` characters;
    one request per company and counterpart (a second one is refused on the
    ``counterpart`` field, even when two requests race). The request starts
    "requested", with ``origin`` (company, staff or counterpart) and ``by`` recorded.
    """
    rationale = (rationale or "").strip()
    if origin not in RequestOrigin.values:
        raise _error(
            "origin",
            _("“%(value)s” is not an origin of a request.") % {"value": origin},
            "unknown_origin",
        )
    errors: dict[str, list] = {}
    if counterpart.mission_id != application.mission_id:
        errors["counterpart"] = [
            ValidationError(
                _("This counterpart is not one of this mission's."), code="other_mission"
            )
        ]
    if priority not in PRIORITIES:
        errors["priority"] = [
            ValidationError(_("The priority must be 1, 2 or 3."), code="priority_range")
        ]
    problem = _rationale_problem(rationale)
    if problem is not None:
        errors["rationale"] = [problem]
    if errors:
        raise RequestError(errors)
    try:
        with transaction.atomic():
            current = (
                Application.objects.select_for_update(of=("self",))
                .select_related("mission")
                .get(pk=application.pk)
            )
            if current.status != ApplicationStatus.CONFIRMED:
                raise _error(
                    "application",
                    _(
                        "Only a company whose seat in the delegation is confirmed can request "
                        "meetings."
                    ),
                    "not_confirmed",
                )
            if current.mission.status in MISSION_OVER:
                raise _error(
                    NON_FIELD_ERRORS,
                    _("This mission is over: meetings can no longer be requested."),
                    "mission_over",
                )
            if MeetingRequest.objects.filter(
                application=current, counterpart=counterpart
            ).exists():
                raise _duplicate_request_error(counterpart)
            request = MeetingRequest.objects.create(
                application=current,
                counterpart=counterpart,
                priority=priority,
                rationale=rationale,
                origin=origin,
                status=MeetingRequestStatus.REQUESTED,
                created_by=by,
            )
            _record(request, "", by)
    except IntegrityError:
        raise _duplicate_request_error(counterpart) from None
    return request


def _record(request: MeetingRequest, from_status: str, by) -> MeetingRequestStatusChange:
    """The history row of a change of ``request`` to its current status."""
    return MeetingRequestStatusChange.objects.create(
        request=request, from_status=from_status, to_status=request.status, changed_by=by
    )


def _lock_request(request: MeetingRequest) -> MeetingRequest:
    return (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("application__mission", "application__company", "counterpart")
        .get(pk=request.pk)
    )


def meeting_request_qualify(
    *, request: MeetingRequest, by, purpose: str, qualification_note: str
) -> MeetingRequest:
    """Qualify a request: staff say what the meeting is for (``purpose``, which the
    company reads) and why it is worth it (``qualification_note``, staff's own).

    Guarantees: only a "requested" request becomes "qualified", checked on its row
    locked for the transaction (of two staff at once, the second is refused); only
    while its company's seat is still confirmed; the purpose is required and at most
    300 characters, the note at most ``NOTE_MAX_LENGTH``. Errors are keyed by field.
    """
    purpose, qualification_note = (purpose or "").strip(), (qualification_note or "").strip()
    errors: dict[str, list] = {}
    if not purpose:
        errors["purpose"] = [ValidationError(_("Say what the meeting is for."), code="required")]
    limit = MeetingRequest._meta.get_field("purpose").max_length
    if len(purpose) > limit:
        errors["purpose"] = [
            ValidationError(
                _("At most %(max)d characters (this one has %(length)d).")
                % {"max": limit, "length": len(purpose)},
                code="too_long",
            )
        ]
    if len(qualification_note) > NOTE_MAX_LENGTH:
        errors["qualification_note"] = [
            ValidationError(
                _("At most %(max)d characters (this one has %(length)d).")
                % {"max": NOTE_MAX_LENGTH, "length": len(qualification_note)},
                code="too_long",
            )
        ]
    if errors:
        raise RequestError(errors)
    with transaction.atomic():
        current = _lock_request(request)
        if current.status != MeetingRequestStatus.REQUESTED:
            raise _error(
                NON_FIELD_ERRORS,
                _("Only a request still “Requested” can be qualified; this one is “%(status)s”.")
                % {"status": _status_label(current.status)},
                "transition_refused",
            )
        if current.application.status != ApplicationStatus.CONFIRMED:
            raise _error(
                NON_FIELD_ERRORS,
                _("%(company)s is no longer in the delegation: decline this request instead.")
                % {"company": current.application.company.name},
                "not_confirmed",
            )
        current.status = MeetingRequestStatus.QUALIFIED
        current.purpose = purpose
        current.qualification_note = qualification_note
        current.save(update_fields=["status", "purpose", "qualification_note"])
        _record(current, MeetingRequestStatus.REQUESTED, by)
    return current


def meeting_request_decline(*, request: MeetingRequest, by, reason: str) -> MeetingRequest:
    """Decline a request with a reason, which the company reads on its page.

    Guarantees: only a "requested" or "qualified" request is declined, checked on its
    row locked for the transaction. A request whose meeting is in the grid (a meeting
    neither cancelled nor declined by the counterpart) is refused: staff remove the
    meeting from the grid first, so that no invitation nor agenda keeps a meeting whose
    request is declined. The reason is required, at most ``NOTE_MAX_LENGTH``
    characters. Errors are keyed by field.
    """
    reason = (reason or "").strip()
    if not reason:
        raise _error(
            "reason", _("Give the company the reason why the meeting is declined."), "required"
        )
    if len(reason) > NOTE_MAX_LENGTH:
        raise _error(
            "reason",
            _("At most %(max)d characters (this one has %(length)d).")
            % {"max": NOTE_MAX_LENGTH, "length": len(reason)},
            "too_long",
        )
    with transaction.atomic():
        current = _lock_request(request)
        in_grid = (
            Meeting.objects.filter(request=current).exclude(status__in=MEETING_INACTIVE).exists()
        )
        if in_grid or current.status == MeetingRequestStatus.SCHEDULED:
            raise _error(
                NON_FIELD_ERRORS,
                _(
                    "This request has a meeting in the grid: remove the meeting from the "
                    "grid first, then decline the request."
                ),
                "in_grid",
            )
        if current.status not in DECLINABLE:
            raise _error(
                NON_FIELD_ERRORS,
                _("This request is already “%(status)s”.")
                % {"status": _status_label(current.status)},
                "transition_refused",
            )
        was = current.status
        current.status = MeetingRequestStatus.DECLINED
        current.decline_reason = reason
        current.save(update_fields=["status", "decline_reason"])
        _record(current, was, by)
    return current


def meeting_request_set_priority(*, request: MeetingRequest, by, priority: int) -> MeetingRequest:
    """Staff change a request's priority (1 to 3), which the scheduler weighs.

    Guarantees: only while the request is "requested" or "qualified" (checked on its row,
    locked), so a scheduled or declined request keeps the priority it was handled with.
    """
    if priority not in PRIORITIES:
        raise _error("priority", _("The priority must be 1, 2 or 3."), "priority_range")
    with transaction.atomic():
        current = _lock_request(request)
        if current.status not in DECLINABLE:
            raise _error(
                NON_FIELD_ERRORS,
                _("This request is “%(status)s”: its priority can no longer change.")
                % {"status": _status_label(current.status)},
                "transition_refused",
            )
        current.priority = priority
        current.save(update_fields=["priority"])
    return current


def meeting_request_delete(*, request: MeetingRequest, by) -> None:
    """The company removes one of its requests.

    Guarantees: only while the request is still "requested" (checked on its row, locked),
    so a request staff have qualified or declined meanwhile stays, with its purpose or
    its reason; nothing else is deleted.
    """
    with transaction.atomic():
        current = _lock_request(request)
        if current.status != MeetingRequestStatus.REQUESTED:
            raise _error(
                NON_FIELD_ERRORS,
                _(
                    "This request is “%(status)s”: only a request not yet handled by the "
                    "city's team can be removed."
                )
                % {"status": _status_label(current.status)},
                "transition_refused",
            )
        current.delete()
