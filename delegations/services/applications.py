"""Every write to an application: the company's (start, save, submit, confirm its seat,
withdraw) and staff's (score, decide, announce, release a seat).

Views and forms call these functions; none of them writes to the ORM itself. Each one
validates first and raises a ``ValidationError`` keyed by field (so a form shows the
message next to the field), then writes in one transaction: nothing is saved half-way.

Seats: a mission has ``capacity`` seats; an accepted or confirmed application holds one.
Every status change locks the mission's row before the application's, so two staff
accepting at the same moment are served one after the other and the count they check is
the committed one; the lock order is the same everywhere, so they never deadlock.

Decisions (accept, waitlist, reject) are recorded first and told to the company when
staff announce them together (``applications_announce``): a decision reversed before
then is never emailed. ``announced_status`` is what the company has been told.
"""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company, CompanyMembership, MembershipStatus
from delegations.enums import APPLICATION_TRANSITIONS, DECISIONS, HOLDS_A_SEAT, ApplicationStatus
from delegations.models import Application, ApplicationStatusChange
from missions.enums import SETTLED, MissionStatus
from missions.models import Mission
from notifications.services import email_queue_for_user, email_withdraw

# What a company answers; the rest of an application is the services' or staff's.
ANSWER_FIELDS = ("objectives", "products", "counterparts_sought", "contact_language")
# Without these an application says nothing the city can select on.
REQUIRED_ON_SUBMIT = ("objectives", "products")
ANSWER_MAX_LENGTH = 2000
# The company may still change its answers while nobody has started reviewing them.
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED)
REMINDER_BEFORE_DEADLINE = datetime.timedelta(days=3)
# Staff decide while the mission recruits or fills its last seats.
DECIDING = (MissionStatus.OPEN, MissionStatus.SELECTION, MissionStatus.CONFIRMED)
# An accepted company confirms its seat by 18:00 (Paris) this many days after being told.
SEAT_CONFIRMATION_DAYS = 7
SEAT_CONFIRMATION_HOUR = 18
SEAT_REMINDER_BEFORE = datetime.timedelta(days=2)
# The company's own moves: what it does, it knows at once.
COMPANY_MOVES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.CONFIRMED,
    ApplicationStatus.WITHDRAWN,
)
DECISION_EMAILS = {
    ApplicationStatus.ACCEPTED: "application_accepted",
    ApplicationStatus.WAITLISTED: "application_waitlisted",
    ApplicationStatus.REJECTED: "application_rejected",
    ApplicationStatus.RELEASED: "seat_released",
}


class ApplicationError(ValidationError):
    """A refused action on an application: wrong state, deadline, duplicate..."""


def _reminder_key(application: Application) -> str:
    return f"deadline-reminder:application:{application.pk}"


def _receipt_key(application: Application) -> str:
    return f"receipt:application:{application.pk}"


def _seat_reminder_prefix(application: Application) -> str:
    return f"seat-reminder:application:{application.pk}:"


def application_url(application: Application, base_url: str) -> str:
    """The address in an email: ``base_url`` is the site's, as the request saw it."""
    return base_url.rstrip("/") + application.get_absolute_url()


def mission_accepts_applications(mission: Mission, *, now=None) -> bool:
    """Open, the opening reached and the deadline not passed."""
    now = now or timezone.now()
    return (
        mission.status == MissionStatus.OPEN
        and (mission.applications_open_at is None or mission.applications_open_at <= now)
        and (mission.application_deadline is None or mission.application_deadline > now)
    )


def _closed_error(mission: Mission) -> ApplicationError:
    if (
        mission.status == MissionStatus.OPEN
        and mission.application_deadline is not None
        and mission.application_deadline <= timezone.now()
    ):
        return ApplicationError(
            _("The application deadline for this mission has passed."), code="deadline_passed"
        )
    return ApplicationError(
        _("This mission is not open for applications."), code="mission_not_open"
    )


def _submit_problems(application: Application) -> dict:
    errors: dict[str, list] = {}
    if not mission_accepts_applications(application.mission):
        errors[NON_FIELD_ERRORS] = [_closed_error(application.mission)]
    for name in REQUIRED_ON_SUBMIT:
        if not getattr(application, name).strip():
            errors[name] = [
                ValidationError(
                    _("This answer is required to submit the application."), code="required"
                )
            ]
    return errors


def _withdraw_reminder(application: Application) -> None:
    """A reminder for an application no longer in draft must never go out."""
    email_withdraw(related=application, kinds=["application_deadline_reminder"])


def seats_taken(mission: Mission, *, excluding: Application | None = None) -> int:
    """The seats held by accepted and confirmed applications."""
    applications = mission.applications.filter(status__in=HOLDS_A_SEAT)
    if excluding is not None:
        applications = applications.exclude(pk=excluding.pk)
    return applications.count()


def seat_confirmation_deadline(now: datetime.datetime) -> datetime.datetime:
    """18:00 Paris time, ``SEAT_CONFIRMATION_DAYS`` days after ``now``."""
    paris = timezone.localtime(now)
    day = paris.date() + datetime.timedelta(days=SEAT_CONFIRMATION_DAYS)
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(SEAT_CONFIRMATION_HOUR))
    )


def _lock_mission(mission_id: int) -> Mission:
    # ``no_key``: applications may still be inserted for the mission meanwhile.
    return Mission.objects.select_for_update(no_key=True).get(pk=mission_id)


def _refusal(current: Application, mission: Mission, to_status: str) -> ApplicationError | None:
    """Why ``current`` may not move to ``to_status`` now, if it may not."""
    if to_status not in APPLICATION_TRANSITIONS.get(current.status, set()):
        return ApplicationError(
            _("An application that is “%(from)s” cannot become “%(to)s”.")
            % {
                "from": ApplicationStatus(current.status).label,
                "to": ApplicationStatus(to_status).label,
            },
            code="transition_refused",
        )
    if to_status == ApplicationStatus.WITHDRAWN and mission.status in SETTLED:
        return ApplicationError(
            _("The mission is “%(status)s”: its applications can no longer be withdrawn.")
            % {"status": MissionStatus(mission.status).label},
            code="mission_settled",
        )
    if to_status in DECISIONS and mission.status not in DECIDING:
        return ApplicationError(
            _(
                "Decisions are taken while the mission is open, in selection or "
                "confirmed; it is “%(status)s”."
            )
            % {"status": MissionStatus(mission.status).label},
            code="mission_not_deciding",
        )
    if to_status == ApplicationStatus.ACCEPTED:
        if not current.company.verified:
            return ApplicationError(
                _("%(company)s is not verified yet: verify the company before accepting it.")
                % {"company": current.company.name},
                code="not_verified",
            )
        if seats_taken(mission, excluding=current) >= mission.capacity:
            return ApplicationError(
                _("All %(capacity)d seats of the delegation are taken.")
                % {"capacity": mission.capacity},
                code="capacity",
            )
    if to_status == ApplicationStatus.CONFIRMED and current.announced_status != (
        ApplicationStatus.ACCEPTED
    ):
        return ApplicationError(
            _("The acceptance of this application has not been announced yet."),
            code="not_announced",
        )
    if to_status == ApplicationStatus.RELEASED and (
        current.seat_confirm_by is None or current.seat_confirm_by > timezone.now()
    ):
        return ApplicationError(
            _("The company has until %(deadline)s to confirm its seat.")
            % {"deadline": timezone.localtime(current.seat_confirm_by).strftime("%d/%m/%Y %H:%M")}
            if current.seat_confirm_by
            else _("The company has not been told of its acceptance yet."),
            code="not_overdue",
        )
    return None


def application_transition(
    *, application: Application, to_status: str, by, base_url: str = ""
) -> Application:
    """Move an application to another status: the one way any status changes.

    Guarantees: the move follows ``APPLICATION_TRANSITIONS``, checked on the row locked
    for the transaction (after the mission's row), so of two clicks at once only one
    moves it. A submission is refused once the mission no longer accepts applications
    or with a required answer empty; an acceptance when the company is not verified or
    every seat is taken; a decision outside the mission's selection period; a seat
    confirmation before the acceptance was announced; a release before the confirmation
    deadline. On success exactly one ``ApplicationStatusChange`` (from, to, by) is
    recorded. The company's own moves are known to it at once; a decision waits for
    ``applications_announce``; a release is announced at once. A submission queues the
    receipt to ``by`` and deletes the deadline reminder; leaving "accepted" deletes the
    seat reminder. A seat the company knew it held, freed by a withdrawal or a release,
    is offered at once to the first company told it is on the waiting list. On refusal
    an ``ApplicationError`` says why and nothing changes.
    """
    if to_status not in ApplicationStatus.values:
        raise ApplicationError(
            _("“%(value)s” is not an application status.") % {"value": to_status},
            code="unknown_status",
        )
    with transaction.atomic():
        mission = _lock_mission(application.mission_id)
        current = (
            Application.objects.select_for_update(of=("self",))
            .select_related("company")
            .get(pk=application.pk)
        )
        current.mission = mission
        refusal = _refusal(current, mission, to_status)
        if refusal is not None:
            raise refusal
        if to_status == ApplicationStatus.SUBMITTED:
            problems = _submit_problems(current)
            if problems:
                raise ApplicationError(problems)
            current.submitted_at = timezone.now()
        from_status, held_known_seat = current.status, current.announced_status in HOLDS_A_SEAT
        current.status = to_status
        if to_status in DECISIONS or to_status == ApplicationStatus.RELEASED:
            current.decided_at, current.decided_by = timezone.now(), by
        if to_status in COMPANY_MOVES:
            current.announced_status = to_status
        current.save()
        change = ApplicationStatusChange.objects.create(
            application=current,
            from_status=from_status,
            to_status=to_status,
            changed_by=by,
            announced_at=timezone.now() if to_status in COMPANY_MOVES else None,
        )
        if to_status in (ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN):
            _withdraw_reminder(current)
        if from_status == ApplicationStatus.ACCEPTED:
            _withdraw_seat_reminders(current)
        if to_status == ApplicationStatus.SUBMITTED:
            email_queue_for_user(
                user=by,
                kind="application_receipt",
                context={
                    "company_name": current.company.name,
                    "mission_title": mission.title,
                    "application_url": application_url(current, base_url),
                    "submitted_at": current.submitted_at,
                },
                idempotency_key=_receipt_key(current),
                related=current,
                topic=mission,
            )
        if to_status == ApplicationStatus.RELEASED:
            _announce(current, change.pk, base_url=base_url)
        if held_known_seat and to_status in (
            ApplicationStatus.WITHDRAWN,
            ApplicationStatus.RELEASED,
        ):
            _offer_freed_seat(mission, base_url=base_url)
    return current


def _withdraw_seat_reminders(application: Application) -> None:
    email_withdraw(related=application, kinds=["seat_confirmation_pending"])


def active_members_by_company(company_ids) -> dict[int, list]:
    """The users acting for each company: every active member, in a single query."""
    members: dict[int, list] = {}
    for membership in (
        CompanyMembership.objects.filter(company__in=company_ids, status=MembershipStatus.ACTIVE)
        .select_related("user")
        .order_by("user__email")
    ):
        members.setdefault(membership.company_id, []).append(membership.user)
    return members


def active_members_of(company_id: int) -> list:
    """The users acting for one company (see ``active_members_by_company``)."""
    return active_members_by_company([company_id]).get(company_id, [])


def _announce(
    application: Application,
    change_pk: int | None,
    *,
    base_url: str,
    members: list | None = None,
    from_waitlist: bool = False,
) -> None:
    """Tell the company its status: record it as told, email every active member in
    their language (once per recorded change), and for an acceptance set the date to
    confirm the seat by and queue the reminder two days before it."""
    now = timezone.now()
    mission = application.mission
    application.announced_status = application.status
    application.announced_at = now
    accepted = application.status == ApplicationStatus.ACCEPTED
    if accepted:
        application.seat_confirm_by = seat_confirmation_deadline(now)
    application.save(update_fields=["announced_status", "announced_at", "seat_confirm_by"])
    ApplicationStatusChange.objects.filter(pk=change_pk).update(announced_at=now)
    if members is None:
        members = active_members_of(application.company_id)
    url = application_url(application, base_url)
    context = {
        "company_name": application.company.name,
        "mission_title": mission.title,
        "application_url": url,
    }
    if accepted:
        context.update(
            confirm_url=base_url.rstrip("/")
            + reverse("delegations:application_confirm", kwargs={"pk": application.pk}),
            confirm_before_at=application.seat_confirm_by,
            from_waitlist=from_waitlist,
        )
    kind = DECISION_EMAILS[application.status]
    for user in members:
        email_queue_for_user(
            user=user,
            kind=kind,
            context=context,
            idempotency_key=(
                f"decision:application:{application.pk}:{application.status}"
                f":{change_pk}:user:{user.pk}"
            ),
            related=application,
            topic=mission,
        )
        if accepted and application.seat_confirm_by - SEAT_REMINDER_BEFORE > now:
            email_queue_for_user(
                user=user,
                kind="seat_confirmation_pending",
                context={
                    "mission_title": mission.title,
                    "confirm_url": context["confirm_url"],
                    "confirm_before_at": context["confirm_before_at"],
                },
                idempotency_key=(
                    f"{_seat_reminder_prefix(application)}{change_pk}:user:{user.pk}"
                ),
                related=application,
                topic=mission,
                scheduled_at=application.seat_confirm_by - SEAT_REMINDER_BEFORE,
            )


def waitlist_of(mission: Mission):
    """The waiting list in the order seats are offered: best internal score first,
    then whoever was put on it first."""
    return mission.applications.filter(status=ApplicationStatus.WAITLISTED).order_by(
        F("internal_score").desc(nulls_last=True), "decided_at", "pk"
    )


def _offer_freed_seat(mission: Mission, *, base_url: str) -> Application | None:
    """Give a freed seat to the first verified company told it is on the waiting list,
    and tell it at once. The mission's row is locked by the caller."""
    if mission.status not in DECIDING or seats_taken(mission) >= mission.capacity:
        return None
    offered = (
        waitlist_of(mission)
        .filter(announced_status=ApplicationStatus.WAITLISTED, company__verified=True)
        .select_related("company")
        .select_for_update(of=("self",))
        .first()
    )
    if offered is None:
        return None
    offered.mission = mission
    offered.status = ApplicationStatus.ACCEPTED
    offered.decided_at, offered.decided_by = timezone.now(), None
    offered.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    change = ApplicationStatusChange.objects.create(
        application=offered,
        from_status=ApplicationStatus.WAITLISTED,
        to_status=ApplicationStatus.ACCEPTED,
        changed_by=None,
    )
    _announce(offered, change.pk, base_url=base_url, from_waitlist=True)
    return offered


def application_start(
    *, mission: Mission, company: Company, by, base_url: str = ""
) -> Application:
    """Open a draft application of ``company`` to ``mission``.

    Guarantees: only while the mission accepts applications; one application per
    company and mission (a second one is an ``ApplicationError`` with code
    ``duplicate``, even when two requests race); a deadline reminder is queued to
    ``by`` for three days before the deadline, if that is still to come.
    """
    if not mission_accepts_applications(mission):
        raise _closed_error(mission)
    if Application.objects.filter(mission=mission, company=company).exists():
        raise ApplicationError(
            _("Your company has already applied to this mission."), code="duplicate"
        )
    try:
        with transaction.atomic():
            application = Application.objects.create(
                mission=mission,
                company=company,
                status=ApplicationStatus.DRAFT,
                contact_language=by.language,
                created_by=by,
            )
            ApplicationStatusChange.objects.create(
                application=application,
                from_status="",
                to_status=ApplicationStatus.DRAFT,
                changed_by=by,
                announced_at=timezone.now(),
            )
            deadline = mission.application_deadline
            if deadline is not None and deadline - REMINDER_BEFORE_DEADLINE > timezone.now():
                email_queue_for_user(
                    user=by,
                    kind="application_deadline_reminder",
                    context={
                        "mission_title": mission.title,
                        "application_url": application_url(application, base_url),
                        "deadline_at": deadline,
                    },
                    idempotency_key=_reminder_key(application),
                    related=application,
                    topic=mission,
                    scheduled_at=deadline - REMINDER_BEFORE_DEADLINE,
                )
    except IntegrityError:
        # Another request of the same company created it in the meantime.
        raise ApplicationError(
            _("Your company has already applied to this mission."), code="duplicate"
        ) from None
    return application


def application_save(*, application: Application, by, delegates, **answers) -> Application:
    """Save the company's answers and delegates.

    Guarantees: only while review has not started (draft or submitted) and the mission
    still accepts applications; every delegate is a contact of the application's company
    with an email; no answer is longer than ``ANSWER_MAX_LENGTH``. Errors are keyed by
    field and nothing is saved on error. Empty answers are kept in a draft: they are
    refused only on submission.
    """
    unknown = set(answers) - set(ANSWER_FIELDS)
    if unknown:
        raise TypeError(f"Not an answer of an application: {sorted(unknown)}")
    delegates = list(delegates)
    with transaction.atomic():
        current = (
            Application.objects.select_for_update(of=("self",))
            .select_related("mission")
            .get(pk=application.pk)
        )
        if current.status not in EDITABLE:
            raise ApplicationError(
                _("This application is being reviewed: it can no longer be changed."),
                code="not_editable",
            )
        if not mission_accepts_applications(current.mission):
            raise _closed_error(current.mission)
        errors: dict[str, list] = {}
        for name, value in answers.items():
            if name != "contact_language" and len(value or "") > ANSWER_MAX_LENGTH:
                errors[name] = [
                    ValidationError(
                        _("At most %(max)d characters (this answer has %(length)d).")
                        % {"max": ANSWER_MAX_LENGTH, "length": len(value)},
                        code="too_long",
                    )
                ]
        for contact in delegates:
            if contact.company_id != current.company_id:
                errors.setdefault("delegates", []).append(
                    ValidationError(
                        _("%(name)s is not a contact of your company.")
                        % {"name": f"{contact.first_name} {contact.last_name}"},
                        code="other_company",
                    )
                )
            elif not contact.email:
                errors.setdefault("delegates", []).append(
                    ValidationError(
                        _("%(name)s has no email address: add one on the contacts page.")
                        % {"name": f"{contact.first_name} {contact.last_name}"},
                        code="no_email",
                    )
                )
        for name, value in answers.items():
            setattr(current, name, value or "")
        try:
            current.full_clean(
                exclude=[*errors, "mission", "company", "delegates"], validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ApplicationError(errors)
        current.save()
        current.delegates.set(delegates)
    return current


def application_submit(*, application: Application, by, base_url: str = "") -> Application:
    """Submit: the transition to submitted (see ``application_transition``)."""
    return application_transition(
        application=application, to_status=ApplicationStatus.SUBMITTED, by=by, base_url=base_url
    )


def application_withdraw(*, application: Application, by, base_url: str = "") -> Application:
    """Withdraw: the transition to withdrawn (see ``application_transition``)."""
    return application_transition(
        application=application, to_status=ApplicationStatus.WITHDRAWN, by=by, base_url=base_url
    )


def application_confirm_seat(*, application: Application, by) -> Application:
    """The company confirms the seat it was offered (see ``application_transition``)."""
    return application_transition(
        application=application, to_status=ApplicationStatus.CONFIRMED, by=by
    )


def application_decide(*, application: Application, decision: str, by) -> Application:
    """Record a staff decision: accept, waitlist or reject. The company is told when
    staff announce the mission's decisions (``applications_announce``)."""
    if decision not in DECISIONS:
        raise ApplicationError(
            _("“%(value)s” is not a decision.") % {"value": decision}, code="unknown_decision"
        )
    return application_transition(application=application, to_status=decision, by=by)


def application_release_seat(*, application: Application, by, base_url: str = "") -> Application:
    """Release a seat not confirmed in time: the company is told, and the seat offered
    to the waiting list (see ``application_transition``)."""
    return application_transition(
        application=application, to_status=ApplicationStatus.RELEASED, by=by, base_url=base_url
    )


def application_assess(
    *, application: Application, by, internal_score: int | None, internal_notes: str
) -> Application:
    """Save staff's internal score (0 to 10, or none) and notes; the company never sees
    them. Errors are keyed by field."""
    errors: dict[str, list] = {}
    if internal_score is not None and not 0 <= internal_score <= 10:
        errors["internal_score"] = [
            ValidationError(_("The score goes from 0 to 10."), code="score_range")
        ]
    if len(internal_notes) > ANSWER_MAX_LENGTH * 2:
        errors["internal_notes"] = [
            ValidationError(
                _("At most %(max)d characters (these notes have %(length)d).")
                % {"max": ANSWER_MAX_LENGTH * 2, "length": len(internal_notes)},
                code="too_long",
            )
        ]
    if errors:
        raise ApplicationError(errors)
    with transaction.atomic():
        current = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        current.internal_score = internal_score
        current.internal_notes = internal_notes
        current.save(update_fields=["internal_score", "internal_notes", "updated_at"])
    return current


def applications_announce(*, mission: Mission, by, base_url: str = "") -> dict[str, int]:
    """Tell every company whose decision is recorded but not yet told, with one email
    per active member in their language; accepted companies get the date to confirm
    their seat by. Returns how many of each decision were announced.

    Guarantees: in one transaction with the mission locked, so a decision changed in
    the same instant is either announced as it ends up or left for the next
    announcement; announcing twice sends nothing the second time.
    """
    with transaction.atomic():
        mission = _lock_mission(mission.pk)
        pending = list(
            mission.applications.filter(status__in=DECISIONS)
            .exclude(announced_status=F("status"))
            .select_related("company")
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        last_changes = dict(
            ApplicationStatusChange.objects.filter(application__in=pending)
            .values("application")
            .annotate(last=Max("pk"))
            .values_list("application", "last")
        )
        members = active_members_by_company({application.company_id for application in pending})
        counts = {decision.value: 0 for decision in DECISIONS}
        for application in pending:
            application.mission = mission
            _announce(
                application,
                # None for a decision without history (one typed in the admin).
                last_changes.get(application.pk),
                base_url=base_url,
                members=members.get(application.company_id, []),
            )
            counts[application.status] += 1
    return counts


def mission_confirmation_problems(mission: Mission) -> list[str]:
    """Why ``mission`` may not be confirmed yet, from its applications (registered with
    ``missions.hooks``): a seat must be held, and every decision told to its company."""
    problems = []
    if not mission.applications.filter(status__in=HOLDS_A_SEAT).exists():
        problems.append(_("No company is accepted yet: accept at least one before confirming."))
    if (
        mission.applications.filter(status__in=DECISIONS)
        .exclude(announced_status=F("status"))
        .exists()
    ):
        problems.append(
            _("Some decisions are not announced yet: announce them before confirming.")
        )
    return problems


def mission_capacity_problems(mission: Mission) -> dict[str, list[ValidationError]]:
    """A saved mission's capacity cannot go below the seats its applications hold
    (registered with ``missions.hooks``)."""
    held = mission.applications.filter(status__in=HOLDS_A_SEAT).count()
    if mission.capacity < held:
        return {
            "capacity": [
                ValidationError(
                    _("%(count)d companies already hold a seat: the capacity cannot be lower.")
                    % {"count": held},
                    code="capacity_below_seats",
                )
            ]
        }
    return {}
