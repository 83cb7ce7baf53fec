"""The company side of selection (what it was told, confirming its seat, a freed seat
offered to the waiting list) and a mission's delegation page and printable roster:
who may see what, the grouping by sector, the query counts."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companies.models import Company, CompanySize, Contact, MembershipStatus
from companies.tests.factories import CompanyFactory, CompanyMemberFactory, ContactFactory
from core.tests.rows import render_before, tags_apart, typed
from delegations.enums import ApplicationStatus
from delegations.models import Application, ApplicationStatusChange
from delegations.services import application_decide, applications_announce
from delegations.templatetags.delegation_tags import delegation_cards
from delegations.tests.factories import ApplicationFactory
from missions.models import Mission, Sector
from missions.tests.factories import OpenMissionFactory, SectorFactory
from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "camille.secret@transpare.example"
SECRET_PHONE = "+33 6 11 22 33 44"
OTHER_EMAIL = "otto.hidden@autre.example"
OFFICIAL_EMAIL = "deputy.mayor@marseille.example"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def mission(official_user):
    mission = OpenMissionFactory(title="Canada 2027", capacity=30)
    official_user.email = OFFICIAL_EMAIL
    official_user.job_title = "Deputy Mayor for International Affairs"
    official_user.save()
    mission.officials.add(official_user)
    return mission


def _application(mission, company, status, **fields):
    """An application whose company was told ``status`` (the company's own moves and
    announced decisions alike), with the told history leading to it."""
    application = ApplicationFactory(
        mission=mission, company=company, status=status, announced_status=status, **fields
    )
    ApplicationStatusChange.objects.create(
        application=application,
        from_status="",
        to_status=status,
        announced_at=timezone.now(),
    )
    return application


def _confirmed(mission, company, delegates=2, **contact_fields):
    application = _application(mission, company, ApplicationStatus.CONFIRMED)
    application.delegates.set(
        [
            ContactFactory(company=company, job_title="Export manager", **contact_fields)
            for _ in range(delegates)
        ]
    )
    return application


@pytest.fixture
def own_confirmed(mission, company_member):
    """Transpare, company A: its seat is confirmed, with one delegate."""
    return _confirmed(
        mission,
        company_member.membership.company,
        delegates=1,
        first_name="Camille",
        last_name="Durand",
        email=SECRET_EMAIL,
        phone=SECRET_PHONE,
    )


@pytest.fixture
def others_accepted(mission, other_company_member):
    """Protecto, company B: accepted and told so, its seat not confirmed yet."""
    application = _application(
        mission,
        other_company_member.membership.company,
        ApplicationStatus.ACCEPTED,
        seat_confirm_by=timezone.now() + datetime.timedelta(days=5),
    )
    application.delegates.set(
        [
            ContactFactory(
                company=application.company,
                first_name="Otto",
                last_name="Hidden",
                email=OTHER_EMAIL,
            )
        ]
    )
    return application


def _login(client, request, who):
    users = {
        "company_a": "company_member",
        "company_b": "other_company_member",
        "staff": "staff_user",
        "official": "official_user",
    }
    if who != "anonymous":
        client.force_login(request.getfixturevalue(users[who]))


# What the company was told -----------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "label"),
    [
        (ApplicationStatus.ACCEPTED, "Accepted"),
        (ApplicationStatus.WAITLISTED, "Waiting list"),
        (ApplicationStatus.REJECTED, "Not selected"),
    ],
)
def test_company_page_shows_submitted_while_decision_unannounced(
    client, company_member, staff_user, mission, decision, label
):
    application = _application(
        mission, company_member.membership.company, ApplicationStatus.SUBMITTED
    )
    application_decide(application=application, decision=decision, by=staff_user)
    client.force_login(company_member)

    response = client.get(application.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert '<span class="status-badge status-submitted">Submitted</span>' in content
    assert label not in content
    assert 'id="decision-panel"' not in content
    assert reverse("delegations:application_confirm", args=[application.pk]) not in content
    assert [c.to_status for c in response.context["application"].told_changes] == ["submitted"]
    # Offered as to any submitted application: hiding it would tell of the decision.
    assert reverse("delegations:application_withdraw", args=[application.pk]) in content
    assert response.context["editable"] is True


def test_withdraw_under_unannounced_rejection_withdraws_and_is_never_told(
    client, company_member, staff_user, mission
):
    application = _application(
        mission, company_member.membership.company, ApplicationStatus.SUBMITTED
    )
    application_decide(application=application, decision=ApplicationStatus.REJECTED, by=staff_user)
    client.force_login(company_member)

    response = client.post(
        reverse("delegations:application_withdraw", args=[application.pk]), follow=True
    )

    assert "Not selected" not in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.announced_status == ApplicationStatus.WITHDRAWN
    assert applications_announce(mission=mission, by=staff_user) == {
        "accepted": 0,
        "waitlisted": 0,
        "rejected": 0,
    }
    assert not OutboundEmail.objects.filter(template_key="application_rejected").exists()


def test_confirming_before_announcement_is_refused_without_telling(
    client, company_member, staff_user, mission
):
    application = _application(
        mission, company_member.membership.company, ApplicationStatus.SUBMITTED
    )
    application_decide(application=application, decision=ApplicationStatus.ACCEPTED, by=staff_user)
    client.force_login(company_member)
    url = reverse("delegations:application_confirm", args=[application.pk])

    page = client.get(url)
    response = client.post(url, follow=True)

    assert page.status_code == 302
    assert page.url == application.get_absolute_url()
    content = response.content.decode()
    assert "There is no seat to confirm for this application." in content
    assert "Accepted" not in content
    assert "not been announced" not in content
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.announced_status == ApplicationStatus.SUBMITTED
    assert application.status_changes.filter(to_status=ApplicationStatus.CONFIRMED).count() == 0


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (ApplicationStatus.WAITLISTED, "If a seat frees up, it is offered to the companies"),
        (ApplicationStatus.REJECTED, "Your application was not selected for this delegation"),
        (ApplicationStatus.RELEASED, "Your seat was not confirmed in time"),
        (ApplicationStatus.CONFIRMED, "Your seat is confirmed"),
    ],
)
def test_company_page_panel_follows_announced_status(
    client, company_member, mission, status, text
):
    application = _application(mission, company_member.membership.company, status)
    client.force_login(company_member)

    content = client.get(application.get_absolute_url()).content.decode()

    assert text in content
    delegation_url = reverse("delegations:delegation", args=[mission.pk])
    assert (delegation_url in content) is (status == ApplicationStatus.CONFIRMED)
    withdraw_url = reverse("delegations:application_withdraw", args=[application.pk])
    assert (withdraw_url in content) is (
        status in (ApplicationStatus.WAITLISTED, ApplicationStatus.CONFIRMED)
    )


def test_accepted_page_asks_to_confirm_before_the_date(client, company_member, mission):
    application = _application(
        mission,
        company_member.membership.company,
        ApplicationStatus.ACCEPTED,
        seat_confirm_by=datetime.datetime(2027, 3, 12, 17, 0, tzinfo=datetime.UTC),
    )
    client.force_login(company_member)

    content = client.get(application.get_absolute_url()).content.decode()

    assert "Your application is accepted: confirm your seat before" in content
    assert '<time datetime="2027-03-12T18:00:00+01:00">' in content
    assert "(Paris time)" in content
    assert reverse("delegations:application_confirm", args=[application.pk]) in content
    assert "may be released" not in content


def test_overdue_seat_warns_and_can_still_be_confirmed(client, company_member, mission):
    application = _application(
        mission,
        company_member.membership.company,
        ApplicationStatus.ACCEPTED,
        seat_confirm_by=timezone.now() - datetime.timedelta(hours=1),
    )
    client.force_login(company_member)
    url = reverse("delegations:application_confirm", args=[application.pk])

    detail = client.get(application.get_absolute_url()).content.decode()
    page = client.get(url)
    response = client.post(url)

    assert "the seat may be released to another company at any moment" in detail
    assert url in detail
    assert page.status_code == 200
    assert "the seat may be released to another company at any moment" in (page.content.decode())
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONFIRMED


def test_confirm_seat_flow_records_change_and_joins_delegation(
    client, company_member, staff_user, mission
):
    company = company_member.membership.company
    application = _application(mission, company, ApplicationStatus.SUBMITTED)
    application_decide(application=application, decision=ApplicationStatus.ACCEPTED, by=staff_user)
    applications_announce(mission=mission, by=staff_user)
    assert OutboundEmail.objects.filter(template_key="seat_confirmation_pending").count() == 1
    client.force_login(company_member)
    url = reverse("delegations:application_confirm", args=[application.pk])

    page = client.get(url)
    response = client.post(url)

    assert page.status_code == 200
    assert "Confirm our seat" in page.content.decode()
    assert response.status_code == 302
    assert response.url == application.get_absolute_url()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONFIRMED
    assert application.announced_status == ApplicationStatus.CONFIRMED
    change = application.status_changes.last()
    assert (change.from_status, change.to_status) == ("accepted", "confirmed")
    assert change.changed_by == company_member
    assert change.announced_at is not None
    assert OutboundEmail.objects.filter(template_key="seat_confirmation_pending").count() == 0
    delegation = client.get(reverse("delegations:delegation", args=[mission.pk]))
    assert delegation.status_code == 200
    assert [a.pk for a in delegation.context["applications"]] == [application.pk]
    assert company.name in delegation.content.decode()


def test_withdrawn_confirmed_seat_is_offered_to_first_told_waitlisted(
    client, company_member, other_company_member, mission
):
    mission.capacity = 1
    mission.save()
    own = _application(mission, company_member.membership.company, ApplicationStatus.CONFIRMED)
    protecto = other_company_member.membership.company
    other_company_member.language = "fr"
    other_company_member.save(update_fields=["language"])
    english = CompanyMemberFactory(
        email="anna@protecto.example", language="en", membership__company=protecto
    )
    CompanyMemberFactory(
        email="pending@protecto.example",
        membership__company=protecto,
        membership__status=MembershipStatus.PENDING,
    )
    waitlisted = _application(mission, protecto, ApplicationStatus.WAITLISTED, internal_score=5)
    # Better placed, but never told it is on the waiting list: not offered the seat.
    untold = ApplicationFactory(
        mission=mission,
        status=ApplicationStatus.WAITLISTED,
        announced_status=ApplicationStatus.SUBMITTED,
        internal_score=9,
    )
    client.force_login(company_member)

    response = client.post(reverse("delegations:application_withdraw", args=[own.pk]))

    assert response.status_code == 302
    own.refresh_from_db()
    waitlisted.refresh_from_db()
    untold.refresh_from_db()
    assert own.status == ApplicationStatus.WITHDRAWN
    assert waitlisted.status == ApplicationStatus.ACCEPTED
    assert waitlisted.announced_status == ApplicationStatus.ACCEPTED
    assert waitlisted.seat_confirm_by is not None
    assert untold.status == ApplicationStatus.WAITLISTED
    emails = OutboundEmail.objects.filter(template_key="application_accepted").order_by(
        "recipient"
    )
    assert [(e.recipient, e.language) for e in emails] == sorted(
        [(english.email, "en"), (other_company_member.email, "fr")]
    )
    assert [e.context["from_waitlist"] for e in emails] == [True, True]
    assert {e.related_id for e in emails} == {waitlisted.pk}


# The delegation page -----------------------------------------------------------------


def test_delegation_groups_companies_by_first_sector_in_sector_order(client, staff_user, mission):
    sea = SectorFactory(code="sea", name_fr="Mer", name_en="Sea", is_excellence=True)
    industry = SectorFactory(
        code="industry", name_fr="Industrie", name_en="Industry", is_excellence=True
    )
    food = SectorFactory(code="food", name_fr="Agroalimentaire", name_en="Food")
    companies = {}
    for name, sectors in [
        ("Zeta Marine", [sea]),
        ("Alpha Robotics", [sea, industry]),
        ("Beta Foods", [food]),
        ("Gamma Consulting", []),
        ("Delta Forge", [industry]),
        ("Omega Accepted", [industry]),
    ]:
        companies[name] = CompanyFactory(name=name)
        companies[name].sectors.set(sectors)
        if name != "Omega Accepted":
            _confirmed(mission, companies[name], delegates=1)
    _application(mission, companies["Omega Accepted"], ApplicationStatus.ACCEPTED)
    client.force_login(staff_user)

    response = client.get(reverse("delegations:delegation", args=[mission.pk]))

    groups = [
        (str(sector), [application.company.name for application in members])
        for sector, members in response.context["sectors"]
    ]
    assert groups == [
        ("Industry", ["Alpha Robotics", "Delta Forge"]),
        ("Sea", ["Zeta Marine"]),
        ("Food", ["Beta Foods"]),
        ("Other", ["Gamma Consulting"]),
    ]
    content = response.content.decode()
    headings = [content.index(f'class="h4">{name}</h3>') for name, _ in groups]
    assert headings == sorted(headings)
    assert "Also: Sea" in content
    assert "5 companies, 5 delegates" in content
    assert [a.company.name for a in response.context["awaiting"]] == ["Omega Accepted"]


@pytest.mark.parametrize("who", ["staff", "official"])
def test_delegation_shows_contacts_to_the_city(client, request, who, own_confirmed, mission):
    _login(client, request, who)

    content = client.get(reverse("delegations:delegation", args=[mission.pk])).content.decode()

    assert "Camille Durand, Export manager" in content
    assert SECRET_EMAIL in content
    assert SECRET_PHONE in content
    assert "Deputy Mayor for International Affairs" in content
    assert OFFICIAL_EMAIL in content
    assert reverse("delegations:roster", args=[mission.pk]) in content


def test_delegation_hides_contacts_from_a_confirmed_company(
    client, company_member, own_confirmed, others_accepted, mission
):
    other = _confirmed(mission, CompanyFactory(name="Cobalt"), delegates=1, email=OTHER_EMAIL)
    client.force_login(company_member)

    response = client.get(reverse("delegations:delegation", args=[mission.pk]))

    content = response.content.decode()
    assert "Camille Durand, Export manager" in content
    assert other.company.name in content
    for hidden in (SECRET_EMAIL, SECRET_PHONE, OTHER_EMAIL, OFFICIAL_EMAIL):
        assert hidden not in content
    assert "Deputy Mayor for International Affairs" in content
    # Accepted companies not confirmed yet are staff's to see.
    assert others_accepted.company.name not in content
    assert response.context["awaiting"] is None
    assert reverse("delegations:roster", args=[mission.pk]) not in content
    assert "layouts/company.html" in [t.name for t in response.templates]


def test_staff_see_accepted_companies_with_their_confirm_date(
    client, staff_user, own_confirmed, others_accepted, mission
):
    client.force_login(staff_user)

    response = client.get(reverse("delegations:delegation", args=[mission.pk]))

    content = response.content.decode()
    section = content[content.index('id="seats-awaiting"') :]
    assert others_accepted.company.name in section
    local = timezone.localtime(others_accepted.seat_confirm_by)
    assert f'<time datetime="{local.isoformat()}">' in section
    assert "layouts/staff.html" in [t.name for t in response.templates]


@pytest.mark.parametrize(
    "status",
    [
        None,
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.RELEASED,
    ],
)
def test_delegation_hidden_from_company_without_confirmed_seat(
    client, other_company_member, own_confirmed, mission, status
):
    if status is not None:
        _application(mission, other_company_member.membership.company, status)
    client.force_login(other_company_member)

    response = client.get(reverse("delegations:delegation", args=[mission.pk]))

    assert response.status_code == 404
    assert "Camille" not in response.content.decode()


def test_delegation_of_unknown_mission_is_not_found(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("delegations:delegation", args=[987654])).status_code == 404
    assert client.get(reverse("delegations:roster", args=[987654])).status_code == 404


def test_roster_lists_delegates_then_officials(client, official_user, own_confirmed, mission):
    second = _confirmed(mission, CompanyFactory(name="Cobalt"), delegates=2, phone="0491000000")
    client.force_login(official_user)

    response = client.get(reverse("delegations:roster", args=[mission.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "css/roster-print.css" in content
    assert "js/print-button.js" in content
    assert "<script>" not in content
    rows = content[content.index('id="roster-delegates"') : content.index('id="roster-officials"')]
    assert rows.count("<tr>") == 1 + 3
    assert rows.index("Cobalt") < rows.index(own_confirmed.company.name)
    for text in (SECRET_EMAIL, SECRET_PHONE, "Export manager", "French", "0491000000"):
        assert text in rows
    for contact in second.delegates.all():
        assert contact.email in rows
    officials = content[content.index('id="roster-officials"') :]
    assert OFFICIAL_EMAIL in officials
    assert "Deputy Mayor for International Affairs" in officials
    assert "layouts/official.html" in [t.name for t in response.templates]


@given(
    name=st.text(
        alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=40
    ),
    job_title=st.text(alphabet="<>&\"' aé", max_size=12),
)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_roster_rows_escape_what_people_typed_as_the_template_would(
    client, official_user, mission, name, job_title
):
    company = CompanyFactory(name=f"{name} SA")
    application = _application(mission, company, ApplicationStatus.CONFIRMED)
    application.delegates.set(
        [
            ContactFactory(
                company=company, last_name=name, job_title=job_title, phone="", language="en"
            )
        ]
    )
    contact = application.delegates.get()
    client.force_login(official_user)

    content = client.get(reverse("delegations:roster", args=[mission.pk])).content.decode()

    expected = (
        f"<tr><td>{escape(f'{name} SA')}</td>"
        f'<th scope="row">{escape(name)} {escape(contact.first_name)}</th>'
        f"<td>{escape(job_title) if job_title else '—'}</td>"
        f'<td><a href="mailto:{escape(contact.email)}">{escape(contact.email)}</a></td>'
        "<td>—</td><td>English</td></tr>"
    )
    assert expected in content
    company = application.company
    application.delete()
    company.delete()


# Who may see what --------------------------------------------------------------------

WHO = ["anonymous", "company_a", "company_b", "staff", "official"]
MATRIX = {
    # page: outcome for anonymous, company A, company B, staff, official
    ("get", "delegations:delegation"): ("login", 200, 404, 200, 200),
    ("get", "delegations:roster"): ("login", 404, 404, 200, 200),
    ("get", "delegations:application_confirm"): ("login", 302, 404, 404, 404),
    ("post", "delegations:application_confirm"): ("login", 302, 404, 404, 404),
}


@pytest.mark.parametrize(("method", "name"), list(MATRIX))
@pytest.mark.parametrize("who", WHO)
def test_permission_matrix(
    client, request, method, name, who, own_confirmed, others_accepted, mission
):
    _login(client, request, who)
    target = mission.pk if name in ("delegations:delegation", "delegations:roster") else None
    url = reverse(name, args=[target or own_confirmed.pk])

    response = getattr(client, method)(url)

    expected = MATRIX[(method, name)][WHO.index(who)]
    if expected == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected
    content = response.content.decode()
    if expected != 200 or who == "company_a":
        # Nobody outside the city reads a delegate's contacts, and whoever is refused
        # learns nothing of the delegation.
        assert SECRET_EMAIL not in content
        assert SECRET_PHONE not in content
        assert OTHER_EMAIL not in content
    if expected == 404:
        assert "Camille" not in content
    own_confirmed.refresh_from_db()
    others_accepted.refresh_from_db()
    assert own_confirmed.status == ApplicationStatus.CONFIRMED
    assert others_accepted.status == ApplicationStatus.ACCEPTED


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("method", ["get", "post"])
def test_confirm_page_of_accepted_company_is_its_own(
    client, request, who, method, own_confirmed, others_accepted
):
    _login(client, request, who)

    response = getattr(client, method)(
        reverse("delegations:application_confirm", args=[others_accepted.pk])
    )

    others_accepted.refresh_from_db()
    if who == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif who == "company_b":
        assert response.status_code == (200 if method == "get" else 302)
    else:
        assert response.status_code == 404
        assert others_accepted.company.name not in response.content.decode()
        assert "Otto" not in response.content.decode()
    confirmed = who == "company_b" and method == "post"
    assert others_accepted.status == (
        ApplicationStatus.CONFIRMED if confirmed else ApplicationStatus.ACCEPTED
    )


# Queries -----------------------------------------------------------------------------


def _delegation_of(mission, count):
    sectors = [SectorFactory(), SectorFactory(is_excellence=True)]
    for _ in range(count):
        company = CompanyFactory()
        company.sectors.set(sectors)
        _confirmed(mission, company, delegates=2)
    _application(mission, CompanyFactory(), ApplicationStatus.ACCEPTED)


@pytest.mark.parametrize("count", [1, 25])
def test_delegation_page_in_fixed_queries(
    client, staff_user, mission, django_assert_num_queries, count
):
    _delegation_of(mission, count)
    client.force_login(staff_user)

    # Session, user with its groups, mission, its officials, the companies counted, a page
    # of confirmed applications with companies, their sectors, their delegates, the
    # delegates counted, accepted applications awaiting, the workspace's counts.
    with django_assert_num_queries(11):
        response = client.get(reverse("delegations:delegation", args=[mission.pk]))

    assert len(response.context["applications"]) == count
    assert response.context["delegate_count"] == 2 * count


@pytest.mark.parametrize("count", [1, 25])
def test_delegation_page_of_a_company_in_fixed_queries(
    client, company_member, mission, django_assert_num_queries, count
):
    _delegation_of(mission, count)
    _confirmed(mission, company_member.membership.company)
    client.force_login(company_member)

    # Session, user with its groups, membership and company, mission, its officials, the company's
    # confirmed seat, the companies counted, a page of confirmed applications with
    # companies, sectors, delegates, the delegates counted.
    with django_assert_num_queries(10):
        response = client.get(reverse("delegations:delegation", args=[mission.pk]))

    assert len(response.context["applications"]) == count + 1


@pytest.mark.parametrize("count", [1, 25])
def test_roster_in_fixed_queries(client, staff_user, mission, django_assert_num_queries, count):
    _delegation_of(mission, count)
    client.force_login(staff_user)

    # Session, user with its groups, mission, its officials, the companies with a
    # confirmed seat counted, their delegates as rows.
    with django_assert_num_queries(6):
        response = client.get(reverse("delegations:roster", args=[mission.pk]))

    assert response.content.decode().count("@company.example</a>") == 2 * count


@pytest.mark.parametrize("count", [1, 25])
def test_company_home_offers_to_confirm_seats_in_fixed_queries(
    client, company_member, django_assert_num_queries, count
):
    company = company_member.membership.company
    accepted = [
        _application(
            OpenMissionFactory(),
            company,
            ApplicationStatus.ACCEPTED,
            seat_confirm_by=timezone.now() + datetime.timedelta(days=3),
        )
        for _ in range(count)
    ]
    hidden = ApplicationFactory(
        company=company,
        status=ApplicationStatus.ACCEPTED,
        announced_status=ApplicationStatus.SUBMITTED,
    )
    client.force_login(company_member)

    # As test_application_views: the seats to confirm are read from the applications.
    with django_assert_num_queries(5):
        response = client.get(reverse("home"))

    content = response.content.decode()
    assert [a.pk for a in response.context["seats_to_confirm"]] == sorted(
        (a.pk for a in accepted), reverse=True
    )
    for application in accepted:
        assert reverse("delegations:application_confirm", args=[application.pk]) in content
    assert reverse("delegations:application_confirm", args=[hidden.pk]) not in content
    assert Application.objects.filter(company=company).count() == count + 1


def test_delegation_pages_thirty_companies_at_a_time_by_sector(client, staff_user, mission):
    maritime = SectorFactory(name_fr="Maritime", name_en="Maritime")
    digital = SectorFactory(name_fr="Numérique", name_en="Digital")
    for n in range(35):
        company = CompanyFactory(name=f"Company {n:02d}")
        company.sectors.set([maritime] if n % 2 else [digital])
        _confirmed(mission, company, delegates=1)
    client.force_login(staff_user)
    url = reverse("delegations:delegation", args=[mission.pk])

    first = client.get(url)
    second = client.get(url, {"page": 2})

    names = [a.company.name for a in first.context["applications"]]
    names += [a.company.name for a in second.context["applications"]]
    maritime_names = [f"Company {n:02d}" for n in range(35) if n % 2]
    digital_names = [f"Company {n:02d}" for n in range(35) if not n % 2]
    # Sectors in the Sector ordering (by French name), companies by name in each.
    assert names == maritime_names + digital_names
    assert len(first.context["applications"]) == 30
    for response in (first, second):
        counts = response.content.decode().split('id="delegation-counts">')[1]
        assert counts.startswith("35 ")
        assert "35 " in counts.split("</dd>")[0]
    assert 'rel="next"' in first.content.decode()
    assert client.get(url, {"page": "x"}).status_code == 200


# The company cards written in Python (delegation_tags) ------------------------------------

# The cards as the template drew them before delegation_cards: the tag must write the same.
CARDS_BEFORE = Path(__file__).parent / "delegation_cards_before.html"
_typed = typed()


@st.composite
def _delegation_cards(draw):
    applications = []
    for pk in range(1, draw(st.integers(1, 3)) + 1):
        company = Company(
            pk=pk,
            name=draw(_typed),
            city=draw(_typed),
            size=draw(st.sampled_from(["", *CompanySize.values])),
            website=draw(st.one_of(st.just(""), _typed.map(lambda text: f"https://{text}"))),
        )
        application = Application(pk=pk, company=company, mission=Mission(title="Toronto"))
        application.other_sectors = [
            Sector(pk=number, code=f"s{number}", name_fr=draw(_typed), name_en=draw(_typed))
            for number in range(draw(st.integers(0, 2)))
        ]
        application._prefetched_objects_cache = {
            "delegates": [
                Contact(
                    pk=number,
                    first_name=draw(_typed),
                    last_name=draw(_typed),
                    job_title=draw(_typed),
                    email=draw(_typed),
                    phone=draw(_typed),
                )
                for number in range(draw(st.integers(0, 2)))
            ]
        }
        applications.append(application)
    return applications


@given(
    applications=_delegation_cards(),
    show_contacts=st.booleans(),
    language=st.sampled_from(["fr", "en"]),
)
@settings(max_examples=60, deadline=None)
def test_delegation_cards_write_what_the_template_wrote(applications, show_contacts, language):
    with translation.override(language):
        expected = render_before(
            CARDS_BEFORE, {"members": applications, "show_contacts": show_contacts}
        )
        written = delegation_cards(applications, show_contacts)

    assert tags_apart(written) == tags_apart(expected)
