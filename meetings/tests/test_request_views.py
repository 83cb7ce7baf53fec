"""Counterparts and meeting requests, the pages: staff's lists, forms and import, the
qualify and decline pages, a confirmed company's own page; who may see and do what,
with data that would leak if a check were missing; the query counts."""

import random

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus, MeetingStatus
from meetings.models import Counterpart, MeetingRequest
from meetings.tests.factories import CounterpartFactory, MeetingFactory, MeetingRequestFactory
from missions.tests.factories import OpenMissionFactory, SectorFactory

pytestmark = pytest.mark.django_db

LEAK = "PROTECTO-SECRET-RATIONALE"
EMAIL = "secret.contact@maple.example"
NOTE = "STAFF-ONLY-QUALIFICATION-NOTE"
CONFIRMED = ApplicationStatus.CONFIRMED
REQUESTED = MeetingRequestStatus.REQUESTED
QUALIFIED = MeetingRequestStatus.QUALIFIED
DECLINED = MeetingRequestStatus.DECLINED


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def mission():
    return OpenMissionFactory(title="Canada 2027")


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def world(mission, company_member, other_company_member):
    """Company A (Transpare) and company B (Protecto), both confirmed; a counterpart
    whose contact email must stay staff's; a request of each company, B's with a
    rationale only B and staff may read, A's qualified with a staff-only note."""
    a = ApplicationFactory(
        mission=mission, company=company_member.membership.company, status=CONFIRMED
    )
    b = ApplicationFactory(
        mission=mission, company=other_company_member.membership.company, status=CONFIRMED
    )
    maple = CounterpartFactory(
        mission=mission,
        organisation="Maple Ventures",
        contact_name="Jane Secretcontact",
        email=EMAIL,
        description="Seed funds for clean tech.",
    )
    lake = CounterpartFactory(mission=mission, organisation="Lake Buyers", kind="buyer")
    # Nobody has asked to meet it yet.
    pine = CounterpartFactory(mission=mission, organisation="Pine Distribution")
    a_request = MeetingRequestFactory(
        application=a,
        counterpart=maple,
        rationale="Transpare wants seed money.",
        status=QUALIFIED,
        purpose="Present the solar films",
        qualification_note=NOTE,
    )
    b_request = MeetingRequestFactory(application=b, counterpart=maple, rationale=LEAK)
    a_pending = MeetingRequestFactory(application=a, counterpart=lake, priority=1)
    return {
        "a": a,
        "b": b,
        "maple": maple,
        "lake": lake,
        "pine": pine,
        "a_request": a_request,
        "b_request": b_request,
        "a_pending": a_pending,
    }


# The permission matrix -----------------------------------------------------------------


def _url(name, world, mission) -> str:
    by = {
        "counterparts": mission.pk,
        "counterpart_add": mission.pk,
        "counterparts_import": mission.pk,
        "requests": mission.pk,
        "request_add": mission.pk,
        "counterpart_edit": world["maple"].pk,
        "counterpart_history": world["maple"].pk,
        "request_qualify": world["b_request"].pk,
        "request_decline": world["b_request"].pk,
        "company_requests": world["a"].pk,
        "company_request_delete": world["a_pending"].pk,
    }
    return reverse(f"meetings:{name}", args=[by[name]])


def _data(world) -> dict:
    """What each page's form would take: everything changes something if let through."""
    return {
        "organisation": "Changed Org",
        "kind": "buyer",
        "contact_name": "Someone",
        "email": "someone@changed.example",
        "language": "en",
        "application": world["b"].pk,
        "counterpart": world["pine"].pk,
        "priority": "3",
        "rationale": "Let through",
        "purpose": "Let through",
        "reason": "Let through",
        "file": SimpleUploadedFile(
            "c.csv", b"organisation;kind;contact_name;email\nNew;buyer;X;x@new.example\n"
        ),
    }


STAFF_PAGES = ["counterparts", "counterpart_history", "requests"]
STAFF_FORMS = [
    "counterpart_add",
    "counterpart_edit",
    "counterparts_import",
    "request_add",
    "request_qualify",
    "request_decline",
]
COMPANY_PAGES = ["company_requests", "company_request_delete"]
EVERY = [
    (name, method)
    for name in STAFF_PAGES + STAFF_FORMS + COMPANY_PAGES
    for method in ("get", "post")
]
USERS = {
    "company_a": "company_member",
    "company_b": "other_company_member",
    "staff": "staff_user",
    "official": "official_user",
}


def _expected(name, method, who) -> int:
    """The status each role gets: staff's pages are staff's, the two lists and a
    counterpart's history readable by officials; the company's pages are company A's
    only; anything else is a 404."""
    if name == "company_request_delete" and method == "get":
        return 405
    if name in COMPANY_PAGES:
        return {"company_a": 302 if method == "post" else 200}.get(who, 404)
    if name == "requests" and method == "post":
        # The list's bulk form: staff's (here without an action: the form in error),
        # refused to officials, who read the list.
        return {"staff": 200, "official": 403}.get(who, 404)
    if name in STAFF_PAGES:
        if who in ("staff", "official"):
            return 200 if method == "get" else 405
        return 404
    if who == "staff":
        return 200 if method == "get" else 302
    return 404


def _state(world) -> tuple:
    rows = MeetingRequest.objects.order_by("pk").values_list(
        "pk", "status", "purpose", "decline_reason", "rationale"
    )
    counterparts = Counterpart.objects.order_by("pk").values_list("organisation", "email")
    return list(rows), list(counterparts)


@pytest.mark.parametrize(("name", "method"), EVERY)
@pytest.mark.parametrize("who", ["anonymous", "company_a", "company_b", "official"])
def test_pages_and_actions_refuse_whoever_may_not(
    client, request, mission, world, name, method, who
):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(USERS[who]))
    before = _state(world)

    response = getattr(client, method)(_url(name, world, mission), _data(world))

    expected = _expected(name, method, who)
    if who == "anonymous" and expected != 405:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected
    content = response.content.decode()
    if who in ("company_a", "company_b"):
        assert EMAIL not in content
        assert NOTE not in content
        assert "Secretcontact" not in content
    if who != "company_b":
        assert LEAK not in content or (who == "official" and name == "requests")
    if who == "company_b":
        assert "Transpare wants seed money." not in content
    if expected != 302:
        assert _state(world) == before


@pytest.mark.parametrize(("name", "method"), EVERY)
def test_pages_and_actions_serve_staff_and_hide_company_pages(
    client, staff_user, mission, world, name, method
):
    client.force_login(staff_user)

    response = getattr(client, method)(_url(name, world, mission), _data(world))

    assert response.status_code == _expected(name, method, "staff")


def test_official_reads_the_lists_without_any_form_or_button(
    client, official_user, mission, world
):
    client.force_login(official_user)

    counterparts = client.get(reverse("meetings:counterparts", args=[mission.pk]))
    requests = client.get(reverse("meetings:requests", args=[mission.pk]))

    for response in (counterparts, requests):
        content = response.content.decode()
        assert response.status_code == 200
        assert 'method="post" novalidate' not in content
        for name in ("counterpart_add", "counterparts_import", "request_add"):
            assert reverse(f"meetings:{name}", args=[mission.pk]) not in content
        assert reverse("meetings:counterpart_edit", args=[world["maple"].pk]) not in content
        assert reverse("meetings:request_qualify", args=[world["b_request"].pk]) not in content
        assert reverse("meetings:request_decline", args=[world["b_request"].pk]) not in content
        assert 'class="area-official"' in content
    assert NOTE not in requests.content.decode()
    assert EMAIL in counterparts.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "counterparts",
        "counterpart_add",
        "counterparts_import",
        "requests",
        "request_add",
        "counterpart_edit",
        "counterpart_history",
        "request_qualify",
        "request_decline",
        "company_requests",
    ],
)
def test_unknown_mission_or_object_is_not_found(client, staff_user, company_member, name):
    client.force_login(company_member if name == "company_requests" else staff_user)

    response = client.get(reverse(f"meetings:{name}", args=[999999]))

    assert response.status_code == 404


def test_unknown_request_to_delete_is_not_found(client, company_member):
    client.force_login(company_member)

    response = client.post(reverse("meetings:company_request_delete", args=[999999]))

    assert response.status_code == 404


def test_inactive_member_does_not_see_the_company_page(client, world):
    member = world["a"].company.memberships.get()
    member.status = "pending"
    member.save()
    client.force_login(member.user)

    response = client.get(reverse("meetings:company_requests", args=[world["a"].pk]))

    assert response.status_code == 404


# Counterparts --------------------------------------------------------------------------


def _names(response) -> list[str]:
    return [c.organisation for c in response.context["counterparts"]]


def test_counterparts_list_searches_and_filters(client, staff_user, mission):
    solar = SectorFactory(code="solar")
    maple = CounterpartFactory(
        mission=mission, organisation="Maple Ventures", city="Toronto", contact_name="Jane"
    )
    maple.sectors.set([solar])
    CounterpartFactory(
        mission=mission,
        organisation="Lake Buyers",
        kind="buyer",
        city="Montréal",
        contact_name="Paul Roy",
    )
    CounterpartFactory(organisation="Elsewhere Inc")
    client.force_login(staff_user)
    url = reverse("meetings:counterparts", args=[mission.pk])

    assert _names(client.get(url)) == ["Lake Buyers", "Maple Ventures"]
    assert _names(client.get(url, {"search": "maple"})) == ["Maple Ventures"]
    assert _names(client.get(url, {"search": "montr"})) == ["Lake Buyers"]
    assert _names(client.get(url, {"search": "roy"})) == ["Lake Buyers"]
    assert _names(client.get(url, {"kind": "buyer"})) == ["Lake Buyers"]
    assert _names(client.get(url, {"sector": solar.pk})) == ["Maple Ventures"]
    empty = client.get(url, {"search": "nothing"})
    assert "No counterpart matches these filters." in empty.content.decode()


def test_counterpart_add_creates_it(client, staff_user, mission):
    solar = SectorFactory(code="solar")
    client.force_login(staff_user)

    response = client.post(
        reverse("meetings:counterpart_add", args=[mission.pk]),
        {
            "organisation": "Maple Ventures",
            "kind": "investor",
            "sectors": [solar.pk],
            "city": "Toronto",
            "contact_name": "Jane Doe",
            "email": "jane@maple.ca",
            "language": "fr",
            "description": "Seed funds",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("meetings:counterparts", args=[mission.pk])
    assert _messages(response) == ["Maple Ventures is added to the counterparts."]
    counterpart = Counterpart.objects.get()
    assert (counterpart.mission, counterpart.language, list(counterpart.sectors.all())) == (
        mission,
        "fr",
        [solar],
    )


def test_counterpart_add_shows_a_duplicate_by_the_email_and_keeps_the_input(
    client, staff_user, mission
):
    CounterpartFactory(mission=mission, organisation="Maple Ventures", email="jane@maple.ca")
    client.force_login(staff_user)

    response = client.post(
        reverse("meetings:counterpart_add", args=[mission.pk]),
        {
            "organisation": "maple ventures",
            "kind": "investor",
            "contact_name": "Typed Name",
            "email": "JANE@maple.ca",
            "language": "en",
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "email": [
            "maple ventures is already registered with this email address for this "
            "mission: edit that counterpart instead."
        ]
    }
    content = response.content.decode()
    assert 'value="Typed Name"' in content
    assert 'id="error_1_id_email"' in content
    assert Counterpart.objects.count() == 1


def test_counterpart_add_shows_required_fields_by_their_field(client, staff_user, mission):
    client.force_login(staff_user)

    response = client.post(
        reverse("meetings:counterpart_add", args=[mission.pk]),
        {"organisation": "Maple", "language": "en"},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kind", "contact_name", "email"}
    assert 'value="Maple"' in response.content.decode()


def test_counterpart_edit_shows_and_saves_it(client, staff_user, mission):
    maple = CounterpartFactory(mission=mission, organisation="Maple Ventures", city="Toronto")
    client.force_login(staff_user)
    url = reverse("meetings:counterpart_edit", args=[maple.pk])

    assert 'value="Maple Ventures"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "organisation": "Maple Ventures",
            "kind": "partner",
            "city": "Ottawa",
            "contact_name": "Jane",
            "email": maple.email,
            "language": "en",
        },
    )

    assert response.status_code == 302
    maple.refresh_from_db()
    assert (maple.kind, maple.city) == ("partner", "Ottawa")


def _upload(text: str, encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("counterparts.csv", text.encode(encoding), "text/csv")


def test_import_page_documents_the_format(client, staff_user, mission):
    client.force_login(staff_user)

    content = client.get(
        reverse("meetings:counterparts_import", args=[mission.pk])
    ).content.decode()

    assert "organisation;kind;sectors;city;contact_name;email;language;description" in content
    assert "<code>startup</code>" in content


def test_import_reports_every_wrong_line_and_imports_nothing(client, staff_user, mission):
    client.force_login(staff_user)

    response = client.post(
        reverse("meetings:counterparts_import", args=[mission.pk]),
        {
            "file": _upload(
                "organisation;kind;contact_name;email\n"
                "Maple;investor;Jane;jane@maple.ca\n"
                "Lake;bank;Paul;paul@lake.ca\n"
                "Pine;buyer;;pine@\n"
            )
        },
    )

    assert response.status_code == 200
    errors = [(e.line, e.column) for e in response.context["errors"]]
    assert errors == [(3, "kind"), (4, "contact_name"), (4, "email")]
    content = response.content.decode()
    assert "Nothing was imported: 3 errors in the file." in content
    assert "“pine@” is not a valid email address." in content
    assert Counterpart.objects.count() == 0


def test_import_creates_the_counterparts(client, staff_user, mission):
    CounterpartFactory(mission=mission, organisation="Maple", email="jane@maple.ca")
    client.force_login(staff_user)

    response = client.post(
        reverse("meetings:counterparts_import", args=[mission.pk]),
        {
            "file": _upload(
                "\ufefforganisation;kind;contact_name;email;city\n"
                "Maple;investor;Jane;JANE@maple.ca;Ottawa\n"
                "Lake;buyer;Paul;paul@lake.ca;Montréal\n"
            )
        },
    )

    assert response.status_code == 302
    assert _messages(response) == ["Imported: 1 counterparts created, 1 updated."]
    assert sorted(Counterpart.objects.values_list("organisation", "city")) == [
        ("Lake", "Montréal"),
        ("Maple", "Ottawa"),
    ]


NOT_CSV = [
    random.Random(7).randbytes(200 * 1024),
    b"organisation;kind;contact_name;email\nMaple;investor;Ja\x00ne;jane@maple.ca\n",
    b"organisation;kind;contact_name;email\nMaple;investor;Jane;jane@maple.ca;" + b"x" * 131_073,
]


@pytest.mark.parametrize("raw", NOT_CSV, ids=["random-bytes", "nul", "huge-cell"])
def test_import_of_a_file_that_is_not_csv_text_says_so_and_imports_nothing(
    client, staff_user, mission, raw
):
    client.force_login(staff_user)

    response = client.post(
        reverse("meetings:counterparts_import", args=[mission.pk]),
        {"file": SimpleUploadedFile("counterparts.csv", raw, "text/csv")},
    )

    assert response.status_code == 200
    assert len(response.context["form"].errors["file"]) == 1
    assert Counterpart.objects.count() == 0


# Meeting requests, staff ---------------------------------------------------------------


def _request_names(response) -> list[tuple[str, str]]:
    return [
        (r.application.company.name, r.counterpart.organisation)
        for r in response.context["meeting_requests"]
    ]


def test_requests_list_filters(client, staff_user, mission, world):
    client.force_login(staff_user)
    url = reverse("meetings:requests", args=[mission.pk])

    # Those to handle first, then by priority.
    assert _request_names(client.get(url)) == [
        ("Protecto", "Maple Ventures"),
        ("Transpare", "Lake Buyers"),
        ("Transpare", "Maple Ventures"),
    ]
    assert _request_names(client.get(url, {"status": "qualified"})) == [
        ("Transpare", "Maple Ventures")
    ]
    assert _request_names(client.get(url, {"application": world["b"].pk})) == [
        ("Protecto", "Maple Ventures")
    ]
    assert _request_names(client.get(url, {"counterpart": world["lake"].pk})) == [
        ("Transpare", "Lake Buyers")
    ]
    assert _request_names(client.get(url, {"priority": "1"})) == [("Transpare", "Lake Buyers")]
    assert _request_names(client.get(url, {"origin": "staff"})) == []
    response = client.get(url)
    content = response.content.decode()
    assert [c for c in response.context["status_counts"] if c[2]] == [
        ("requested", "requested", 2),
        ("qualified", "qualified", 1),
    ]
    assert NOTE in content and LEAK in content
    # Qualify only what is requested; decline what is not in the grid.
    assert reverse("meetings:request_qualify", args=[world["b_request"].pk]) in content
    assert reverse("meetings:request_qualify", args=[world["a_request"].pk]) not in content
    assert reverse("meetings:request_decline", args=[world["a_request"].pk]) in content


def test_requests_list_offers_no_decline_for_a_request_in_the_grid(client, staff_user, mission):
    meeting = MeetingFactory(
        request__application__mission=mission, request__status=MeetingRequestStatus.SCHEDULED
    )
    client.force_login(staff_user)

    content = client.get(reverse("meetings:requests", args=[mission.pk])).content.decode()

    assert reverse("meetings:request_decline", args=[meeting.request.pk]) not in content
    assert "In the grid" in content


def test_request_add_offers_confirmed_companies_only(client, staff_user, mission, world):
    accepted = ApplicationFactory(mission=mission, status=ApplicationStatus.ACCEPTED)
    client.force_login(staff_user)

    response = client.get(reverse("meetings:request_add", args=[mission.pk]))

    offered = list(response.context["form"].fields["application"].queryset)
    assert offered == [world["b"], world["a"]]  # Protecto, Transpare
    assert accepted not in offered


def test_request_add_creates_a_staff_request(client, staff_user, mission, world):
    client.force_login(staff_user)

    response = client.post(
        reverse("meetings:request_add", args=[mission.pk]),
        {
            "application": world["b"].pk,
            "counterpart": world["lake"].pk,
            "priority": "3",
            "rationale": "Their buyer asked us.",
        },
    )

    assert response.status_code == 302
    assert _messages(response) == ["The meeting of Protecto with Lake Buyers is requested."]
    created = MeetingRequest.objects.get(application=world["b"], counterpart=world["lake"])
    assert (created.origin, created.priority, created.created_by) == ("staff", 3, staff_user)


def test_request_add_shows_a_duplicate_by_the_counterpart_and_keeps_the_input(
    client, staff_user, mission, world
):
    client.force_login(staff_user)

    response = client.post(
        reverse("meetings:request_add", args=[mission.pk]),
        {
            "application": world["b"].pk,
            "counterpart": world["maple"].pk,
            "priority": "2",
            "rationale": "Typed rationale",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "counterpart": [
            "A meeting with Maple Ventures has already been requested for this company."
        ]
    }
    assert "Typed rationale" in response.content.decode()
    assert MeetingRequest.objects.count() == 3


def test_qualify_page_qualifies(client, staff_user, world):
    client.force_login(staff_user)
    url = reverse("meetings:request_qualify", args=[world["b_request"].pk])
    assert LEAK in client.get(url).content.decode()

    response = client.post(url, {"purpose": "Sell the films", "qualification_note": "Good"})

    assert response.status_code == 302
    assert response.url.endswith(f"#request-{world['b_request'].pk}")
    assert _messages(response) == ["The meeting of Protecto with Maple Ventures is qualified."]
    world["b_request"].refresh_from_db()
    assert (world["b_request"].status, world["b_request"].purpose) == (QUALIFIED, "Sell the films")


def test_qualify_page_shows_errors_by_the_field_and_keeps_the_input(client, staff_user, world):
    client.force_login(staff_user)

    response = client.post(
        reverse("meetings:request_qualify", args=[world["b_request"].pk]),
        {"purpose": "   ", "qualification_note": "Typed note"},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["purpose"]
    assert "Typed note" in response.content.decode()


def test_qualify_page_refuses_a_qualified_request(client, staff_user, world):
    client.force_login(staff_user)

    response = client.post(
        reverse("meetings:request_qualify", args=[world["a_request"].pk]),
        {"purpose": "Again"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Only a request still “Requested” can be qualified; this one is “Qualified”."
    ]
    world["a_request"].refresh_from_db()
    assert world["a_request"].purpose == "Present the solar films"


def test_decline_page_declines_with_the_reason(client, staff_user, world):
    client.force_login(staff_user)

    response = client.post(
        reverse("meetings:request_decline", args=[world["a_request"].pk]),
        {"reason": "They are not investing this year."},
    )

    assert response.status_code == 302
    world["a_request"].refresh_from_db()
    assert (world["a_request"].status, world["a_request"].decline_reason) == (
        DECLINED,
        "They are not investing this year.",
    )


def test_decline_page_refuses_a_request_in_the_grid(client, staff_user, mission):
    meeting = MeetingFactory(request__application__mission=mission, request__status=QUALIFIED)
    client.force_login(staff_user)
    url = reverse("meetings:request_decline", args=[meeting.request.pk])

    assert "remove the meeting from the grid first" in client.get(url).content.decode()
    response = client.post(url, {"reason": "No"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This request has a meeting in the grid: remove the meeting from the grid first, "
        "then decline the request."
    ]
    meeting.request.refresh_from_db()
    assert meeting.request.status == QUALIFIED


def test_decline_page_needs_a_reason(client, staff_user, world):
    client.force_login(staff_user)

    response = client.post(
        reverse("meetings:request_decline", args=[world["b_request"].pk]), {"reason": ""}
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["reason"]


def test_staff_pages_link_to_each_other(client, staff_user, mission):
    client.force_login(staff_user)

    content = client.get(reverse("meetings:requests", args=[mission.pk])).content.decode()

    assert reverse("meetings:counterparts", args=[mission.pk]) in content


# The company's page --------------------------------------------------------------------


def _company_url(application) -> str:
    return reverse("meetings:company_requests", args=[application.pk])


def test_company_page_shows_counterparts_and_own_requests_only(client, company_member, world):
    world["b_request"].status = DECLINED
    world["b_request"].decline_reason = "PROTECTO-ONLY-REASON"
    world["b_request"].save()
    client.force_login(company_member)

    response = client.get(_company_url(world["a"]))

    content = response.content.decode()
    assert [c.organisation for c in response.context["counterparts"]] == [
        "Lake Buyers",
        "Maple Ventures",
        "Pine Distribution",
    ]
    assert "Seed funds for clean tech." in content
    assert EMAIL not in content and "Secretcontact" not in content
    assert [r.pk for r in response.context["meeting_requests"]] == [
        world["a_request"].pk,
        world["a_pending"].pk,
    ]
    assert "Present the solar films" in content  # the purpose of a qualified request
    assert NOTE not in content  # staff's note
    assert LEAK not in content and "PROTECTO-ONLY-REASON" not in content
    assert "2 = important" in content and "1 = nice to have" in content
    # Removing is offered for the request still requested only.
    delete = "meetings:company_request_delete"
    assert reverse(delete, args=[world["a_pending"].pk]) in content
    assert reverse(delete, args=[world["a_request"].pk]) not in content
    # Only the counterpart not requested yet is offered.
    assert list(response.context["form"].fields["counterpart"].queryset) == [world["pine"]]


def test_company_page_says_when_every_counterpart_is_requested(client, company_member, world):
    world["pine"].delete()
    client.force_login(company_member)

    response = client.get(_company_url(world["a"]))

    assert response.context["can_request"] is False
    assert "Your company has requested a meeting with every counterpart of the mission." in (
        response.content.decode()
    )


def test_company_page_shows_the_reason_of_a_declined_request(client, company_member, world):
    world["a_pending"].status = DECLINED
    world["a_pending"].decline_reason = "They will not be in Toronto."
    world["a_pending"].save()
    client.force_login(company_member)

    content = client.get(_company_url(world["a"])).content.decode()

    assert "They will not be in Toronto." in content


def test_company_page_says_when_the_counterpart_declined_the_meeting(
    client, company_member, world
):
    world["a_request"].status = MeetingRequestStatus.SCHEDULED
    world["a_request"].save()
    MeetingFactory(request=world["a_request"], status=MeetingStatus.DECLINED)
    client.force_login(company_member)

    response = client.get(_company_url(world["a"]))

    row = response.content.decode().split(f'id="request-{world["a_request"].pk}"')[1]
    row = row.split("</tr>")[0]
    assert "Declined by the counterpart" in row
    assert "Scheduled" not in row


def test_company_requests_a_meeting(client, company_member, world):
    pine = world["pine"]
    client.force_login(company_member)
    url = _company_url(world["a"])
    form = client.get(url).context["form"]
    assert list(form.fields["counterpart"].queryset) == [pine]

    response = client.post(
        url, {"counterpart": pine.pk, "priority": "3", "rationale": "They sell in Quebec."}
    )

    assert response.status_code == 302
    assert response.url == url
    assert _messages(response) == [
        "Your request to meet Pine Distribution is sent. The city's team will qualify it "
        "before the meetings are scheduled."
    ]
    created = MeetingRequest.objects.get(counterpart=pine)
    assert (created.application, created.origin, created.priority, created.status) == (
        world["a"],
        "company",
        3,
        REQUESTED,
    )


def test_company_request_errors_sit_by_the_field_with_the_input_kept(
    client, company_member, world
):
    pine = world["pine"]
    client.force_login(company_member)

    response = client.post(
        _company_url(world["a"]),
        {"counterpart": pine.pk, "priority": "3", "rationale": "Typed " + "x" * 2000},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "rationale": ["At most 2000 characters (this rationale has 2006)."]
    }
    assert "Typed xxx" in response.content.decode()
    assert not MeetingRequest.objects.filter(counterpart=pine).exists()


def test_company_cannot_request_a_counterpart_of_another_mission(client, company_member, world):
    elsewhere = CounterpartFactory(organisation="Elsewhere Inc")
    client.force_login(company_member)

    response = client.post(
        _company_url(world["a"]), {"counterpart": elsewhere.pk, "priority": "2"}
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["counterpart"]
    assert not MeetingRequest.objects.filter(counterpart=elsewhere).exists()


@pytest.mark.parametrize(
    "status",
    [ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED, ApplicationStatus.WITHDRAWN],
)
def test_company_page_is_closed_until_the_seat_is_confirmed(
    client, company_member, mission, status
):
    application = ApplicationFactory(
        mission=mission, company=company_member.membership.company, status=status
    )
    maple = CounterpartFactory(mission=mission, organisation="Maple Ventures")
    client.force_login(company_member)

    response = client.get(_company_url(application))
    posted = client.post(_company_url(application), {"counterpart": maple.pk, "priority": "2"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Meeting requests are not open to your company" in content
    assert "Maple Ventures" not in content
    assert response.context["form"] is None
    assert posted.status_code == 302
    assert posted.url == application.get_absolute_url()
    assert _messages(posted) == [
        "Meetings can be requested once your seat in the delegation is confirmed."
    ]
    assert MeetingRequest.objects.count() == 0


def test_company_page_follows_what_the_company_was_told(client, company_member, mission):
    # Accepted by staff but not told yet: to the company it is still submitted.
    application = ApplicationFactory(
        mission=mission,
        company=company_member.membership.company,
        status=ApplicationStatus.ACCEPTED,
        announced_status=ApplicationStatus.SUBMITTED,
    )
    client.force_login(company_member)

    content = client.get(_company_url(application)).content.decode()

    assert "Meeting requests are not open to your company" in content
    assert "status-accepted" not in content


def test_company_removes_a_request_still_requested(client, company_member, world):
    client.force_login(company_member)

    response = client.post(
        reverse("meetings:company_request_delete", args=[world["a_pending"].pk])
    )

    assert response.status_code == 302
    assert response.url == _company_url(world["a"])
    assert _messages(response) == ["Your request to meet Lake Buyers is removed."]
    assert not MeetingRequest.objects.filter(pk=world["a_pending"].pk).exists()


def test_company_cannot_remove_a_qualified_request(client, company_member, world):
    client.force_login(company_member)

    response = client.post(
        reverse("meetings:company_request_delete", args=[world["a_request"].pk])
    )

    assert response.status_code == 302
    assert _messages(response) == [
        "This request is “Qualified”: only a request not yet handled by the city's team "
        "can be removed."
    ]
    assert MeetingRequest.objects.filter(pk=world["a_request"].pk).exists()


def test_company_cannot_remove_another_company_request(client, company_member, world):
    client.force_login(company_member)

    response = client.post(
        reverse("meetings:company_request_delete", args=[world["b_request"].pk])
    )

    assert response.status_code == 404
    assert MeetingRequest.objects.filter(pk=world["b_request"].pk).exists()


@pytest.mark.parametrize(
    ("status", "shown"),
    [(ApplicationStatus.CONFIRMED, True), (ApplicationStatus.ACCEPTED, False)],
)
def test_application_page_links_to_meeting_requests_once_confirmed(
    client, company_member, mission, status, shown
):
    application = ApplicationFactory(
        mission=mission, company=company_member.membership.company, status=status
    )
    client.force_login(company_member)

    content = client.get(application.get_absolute_url()).content.decode()

    assert (_company_url(application) in content) is shown
    assert ("Request meetings" in content) is shown


# Query counts --------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 25])
def test_counterparts_list_in_fixed_queries(
    client, staff_user, mission, django_assert_num_queries, count
):
    sectors = [SectorFactory(), SectorFactory()]
    application = ApplicationFactory(mission=mission, status=CONFIRMED)
    for _ in range(count):
        counterpart = CounterpartFactory(mission=mission)
        counterpart.sectors.set(sectors)
        MeetingRequestFactory(application=application, counterpart=counterpart)
    client.force_login(staff_user)

    # Session, user with its groups, mission, paginator count, page, sectors of the counterparts,
    # sectors of the filter form, the workspace's counts.
    with django_assert_num_queries(8):
        response = client.get(reverse("meetings:counterparts", args=[mission.pk]))

    assert len(response.context["counterparts"]) == count
    assert response.context["counterparts"][0].request_count == 1


@pytest.mark.parametrize("count", [1, 25])
def test_requests_list_in_fixed_queries(
    client, staff_user, mission, django_assert_num_queries, count
):
    counterpart = CounterpartFactory(mission=mission)
    for number in range(count):
        MeetingRequestFactory(
            application=ApplicationFactory(mission=mission, status=CONFIRMED),
            counterpart=counterpart,
            priority=number % 3 + 1,
        )
    client.force_login(staff_user)

    # Session, user with its groups, mission, paginator count, page with companies and
    # counterparts, who qualified or declined them, counts by status, companies and
    # counterparts of the filter form, the workspace's counts; the companies no
    # counterpart fits: the counterparts, their sectors, the companies, their sectors.
    with django_assert_num_queries(14):
        response = client.get(reverse("meetings:requests", args=[mission.pk]))

    assert len(response.context["meeting_requests"]) == count


@pytest.mark.parametrize("count", [1, 25])
def test_company_page_in_fixed_queries(
    client, company_member, mission, django_assert_num_queries, count
):
    application = ApplicationFactory(
        mission=mission, company=company_member.membership.company, status=CONFIRMED
    )
    sector = SectorFactory()
    for _ in range(count):
        counterpart = CounterpartFactory(mission=mission)
        counterpart.sectors.set([sector])
        MeetingRequestFactory(application=application, counterpart=counterpart)
        CounterpartFactory(mission=mission)
        MeetingRequestFactory(application__mission=mission, counterpart=counterpart)
    client.force_login(company_member)

    # Session, user with its groups, membership and company, application with mission and
    # company, counterparts counted, a page of them, their sectors, the company's
    # requests, the counterparts left to request (the form's choices); the suggestions:
    # the company's sectors, the counterparts not requested, their sectors.
    with django_assert_num_queries(11):
        response = client.get(_company_url(application))

    assert len(response.context["meeting_requests"]) == count
    assert len(response.context["counterparts"]) == min(2 * count, 30)
    assert response.context["page_obj"].paginator.count == 2 * count
