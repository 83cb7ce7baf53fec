"""Staff's review of a mission's applications: the list with its filters and sorts, one
application's page, decisions recorded then announced, seats released, who may see
what, and the query counts."""

import datetime
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from companies.models import Company, CompanySize, MembershipStatus
from companies.tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    ContactFactory,
    MembershipFactory,
)
from core.tests.rows import MOMENTS, render_before, tags_apart, typed
from delegations.enums import ApplicationStatus
from delegations.models import Application, ApplicationStatusChange
from delegations.services import application_decide
from delegations.templatetags.review_tags import review_rows
from delegations.tests.factories import ApplicationFactory
from missions.enums import MissionStatus
from missions.models import Sector
from missions.tests.factories import OpenMissionFactory, SectorFactory
from notifications.models import OutboundEmail
from notifications.rendering import render_email

pytestmark = pytest.mark.django_db

LEAK = "PROTECTO-SECRET-OBJECTIVE"
NOTE = "STAFF-ONLY-NOTE weak export plan"
ACCEPTED = ApplicationStatus.ACCEPTED
WAITLISTED = ApplicationStatus.WAITLISTED
REJECTED = ApplicationStatus.REJECTED
SUBMITTED = ApplicationStatus.SUBMITTED


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def mission():
    return OpenMissionFactory(title="Canada 2027", capacity=3)


def _days(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def _apply(mission, company=None, *, status=SUBMITTED, announced=None, submitted=-5, **fields):
    """An application of ``company`` submitted ``submitted`` days from now; the company
    was told ``announced`` (by default, its status)."""
    return ApplicationFactory(
        mission=mission,
        company=company or CompanyFactory(),
        status=status,
        announced_status=announced or status,
        submitted_at=_days(submitted) if status != ApplicationStatus.DRAFT else None,
        **fields,
    )


def _decided(mission, company, decision, **fields):
    """A submitted application on which staff recorded ``decision``, not yet told."""
    from accounts.tests.factories import StaffFactory

    application = _apply(mission, company, **fields)
    return application_decide(application=application, decision=decision, by=StaffFactory())


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _names(response) -> list[str]:
    return [application.company.name for application in response.context["applications"]]


def _review_url(mission) -> str:
    return reverse("delegations:review", args=[mission.pk])


def _decide(client, application, decision):
    return client.post(
        reverse("delegations:decide", args=[application.pk]), {"decision": decision}
    )


def _announce(client, mission):
    return client.post(reverse("delegations:announce", args=[mission.pk]))


# The list ---------------------------------------------------------------------------


@pytest.fixture
def listed(mission):
    """Four applications and a draft, different in every way the list filters on."""
    solar, ports = SectorFactory(code="solar"), SectorFactory(code="ports")
    alpha = CompanyFactory(name="Alpha Solar", city="Marseille", size="small", verified=True)
    alpha.sectors.set([solar])
    beta = CompanyFactory(name="Beta Ports", city="Aix-en-Provence", size="medium", verified=False)
    beta.sectors.set([ports])
    gamma = CompanyFactory(name="Gamma Health", city="Marseille", size="large", verified=True)
    gamma.sectors.set([solar, ports])
    delta = CompanyFactory(name="Delta Marine", city="Toulon", size="small", verified=True)
    return {
        "solar": solar,
        "ports": ports,
        "alpha": _apply(mission, alpha, submitted=-3, internal_score=4),
        # Waitlisted, not told yet.
        "beta": _apply(mission, beta, status=WAITLISTED, announced=SUBMITTED, submitted=-9),
        "gamma": _apply(mission, gamma, status=ACCEPTED, submitted=-1, internal_score=9),
        "delta": _apply(mission, delta, status=REJECTED, submitted=-6, internal_score=2),
        "draft": _apply(
            mission, CompanyFactory(name="Epsilon Draft"), status=ApplicationStatus.DRAFT
        ),
    }


def test_review_list_shows_every_application_but_drafts(client, staff_user, mission, listed):
    client.force_login(staff_user)

    response = client.get(_review_url(mission))

    assert response.status_code == 200
    assert _names(response) == ["Alpha Solar", "Gamma Health", "Beta Ports", "Delta Marine"]
    content = response.content.decode()
    assert "Epsilon Draft" not in content
    assert "1 draft not submitted yet" in content
    assert reverse("delegations:review_application", args=[listed["alpha"].pk]) in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "accepted"}, ["Gamma Health"]),
        ({"status": "submitted"}, ["Alpha Solar"]),
        ({"status": "draft"}, []),  # not a choice: refused, the drafts stay hidden
        ({"pending": "on"}, ["Beta Ports"]),
        ({"verified": "no"}, ["Beta Ports"]),
        ({"verified": "yes"}, ["Alpha Solar", "Gamma Health", "Delta Marine"]),
        ({"size": "small"}, ["Alpha Solar", "Delta Marine"]),
        ({"search": "marseille"}, ["Alpha Solar", "Gamma Health"]),
        ({"search": "ports"}, ["Beta Ports"]),
        ({"search": "aix"}, ["Beta Ports"]),
        ({"search": "draft"}, []),
        ({"verified": "yes", "size": "small", "search": "toulon"}, ["Delta Marine"]),
    ],
)
def test_review_list_filters_give_exact_results(
    client, staff_user, mission, listed, query, expected
):
    client.force_login(staff_user)

    response = client.get(_review_url(mission), query)

    assert response.status_code == 200
    if query == {"status": "draft"}:
        # An unknown status is an error of the filter form, and filters nothing.
        assert response.context["filterset"].form.errors == {
            "status": ["Select a valid choice. draft is not one of the available choices."]
        }
        expected = ["Alpha Solar", "Gamma Health", "Beta Ports", "Delta Marine"]
    assert _names(response) == expected


@pytest.mark.parametrize(
    ("sector", "expected"),
    [("solar", ["Alpha Solar", "Gamma Health"]), ("ports", ["Gamma Health", "Beta Ports"])],
)
def test_review_list_filters_by_sector(client, staff_user, mission, listed, sector, expected):
    client.force_login(staff_user)

    response = client.get(_review_url(mission), {"sector": listed[sector].pk})

    assert _names(response) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("score", ["Gamma Health", "Alpha Solar", "Delta Marine", "Beta Ports"]),
        ("submitted", ["Beta Ports", "Delta Marine", "Alpha Solar", "Gamma Health"]),
        ("-submitted", ["Gamma Health", "Alpha Solar", "Delta Marine", "Beta Ports"]),
        ("company", ["Alpha Solar", "Beta Ports", "Delta Marine", "Gamma Health"]),
        ("status", ["Alpha Solar", "Gamma Health", "Beta Ports", "Delta Marine"]),
        # Outside the whitelist: refused by the form, the default order stays.
        ("internal_notes", ["Alpha Solar", "Gamma Health", "Beta Ports", "Delta Marine"]),
        ("-pk); DROP TABLE x", ["Alpha Solar", "Gamma Health", "Beta Ports", "Delta Marine"]),
    ],
)
def test_review_list_sorts_by_whitelisted_orders_only(
    client, staff_user, mission, listed, sort, expected
):
    client.force_login(staff_user)

    response = client.get(_review_url(mission), {"sort": sort})

    assert response.status_code == 200
    assert _names(response) == expected


def test_review_list_sort_keeps_filters(client, staff_user, mission, listed):
    client.force_login(staff_user)

    response = client.get(_review_url(mission), {"verified": "yes", "sort": "company"})

    assert _names(response) == ["Alpha Solar", "Delta Marine", "Gamma Health"]


def test_review_list_header_counts_seats_and_announce_button(client, staff_user, mission, listed):
    client.force_login(staff_user)

    response = client.get(_review_url(mission))

    counts = response.context["counts"]
    assert (counts["submitted"], counts["accepted"], counts["waitlisted"]) == (1, 1, 1)
    assert (counts["rejected"], counts["draft"], counts["seats_taken"]) == (1, 1, 1)
    assert counts["to_announce"] == 1
    content = response.content.decode()
    assert "Announce 1 decision" in content
    assert reverse("delegations:announce", args=[mission.pk]) in content
    assert "Seats taken:" in content and "1 / 3" in content


def test_review_list_without_pending_decision_has_no_announce_button(client, staff_user, mission):
    _apply(mission, status=ACCEPTED)
    client.force_login(staff_user)

    content = client.get(_review_url(mission)).content.decode()

    assert reverse("delegations:announce", args=[mission.pk]) not in content


def test_review_list_marks_pending_waitlist_position_and_overdue_seat(client, staff_user, mission):
    _apply(mission, CompanyFactory(name="Late Co"), status=ACCEPTED, seat_confirm_by=_days(-1))
    _apply(mission, CompanyFactory(name="OnTime Co"), status=ACCEPTED, seat_confirm_by=_days(3))
    second = _apply(mission, status=WAITLISTED, internal_score=3, decided_at=_days(-2))
    first = _apply(mission, status=WAITLISTED, internal_score=8, decided_at=_days(-1))
    pending = _apply(mission, status=REJECTED, announced=SUBMITTED)
    client.force_login(staff_user)

    response = client.get(_review_url(mission))

    by_pk = {application.pk: application for application in response.context["applications"]}
    assert by_pk[first.pk].waitlist_position == 1
    assert by_pk[second.pk].waitlist_position == 2
    assert [a.seat_overdue for a in response.context["applications"][:2]] == [True, False]
    content = response.content.decode()
    assert "No. 1 on the waiting list" in content
    assert "No. 2 on the waiting list" in content
    assert "Seat not confirmed in time:" in content
    assert content.count("Seat to confirm by") == 1
    assert f'data-pending="{pending.pk}"' in content
    assert content.count("Not announced yet: the company still sees “Submitted”") == 1


def test_review_list_of_unknown_mission_is_not_found(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("delegations:review", args=[999999])).status_code == 404


# The application's page and the decisions --------------------------------------------


def test_review_page_shows_company_answers_delegates_and_history(
    client, staff_user, mission, company_member
):
    company = company_member.membership.company
    company.website = "https://transpare.example"
    company.export_experience = "Exports to Belgium since 2019."
    company.save()
    delegate = ContactFactory(company=company, email="lea@transpare.example")
    application = _apply(mission, company, products="Solar films", internal_notes=NOTE)
    application.delegates.set([delegate])
    ApplicationStatusChange.objects.create(
        application=application,
        from_status=ApplicationStatus.DRAFT,
        to_status=SUBMITTED,
        changed_by=company_member,
        announced_at=timezone.now(),
    )
    client.force_login(staff_user)

    response = client.get(reverse("delegations:review_application", args=[application.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Transpare",
        company.siret,
        "https://transpare.example",
        "Exports to Belgium since 2019.",
        "Solar films",
        "lea@transpare.example",
        NOTE,
        reverse("companies:detail", args=[company.pk]),
        company_member.get_full_name(),
    ):
        assert text in content
    assert [button for button, _label in response.context["decisions"]] == [
        "accepted",
        "waitlisted",
        "rejected",
    ]
    assert "Release the seat" not in content


def test_decide_records_status_without_telling_the_company(
    client, staff_user, mission, company_member
):
    application = _apply(mission, company_member.membership.company, internal_notes=NOTE)
    client.force_login(staff_user)

    response = _decide(client, application, "accepted")

    assert response.status_code == 302
    assert response.url == reverse("delegations:review_application", args=[application.pk])
    application.refresh_from_db()
    assert application.status == ACCEPTED
    assert application.announced_status == SUBMITTED
    assert application.decided_by == staff_user
    assert OutboundEmail.objects.count() == 0
    change = application.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        SUBMITTED,
        ACCEPTED,
        staff_user,
    )
    assert change.announced_at is None
    page = client.get(reverse("delegations:review_application", args=[application.pk]))
    assert "Recorded, not announced yet." in page.content.decode()
    client.logout()  # the staff's messages stay with the staff
    client.force_login(company_member)
    content = client.get(application.get_absolute_url()).content.decode()
    assert "status-submitted" in content
    assert "status-accepted" not in content
    assert "Accepted" not in content


def test_decision_back_to_what_the_company_was_told_leaves_nothing_to_announce(
    client, staff_user, mission
):
    application = _apply(mission, CompanyFactory(name="Told Co"), status=WAITLISTED)
    client.force_login(staff_user)
    _decide(client, application, "rejected")

    response = _decide(client, application, "waitlisted")

    assert _messages(response)[-1] == (
        "Decision recorded for Told Co: “Waiting list”, which the company has already been told."
    )
    application.refresh_from_db()
    assert not application.announcement_pending
    listing = client.get(_review_url(mission))
    assert listing.context["counts"]["to_announce"] == 0


def test_company_pages_never_show_internal_score_or_notes(
    client, staff_user, mission, company_member
):
    application = _apply(mission, company_member.membership.company)
    client.force_login(staff_user)
    client.post(
        reverse("delegations:assess", args=[application.pk]),
        {"internal_score": "7", "internal_notes": NOTE},
    )
    _decide(client, application, "waitlisted")
    _decide(client, application, "accepted")
    _announce(client, mission)
    application.refresh_from_db()
    assert (application.internal_score, application.internal_notes) == (7, NOTE)
    assert application.announced_status == ACCEPTED
    client.logout()  # the staff's messages stay with the staff
    client.force_login(company_member)

    for url in (
        application.get_absolute_url(),
        reverse("home"),
        mission.get_absolute_url(),
        reverse("delegations:application_confirm", args=[application.pk]),
    ):
        response = client.get(url)
        content = response.content.decode()
        assert response.status_code == 200, url
        assert NOTE not in content
        assert "internal" not in content.lower()
        assert "score" not in content.lower()


def test_accept_when_every_seat_is_taken_is_refused_on_the_page(client, staff_user):
    mission = OpenMissionFactory(capacity=1)
    _apply(mission, status=ApplicationStatus.CONFIRMED)
    application = _apply(mission, CompanyFactory(name="Late Applicant"))
    client.force_login(staff_user)

    response = client.post(
        reverse("delegations:decide", args=[application.pk]),
        {"decision": "accepted"},
        follow=True,
    )

    assert response.redirect_chain == [
        (reverse("delegations:review_application", args=[application.pk]), 302)
    ]
    assert "All 1 seats of the delegation are taken." in response.content.decode()
    application.refresh_from_db()
    assert application.status == SUBMITTED
    assert application.status_changes.count() == 0


def test_accept_unverified_company_is_refused_with_the_reason(client, staff_user, mission):
    application = _apply(mission, CompanyFactory(name="Unchecked SAS", verified=False))
    client.force_login(staff_user)

    response = client.post(
        reverse("delegations:decide", args=[application.pk]),
        {"decision": "accepted"},
        follow=True,
    )

    assert (
        "Unchecked SAS is not verified yet: verify the company before accepting it."
        in response.content.decode()
    )
    application.refresh_from_db()
    assert application.status == SUBMITTED


def test_unverified_company_may_still_be_waitlisted(client, staff_user, mission):
    application = _apply(mission, CompanyFactory(verified=False))
    client.force_login(staff_user)

    _decide(client, application, "waitlisted")

    application.refresh_from_db()
    assert application.status == WAITLISTED


def test_decide_unknown_decision_is_refused(client, staff_user, mission):
    application = _apply(mission)
    client.force_login(staff_user)

    response = _decide(client, application, "confirmed")

    assert _messages(response) == ["“confirmed” is not a decision."]
    application.refresh_from_db()
    assert application.status == SUBMITTED


def test_decide_outside_selection_period_is_refused_and_not_offered(client, staff_user):
    mission = OpenMissionFactory(status=MissionStatus.IN_PROGRESS)
    application = _apply(mission)
    client.force_login(staff_user)

    page = client.get(reverse("delegations:review_application", args=[application.pk]))
    response = _decide(client, application, "rejected")

    assert page.context["decisions"] == []
    assert _messages(response) == [
        "Decisions are taken while the mission is open, in selection or confirmed; "
        "it is “In progress”."
    ]
    application.refresh_from_db()
    assert application.status == SUBMITTED


# Score and notes ---------------------------------------------------------------------


def test_assess_saves_score_and_notes(client, staff_user, mission):
    application = _apply(mission)
    client.force_login(staff_user)

    response = client.post(
        reverse("delegations:assess", args=[application.pk]),
        {"internal_score": "8", "internal_notes": NOTE},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.internal_score, application.internal_notes) == (8, NOTE)


def test_assess_empty_score_clears_it(client, staff_user, mission):
    application = _apply(mission, internal_score=5)
    client.force_login(staff_user)

    client.post(
        reverse("delegations:assess", args=[application.pk]),
        {"internal_score": "", "internal_notes": ""},
    )

    application.refresh_from_db()
    assert (application.internal_score, application.internal_notes) == (None, "")


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("11", "The score goes from 0 to 10."),
        ("-1", "The score goes from 0 to 10."),
        ("ten", "Enter a whole number."),
    ],
)
def test_assess_invalid_score_errors_by_field_keeps_typed_notes(
    client, staff_user, mission, score, message
):
    application = _apply(mission, internal_score=4, internal_notes="Before")
    client.force_login(staff_user)

    response = client.post(
        reverse("delegations:assess", args=[application.pk]),
        {"internal_score": score, "internal_notes": "Strong in Ontario, typed"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"internal_score": [message]}
    assert form["internal_notes"].value() == "Strong in Ontario, typed"
    assert form["internal_score"].value() == score
    assert "Strong in Ontario, typed" in response.content.decode()
    application.refresh_from_db()
    assert (application.internal_score, application.internal_notes) == (4, "Before")


def test_assess_over_long_notes_errors_by_field(client, staff_user, mission):
    application = _apply(mission)
    client.force_login(staff_user)

    response = client.post(
        reverse("delegations:assess", args=[application.pk]),
        {"internal_score": "3", "internal_notes": "n" * 4001},
    )

    assert response.context["form"].errors == {
        "internal_notes": ["At most 4000 characters (these notes have 4001)."]
    }
    application.refresh_from_db()
    assert application.internal_score is None


# The announcement --------------------------------------------------------------------


@pytest.fixture
def decided(mission):
    """Three decisions recorded, none told: an accepted company with a French and an
    English member (and one awaiting approval), a waitlisted and a rejected one."""
    accepted = CompanyFactory(name="Accepted Co")
    MembershipFactory(company=accepted, user__email="marie@accepted.example", user__language="fr")
    MembershipFactory(company=accepted, user__email="john@accepted.example", user__language="en")
    MembershipFactory(
        company=accepted,
        user__email="pending@accepted.example",
        status=MembershipStatus.PENDING,
    )
    waitlisted = CompanyFactory(name="Waitlisted Co")
    MembershipFactory(
        company=waitlisted, user__email="wait@waitlisted.example", user__language="en"
    )
    rejected = CompanyFactory(name="Rejected Co")
    MembershipFactory(company=rejected, user__email="non@rejected.example", user__language="fr")
    return {
        "accepted": _decided(mission, accepted, ACCEPTED),
        "waitlisted": _decided(mission, waitlisted, WAITLISTED),
        "rejected": _decided(mission, rejected, REJECTED),
    }


def test_announce_page_says_what_will_be_sent(client, staff_user, mission, decided):
    client.force_login(staff_user)

    response = client.get(reverse("delegations:announce", args=[mission.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "3 decisions are recorded and not yet told to their companies." in content
    assert "4 people will get an email, each in their own language." in content
    assert [
        (value, [a.company.name for a in applications])
        for value, _label, applications in response.context["groups"]
    ] == [
        ("accepted", ["Accepted Co"]),
        ("waitlisted", ["Waitlisted Co"]),
        ("rejected", ["Rejected Co"]),
    ]
    assert OutboundEmail.objects.count() == 0
    assert Application.objects.filter(announced_status=SUBMITTED).count() == 3


def test_announce_emails_every_active_member_in_their_language(
    client, staff_user, mission, decided
):
    client.force_login(staff_user)

    response = _announce(client, mission)

    assert response.status_code == 302
    assert response.url == _review_url(mission)
    assert _messages(response) == [
        "Decisions announced: 1 accepted, 1 on the waiting list, 1 not selected. "
        "The emails are on their way."
    ]
    decisions = OutboundEmail.objects.exclude(template_key="seat_confirmation_pending")
    assert sorted(decisions.values_list("recipient", "language", "template_key")) == [
        ("john@accepted.example", "en", "application_accepted"),
        ("marie@accepted.example", "fr", "application_accepted"),
        ("non@rejected.example", "fr", "application_rejected"),
        ("wait@waitlisted.example", "en", "application_waitlisted"),
    ]
    reminders = OutboundEmail.objects.filter(template_key="seat_confirmation_pending")
    assert sorted(reminders.values_list("recipient", flat=True)) == [
        "john@accepted.example",
        "marie@accepted.example",
    ]
    subjects = {email.recipient: render_email(email).subject for email in decisions}
    assert subjects["marie@accepted.example"].startswith("[Action requise] ")
    assert subjects["john@accepted.example"].startswith("[Action required] ")
    for recipient in ("non@rejected.example", "wait@waitlisted.example"):
        assert "[Action" not in subjects[recipient]
    for application in decided.values():
        application.refresh_from_db()
        assert application.announced_status == application.status
        assert application.status_changes.count() == 0 or all(
            change.announced_at for change in application.status_changes.all()
        )
    assert decided["accepted"].seat_confirm_by is not None


def test_announce_twice_sends_nothing_more(client, staff_user, mission, decided):
    client.force_login(staff_user)
    _announce(client, mission)
    sent = OutboundEmail.objects.count()

    response = _announce(client, mission)

    assert _messages(response)[-1] == "No decision is waiting to be announced."
    assert OutboundEmail.objects.count() == sent


def test_announce_decision_without_history_is_told_not_a_500(
    client, staff_user, mission, company_member
):
    # A decision typed in the admin has no status change to mark as told.
    application = _apply(
        mission, company_member.membership.company, status=REJECTED, announced=SUBMITTED
    )
    client.force_login(staff_user)

    response = _announce(client, mission)

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.announced_status == REJECTED
    assert list(OutboundEmail.objects.values_list("recipient", "template_key")) == [
        (company_member.email, "application_rejected")
    ]


def test_announce_page_with_nothing_pending_goes_back_to_the_list(client, staff_user, mission):
    _apply(mission)
    client.force_login(staff_user)

    response = client.get(reverse("delegations:announce", args=[mission.pk]))

    assert response.status_code == 302
    assert response.url == _review_url(mission)
    assert _messages(response) == ["No decision is waiting to be announced."]


def test_decision_reversed_before_announcement_is_never_emailed(
    client, staff_user, mission, company_member
):
    application = _apply(mission, company_member.membership.company)
    client.force_login(staff_user)
    _decide(client, application, "accepted")
    _decide(client, application, "waitlisted")

    _announce(client, mission)

    assert list(OutboundEmail.objects.values_list("recipient", "template_key")) == [
        (company_member.email, "application_waitlisted")
    ]
    changes = list(application.status_changes.order_by("pk"))
    assert [(c.to_status, c.announced_at is not None) for c in changes] == [
        (ACCEPTED, False),
        (WAITLISTED, True),
    ]
    client.logout()  # the staff's messages stay with the staff
    client.force_login(company_member)
    content = client.get(application.get_absolute_url()).content.decode()
    assert "Accepted" not in content
    assert "Waiting list" in content


# Releasing a seat --------------------------------------------------------------------


def test_release_before_the_deadline_is_refused(client, staff_user, mission):
    application = _apply(mission, status=ACCEPTED, seat_confirm_by=_days(2))
    client.force_login(staff_user)

    page = client.get(reverse("delegations:review_application", args=[application.pk]))
    response = client.post(reverse("delegations:release", args=[application.pk]))

    assert "Release the seat" not in page.content.decode()
    assert len(_messages(response)) == 1
    assert _messages(response)[0].startswith("The company has until ")
    application.refresh_from_db()
    assert application.status == ACCEPTED
    assert OutboundEmail.objects.count() == 0


def test_release_after_the_deadline_offers_the_seat_to_the_first_waitlisted(client, staff_user):
    mission = OpenMissionFactory(capacity=1)
    late_member = CompanyMemberFactory(membership__company__name="Late Co")
    late = _apply(
        mission, late_member.membership.company, status=ACCEPTED, seat_confirm_by=_days(-1)
    )
    second_member = CompanyMemberFactory(membership__company__name="Second Co")
    _apply(
        mission,
        second_member.membership.company,
        status=WAITLISTED,
        internal_score=5,
        decided_at=_days(-3),
    )
    first_member = CompanyMemberFactory(membership__company__name="First Co")
    first = _apply(
        mission,
        first_member.membership.company,
        status=WAITLISTED,
        internal_score=8,
        decided_at=_days(-2),
    )
    # Better score, but never told it is on the waiting list: not offered the seat.
    _apply(mission, status=WAITLISTED, announced=SUBMITTED, internal_score=10)
    client.force_login(staff_user)

    page = client.get(reverse("delegations:review_application", args=[late.pk]))
    response = client.post(reverse("delegations:release", args=[late.pk]))

    assert "Release the seat" in page.content.decode()
    assert _messages(response) == [
        "The seat of Late Co is released; the company is told by email.",
        "The seat is offered to First Co, first on the waiting list.",
    ]
    late.refresh_from_db()
    first.refresh_from_db()
    assert (late.status, late.announced_status) == ("released", "released")
    assert (first.status, first.announced_status) == (ACCEPTED, ACCEPTED)
    assert first.seat_confirm_by is not None
    assert sorted(
        OutboundEmail.objects.exclude(template_key="seat_confirmation_pending").values_list(
            "recipient", "template_key"
        )
    ) == sorted(
        [
            (late_member.email, "seat_released"),
            (first_member.email, "application_accepted"),
        ]
    )


# Who may see and do what -------------------------------------------------------------


@pytest.fixture
def guarded(mission, company_member, other_company_member):
    """Company A's application, overdue and with a staff note, and company B's
    waitlisting not yet told: every action of the matrix would change one of them."""
    a = _apply(
        mission,
        company_member.membership.company,
        status=ACCEPTED,
        seat_confirm_by=_days(-1),
        internal_notes=NOTE,
        internal_score=9,
        objectives=LEAK,
    )
    b = _decided(
        mission,
        other_company_member.membership.company,
        WAITLISTED,
        internal_notes=NOTE,
        objectives=LEAK,
    )
    return a, b


def _url(name, mission, application) -> str:
    by_mission = name in ("review", "announce")
    return reverse(f"delegations:{name}", args=[mission.pk if by_mission else application.pk])


# Each page and action, with what staff get for each method: POST only where it
# changes data.
PAGES = {
    # The list's bulk form; here, nothing ticked: the form in error.
    "review": {"get": 200, "post": 200},
    "announce": {"get": 200, "post": 302},
    "review_application": {"get": 200, "post": 405},
    "assess": {"get": 405, "post": 302},
    "decide": {"get": 405, "post": 302},
    "release": {"get": 405, "post": 302},
}
REQUESTS = [(name, method) for name in PAGES for method in ("get", "post")]
# What would change something if a check were missing.
DATA = {"internal_score": "1", "internal_notes": "overwritten", "decision": "rejected"}


@pytest.mark.parametrize(("name", "method"), REQUESTS)
@pytest.mark.parametrize("who", ["anonymous", "company_a", "company_b", "official"])
def test_review_pages_and_actions_are_hidden_from_all_but_staff(
    client, request, mission, guarded, name, method, who
):
    users = {
        "company_a": "company_member",
        "company_b": "other_company_member",
        "official": "official_user",
    }
    if who != "anonymous":
        client.force_login(request.getfixturevalue(users[who]))
    a, b = guarded

    response = getattr(client, method)(_url(name, mission, a), DATA)

    if who == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 404
        content = response.content.decode()
        assert NOTE not in content
        assert LEAK not in content
        assert "Protecto" not in content or who == "company_b"
        assert "Transpare" not in content or who == "company_a"
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.internal_score, a.internal_notes) == (ACCEPTED, 9, NOTE)
    assert (b.status, b.announced_status) == (WAITLISTED, SUBMITTED)
    assert OutboundEmail.objects.count() == 0
    assert ApplicationStatusChange.objects.count() == 1  # b's waitlisting


@pytest.mark.parametrize(("name", "method"), REQUESTS)
def test_review_pages_and_actions_serve_staff(client, staff_user, mission, guarded, name, method):
    client.force_login(staff_user)
    a, _b = guarded

    response = getattr(client, method)(_url(name, mission, a), DATA)

    assert response.status_code == PAGES[name][method]
    shown = {"review": "Protecto", "announce": "Protecto", "review_application": NOTE}
    if response.status_code == 200:
        assert shown[name] in response.content.decode()


@pytest.mark.parametrize(
    "name", ["review_application", "assess", "decide", "release", "review", "announce"]
)
def test_unknown_application_or_mission_is_not_found(client, staff_user, name):
    client.force_login(staff_user)
    url = reverse(f"delegations:{name}", args=[999999])

    response = client.post(url) if name in ("assess", "decide", "release") else client.get(url)

    assert response.status_code == 404


def test_mission_page_links_staff_to_review_and_delegation(client, staff_user, official_user):
    mission = OpenMissionFactory()
    review = reverse("delegations:review", args=[mission.pk])
    delegation = reverse("delegations:delegation", args=[mission.pk])
    client.force_login(staff_user)

    content = client.get(mission.get_absolute_url()).content.decode()

    assert review in content and delegation in content
    client.force_login(official_user)
    assert review not in client.get(mission.get_absolute_url()).content.decode()


def test_staff_home_links_applications_to_review(client, staff_user, mission):
    _apply(mission)
    client.force_login(staff_user)

    content = client.get(reverse("home")).content.decode()

    assert f'href="{_review_url(mission)}"' in content


# Query counts ------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 25])
def test_review_list_in_fixed_queries(client, staff_user, django_assert_num_queries, count):
    mission = OpenMissionFactory(capacity=40)
    sector = SectorFactory()
    for number in range(count):
        company = CompanyFactory()
        company.sectors.set([sector])
        status = [SUBMITTED, ACCEPTED, WAITLISTED][number % 3]
        _apply(mission, company, status=status, announced=SUBMITTED, internal_score=number % 11)
    client.force_login(staff_user)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(_review_url(mission), {"sort": "score"})

    assert len(response.context["applications"]) == count


# Session, user with its groups, mission, paginator count, page, sectors of the companies,
# waitlist positions, counts by status, sectors of the filter form, the workspace's counts.
LIST_QUERIES = 10


@pytest.mark.parametrize("count", [1, 25])
def test_review_page_in_fixed_queries(client, staff_user, django_assert_num_queries, count):
    mission = OpenMissionFactory(capacity=40)
    company = CompanyFactory()
    company.sectors.set([SectorFactory(), SectorFactory()])
    application = _apply(mission, company)
    application.delegates.set([ContactFactory(company=company) for _ in range(count)])
    for number in range(count):
        _apply(mission, status=[SUBMITTED, ACCEPTED][number % 2])
        ApplicationStatusChange.objects.create(
            application=application, from_status="", to_status=SUBMITTED, changed_by=staff_user
        )
    client.force_login(staff_user)

    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(reverse("delegations:review_application", args=[application.pk]))

    assert len(response.context["application"].history) == count


# Session, user with its groups, application with mission, company and decider, its company's
# sectors, delegates, history with authors, counts of the mission.
PAGE_QUERIES = 7


# The rows written in Python (review_tags) -------------------------------------------

# The rows as the template drew them before review_tags: the tag must write the same.
REVIEW_ROWS_BEFORE = Path(__file__).parent / "review_rows_before.html"
_moments = st.one_of(st.none(), MOMENTS)


@st.composite
def _review_rows(draw):
    applications = []
    for pk in range(1, draw(st.integers(1, 4)) + 1):
        company = Company(
            pk=pk,
            name=draw(typed()),
            city=draw(typed()),
            size=draw(st.sampled_from(["", *CompanySize.values])),
            verified=draw(st.booleans()),
        )
        sectors = [
            Sector(pk=number, code=f"s{number}", name_fr=draw(typed()), name_en=draw(typed()))
            for number in range(draw(st.integers(0, 2)))
        ]
        company._prefetched_objects_cache = {"sectors": sectors}
        application = Application(
            pk=pk,
            company=company,
            status=draw(st.sampled_from(ApplicationStatus.values)),
            announced_status=draw(st.sampled_from(ApplicationStatus.values)),
            internal_score=draw(st.one_of(st.none(), st.integers(0, 10))),
            submitted_at=draw(_moments),
            seat_confirm_by=draw(_moments),
        )
        application.waitlist_position = draw(st.one_of(st.none(), st.integers(1, 400)))
        application.seat_overdue = draw(st.booleans())
        applications.append(application)
    return applications


@given(applications=_review_rows(), language=st.sampled_from(["fr", "en"]))
@settings(max_examples=60, deadline=None)
def test_review_rows_write_what_the_template_wrote(applications, language):
    with translation.override(language):
        expected = render_before(REVIEW_ROWS_BEFORE, {"applications": applications})
        written = review_rows(applications)

    assert tags_apart(written) == tags_apart(expected)
