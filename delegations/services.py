"""Every write a company makes to its application: start, save, submit, withdraw.

Views and forms call these functions; none of them writes to the ORM itself. Each one
validates first and raises a ``ValidationError`` keyed by field (so a form shows the
message next to the field), then writes in one transaction: nothing is saved half-way.
"""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from delegations.enums import APPLICATION_TRANSITIONS, ApplicationStatus
from delegations.models import Application, ApplicationStatusChange
from missions.enums import MissionStatus
from missions.models import Mission
from notifications.models import EmailStatus, OutboundEmail
from notifications.services import email_queue_for_user

# What a company answers; the rest of an application is the services' or staff's.
ANSWER_FIELDS = ("objectives", "products", "counterparts_sought", "contact_language")
# Without these an application says nothing the city can select on.
REQUIRED_ON_SUBMIT = ("objectives", "products")
ANSWER_MAX_LENGTH = 2000
# The company may still change its answers while nobody has started reviewing them.
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED)
REMINDER_BEFORE_DEADLINE = datetime.timedelta(days=3)


class ApplicationError(ValidationError):
    """A refused action on an application: wrong state, deadline, duplicate..."""


def _reminder_key(application: Application) -> str:
    return f"deadline-reminder:application:{application.pk}"


def _receipt_key(application: Application) -> str:
    return f"receipt:application:{application.pk}"


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
    OutboundEmail.objects.filter(
        idempotency_key=_reminder_key(application), status=EmailStatus.QUEUED
    ).delete()


def application_transition(
    *, application: Application, to_status: str, by, base_url: str = ""
) -> Application:
    """Move an application to another status: the one way any status changes.

    Guarantees: the move follows ``APPLICATION_TRANSITIONS``, checked on the row locked
    for the transaction, so of two clicks at once only one moves it; a submission is
    refused once the mission no longer accepts applications or with a required answer
    empty. On success exactly one ``ApplicationStatusChange`` (from, to, by) is
    recorded; a submission records ``submitted_at`` and queues the receipt to ``by``;
    leaving the draft deletes its deadline reminder if not yet sent. On refusal an
    ``ApplicationError`` says why and nothing changes.
    """
    if to_status not in ApplicationStatus.values:
        raise ApplicationError(
            _("“%(value)s” is not an application status.") % {"value": to_status},
            code="unknown_status",
        )
    with transaction.atomic():
        current = (
            Application.objects.select_for_update(of=("self",))
            .select_related("mission", "company")
            .get(pk=application.pk)
        )
        from_status = current.status
        if to_status not in APPLICATION_TRANSITIONS.get(from_status, set()):
            raise ApplicationError(
                _("An application that is “%(from)s” cannot become “%(to)s”.")
                % {
                    "from": ApplicationStatus(from_status).label,
                    "to": ApplicationStatus(to_status).label,
                },
                code="transition_refused",
            )
        if to_status == ApplicationStatus.SUBMITTED:
            problems = _submit_problems(current)
            if problems:
                raise ApplicationError(problems)
            current.submitted_at = timezone.now()
        current.status = to_status
        current.save(update_fields=["status", "submitted_at", "updated_at"])
        ApplicationStatusChange.objects.create(
            application=current, from_status=from_status, to_status=to_status, changed_by=by
        )
        if to_status in (ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN):
            _withdraw_reminder(current)
        if to_status == ApplicationStatus.SUBMITTED:
            email_queue_for_user(
                user=by,
                kind="application_receipt",
                context={
                    "company_name": current.company.name,
                    "mission_title": current.mission.title,
                    "application_url": application_url(current, base_url),
                    "submitted_at": current.submitted_at.isoformat(),
                },
                idempotency_key=_receipt_key(current),
                related=current,
                mission=current.mission,
            )
    return current


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
            )
            deadline = mission.application_deadline
            if deadline is not None and deadline - REMINDER_BEFORE_DEADLINE > timezone.now():
                email_queue_for_user(
                    user=by,
                    kind="application_deadline_reminder",
                    context={
                        "mission_title": mission.title,
                        "application_url": application_url(application, base_url),
                        "deadline_at": deadline.isoformat(),
                    },
                    idempotency_key=_reminder_key(application),
                    related=application,
                    mission=mission,
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


def application_withdraw(*, application: Application, by) -> Application:
    """Withdraw: the transition to withdrawn (see ``application_transition``)."""
    return application_transition(
        application=application, to_status=ApplicationStatus.WITHDRAWN, by=by
    )
