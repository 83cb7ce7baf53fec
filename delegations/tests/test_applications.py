"""The company side of an application: start, save, submit, withdraw, and its emails."""

import datetime

import pytest
from django.utils import timezone, translation

from companies.tests.factories import ContactFactory
from delegations.enums import ApplicationStatus
from delegations.models import Application, ApplicationStatusChange
from delegations.services import (
    ApplicationError,
    application_save,
    application_start,
    application_submit,
    application_transition,
    application_withdraw,
)
from delegations.tests.factories import ApplicationFactory
from missions.enums import MissionStatus
from missions.tests.factories import OpenMissionFactory
from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db

BASE = "https://missions.example"


@pytest.fixture(autouse=True)
def _english():
    """Messages asserted in English; the French ones are the catalogue's business."""
    with translation.override("en"):
        yield


@pytest.fixture
def company(company_member):
    return company_member.membership.company


@pytest.fixture
def mission():
    deadline = timezone.now().replace(microsecond=0) + datetime.timedelta(days=20)
    return OpenMissionFactory(title="Canada 2027", application_deadline=deadline)


@pytest.fixture
def draft(mission, company, company_member, handed_over):
    return application_start(mission=mission, company=company, by=company_member, base_url=BASE)


def _answered(application, member, **extra):
    return application_save(
        application=application,
        by=member,
        delegates=[],
        objectives="Find a distributor in Ontario.",
        products="Transparent solar films.",
        counterparts_sought="Distributors",
        contact_language="en",
        **extra,
    )


def test_start_creates_draft_with_history_and_reminder(draft, mission, company_member):
    assert draft.status == ApplicationStatus.DRAFT
    assert draft.created_by == company_member
    assert [(c.from_status, c.to_status, c.changed_by) for c in draft.status_changes.all()] == [
        ("", "draft", company_member)
    ]
    reminder = OutboundEmail.objects.get()
    assert reminder.template_key == "application_deadline_reminder"
    assert reminder.idempotency_key == f"deadline-reminder:application:{draft.pk}"
    assert reminder.recipient == company_member.email
    assert reminder.scheduled_at == mission.application_deadline - datetime.timedelta(days=3)
    assert reminder.context["application_url"] == f"{BASE}/delegations/applications/{draft.pk}/"


def test_start_no_reminder_when_deadline_within_three_days(company, company_member, handed_over):
    mission = OpenMissionFactory(application_deadline=timezone.now() + datetime.timedelta(days=2))
    application_start(mission=mission, company=company, by=company_member)
    assert OutboundEmail.objects.count() == 0


def test_start_twice_is_refused_as_duplicate(draft, mission, company, company_member):
    with pytest.raises(ApplicationError) as error:
        application_start(mission=mission, company=company, by=company_member)
    assert error.value.code == "duplicate"
    assert Application.objects.count() == 1


def test_start_refused_after_deadline(company, company_member):
    mission = OpenMissionFactory(application_deadline=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(ApplicationError) as error:
        application_start(mission=mission, company=company, by=company_member)
    assert error.value.code == "deadline_passed"
    assert Application.objects.count() == 0


def test_start_refused_when_mission_not_open(company, company_member):
    mission = OpenMissionFactory(status=MissionStatus.SELECTION)
    with pytest.raises(ApplicationError) as error:
        application_start(mission=mission, company=company, by=company_member)
    assert error.value.code == "mission_not_open"


def test_save_keeps_answers_and_own_delegates(draft, company, company_member):
    delegate = ContactFactory(company=company, email="ali@transpare.example")
    saved = application_save(
        application=draft,
        by=company_member,
        delegates=[delegate],
        objectives="Find a distributor in Ontario.",
        products="",
    )
    saved.refresh_from_db()
    assert saved.objectives == "Find a distributor in Ontario."
    assert saved.products == ""
    assert list(saved.delegates.all()) == [delegate]
    assert saved.status == ApplicationStatus.DRAFT


def test_save_refuses_delegate_of_another_company(draft, company_member, other_company_member):
    stranger = ContactFactory(company=other_company_member.membership.company)
    with pytest.raises(ApplicationError) as error:
        application_save(
            application=draft, by=company_member, delegates=[stranger], objectives="Changed"
        )
    assert list(error.value.message_dict) == ["delegates"]
    draft.refresh_from_db()
    assert draft.objectives == ""
    assert draft.delegates.count() == 0


def test_save_refuses_delegate_without_email(draft, company, company_member):
    # The database refuses a contact without an email; one emptied in memory is refused too.
    delegate = ContactFactory(company=company)
    delegate.email = ""
    with pytest.raises(ApplicationError) as error:
        application_save(application=draft, by=company_member, delegates=[delegate])
    assert error.value.message_dict["delegates"][0].endswith(
        "has no email address: add one on the contacts page."
    )


def test_save_refuses_over_long_answer_and_keeps_draft(draft, company_member):
    _answered(draft, company_member)
    with pytest.raises(ApplicationError) as error:
        application_save(application=draft, by=company_member, delegates=[], objectives="x" * 2001)
    assert error.value.message_dict == {
        "objectives": ["At most 2000 characters (this answer has 2001)."]
    }
    draft.refresh_from_db()
    assert draft.objectives == "Find a distributor in Ontario."


def test_save_allowed_when_submitted_refused_once_reviewed(draft, company_member):
    _answered(draft, company_member)
    application_submit(application=draft, by=company_member)
    application_save(
        application=draft, by=company_member, delegates=[], objectives="Changed after submit"
    )
    Application.objects.filter(pk=draft.pk).update(status=ApplicationStatus.WAITLISTED)
    with pytest.raises(ApplicationError) as error:
        application_save(application=draft, by=company_member, delegates=[], objectives="No")
    assert error.value.code == "not_editable"
    draft.refresh_from_db()
    assert draft.objectives == "Changed after submit"


def test_save_refused_after_deadline(draft, company_member, mission):
    mission.application_deadline = timezone.now() - datetime.timedelta(minutes=1)
    mission.save()
    with pytest.raises(ApplicationError) as error:
        application_save(application=draft, by=company_member, delegates=[], objectives="Late")
    assert error.value.code == "deadline_passed"


def test_submit_records_change_receipt_and_deletes_reminder(
    draft, company_member, mission, handed_over
):
    company_member.language = "en"
    company_member.save()
    _answered(draft, company_member)

    submitted = application_submit(application=draft, by=company_member, base_url=BASE)

    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.submitted_at is not None
    assert [c.to_status for c in submitted.status_changes.all()] == ["draft", "submitted"]
    receipt = OutboundEmail.objects.get()
    assert receipt.template_key == "application_receipt"
    assert receipt.recipient == company_member.email
    assert receipt.language == "en"
    assert receipt.idempotency_key == f"receipt:application:{draft.pk}"
    assert receipt.context["mission_title"] == "Canada 2027"
    assert receipt.context["company_name"] == "Transpare"
    assert handed_over == []  # nothing published before commit in a test transaction


def test_submit_with_empty_required_answers_keeps_the_draft(draft, company_member):
    application_save(application=draft, by=company_member, delegates=[], objectives="  ")
    with pytest.raises(ApplicationError) as error:
        application_submit(application=draft, by=company_member)
    assert sorted(error.value.message_dict) == ["objectives", "products"]
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    assert OutboundEmail.objects.filter(template_key="application_deadline_reminder").count() == 1


def test_submit_after_deadline_is_refused(draft, company_member, mission):
    _answered(draft, company_member)
    mission.application_deadline = timezone.now() - datetime.timedelta(seconds=1)
    mission.save()
    with pytest.raises(ApplicationError) as error:
        application_submit(application=draft, by=company_member)
    assert error.value.messages == ["The application deadline for this mission has passed."]
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    assert draft.submitted_at is None


def test_submit_refused_when_mission_not_open(draft, company_member, mission):
    _answered(draft, company_member)
    mission.status = MissionStatus.SELECTION
    mission.save()
    with pytest.raises(ApplicationError) as error:
        application_submit(application=draft, by=company_member)
    assert error.value.messages == ["This mission is not open for applications."]


def test_submit_twice_is_refused(draft, company_member):
    _answered(draft, company_member)
    application_submit(application=draft, by=company_member)
    with pytest.raises(ApplicationError) as error:
        application_submit(application=draft, by=company_member)
    assert error.value.code == "transition_refused"
    assert ApplicationStatusChange.objects.filter(application=draft).count() == 2
    assert OutboundEmail.objects.filter(template_key="application_receipt").count() == 1


def test_withdraw_draft_deletes_reminder(draft, company_member):
    withdrawn = application_withdraw(application=draft, by=company_member)
    assert withdrawn.status == ApplicationStatus.WITHDRAWN
    assert OutboundEmail.objects.count() == 0


def test_withdraw_keeps_a_reminder_already_sent(draft, company_member):
    OutboundEmail.objects.update(status="sent", sent_at=timezone.now())
    application_withdraw(application=draft, by=company_member)
    assert OutboundEmail.objects.filter(status="sent").count() == 1


@pytest.mark.parametrize(
    ("from_status", "allowed"),
    [
        (ApplicationStatus.DRAFT, True),
        (ApplicationStatus.SUBMITTED, True),
        (ApplicationStatus.ACCEPTED, True),
        (ApplicationStatus.WAITLISTED, True),
        (ApplicationStatus.CONFIRMED, True),
        (ApplicationStatus.REJECTED, True),
        (ApplicationStatus.WITHDRAWN, False),
        (ApplicationStatus.RELEASED, False),
    ],
)
def test_withdraw_follows_the_transitions_table(company_member, from_status, allowed):
    application = ApplicationFactory(company=company_member.membership.company, status=from_status)
    if allowed:
        application_withdraw(application=application, by=company_member)
        application.refresh_from_db()
        assert application.status == ApplicationStatus.WITHDRAWN
        change = application.status_changes.get()
        assert (change.from_status, change.to_status) == (from_status, "withdrawn")
    else:
        with pytest.raises(ApplicationError):
            application_withdraw(application=application, by=company_member)
        application.refresh_from_db()
        assert application.status == from_status
        assert application.status_changes.count() == 0


@pytest.mark.parametrize("mission_status", MissionStatus.values)
def test_withdrawing_is_refused_once_the_mission_is_under_way_over_or_cancelled(
    company_member, mission_status
):
    application = ApplicationFactory(
        company=company_member.membership.company,
        status=ApplicationStatus.CONFIRMED,
        mission__status=mission_status,
    )
    settled = mission_status in ("in_progress", "completed", "reported", "cancelled")

    if settled:
        with pytest.raises(ApplicationError) as error:
            application_withdraw(application=application, by=company_member)
        assert error.value.code == "mission_settled"
    else:
        application_withdraw(application=application, by=company_member)

    application.refresh_from_db()
    assert application.status == (
        ApplicationStatus.CONFIRMED if settled else ApplicationStatus.WITHDRAWN
    )


def test_transition_to_unknown_status_is_refused(draft, company_member):
    with pytest.raises(ApplicationError) as error:
        application_transition(application=draft, to_status="approved", by=company_member)
    assert error.value.code == "unknown_status"
