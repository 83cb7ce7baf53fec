"""Every write to a mission: create, edit, its lifecycle, its programme, duplicating it.

Views and forms call these functions; none of them writes to the ORM itself. Each one
validates first and raises a ``ValidationError`` keyed by field (so a form shows the
message next to the field), then writes in one transaction: nothing is saved half-way.
"""

import datetime
import re
import zoneinfo
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.rules import OFFICIALS_GROUP, is_official
from core.dates import LAST_DAY
from delegations.enums import DECISIONS, HOLDS_A_SEAT
from missions.enums import MISSION_TRANSITIONS, REPORT_TRANSITIONS, MissionStatus, ReportStatus
from missions.models import (
    Mission,
    MissionReport,
    MissionStatusChange,
    ProgrammeItem,
    ReportStatusChange,
)
from notifications.services import email_queue_for_user

PARIS = zoneinfo.ZoneInfo("Europe/Paris")

# What staff may set on a mission through create and edit. Status, slug and version
# are the services' own business.
MISSION_FIELDS = {
    "title",
    "country",
    "cities",
    "timezone",
    "start_date",
    "end_date",
    "capacity",
    "applications_open_at",
    "application_deadline",
    "partners",
    "budget_planned",
    "budget_actual",
    "summary",
    "description",
    "objectives",
}
PROGRAMME_ITEM_FIELDS = {"kind", "title", "city", "location", "description"}


class TransitionError(ValidationError):
    """A status change that is refused: wrong state, or a precondition not met."""


class MissionConflict(ValidationError):
    """An edit based on a version of the mission that someone else has since changed."""


# Time zones ---------------------------------------------------------------------------


def aware_in_zone(value: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """A wall-clock time read in ``zone``, as an aware datetime.

    A time the clocks skip (spring forward) does not exist: refused. A time that
    happens twice (fall back) is taken at its first occurrence, before the clocks go
    back (``fold=0``), unless the value says otherwise: that is what people mean by
    "01:30" on that night, and a datetime-local input cannot say more.
    """
    if timezone.is_aware(value):
        return value
    aware = value.replace(tzinfo=zone)
    round_trip = aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != value.replace(fold=0):
        raise ValidationError(
            _(
                "%(time)s does not exist in %(zone)s: the clocks skip that hour that night "
                "(daylight saving time). Choose another time."
            ),
            code="nonexistent_time",
            params={"time": value.strftime("%Y-%m-%d %H:%M"), "zone": zone.key},
        )
    # In UTC at once: a time of the repeated hour compares unequal to any other zone's.
    return aware.astimezone(datetime.UTC)


def _same_day_years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


# Slugs ------------------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    """The slug of a title, unique among missions and never one of the fixed paths."""
    from missions.urls import RESERVED_SLUGS  # missions.urls imports the views, then us

    max_length = Mission._meta.get_field("slug").max_length
    base = slugify(title)[: max_length - 6].strip("-") or "mission"
    taken = set(
        Mission.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    ) | set(RESERVED_SLUGS)
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


# Create and edit ----------------------------------------------------------------------


def _mission_rule_errors(mission: Mission, officials: Iterable | None) -> dict:
    """The rules a mission's fields must follow together, keyed by the field at fault."""
    errors: dict[str, list] = {}

    def add(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if mission.start_date and mission.end_date and mission.end_date < mission.start_date:
        add("end_date", _("The end date cannot be before the start date."), "end_before_start")
    if mission.capacity is None or mission.capacity < 1:
        add("capacity", _("The capacity must be at least 1 company."), "capacity_below_one")
    elif mission.pk is not None:
        held = mission.applications.filter(status__in=HOLDS_A_SEAT).count()
        if mission.capacity < held:
            add(
                "capacity",
                _("%(count)d companies already hold a seat: the capacity cannot be lower.")
                % {"count": held},
                "capacity_below_seats",
            )
    if mission.timezone and mission.timezone not in zoneinfo.available_timezones():
        add(
            "timezone",
            _("“%(value)s” is not a known time zone (expected e.g. America/Toronto).")
            % {"value": mission.timezone},
            "unknown_time_zone",
        )
    deadline, opening = mission.application_deadline, mission.applications_open_at
    # The deadline is the city's: its day is the day in Paris.
    if deadline and mission.start_date and deadline.astimezone(PARIS).date() >= mission.start_date:
        add(
            "application_deadline",
            _("The application deadline must be before the start date of the mission."),
            "deadline_not_before_start",
        )
    if deadline and opening and opening >= deadline:
        add(
            "applications_open_at",
            _("Applications must open before the deadline."),
            "opening_not_before_deadline",
        )
    if officials is not None:
        outsiders = [user for user in officials if not is_official(user)]
        if outsiders:
            add(
                "officials",
                _("%(names)s: not an official of the city.")
                % {"names": ", ".join(u.get_full_name() or u.email for u in outsiders)},
                "not_official",
            )
    return errors


def _validate_mission(mission: Mission, *, officials=None) -> None:
    """The rules above, then the model's own validation for the fields they left."""
    errors = _mission_rule_errors(mission, officials)
    try:
        # The constraints are the rules above, said again by the database; checked here
        # they would come out as messages about no field in particular.
        mission.full_clean(exclude=list(errors), validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _split_fields(fields: dict) -> tuple[dict, object, object]:
    unknown = set(fields) - MISSION_FIELDS - {"sectors", "officials"}
    if unknown:
        raise TypeError(f"Not a field staff may set on a mission: {sorted(unknown)}")
    fields = dict(fields)
    sectors = fields.pop("sectors", None)
    officials = fields.pop("officials", None)
    return fields, sectors, list(officials) if officials is not None else None


def mission_create(*, by, **fields) -> Mission:
    """Create a mission as a draft.

    Guarantees: the fields follow every rule (or a ``ValidationError`` keyed by field
    is raised and nothing is saved); the slug comes from the title, unique, never one
    of the fixed paths; the history starts with one change "" → draft by ``by``.
    """
    fields, sectors, officials = _split_fields(fields)
    with transaction.atomic():
        mission = Mission(**fields, status=MissionStatus.DRAFT)
        mission.slug = _unique_slug(mission.title or "")
        _validate_mission(mission, officials=officials)
        mission.save()
        if sectors is not None:
            mission.sectors.set(sectors)
        if officials is not None:
            mission.officials.set(officials)
        MissionStatusChange.objects.create(
            mission=mission, from_status="", to_status=MissionStatus.DRAFT, changed_by=by
        )
    return mission


def mission_update(*, mission: Mission, by, expected_version: int, **fields) -> Mission:
    """Change a mission's fields, unless someone changed it since ``expected_version``.

    Guarantees: the row is locked while it is compared and written, so of two edits
    based on the same version exactly one is saved and the other raises
    ``MissionConflict`` (saving nothing); the fields follow every rule; the version
    goes up by one. The slug stays as it was: links already sent keep working.
    """
    fields, sectors, officials = _split_fields(fields)
    with transaction.atomic():
        current = Mission.objects.select_for_update().get(pk=mission.pk)
        if current.version != expected_version:
            raise MissionConflict(
                {
                    NON_FIELD_ERRORS: ValidationError(
                        _(
                            "Someone else changed this mission on %(when)s, after you "
                            "opened it. Your changes are not saved: check the mission as "
                            "it is now, then save again to replace it."
                        ),
                        code="conflict",
                        params={
                            "when": formats.date_format(
                                current.updated_at.astimezone(PARIS), "DATETIME_FORMAT"
                            )
                        },
                    )
                }
            )
        for name, value in fields.items():
            setattr(current, name, value)
        _validate_mission(current, officials=officials)
        current.version = F("version") + 1
        current.save()
        if sectors is not None:
            current.sectors.set(sectors)
        if officials is not None:
            current.officials.set(officials)
    current.refresh_from_db()
    return current


# The lifecycle --------------------------------------------------------------------------


def _today_at_destination(mission: Mission) -> datetime.date:
    return timezone.now().astimezone(mission.zone).date()


def transition_problems(mission: Mission, to_status: str) -> list:
    """Why ``mission`` may not move to ``to_status`` now (empty: it may).

    The states come from ``MISSION_TRANSITIONS``; the preconditions are these:

    - open: dates, a capacity, at least one sector, and an application deadline that
      is in the future and before the start date: companies must be able to apply;
    - selection: nothing more (staff may close the call before its deadline);
    - confirmed: at least one application accepted or confirmed, and every decision
      announced to the companies;
    - in progress: the start date has come at the destination (its own calendar day);
    - completed: the end date has come at the destination (its last day, or after);
    - reported: the mission's report is approved;
    - cancelled: nothing more (any state before completed).
    """
    allowed = MISSION_TRANSITIONS.get(mission.status, set())
    if to_status not in allowed:
        return [
            _("A mission that is “%(from)s” cannot become “%(to)s”.")
            % {
                "from": MissionStatus(mission.status).label,
                "to": MissionStatus(to_status).label,
            }
        ]
    problems = []
    if to_status == MissionStatus.OPEN:
        if not (mission.start_date and mission.end_date):
            problems.append(_("Set the start and end dates before opening the mission."))
        if not mission.capacity or mission.capacity < 1:
            problems.append(_("Set a capacity of at least 1 company before opening."))
        if not mission.sectors.exists():
            problems.append(_("Choose at least one sector before opening the mission."))
        if mission.application_deadline is None:
            problems.append(_("Set an application deadline before opening the mission."))
        elif mission.application_deadline <= timezone.now():
            problems.append(_("The application deadline has passed: set a later one."))
        elif (
            mission.start_date
            and mission.application_deadline.astimezone(PARIS).date() >= mission.start_date
        ):
            problems.append(
                _("The application deadline must be before the start date of the mission.")
            )
    elif to_status == MissionStatus.CONFIRMED:
        if not mission.applications.filter(status__in=HOLDS_A_SEAT).exists():
            problems.append(
                _("No company is accepted yet: accept at least one before confirming.")
            )
        if (
            mission.applications.filter(status__in=DECISIONS)
            .exclude(announced_status=F("status"))
            .exists()
        ):
            problems.append(
                _("Some decisions are not announced yet: announce them before confirming.")
            )
    elif to_status == MissionStatus.IN_PROGRESS:
        if mission.start_date is None or _today_at_destination(mission) < mission.start_date:
            problems.append(_("The mission has not started yet at its destination."))
    elif to_status == MissionStatus.COMPLETED:
        if mission.end_date is None or _today_at_destination(mission) < mission.end_date:
            problems.append(_("The mission is not over yet: its last day has not come."))
    elif to_status == MissionStatus.REPORTED:
        approved = MissionReport.objects.filter(mission=mission, status=ReportStatus.APPROVED)
        if not approved.exists():
            problems.append(_("The mission's report is not approved yet."))
    return problems


def mission_transition(*, mission: Mission, to_status: str, by) -> Mission:
    """Move a mission to another status: the one way any status changes.

    Guarantees: the move follows ``MISSION_TRANSITIONS`` and the preconditions of
    ``transition_problems``, checked on the row locked for the transaction, so of two
    staff clicking at once only one moves it and the other is refused by the state
    it finds; on success the version goes up by one and exactly one
    ``MissionStatusChange`` (from, to, by, when) is recorded. On refusal a
    ``TransitionError`` says why and nothing changes.
    """
    if to_status not in MissionStatus.values:
        raise TransitionError(
            _("“%(value)s” is not a mission status.") % {"value": to_status},
            code="unknown_status",
        )
    with transaction.atomic():
        current = Mission.objects.select_for_update().get(pk=mission.pk)
        problems = transition_problems(current, to_status)
        if problems:
            raise TransitionError(problems, code="transition_refused")
        from_status = current.status
        Mission.objects.filter(pk=current.pk).update(
            status=to_status, version=F("version") + 1, updated_at=timezone.now()
        )
        MissionStatusChange.objects.create(
            mission=current, from_status=from_status, to_status=to_status, changed_by=by
        )
        if to_status == MissionStatus.COMPLETED:
            from delegations.services.follow_up import follow_up_schedule  # imports missions

            follow_up_schedule(mission=current)
    current.refresh_from_db()
    return current


# The programme ------------------------------------------------------------------------


def programme_item_save(
    *, mission: Mission, by, item: ProgrammeItem | None = None, **fields
) -> ProgrammeItem:
    """Add an event to the mission's programme, or change one (``item``).

    ``starts_at`` and ``ends_at`` may be naive: they are then wall-clock times at the
    destination (the mission's time zone). Guarantees: a time that does not exist
    there is refused; the event ends after it starts; ``item`` belongs to
    ``mission``; errors are keyed by field and nothing is saved on error.
    """
    unknown = set(fields) - PROGRAMME_ITEM_FIELDS - {"starts_at", "ends_at"}
    if unknown:
        raise TypeError(f"Not a field of a programme item: {sorted(unknown)}")
    if item is not None and item.mission_id != mission.pk:
        raise ValueError("This programme item belongs to another mission.")
    errors: dict[str, list] = {}
    for name in ("starts_at", "ends_at"):
        if fields.get(name) is not None:
            try:
                fields[name] = aware_in_zone(fields[name], mission.zone)
            except ValidationError as error:
                errors[name] = [error]
    item = item or ProgrammeItem(mission=mission)
    for name, value in fields.items():
        setattr(item, name, value)
    if not errors and item.starts_at and item.ends_at and item.ends_at <= item.starts_at:
        errors["ends_at"] = [
            ValidationError(_("An event must end after it starts."), code="ends_before_start")
        ]
    try:
        item.full_clean(exclude=list(errors), validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item.save()
    return item


def programme_item_delete(*, item: ProgrammeItem, by) -> None:
    """Remove an event from the mission's programme."""
    with transaction.atomic():
        item.delete()


# Duplicating ---------------------------------------------------------------------------

TITLE_YEAR = re.compile(r"^(?P<head>.*?)(?P<year>(19|20)\d\d)(?P<tail>\W*)$")


def mission_duplicate(*, mission: Mission, by, today: datetime.date | None = None) -> Mission:
    """Start a new mission from an earlier one (destinations recur yearly).

    Guarantees: a new draft with the destination, zone, sectors, capacity, partners,
    officials, summary, description, objectives and planned budget of ``mission``;
    its dates moved by the fewest whole years (at least one) that bring the start to
    today or later, keeping month and day (29 February becomes the 28th); a year
    ending the title moved by as many, otherwise "(copy)" added; the programme moved
    by as many years at the same local times; no applications, no deadline, no
    opening date, and a history of one change "" → draft. A copy that would be dated
    after 2100 is refused (``ValidationError``).
    """
    today = today or timezone.localdate()
    years = 1
    if mission.start_date:
        while _same_day_years_later(mission.start_date, years) < today:
            years += 1
    match = TITLE_YEAR.match(mission.title)
    if match:
        title = f"{match['head']}{int(match['year']) + years}{match['tail']}"
    else:
        title = str(_("%(title)s (copy)") % {"title": mission.title})
    title = title[: Mission._meta.get_field("title").max_length]

    def moved(day):
        return _same_day_years_later(day, years) if day else None

    days = [day for day in (mission.start_date, mission.end_date) if day] + [
        timezone.localtime(item.ends_at, mission.zone).date() for item in mission.programme.all()
    ]
    if days and _same_day_years_later(max(days), years) > LAST_DAY:
        raise ValidationError(
            _("The copy would be dated after %(last)s: create a new mission instead."),
            code="out_of_range",
            params={"last": formats.date_format(LAST_DAY)},
        )

    with transaction.atomic():
        copy = Mission.objects.create(
            title=title,
            slug=_unique_slug(title),
            country=mission.country,
            cities=mission.cities,
            timezone=mission.timezone,
            start_date=moved(mission.start_date),
            end_date=moved(mission.end_date),
            capacity=mission.capacity,
            partners=mission.partners,
            budget_planned=mission.budget_planned,
            summary=mission.summary,
            description=mission.description,
            objectives=mission.objectives,
            status=MissionStatus.DRAFT,
        )
        copy.sectors.set(mission.sectors.all())
        copy.officials.set(mission.officials.all())
        zone = mission.zone
        items = []
        for item in mission.programme.all():
            starts = timezone.localtime(item.starts_at, zone)
            new_starts = datetime.datetime.combine(
                moved(starts.date()), starts.time().replace(tzinfo=None)
            ).replace(tzinfo=zone)
            # The same duration, even across a change of the clocks.
            new_ends = new_starts.astimezone(datetime.UTC) + (item.ends_at - item.starts_at)
            items.append(
                ProgrammeItem(
                    mission=copy,
                    kind=item.kind,
                    title=item.title,
                    city=item.city,
                    location=item.location,
                    starts_at=new_starts,
                    ends_at=new_ends,
                    description=item.description,
                )
            )
        ProgrammeItem.objects.bulk_create(items)
        MissionStatusChange.objects.create(
            mission=copy, from_status="", to_status=MissionStatus.DRAFT, changed_by=by
        )
    return copy


# Reports ------------------------------------------------------------------------------
# Staff write the narrative and submit it; an official approves it or sends it back with
# a comment.

REPORT_NARRATIVE_MAX_LENGTH = 20_000
REPORT_COMMENT_MAX_LENGTH = 5_000
# Staff may change the narrative while nobody is reviewing it.
REPORT_EDITABLE = (ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED)
REPORT_EMAILS = {
    ReportStatus.SUBMITTED: "report_submitted",
    ReportStatus.CHANGES_REQUESTED: "report_changes_requested",
    ReportStatus.APPROVED: "report_approved",
}


def report_url(mission: Mission, base_url: str) -> str:
    """The report page's address in an email: ``base_url`` is the site's, as seen."""

    return base_url.rstrip("/") + reverse("missions:report", kwargs={"slug": mission.slug})


def _report_locked_state_error(report: MissionReport) -> ValidationError:
    if report.status == ReportStatus.SUBMITTED:
        message = _(
            "This report awaits an official's review: it cannot be changed until it is sent back."
        )
    else:
        message = _("This report is approved: it can no longer be changed.")
    return ValidationError({NON_FIELD_ERRORS: ValidationError(message, code="not_editable")})


def report_save(*, mission: Mission, by, narrative: str) -> MissionReport:
    """Write a mission's narrative, creating its report on the first save.

    Guarantees: only in draft or changes requested (a report under review or approved
    is never changed); at most ``REPORT_NARRATIVE_MAX_LENGTH`` characters; errors keyed
    by field (``narrative``, or ``__all__`` for the state) and nothing saved on error.
    The mission's row is locked first, so two first saves at once make one report; a
    new report's history starts with one change "" → draft by ``by``.
    """

    if len(narrative) > REPORT_NARRATIVE_MAX_LENGTH:
        raise ValidationError(
            {
                "narrative": ValidationError(
                    _(
                        "The narrative is too long: at most %(limit)s characters "
                        "(it has %(count)s)."
                    ),
                    code="too_long",
                    params={
                        "limit": formats.number_format(
                            REPORT_NARRATIVE_MAX_LENGTH, force_grouping=True
                        ),
                        "count": formats.number_format(len(narrative), force_grouping=True),
                    },
                )
            }
        )
    with transaction.atomic():
        Mission.objects.select_for_update(no_key=True).get(pk=mission.pk)
        report = MissionReport.objects.select_for_update().filter(mission=mission).first()
        if report is None:
            report = MissionReport.objects.create(
                mission=mission, narrative=narrative, status=ReportStatus.DRAFT
            )
            ReportStatusChange.objects.create(
                report=report, from_status="", to_status=ReportStatus.DRAFT, changed_by=by
            )
            return report
        if report.status not in REPORT_EDITABLE:
            raise _report_locked_state_error(report)
        report.narrative = narrative
        report.save(update_fields=["narrative", "updated_at"])
    return report


def report_refusal(report: MissionReport, to_status: str, comment: str = "") -> str | None:
    """Why ``report`` may not move to ``to_status`` now, in one sentence (None: it may)."""

    if to_status not in REPORT_TRANSITIONS.get(report.status, set()):
        if to_status == ReportStatus.APPROVED:
            if report.status == ReportStatus.APPROVED:
                return _("This report is already approved.")
            return _("This report has not been submitted: it cannot be approved yet.")
        if to_status == ReportStatus.CHANGES_REQUESTED:
            if report.status == ReportStatus.APPROVED:
                return _("This report is approved: it can no longer be sent back.")
            return _("This report has not been submitted: it cannot be sent back yet.")
        if to_status == ReportStatus.SUBMITTED:
            if report.status == ReportStatus.APPROVED:
                return _("This report is approved: it cannot be submitted again.")
            return _("This report is already submitted: it awaits an official's review.")
        return _("A report cannot go back to draft.")
    if to_status == ReportStatus.SUBMITTED and not report.narrative.strip():
        return _("Write the narrative before submitting the report.")
    if to_status == ReportStatus.CHANGES_REQUESTED and not comment.strip():
        return _("Say what should change: a comment is required to send the report back.")
    if len(comment) > REPORT_COMMENT_MAX_LENGTH:
        return _("The comment is too long: at most 5,000 characters.")
    return None


def report_transition(
    *, report: MissionReport, to_status: str, by, comment: str = "", base_url: str = ""
) -> MissionReport:
    """Move a report to another status: the one way any report status changes.

    Guarantees: the move follows ``REPORT_TRANSITIONS``, checked on the row locked for
    the transaction, so of two officials clicking at once only one decides and the
    other is refused by the state it finds; a submission needs a narrative, sending
    back needs a comment. Who may do what is the views' business (``missions.rules``);
    this checks states. On success exactly one ``ReportStatusChange`` (from, to, by,
    comment) is recorded; a submission sets ``submitted_at`` and queues an email to
    every active official, in their language; a review sets ``reviewed_by``,
    ``reviewed_at`` and ``reviewer_comment`` and emails the staff member who submitted
    last (if still active). Emails are queued in the same transaction, once per
    recorded change. On refusal a ``TransitionError`` says why and nothing changes.
    """
    if to_status not in ReportStatus.values:
        raise TransitionError(
            _("“%(value)s” is not a report status.") % {"value": to_status},
            code="unknown_status",
        )
    comment = comment.strip()
    with transaction.atomic():
        current = (
            MissionReport.objects.select_for_update(of=("self",))
            .select_related("mission")
            .get(pk=report.pk)
        )
        refusal = report_refusal(current, to_status, comment)
        if refusal is not None:
            raise TransitionError(refusal, code="transition_refused")
        now = timezone.now()
        from_status = current.status
        current.status = to_status
        if to_status == ReportStatus.SUBMITTED:
            current.submitted_at = now
        else:
            current.reviewed_by, current.reviewed_at = by, now
            current.reviewer_comment = comment
        current.save()
        change = ReportStatusChange.objects.create(
            report=current,
            from_status=from_status,
            to_status=to_status,
            comment=comment,
            changed_by=by,
        )
        mission = current.mission
        context = {
            "mission_title": mission.title,
            "report_url": report_url(mission, base_url),
            "author_name": (by.get_full_name() or by.email) if by else "",
        }
        if to_status == ReportStatus.SUBMITTED:
            recipients = list(
                User.objects.filter(groups__name=OFFICIALS_GROUP, is_active=True)
                .distinct()
                .order_by("email")
            )
        else:
            context["comment"] = comment
            last_submission = (
                current.status_changes.filter(to_status=ReportStatus.SUBMITTED)
                .select_related("changed_by")
                .order_by("-changed_at", "-pk")
                .first()
            )
            submitter = last_submission.changed_by if last_submission else None
            recipients = [submitter] if submitter and submitter.is_active else []
        kind = REPORT_EMAILS[to_status]
        for user in recipients:
            email_queue_for_user(
                user=user,
                kind=kind,
                context=context,
                idempotency_key=f"{kind}:report:{current.pk}:{change.pk}:user:{user.pk}",
                related=current,
                topic=mission,
            )
    return current
