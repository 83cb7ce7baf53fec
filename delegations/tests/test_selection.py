"""Staff's selection, as the services guarantee it: decisions recorded then announced
together, seats under the mission's lock, confirmation by a date, release, and the
waiting list offered a freed seat in order."""

import datetime
import threading

import pytest
from django.db import close_old_connections
from django.utils import timezone, translation

from companies.models import MembershipStatus
from companies.tests.factories import CompanyFactory, MembershipFactory
from core.zones import PARIS
from delegations.enums import ApplicationStatus
from delegations.models import Application, ApplicationStatusChange
from delegations.services import (
    ApplicationError,
    application_confirm_seat,
    application_decide,
    application_release_seat,
    application_withdraw,
    applications_announce,
    seat_confirmation_deadline,
    seats_taken,
    waitlist_of,
)
from delegations.tests.factories import ApplicationFactory
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory
from notifications.models import OutboundEmail
from notifications.rendering import render_email

BASE = "https://missions.example"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _mission(capacity=3, status=MissionStatus.SELECTION):
    return MissionFactory(title="Canada 2027", capacity=capacity, status=status)


def _applicant(mission, *languages, score=None, verified=True, name=None):
    """A submitted application whose company has one active member per language."""
    company = CompanyFactory(verified=verified, **({"name": name} if name else {}))
    for language in languages:
        MembershipFactory(company=company, user__language=language)
    return ApplicationFactory(
        mission=mission,
        company=company,
        status=ApplicationStatus.SUBMITTED,
        announced_status=ApplicationStatus.SUBMITTED,
        internal_score=score,
    )


def _refresh(*applications):
    for application in applications:
        application.refresh_from_db()


def _emails(kind=None):
    emails = OutboundEmail.objects.order_by("recipient")
    if kind:
        emails = emails.filter(template_key=kind)
    return [(email.template_key, email.recipient, email.language) for email in emails]


# --- Decisions recorded, announced together ---------------------------------------------


@pytest.mark.django_db
def test_decide_records_the_decision_without_telling_the_company(staff_user):
    mission = _mission()
    application = _applicant(mission, "fr")

    application_decide(application=application, decision="accepted", by=staff_user)

    _refresh(application)
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.announced_status == ApplicationStatus.SUBMITTED
    assert application.decided_by == staff_user
    assert application.announcement_pending is True
    change = application.status_changes.get(to_status=ApplicationStatus.ACCEPTED)
    assert (change.from_status, change.changed_by, change.announced_at) == (
        ApplicationStatus.SUBMITTED,
        staff_user,
        None,
    )
    assert OutboundEmail.objects.count() == 0


@pytest.mark.django_db
def test_announce_emails_every_active_member_in_their_language(
    staff_user, handed_over, django_capture_on_commit_callbacks
):
    mission = _mission()
    accepted = _applicant(mission, "fr", "en")
    waitlisted = _applicant(mission, "en")
    rejected = _applicant(mission, "fr")
    MembershipFactory(
        company=rejected.company, status=MembershipStatus.PENDING, user__email="asks@x.example"
    )
    for application, decision in [
        (accepted, "accepted"),
        (waitlisted, "waitlisted"),
        (rejected, "rejected"),
    ]:
        application_decide(application=application, decision=decision, by=staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        counts = applications_announce(mission=mission, by=staff_user, base_url=BASE)

    assert counts == {"accepted": 1, "waitlisted": 1, "rejected": 1}
    members = {
        application.pk: sorted(
            (m.user.email, m.user.language) for m in application.company.memberships.all()
        )
        for application in (accepted, waitlisted, rejected)
    }
    decisions = [
        (email.template_key, email.recipient, email.language, email.related_id)
        for email in OutboundEmail.objects.exclude(template_key="seat_confirmation_pending")
    ]
    assert sorted(decisions) == sorted(
        [("application_accepted", e, lang, accepted.pk) for e, lang in members[accepted.pk]]
        + [
            ("application_waitlisted", e, lang, waitlisted.pk)
            for e, lang in members[waitlisted.pk]
        ]
        + [
            ("application_rejected", e, lang, rejected.pk)
            for e, lang in members[rejected.pk]
            if e != "asks@x.example"
        ]
    )
    _refresh(accepted, waitlisted, rejected)
    assert [a.announced_status for a in (accepted, waitlisted, rejected)] == [
        "accepted",
        "waitlisted",
        "rejected",
    ]
    # Due emails go to the workers after commit; the reminder waits for its time.
    assert sorted(pk for batch in handed_over for pk in batch) == sorted(
        OutboundEmail.objects.exclude(template_key="seat_confirmation_pending").values_list(
            "pk", flat=True
        )
    )


@pytest.mark.django_db
def test_announce_acceptance_subject_asks_for_action_in_each_language(staff_user):
    mission = _mission()
    accepted = _applicant(mission, "fr", "en")
    application_decide(application=accepted, decision="accepted", by=staff_user)

    applications_announce(mission=mission, by=staff_user, base_url=BASE)

    subjects = {
        email.language: render_email(email).subject
        for email in OutboundEmail.objects.filter(template_key="application_accepted")
    }
    accepted.refresh_from_db()
    day = timezone.localtime(accepted.seat_confirm_by, PARIS)
    assert subjects["en"].startswith("[Action required] Your application to Canada 2027")
    assert subjects["fr"].startswith("[Action requise] ")
    assert f"{day.day} " in subjects["en"]
    body = render_email(
        OutboundEmail.objects.get(template_key="application_accepted", language="en")
    ).body
    assert f"{BASE}/delegations/applications/{accepted.pk}/confirm/" in body


@pytest.mark.django_db
def test_announce_acceptance_sets_the_date_and_queues_the_reminder(staff_user):
    mission = _mission()
    accepted = _applicant(mission, "en")
    application_decide(application=accepted, decision="accepted", by=staff_user)
    before = timezone.now()

    applications_announce(mission=mission, by=staff_user, base_url=BASE)

    accepted.refresh_from_db()
    expected_day = timezone.localtime(before, PARIS).date() + datetime.timedelta(days=7)
    deadline = timezone.localtime(accepted.seat_confirm_by, PARIS)
    assert (deadline.date(), deadline.hour, deadline.minute) == (expected_day, 18, 0)
    assert accepted.seat_confirm_by == seat_confirmation_deadline(before)
    reminder = OutboundEmail.objects.get(template_key="seat_confirmation_pending")
    assert reminder.scheduled_at == accepted.seat_confirm_by - datetime.timedelta(days=2)
    assert reminder.recipient == accepted.company.memberships.get().user.email
    assert "[Action required] Confirm your seat" in render_email(reminder).subject


@pytest.mark.django_db
def test_a_decision_reversed_before_the_announcement_is_never_emailed(staff_user):
    mission = _mission()
    application = _applicant(mission, "fr")
    application_decide(application=application, decision="rejected", by=staff_user)
    application_decide(application=application, decision="waitlisted", by=staff_user)
    application_decide(application=application, decision="accepted", by=staff_user)

    applications_announce(mission=mission, by=staff_user, base_url=BASE)

    assert _emails() == sorted(
        [
            ("application_accepted", application.company.memberships.get().user.email, "fr"),
            (
                "seat_confirmation_pending",
                application.company.memberships.get().user.email,
                "fr",
            ),
        ],
        key=lambda row: row[1],
    )
    told = list(
        application.status_changes.filter(announced_at__isnull=False).values_list(
            "to_status", flat=True
        )
    )
    assert told == ["accepted"]


@pytest.mark.django_db
def test_announcing_twice_sends_nothing_more(staff_user):
    mission = _mission()
    application = _applicant(mission, "fr")
    application_decide(application=application, decision="rejected", by=staff_user)
    applications_announce(mission=mission, by=staff_user, base_url=BASE)
    sent = OutboundEmail.objects.count()

    counts = applications_announce(mission=mission, by=staff_user, base_url=BASE)

    assert counts == {"accepted": 0, "waitlisted": 0, "rejected": 0}
    assert OutboundEmail.objects.count() == sent == 1


@pytest.mark.django_db
def test_a_decision_changed_after_its_announcement_is_announced_again(staff_user):
    mission = _mission()
    application = _applicant(mission, "en")
    application_decide(application=application, decision="waitlisted", by=staff_user)
    applications_announce(mission=mission, by=staff_user, base_url=BASE)
    application_decide(application=application, decision="rejected", by=staff_user)
    application_decide(application=application, decision="waitlisted", by=staff_user)

    counts = applications_announce(mission=mission, by=staff_user, base_url=BASE)

    # Told "waitlisted", then "waitlisted" again: nothing new to tell.
    assert counts == {"accepted": 0, "waitlisted": 0, "rejected": 0}
    application_decide(application=application, decision="accepted", by=staff_user)
    assert applications_announce(mission=mission, by=staff_user, base_url=BASE) == {
        "accepted": 1,
        "waitlisted": 0,
        "rejected": 0,
    }
    assert [kind for kind, _to, _lang in _emails("application_waitlisted")] == [
        "application_waitlisted"
    ]
    assert len(_emails("application_accepted")) == 1


# --- Refusals -------------------------------------------------------------------------


@pytest.mark.django_db
def test_accept_refused_when_every_seat_is_taken(staff_user):
    mission = _mission(capacity=2)
    first, second, third = (_applicant(mission, "fr") for _ in range(3))
    application_decide(application=first, decision="accepted", by=staff_user)
    application_decide(application=second, decision="accepted", by=staff_user)

    with pytest.raises(ApplicationError) as error:
        application_decide(application=third, decision="accepted", by=staff_user)

    assert error.value.code == "capacity"
    assert error.value.messages == ["All 2 seats of the delegation are taken."]
    third.refresh_from_db()
    assert third.status == ApplicationStatus.SUBMITTED
    assert seats_taken(mission) == 2


@pytest.mark.django_db
def test_a_confirmed_seat_counts_and_a_rejected_one_frees_it(staff_user):
    mission = _mission(capacity=1)
    first, second = _applicant(mission, "fr"), _applicant(mission, "fr")
    application_decide(application=first, decision="accepted", by=staff_user)
    application_decide(application=first, decision="rejected", by=staff_user)

    application_decide(application=second, decision="accepted", by=staff_user)

    _refresh(first, second)
    assert (first.status, second.status) == ("rejected", "accepted")


@pytest.mark.django_db
def test_accept_refused_for_an_unverified_company(staff_user):
    mission = _mission()
    application = _applicant(mission, "fr", verified=False, name="Nonverified SAS")

    with pytest.raises(ApplicationError) as error:
        application_decide(application=application, decision="accepted", by=staff_user)

    assert error.value.code == "not_verified"
    assert error.value.messages == [
        "Nonverified SAS is not verified yet: verify the company before accepting it."
    ]
    # Waiting list and rejection need no verification.
    application_decide(application=application, decision="waitlisted", by=staff_user)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [MissionStatus.DRAFT, MissionStatus.COMPLETED])
def test_decide_refused_outside_the_selection_period(staff_user, status):
    mission = _mission(status=status)
    application = _applicant(mission, "fr")

    with pytest.raises(ApplicationError) as error:
        application_decide(application=application, decision="rejected", by=staff_user)

    assert error.value.code == "mission_not_deciding"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


@pytest.mark.django_db
def test_decide_refuses_what_is_not_a_decision(staff_user):
    application = _applicant(_mission(), "fr")

    with pytest.raises(ApplicationError) as error:
        application_decide(application=application, decision="confirmed", by=staff_user)

    assert error.value.code == "unknown_decision"


@pytest.mark.django_db
def test_a_draft_cannot_be_decided(staff_user):
    application = _applicant(_mission(), "fr")
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.DRAFT)

    with pytest.raises(ApplicationError) as error:
        application_decide(application=application, decision="accepted", by=staff_user)

    assert error.value.code == "transition_refused"


# --- Seat confirmation and release ----------------------------------------------------


def _accepted_and_told(mission, staff_user, *languages, score=None):
    application = _applicant(mission, *languages, score=score)
    application_decide(application=application, decision="accepted", by=staff_user)
    applications_announce(mission=mission, by=staff_user, base_url=BASE)
    application.refresh_from_db()
    return application


def _waitlisted_and_told(mission, staff_user, *languages, score=None, verified=True):
    application = _applicant(mission, *languages, score=score, verified=verified)
    application_decide(application=application, decision="waitlisted", by=staff_user)
    applications_announce(mission=mission, by=staff_user, base_url=BASE)
    application.refresh_from_db()
    return application


@pytest.mark.django_db
def test_confirm_seat_refused_before_the_acceptance_is_announced(staff_user):
    mission = _mission()
    application = _applicant(mission, "fr")
    application_decide(application=application, decision="accepted", by=staff_user)
    member = application.company.memberships.get().user

    with pytest.raises(ApplicationError) as error:
        application_confirm_seat(application=application, by=member)

    assert error.value.code == "not_announced"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED


@pytest.mark.django_db
def test_confirm_seat_tells_at_once_and_cancels_the_reminder(staff_user):
    mission = _mission()
    application = _accepted_and_told(mission, staff_user, "fr")
    member = application.company.memberships.get().user

    application_confirm_seat(application=application, by=member)

    application.refresh_from_db()
    assert (application.status, application.announced_status) == ("confirmed", "confirmed")
    change = application.status_changes.last()
    assert (change.to_status, change.changed_by) == ("confirmed", member)
    assert change.announced_at is not None
    assert not OutboundEmail.objects.filter(template_key="seat_confirmation_pending").exists()
    assert seats_taken(mission) == 1


@pytest.mark.django_db
def test_release_refused_before_the_confirmation_deadline(staff_user):
    mission = _mission()
    application = _accepted_and_told(mission, staff_user, "fr")

    with pytest.raises(ApplicationError) as error:
        application_release_seat(application=application, by=staff_user, base_url=BASE)

    assert error.value.code == "not_overdue"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED


@pytest.mark.django_db
def test_release_tells_the_company_and_offers_the_seat_to_the_waiting_list_in_order(
    staff_user,
):
    mission = _mission(capacity=1)
    late = _accepted_and_told(mission, staff_user, "fr")
    # Order of the waiting list: best score first, then who was put on it first.
    second = _waitlisted_and_told(mission, staff_user, "fr", score=6)
    unverified_best = _waitlisted_and_told(mission, staff_user, "fr", score=9, verified=False)
    first = _waitlisted_and_told(mission, staff_user, "en", "fr", score=8)
    not_told = _applicant(mission, "fr", score=10)
    application_decide(application=not_told, decision="waitlisted", by=staff_user)
    assert list(waitlist_of(mission)) == [not_told, unverified_best, first, second]
    Application.objects.filter(pk=late.pk).update(
        seat_confirm_by=timezone.now() - datetime.timedelta(minutes=1)
    )
    OutboundEmail.objects.all().delete()

    application_release_seat(application=late, by=staff_user, base_url=BASE)

    _refresh(late, first, second, unverified_best, not_told)
    assert (late.status, late.announced_status) == ("released", "released")
    assert (first.status, first.announced_status) == ("accepted", "accepted")
    assert [second.status, unverified_best.status, not_told.status] == ["waitlisted"] * 3
    offer = first.status_changes.last()
    assert (offer.from_status, offer.to_status, offer.changed_by) == (
        "waitlisted",
        "accepted",
        None,
    )
    assert first.seat_confirm_by is not None
    late_member = late.company.memberships.get().user
    first_members = sorted(
        (m.user.email, m.user.language) for m in first.company.memberships.all()
    )
    assert _emails("seat_released") == [("seat_released", late_member.email, "fr")]
    assert _emails("application_accepted") == [
        ("application_accepted", email, language) for email, language in first_members
    ]
    offer_email = OutboundEmail.objects.get(template_key="application_accepted", language="en")
    assert offer_email.context["from_waitlist"] is True
    assert "A seat has become free" in render_email(offer_email).body


@pytest.mark.django_db
def test_withdrawing_a_confirmed_seat_offers_it_to_the_waiting_list(staff_user):
    mission = _mission(capacity=1)
    holder = _accepted_and_told(mission, staff_user, "fr")
    member = holder.company.memberships.get().user
    application_confirm_seat(application=holder, by=member)
    waiting = _waitlisted_and_told(mission, staff_user, "en")

    application_withdraw(application=holder, by=member, base_url=BASE)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.announced_status) == ("accepted", "accepted")
    assert seats_taken(mission) == 1


@pytest.mark.django_db
def test_withdrawing_an_unannounced_acceptance_offers_nothing(staff_user):
    mission = _mission(capacity=1)
    holder = _applicant(mission, "fr")
    application_decide(application=holder, decision="accepted", by=staff_user)
    waiting = _applicant(mission, "fr")
    application_decide(application=waiting, decision="waitlisted", by=staff_user)
    member = holder.company.memberships.get().user

    application_withdraw(application=holder, by=member, base_url=BASE)

    # The company never knew it had the seat; staff decide what to do with it.
    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.WAITLISTED
    assert OutboundEmail.objects.count() == 0


@pytest.mark.django_db
def test_released_seat_can_be_given_back_within_capacity(staff_user):
    mission = _mission(capacity=1)
    late = _accepted_and_told(mission, staff_user, "fr")
    Application.objects.filter(pk=late.pk).update(
        seat_confirm_by=timezone.now() - datetime.timedelta(minutes=1)
    )
    application_release_seat(application=late, by=staff_user, base_url=BASE)

    application_decide(application=late, decision="accepted", by=staff_user)

    late.refresh_from_db()
    assert late.status == ApplicationStatus.ACCEPTED


# --- Concurrency on PostgreSQL --------------------------------------------------------


def _race(count, target):
    """Run ``target(i)`` in ``count`` threads released at the same instant."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = target(i)
        except ApplicationError as error:
            outcomes[i] = error.code
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_twenty_staff_accepting_at_once_fill_exactly_the_five_remaining_seats():
    from accounts.tests.factories import UserFactory

    staff = UserFactory(email="selector@marseille.example")
    mission = _mission(capacity=8)
    for _ in range(3):
        ApplicationFactory(mission=mission, status=ApplicationStatus.ACCEPTED)
    candidates = [_applicant(mission, "fr") for _ in range(20)]

    outcomes = _race(
        20,
        lambda i: (
            application_decide(application=candidates[i], decision="accepted", by=staff).status
        ),
    )

    assert sorted(outcomes, key=str).count("accepted") == 5
    assert outcomes.count("capacity") == 15
    assert seats_taken(mission) == 8
    assert (
        ApplicationStatusChange.objects.filter(
            application__mission=mission, to_status="accepted"
        ).count()
        == 5
    )


@pytest.mark.django_db(transaction=True)
def test_two_staff_accepting_the_same_application_record_one_decision():
    from accounts.tests.factories import UserFactory

    staff = [UserFactory(email=f"selector{i}@marseille.example") for i in range(2)]
    mission = _mission(capacity=5)
    application = _applicant(mission, "fr")

    outcomes = _race(
        2,
        lambda i: (
            application_decide(application=application, decision="accepted", by=staff[i]).status
        ),
    )

    assert sorted(outcomes) == ["accepted", "transition_refused"]
    assert application.status_changes.filter(to_status="accepted").count() == 1
