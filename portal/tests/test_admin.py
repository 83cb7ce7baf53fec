"""The admin: every model's pages answer a superuser, and nobody else gets in."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import OfficialFactory, StaffFactory, UserFactory
from companies.models import CompanyMembership
from companies.tests.factories import CompanyFactory, CompanyMemberFactory, ContactFactory
from delegations.enums import ApplicationStatus
from delegations.models import ApplicationStatusChange
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus, MeetingStatus
from meetings.models import MeetingChange, MeetingRequestStatusChange, Unavailability
from meetings.tests.factories import (
    CounterpartFactory,
    MeetingFactory,
    MeetingGridFactory,
    MeetingRequestFactory,
    MeetingSlotFactory,
)
from missions.enums import MissionStatus
from missions.models import Mission, MissionStatusChange
from missions.tests.factories import (
    MissionFactory,
    OpenMissionFactory,
    ProgrammeItemFactory,
    SectorFactory,
)
from notifications.models import EmailStatus, OutboundEmail
from reports.enums import ReportStatus
from reports.models import ReportStatusChange
from reports.tests.factories import MissionReportFactory


@pytest.fixture
def catalogue(db):
    """One object of every model, each findable by a search and a filter of its own."""
    staff = StaffFactory()
    official = OfficialFactory()
    sector = SectorFactory(
        code="cleantech",
        name_fr="Technologies propres",
        name_en="Clean tech",
        is_excellence=True,
    )
    mission = OpenMissionFactory(title="Toronto et Montréal", slug="toronto-montreal")
    mission.sectors.add(sector)
    mission.officials.add(official)
    mission_change = MissionStatusChange.objects.create(
        mission=mission,
        from_status=MissionStatus.DRAFT,
        to_status=MissionStatus.OPEN,
        changed_by=staff,
    )
    programme_item = ProgrammeItemFactory(
        mission=mission, kind="institutional", title="Réception au consulat"
    )
    report = MissionReportFactory(mission=mission)
    report_change = ReportStatusChange.objects.create(
        report=report,
        from_status=ReportStatus.DRAFT,
        to_status=ReportStatus.SUBMITTED,
        comment="Ready for review.",
        changed_by=staff,
    )
    company = CompanyFactory(name="Transpare")
    company.sectors.add(sector)
    member = CompanyMemberFactory(membership__company=company, language="en")
    contact = ContactFactory(company=company, last_name="Durand")
    application = ApplicationFactory(
        mission=mission, company=company, status=ApplicationStatus.CONFIRMED
    )
    application.delegates.add(contact)
    application_change = ApplicationStatusChange.objects.create(
        application=application,
        from_status=ApplicationStatus.SUBMITTED,
        to_status=ApplicationStatus.ACCEPTED,
        changed_by=staff,
    )
    counterpart = CounterpartFactory(mission=mission, organisation="Maple Ventures")
    counterpart.sectors.add(sector)
    meeting_request = MeetingRequestFactory(
        application=application,
        counterpart=counterpart,
        status=MeetingRequestStatus.SCHEDULED,
    )
    grid = MeetingGridFactory(mission=mission)
    slot, other_slot = MeetingSlotFactory.create_batch(2, grid=grid)
    unavailability = Unavailability.objects.create(slot=other_slot, counterpart=counterpart)
    meeting_request_change = MeetingRequestStatusChange.objects.create(
        request=meeting_request,
        from_status=MeetingRequestStatus.REQUESTED,
        to_status=MeetingRequestStatus.QUALIFIED,
        changed_by=staff,
    )
    meeting = MeetingFactory(request=meeting_request, slot=slot)
    meeting_change = MeetingChange.objects.create(
        meeting=meeting,
        action=MeetingChange.Action.PLACED,
        to_status=MeetingStatus.SCHEDULED,
        detail="09:30 Toronto time, table 1",
        changed_by=staff,
    )
    email = OutboundEmail.objects.create(
        recipient="jane@toronto.example",
        recipient_name="Jane Doe",
        language="en",
        template_key="meeting_invitation",
        context={"meeting": meeting.pk},
        topic=mission,
        idempotency_key=f"invitation:meeting:{meeting.pk}",
    )
    return {
        "user": member,
        "sector": sector,
        "mission": mission,
        "missionstatuschange": mission_change,
        "programmeitem": programme_item,
        "missionreport": report,
        "reportstatuschange": report_change,
        "company": company,
        "companymembership": CompanyMembership.objects.get(user=member),
        "contact": contact,
        "application": application,
        "applicationstatuschange": application_change,
        "counterpart": counterpart,
        "meetingrequest": meeting_request,
        "meetingrequeststatuschange": meeting_request_change,
        "meetinggrid": grid,
        "meetingslot": slot,
        "unavailability": unavailability,
        "meeting": meeting,
        "meetingchange": meeting_change,
        "outboundemail": email,
    }


# model, a search, how many rows it finds, a filter (None if the changelist
# has none) and how many rows that filter keeps.
PAGES = [
    ("accounts.user", "company.example", 1, "language__exact=en", 1),
    ("missions.sector", "cleantech", 1, "is_excellence__exact=1", 1),
    ("missions.mission", "Montréal", 1, "status__exact=open", 1),
    ("missions.missionstatuschange", "Toronto", 1, "to_status__exact=open", 1),
    ("missions.programmeitem", "consulat", 1, "kind__exact=institutional", 1),
    ("reports.missionreport", "Toronto", 1, "status__exact=draft", 1),
    ("reports.reportstatuschange", "Toronto", 1, "to_status__exact=submitted", 1),
    ("companies.company", "Transpare", 1, "verified__exact=1", 1),
    ("companies.companymembership", "Transpare", 1, "status__exact=active", 1),
    ("companies.contact", "Durand", 1, "language__exact=fr", 1),
    ("delegations.application", "Transpare", 1, "status__exact=confirmed", 1),
    ("delegations.applicationstatuschange", "Transpare", 1, "to_status__exact=accepted", 1),
    ("meetings.counterpart", "Maple", 1, "kind__exact=investor", 1),
    ("meetings.meetingrequest", "Maple", 1, "status__exact=scheduled", 1),
    ("meetings.meetingrequeststatuschange", "Maple", 1, "to_status__exact=qualified", 1),
    ("meetings.meetinggrid", "Toronto", 1, None, None),
    ("meetings.meetingslot", "Toronto", 2, "grid__mission__id__exact={mission}", 2),
    ("meetings.unavailability", "Maple", 1, "slot__grid__mission__id__exact={mission}", 1),
    ("meetings.meeting", "Maple", 1, "status__exact=scheduled", 1),
    ("meetings.meetingchange", "Maple", 1, "action__exact=placed", 1),
    ("notifications.outboundemail", "toronto.example", 1, "status__exact=queued", 1),
]
# Written by the services only: the admin shows them but offers no add page.
NO_ADD = {
    "missions.missionstatuschange",
    "reports.reportstatuschange",
    "delegations.applicationstatuschange",
    "meetings.meetingrequeststatuschange",
    "meetings.meetingchange",
    "notifications.outboundemail",
}


def admin_url(label: str, view: str, *args) -> str:
    app_label, model_name = label.split(".")
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=args)


def test_admin_pages_cover_every_registered_model():
    registered = {
        model._meta.label_lower
        for model in admin.site._registry
        if model._meta.app_label not in {"auth", "axes"}
    }

    assert registered == {label for label, *_ in PAGES}


@pytest.mark.parametrize(("label", "search", "found", "query", "kept"), PAGES)
def test_admin_changelist_answers_superuser(
    admin_client, catalogue, label, search, found, query, kept
):
    url = admin_url(label, "changelist")

    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "x"}).status_code == 200
    searched = admin_client.get(url, {"q": search})
    assert searched.status_code == 200
    assert searched.context["cl"].result_count == found
    if query is not None:
        filtered = admin_client.get(f"{url}?{query.format(mission=catalogue['mission'].pk)}")
        assert filtered.status_code == 200
        assert filtered.context["cl"].result_count == kept


@pytest.mark.parametrize("label", [label for label, *_ in PAGES])
def test_admin_change_page_answers_superuser(admin_client, catalogue, label):
    obj = catalogue[label.split(".")[1]]

    response = admin_client.get(admin_url(label, "change", obj.pk))

    assert response.status_code == 200
    assert response.context["original"] == obj


@pytest.mark.parametrize("label", [label for label, *_ in PAGES])
def test_admin_add_page_answers_superuser_unless_log(admin_client, label):
    response = admin_client.get(admin_url(label, "add"))

    assert response.status_code == (403 if label in NO_ADD else 200)


@pytest.mark.parametrize("label", sorted(NO_ADD - {"notifications.outboundemail"}))
def test_admin_status_change_log_is_read_only(admin_client, catalogue, label):
    obj = catalogue[label.split(".")[1]]
    recorded = obj.to_status
    url = admin_url(label, "change", obj.pk)

    response = admin_client.get(url)
    posted = admin_client.post(url, {"to_status": "draft"})

    assert response.context["has_change_permission"] is False
    assert posted.status_code == 403
    obj.refresh_from_db()
    assert obj.to_status == recorded


def test_admin_mission_page_shows_status_history_read_only(admin_client, catalogue):
    mission = catalogue["mission"]

    response = admin_client.get(admin_url("missions.mission", "change", mission.pk))

    formsets = {
        inline.formset.prefix: inline for inline in response.context["inline_admin_formsets"]
    }
    history = formsets["status_changes"]
    assert history.has_add_permission is False
    assert history.has_change_permission is False
    assert history.has_delete_permission is False
    assert len(history.formset.forms) == 1
    assert len(formsets["programme"].formset.forms) == 1


def test_admin_outbound_email_keeps_key_and_context_read_only(admin_client, catalogue):
    email = catalogue["outboundemail"]

    response = admin_client.get(admin_url("notifications.outboundemail", "change", email.pk))

    form_fields = set(response.context["adminform"].form.fields)
    assert "idempotency_key" not in form_fields
    assert "context" not in form_fields
    assert {"status", "attempts", "scheduled_at"} <= form_fields


def test_admin_mission_form_offers_officials_only(admin_client, catalogue, staff_user):
    mission = catalogue["mission"]

    response = admin_client.get(admin_url("missions.mission", "change", mission.pk))

    officials = response.context["adminform"].form.fields["officials"].queryset
    assert list(officials) == list(mission.officials.all())


def test_admin_application_form_offers_own_contacts_as_delegates(admin_client, catalogue):
    application = catalogue["application"]
    ContactFactory(last_name="Autre")  # of another company

    response = admin_client.get(admin_url("delegations.application", "change", application.pk))

    delegates = response.context["adminform"].form.fields["delegates"].queryset
    assert list(delegates) == [catalogue["contact"]]


def test_admin_meeting_form_refuses_participants_other_than_the_request(admin_client, catalogue):
    meeting = catalogue["meeting"]
    other = ApplicationFactory(mission=catalogue["mission"])
    url = admin_url("meetings.meeting", "change", meeting.pk)

    response = admin_client.post(
        url,
        {
            "request": meeting.request_id,
            "application": other.pk,
            "counterpart": meeting.counterpart_id,
            "slot": meeting.slot_id,
            "table": 1,
            "status": meeting.status,
        },
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["application"]
    meeting.refresh_from_db()
    assert meeting.application_id == catalogue["application"].pk


def test_admin_superuser_adds_mission_with_programme(admin_client, catalogue):
    official = catalogue["mission"].officials.get()
    sector = catalogue["sector"]

    response = admin_client.post(
        admin_url("missions.mission", "add"),
        {
            "title": "Tokyo, Kobe et Kyoto",
            "slug": "tokyo-kobe-kyoto",
            "status": MissionStatus.DRAFT,
            "country": "JP",
            "cities": "Tokyo, Kobe, Kyoto",
            "timezone": "Asia/Tokyo",
            "start_date": "2027-04-12",
            "end_date": "2027-04-17",
            "sectors": [sector.pk],
            "capacity": 10,
            "officials": [official.pk],
            "programme-TOTAL_FORMS": 1,
            "programme-INITIAL_FORMS": 0,
            "programme-0-kind": "institutional",
            "programme-0-title": "Welcome at the consulate",
            "programme-0-starts_at_0": "2027-04-12",
            "programme-0-starts_at_1": "10:00",
            "programme-0-ends_at_0": "2027-04-12",
            "programme-0-ends_at_1": "12:00",
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    mission = Mission.objects.get(slug="tokyo-kobe-kyoto")
    assert list(mission.sectors.all()) == [sector]
    assert list(mission.officials.all()) == [official]
    assert list(mission.programme.values_list("title", flat=True)) == ["Welcome at the consulate"]


def test_admin_mission_form_refuses_non_official(admin_client, catalogue, staff_user):
    response = admin_client.post(
        admin_url("missions.mission", "add"),
        {
            "title": "Austin",
            "slug": "austin",
            "status": MissionStatus.DRAFT,
            "country": "US",
            "cities": "Austin",
            "timezone": "America/Chicago",
            "capacity": 10,
            "officials": [staff_user.pk],
            "programme-TOTAL_FORMS": 0,
            "programme-INITIAL_FORMS": 0,
            "status_changes-TOTAL_FORMS": 0,
            "status_changes-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["officials"]
    assert not Mission.objects.filter(slug="austin").exists()


AUTOCOMPLETES = sorted(
    (model._meta.app_label, model._meta.model_name, field)
    for model, model_admin in admin.site._registry.items()
    for field in model_admin.autocomplete_fields
)


@pytest.mark.parametrize(("app_label", "model_name", "field"), AUTOCOMPLETES)
def test_admin_autocomplete_answers_superuser(
    admin_client, catalogue, app_label, model_name, field
):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field, "term": "a"},
    )

    assert response.status_code == 200


def test_admin_password_page_answers_superuser(admin_client, catalogue):
    user = catalogue["user"]

    response = admin_client.get(reverse("admin:auth_user_password_change", args=[user.pk]))

    assert response.status_code == 200


def test_admin_superuser_adds_user_by_email(admin_client):
    response = admin_client.post(
        admin_url("accounts.user", "add"),
        {
            "email": "new.official@marseille.example",
            "first_name": "Anne",
            "last_name": "Leclerc",
            "language": "fr",
            "password1": "Vieux-Port-2026-soleil",
            "password2": "Vieux-Port-2026-soleil",
        },
    )

    assert response.status_code == 302
    user = UserFactory._meta.model.objects.get(email="new.official@marseille.example")
    assert user.check_password("Vieux-Port-2026-soleil")
    assert user.is_staff is False


@pytest.mark.parametrize(
    "url",
    ["/admin/", "/admin/missions/mission/", "/admin/delegations/application/"],
)
def test_admin_refuses_company_member(client, company_member, url):
    client.force_login(company_member)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('admin:login')}?next={url}"


def test_admin_refuses_anonymous(client, db):
    response = client.get("/admin/delegations/application/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# Each maker adds one more row to a changelist, with related objects of its own,
# so that a missing select_related shows as one more query per row.
def _mission():
    mission = MissionFactory()
    mission.sectors.add(SectorFactory())
    mission.officials.add(OfficialFactory())


def _mission_status_change():
    MissionStatusChange.objects.create(
        mission=MissionFactory(), to_status=MissionStatus.DRAFT, changed_by=StaffFactory()
    )


def _report():
    MissionReportFactory(reviewed_by=OfficialFactory())


def _report_status_change():
    ReportStatusChange.objects.create(
        report=MissionReportFactory(),
        from_status=ReportStatus.DRAFT,
        to_status=ReportStatus.SUBMITTED,
        changed_by=StaffFactory(),
    )


def _company():
    member = CompanyMemberFactory()
    member.membership.company.sectors.add(SectorFactory())


def _application():
    application = ApplicationFactory()
    application.delegates.add(ContactFactory(company=application.company))


def _application_status_change():
    ApplicationStatusChange.objects.create(
        application=ApplicationFactory(),
        from_status=ApplicationStatus.DRAFT,
        to_status=ApplicationStatus.SUBMITTED,
        changed_by=StaffFactory(),
    )


def _meeting_request_status_change():
    MeetingRequestStatusChange.objects.create(
        request=MeetingRequestFactory(),
        from_status=MeetingRequestStatus.REQUESTED,
        to_status=MeetingRequestStatus.QUALIFIED,
        changed_by=StaffFactory(),
    )


def _meeting_change():
    MeetingChange.objects.create(
        meeting=MeetingFactory(),
        action=MeetingChange.Action.LOCKED,
        from_status=MeetingStatus.SCHEDULED,
        to_status=MeetingStatus.SCHEDULED,
        changed_by=StaffFactory(),
    )


def _unavailability():
    Unavailability.objects.create(slot=MeetingSlotFactory(), application=ApplicationFactory())


def _email():
    OutboundEmail.objects.create(
        recipient="someone@example.org",
        template_key="reminder",
        topic=MissionFactory(),
        status=EmailStatus.SENT,
        sent_at=timezone.now(),
        scheduled_at=timezone.now() - datetime.timedelta(hours=1),
        idempotency_key=f"reminder:{OutboundEmail.objects.count()}",
    )


MAKERS = {
    "accounts.user": CompanyMemberFactory,
    "missions.sector": SectorFactory,
    "missions.mission": _mission,
    "missions.missionstatuschange": _mission_status_change,
    "missions.programmeitem": ProgrammeItemFactory,
    "reports.missionreport": _report,
    "reports.reportstatuschange": _report_status_change,
    "companies.company": _company,
    "companies.companymembership": CompanyMemberFactory,
    "companies.contact": ContactFactory,
    "delegations.application": _application,
    "delegations.applicationstatuschange": _application_status_change,
    "meetings.counterpart": CounterpartFactory,
    "meetings.meetingrequest": MeetingRequestFactory,
    "meetings.meetingrequeststatuschange": _meeting_request_status_change,
    "meetings.meetinggrid": MeetingSlotFactory,
    "meetings.meetingslot": MeetingSlotFactory,
    "meetings.unavailability": _unavailability,
    "meetings.meeting": MeetingFactory,
    "meetings.meetingchange": _meeting_change,
    "notifications.outboundemail": _email,
}


def test_admin_query_count_tests_cover_every_page():
    assert set(MAKERS) == {label for label, *_ in PAGES}


def _changelist_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("label", list(MAKERS))
def test_admin_changelist_query_count_same_for_one_and_six_rows(admin_client, label):
    url = admin_url(label, "changelist")
    MAKERS[label]()
    one = _changelist_queries(admin_client, url)
    for _ in range(5):
        MAKERS[label]()

    six = _changelist_queries(admin_client, url)

    assert six == one
