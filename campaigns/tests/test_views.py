"""The staff's outbox pages: the list and its filters, a preview, resending, campaigns.

Staff only: anonymous visitors are sent to log in, anyone else gets a 404 that tells
nothing of what the page holds. No test here lets a task reach the broker: on-commit
callbacks are captured and not run (``execute=False``).
"""

import base64
import datetime
import hashlib
import html as html_module
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.models import Campaign, CampaignStatus
from campaigns.templatetags.campaign_tags import outbox_rows
from companies.tests.factories import CompanyFactory, CompanyMemberFactory
from core.tests.rows import MOMENTS, render_before, tags_apart, typed
from missions.enums import MissionStatus
from missions.tests.factories import OpenMissionFactory
from notifications.context import Translated
from notifications.kinds import KINDS, kind_label
from notifications.models import EmailStatus, OutboundEmail

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
OUTBOX = reverse("campaigns:outbox")
CAMPAIGN_NEW = reverse("campaigns:campaign_new")
SECRET_ADDRESS = "ceo-private@transpare.example"


def _email(number: int, **fields) -> OutboundEmail:
    """An outbox row of the call-for-applications kind, renderable as it is."""
    values = {
        "recipient": f"person{number}@company.example",
        "recipient_name": f"Person {number}",
        "language": "fr",
        "template_key": "call_for_applications",
        "context": {**KINDS["call_for_applications"].sample, "recipient_name": "Ali Messoudi"},
        "idempotency_key": f"test:{number}",
        "scheduled_at": datetime.datetime(2026, 11, 2, 8, 0, tzinfo=UTC),
    }
    values.update(fields)
    return OutboundEmail.objects.create(**values)


def _failed(number: int, **fields) -> OutboundEmail:
    return _email(
        number,
        status=EmailStatus.FAILED,
        attempts=6,
        last_error="550 5.1.1 <nobody@company.example>: mailbox unknown",
        **fields,
    )


def _sent(number: int, **fields) -> OutboundEmail:
    return _email(
        number,
        status=EmailStatus.SENT,
        attempts=1,
        sent_at=datetime.datetime(2026, 11, 2, 8, 1, tzinfo=UTC),
        **fields,
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    # Messages and labels in English; the emails themselves follow their recipient.
    client.cookies["django_language"] = "en"
    return client


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _rows(response) -> list[str]:
    return [email.recipient for email in response.context["emails"]]


# Who may see the pages ------------------------------------------------------------


@pytest.fixture
def secrets():
    """Data that would show on the pages if a check were missing."""
    mission = OpenMissionFactory(title="Secret Austin mission")
    campaign = Campaign.objects.create(
        kind="call_for_applications", audience="company_members", mission=mission
    )
    email = _failed(1, recipient=SECRET_ADDRESS, topic=mission, mailing=campaign)
    return {"email": email, "campaign": campaign, "mission": mission}


def _pages(secrets) -> dict[str, tuple[str, str]]:
    email, campaign = secrets["email"], secrets["campaign"]
    return {
        "outbox": ("get", OUTBOX),
        "preview": ("get", reverse("campaigns:email", args=[email.pk])),
        "resend": ("post", reverse("campaigns:resend", args=[email.pk])),
        "campaign_new": ("get", f"{CAMPAIGN_NEW}?mission={secrets['mission'].slug}"),
        "campaign_start": ("post", CAMPAIGN_NEW),
        "campaign": ("get", reverse("campaigns:campaign", args=[campaign.pk])),
        "progress": ("get", reverse("campaigns:campaign_progress", args=[campaign.pk])),
    }


PAGES = ["outbox", "preview", "resend", "campaign_new", "campaign_start", "campaign", "progress"]


@pytest.mark.parametrize("page", PAGES)
def test_outbox_pages_anonymous_redirected_to_log_in(client, secrets, page):
    method, url = _pages(secrets)[page]

    response = getattr(client, method)(
        url, {"mission": secrets["mission"].slug, "action": "start"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")
    assert OutboundEmail.objects.get().status == EmailStatus.FAILED
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["company_member", "official_user"])
def test_outbox_pages_other_roles_not_found(client, request, secrets, role, page):
    client.force_login(request.getfixturevalue(role))
    method, url = _pages(secrets)[page]

    response = getattr(client, method)(
        url,
        {"mission": secrets["mission"].slug, "sectors": [], "action": "start"},
    )

    assert response.status_code == 404
    content = response.content.decode()
    assert SECRET_ADDRESS not in content
    assert "Secret Austin mission" not in content
    assert "550 5.1.1" not in content
    assert OutboundEmail.objects.get().status == EmailStatus.FAILED
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("outbox", SECRET_ADDRESS),
        ("preview", SECRET_ADDRESS),
        ("campaign_new", "Secret Austin mission"),
        ("campaign", "Secret Austin mission"),
        ("progress", '"failed": 1'),
    ],
)
def test_outbox_pages_staff_allowed(staff_client, secrets, page, shown):
    method, url = _pages(secrets)[page]

    response = getattr(staff_client, method)(url)

    assert response.status_code == 200
    assert shown in response.content.decode()


def test_nav_outbox_link_staff_only(client, staff_user, company_member, official_user):
    home = reverse("home")
    link = f'href="{OUTBOX}"'

    client.force_login(staff_user)
    assert link in client.get(home).content.decode()
    for user in (company_member, official_user):
        client.force_login(user)
        assert link not in client.get(home).content.decode()


# The list -------------------------------------------------------------------------


@pytest.fixture
def outbox():
    """Emails of several kinds, statuses, missions and campaigns, oldest first."""
    canada = OpenMissionFactory(title="Canada 2030")
    japan = OpenMissionFactory(title="Japon 2030")
    campaign = Campaign.objects.create(
        kind="call_for_applications", audience="company_members", mission=canada
    )
    reminder = {
        **KINDS["application_deadline_reminder"].sample,
        "recipient_name": "Marie Curie",
    }
    rows = {
        "queued": _email(1, recipient="Marie@Transpare.example", topic=canada),
        "sent": _sent(2, topic=canada, mailing=campaign),
        "failed": _failed(3, topic=canada, mailing=campaign),
        "reminder": _email(
            4,
            template_key="application_deadline_reminder",
            context=reminder,
            topic=japan,
            status=EmailStatus.SENDING,
            attempts=1,
        ),
        "failed_japan": _failed(5, topic=japan),
        "no_mission": _sent(6),
    }
    return {"canada": canada, "japan": japan, "campaign": campaign, **rows}


def test_outbox_lists_every_email_newest_first(staff_client, outbox):
    response = staff_client.get(OUTBOX)

    assert response.status_code == 200
    assert _rows(response) == [f"person{n}@company.example" for n in (6, 5, 4, 3, 2)] + [
        "Marie@Transpare.example"
    ]


def test_outbox_row_shows_kind_label_mission_and_error(staff_client, outbox):
    response = staff_client.get(OUTBOX, {"status": "failed", "mission": outbox["japan"].pk})

    content = response.content.decode()
    row = content[content.index("person5@company.example") :]
    row = row[: row.index("</tr>")]
    assert "Person 5" in row
    assert "Call for applications" in row
    assert "Japon 2030" in row
    assert "status-failed" in row
    assert "550 5.1.1 &lt;nobody@company.example&gt;: mailbox unknown" in row


def test_outbox_filter_status_narrows_to_failed(staff_client, outbox):
    response = staff_client.get(OUTBOX, {"status": "failed"})

    assert _rows(response) == ["person5@company.example", "person3@company.example"]


def test_outbox_filter_kind_narrows_to_reminders(staff_client, outbox):
    response = staff_client.get(OUTBOX, {"kind": "application_deadline_reminder"})

    assert _rows(response) == ["person4@company.example"]


def test_outbox_filter_kind_choices_are_labelled(staff_client, outbox):
    response = staff_client.get(OUTBOX)

    choices = dict(response.context["filterset"].form.fields["kind"].choices)
    assert choices["call_for_applications"] == "Call for applications"
    assert choices["meeting_invitation"] == "Meeting invitation"


def test_outbox_filter_mission_narrows_to_its_emails(staff_client, outbox):
    response = staff_client.get(OUTBOX, {"mission": outbox["japan"].pk})

    assert _rows(response) == ["person5@company.example", "person4@company.example"]


def test_outbox_filter_recipient_ignores_case(staff_client, outbox):
    response = staff_client.get(OUTBOX, {"recipient": "mARIE@transpare"})

    assert _rows(response) == ["Marie@Transpare.example"]


def test_outbox_filter_recipient_matches_name(staff_client, outbox):
    response = staff_client.get(OUTBOX, {"recipient": "person 4"})

    assert _rows(response) == ["person4@company.example"]


def test_outbox_filter_campaign_narrows_to_its_emails(staff_client, outbox):
    response = staff_client.get(OUTBOX, {"campaign": outbox["campaign"].pk})

    assert _rows(response) == ["person3@company.example", "person2@company.example"]


def test_outbox_filters_combined(staff_client, outbox):
    response = staff_client.get(OUTBOX, {"status": "failed", "mission": outbox["canada"].pk})

    assert _rows(response) == ["person3@company.example"]


def test_outbox_filter_unknown_mission_shows_error_by_the_field(staff_client, outbox):
    response = staff_client.get(OUTBOX, {"mission": 999999})

    assert response.status_code == 200
    assert list(response.context["filterset"].form.errors) == ["mission"]


def test_outbox_counts_whole_outbox(staff_client, outbox):
    response = staff_client.get(OUTBOX)

    assert response.context["counts"] == [
        ("queued", "queued", 1),
        ("sending", "sending", 1),
        ("sent", "sent", 2),
        ("failed", "failed", 2),
    ]
    assert response.context["counts_narrowed"] is False
    assert "Counted over the whole outbox." in response.content.decode()


def test_outbox_counts_follow_filters_but_status(staff_client, outbox):
    response = staff_client.get(OUTBOX, {"mission": outbox["canada"].pk, "status": "failed"})

    assert [count for _, _, count in response.context["counts"]] == [1, 0, 1, 1]
    assert response.context["counts_narrowed"] is True
    assert "match the filters other than the status" in response.content.decode()


def test_outbox_counts_link_to_their_status_keeping_filters(staff_client, outbox):
    response = staff_client.get(OUTBOX, {"mission": outbox["canada"].pk, "page": 1})

    assert f'href="?mission={outbox["canada"].pk}&amp;status=failed"' in (
        response.content.decode()
    )


def test_outbox_empty_says_so(staff_client):
    response = staff_client.get(OUTBOX)

    assert "The outbox is empty" in response.content.decode()


def test_outbox_paginates_by_fifty_keeping_filters(staff_client):
    for number in range(51):
        _failed(number)
    _sent(100)

    first = staff_client.get(OUTBOX, {"status": "failed"})
    second = staff_client.get(OUTBOX, {"status": "failed", "page": 2})

    assert len(first.context["emails"]) == 50
    assert first.context["paginator"].count == 51
    assert 'href="?status=failed&amp;page=2"' in first.content.decode()
    assert _rows(second) == ["person0@company.example"]


@pytest.mark.parametrize("count", [1, 30])
def test_outbox_query_count_constant(staff_client, django_assert_num_queries, count):
    mission = OpenMissionFactory()
    campaign = Campaign.objects.create(
        kind="call_for_applications", audience="company_members", mission=mission
    )
    for number in range(count):
        _failed(number, topic=OpenMissionFactory(), mailing=campaign)
    # session, user with its groups, mission choices, campaign choices, counts, page count, rows
    with django_assert_num_queries(7):
        assert staff_client.get(OUTBOX).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_outbox_filtered_query_count_constant(staff_client, django_assert_num_queries, count):
    mission = OpenMissionFactory()
    for number in range(count):
        _failed(number, topic=mission)
    query = {"mission": mission.pk, "status": "failed", "recipient": "person"}
    # ... and the chosen mission, checked once, and its workspace's counts
    with django_assert_num_queries(9):
        assert staff_client.get(OUTBOX, query).status_code == 200


# The preview ----------------------------------------------------------------------


def test_preview_english_recipient_in_english(staff_client):
    email = _email(1, language="en")

    response = staff_client.get(reverse("campaigns:email", args=[email.pk]))

    message = response.context["message"]
    assert message["subject"] == "Call for applications: Canada — Toronto et Montréal 2027"
    assert message["text"].startswith("Hello Ali Messoudi,")
    assert message["to"] == "person1@company.example"
    assert message["attachments"] == []
    assert '<html lang="en">' in message["html"]


def test_preview_french_recipient_in_french(staff_client):
    email = _email(1, language="fr")

    response = staff_client.get(reverse("campaigns:email", args=[email.pk]))

    message = response.context["message"]
    assert message["subject"] == "Appel à candidatures : Canada — Toronto et Montréal 2027"
    assert message["text"].startswith("Bonjour Ali Messoudi,")
    assert '<html lang="fr">' in message["html"]


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in header.split(";"))}


def _style_hashes(html: str) -> list[str]:
    """The hash of each distinct style attribute, found another way than the view's."""
    values = {html_module.unescape(value) for value in re.findall(r' style="([^"]*)"', html)}
    return sorted(
        "'sha256-" + base64.b64encode(hashlib.sha256(value.encode()).digest()).decode() + "'"
        for value in values
    )


def test_preview_policy_allows_exactly_the_emails_own_styles(staff_client):
    email = _email(1)

    response = staff_client.get(reverse("campaigns:email", args=[email.pk]))

    policy = _policy(response)
    hashes = _style_hashes(response.context["message"]["html"])
    assert len(hashes) == 10
    assert policy["style-src"] == ["'self'", "'unsafe-hashes'", *hashes]
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]


def test_outbox_policy_allows_no_inline_style(staff_client):
    _email(1)

    response = staff_client.get(OUTBOX)

    assert _policy(response)["style-src"] == ["'self'"]


def test_preview_html_sandboxed_and_escaped(staff_client):
    email = _email(1, context={**_email_context(), "mission_title": "<b>Toronto</b>"})

    response = staff_client.get(reverse("campaigns:email", args=[email.pk]))

    content = response.content.decode()
    assert '<iframe sandbox="" referrerpolicy="no-referrer" srcdoc="&lt;!doctype html&gt;' in (
        content
    )
    # The title was escaped once by the email's template, then once more in srcdoc.
    assert "&amp;lt;b&amp;gt;Toronto&amp;lt;/b&amp;gt;" in content
    # The text body is not HTML: shown as text, whatever it holds.
    assert "mission &lt;b&gt;Toronto&lt;/b&gt;, à destination" in content
    assert "<b>Toronto</b>" not in content


def _email_context() -> dict:
    return {**KINDS["call_for_applications"].sample, "recipient_name": "Ali Messoudi"}


def test_preview_lists_attachments(staff_client):
    email = _email(
        1,
        template_key="meeting_invitation",
        context={**KINDS["meeting_invitation"].sample, "recipient_name": "Ali Messoudi"},
    )

    response = staff_client.get(reverse("campaigns:email", args=[email.pk]))

    assert response.context["message"]["attachments"] == ["invitation.ics"]
    assert "invitation.ics" in response.content.decode()


def test_preview_shows_row_metadata(staff_client):
    email = _failed(1)

    response = staff_client.get(reverse("campaigns:email", args=[email.pk]))

    content = response.content.decode()
    assert "test:1" in content
    assert "550 5.1.1 &lt;nobody@company.example&gt;: mailbox unknown" in content
    assert '<time datetime="2026-11-02T09:00:00+01:00">' in content  # due, Paris time
    assert "Not yet" in content


def test_preview_shows_sent_time(staff_client):
    email = _sent(1)

    response = staff_client.get(reverse("campaigns:email", args=[email.pk]))

    assert '<time datetime="2026-11-02T09:01:00+01:00">' in response.content.decode()


def test_preview_broken_template_shows_error(staff_client):
    # Written before contexts were typed: its dates are text, read back by their key's name.
    email = _email(
        1,
        context={**_email_context(), "deadline_at": "the day after tomorrow"},
        context_version=1,
    )

    response = staff_client.get(reverse("campaigns:email", args=[email.pk]))

    assert response.status_code == 200
    assert "message" not in response.context
    assert response.context["render_error"] == (
        "ValueError: Invalid isoformat string: 'the day after tomorrow'"
    )
    assert "This email cannot be built" in response.content.decode()


def test_preview_unknown_kind_shows_error(staff_client):
    email = _email(1, template_key="retired_kind")

    response = staff_client.get(reverse("campaigns:email", args=[email.pk]))

    assert response.status_code == 200
    assert response.context["render_error"] == "ValueError: Unknown email kind 'retired_kind'."


def test_preview_unknown_email_not_found(staff_client):
    assert staff_client.get(reverse("campaigns:email", args=[424242])).status_code == 404


def test_preview_failed_email_offers_resend(staff_client):
    email = _failed(1)

    response = staff_client.get(reverse("campaigns:email", args=[email.pk]))

    assert response.context["can_resend"] is True
    assert reverse("campaigns:resend", args=[email.pk]) in response.content.decode()


@pytest.mark.parametrize("status", ["queued", "sending", "sent"])
def test_preview_other_email_offers_no_resend(staff_client, status):
    email = _sent(1) if status == "sent" else _email(1, status=status)

    response = staff_client.get(reverse("campaigns:email", args=[email.pk]))

    assert response.context["can_resend"] is False
    assert reverse("campaigns:resend", args=[email.pk]) not in response.content.decode()


# Resending ------------------------------------------------------------------------


def test_resend_failed_email_queued_again(staff_client, django_capture_on_commit_callbacks):
    email = _failed(1)
    url = reverse("campaigns:resend", args=[email.pk])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:email", args=[email.pk])
    assert _messages(response) == [
        "The email to person1@company.example is back in the queue: it will be sent shortly."
    ]
    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED
    assert email.attempts == 0
    assert email.last_error == "550 5.1.1 <nobody@company.example>: mailbox unknown"
    assert len(callbacks) == 1  # the hand-over to a worker, after commit


@pytest.mark.parametrize("status", ["queued", "sending", "sent"])
def test_resend_other_email_refused_unchanged(
    staff_client, django_capture_on_commit_callbacks, status
):
    email = _sent(1) if status == "sent" else _email(1, status=status, attempts=2)
    before = OutboundEmail.objects.values().get(pk=email.pk)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(reverse("campaigns:resend", args=[email.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:email", args=[email.pk])
    label = EmailStatus(status).label
    assert _messages(response) == [
        f"Only a failed email can be sent again; this one is “{label}”."
    ]
    assert OutboundEmail.objects.values().get(pk=email.pk) == before
    assert callbacks == []


def test_resend_refusal_shown_on_the_preview(staff_client):
    email = _sent(1)

    response = staff_client.post(reverse("campaigns:resend", args=[email.pk]), follow=True)

    assert response.status_code == 200
    assert "Only a failed email can be sent again; this one is “Sent”." in (
        response.content.decode()
    )


def test_resend_get_not_allowed(staff_client):
    email = _failed(1)

    response = staff_client.get(reverse("campaigns:resend", args=[email.pk]))

    assert response.status_code == 405
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED


# Starting a call for applications -------------------------------------------------


def _member(company, **fields):
    return CompanyMemberFactory(membership__company=company, **fields)


@pytest.fixture
def companies(sectors):
    """Who a call to digital companies reaches: two people; health adds one."""
    digital = CompanyFactory(name="Transpare")
    digital.sectors.set([sectors["digital"], sectors["health"]])
    other_digital = CompanyFactory(name="Protecto")
    other_digital.sectors.set([sectors["digital"]])
    health = CompanyFactory(name="Santé Plus")
    health.sectors.set([sectors["health"]])
    unverified = CompanyFactory(name="Unverified", verified=False)
    unverified.sectors.set([sectors["digital"]])
    opted_out = CompanyFactory(name="Opted out", invitations_opt_in=False)
    opted_out.sectors.set([sectors["digital"]])
    return [
        _member(digital, language="fr"),
        _member(other_digital, language="en"),
        _member(health),
        _member(unverified),
        _member(opted_out),
    ]


def test_campaign_new_without_mission_offers_the_choice(staff_client, canada):
    response = staff_client.get(CAMPAIGN_NEW)

    assert response.status_code == 200
    assert response.context["mission"] is None
    assert 'value="canada-2030"' in response.content.decode()


def test_campaign_new_defaults_to_mission_sectors_and_counts(staff_client, canada, companies):
    response = staff_client.get(CAMPAIGN_NEW, {"mission": "canada-2030"})

    assert response.status_code == 200
    assert response.context["form"]["sectors"].value() == ["digital"]
    assert response.context["recipient_count"] == 2
    content = response.content.decode()
    assert "This call would reach 2 companies: 2 people." in content
    assert 'name="action" value="start"' in content


def test_campaign_new_counts_chosen_sectors(
    staff_client, canada, companies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(
            CAMPAIGN_NEW,
            {"mission": "canada-2030", "sectors": ["digital", "health"], "action": "count"},
        )

    assert response.status_code == 200
    assert response.context["recipient_count"] == 3
    assert Campaign.objects.count() == 0
    assert callbacks == []


def test_campaign_new_count_is_one_query(canada, companies, django_assert_num_queries):
    from campaigns.audiences import audience_count

    with django_assert_num_queries(1):
        assert audience_count("company_members", {"sectors": ["digital", "health"]}) == 3


def test_campaign_new_count_is_who_the_campaign_writes_to(
    staff_client, canada, companies, monkeypatch
):
    from campaigns import services
    from notifications import services as outbox

    monkeypatch.setattr(outbox, "email_hand_over", lambda ids: None)  # no broker here
    staff_client.post(
        CAMPAIGN_NEW, {"mission": "canada-2030", "sectors": ["digital"], "action": "start"}
    )
    campaign = Campaign.objects.get()

    written = services.campaign_write(campaign_id=campaign.pk)

    assert written == 2
    assert set(OutboundEmail.objects.values_list("recipient", "language")) == {
        (companies[0].email, "fr"),
        (companies[1].email, "en"),
    }
    english = OutboundEmail.objects.get(language="en")
    response = staff_client.get(reverse("campaigns:email", args=[english.pk]))
    message = response.context["message"]
    assert message["subject"] == "Call for applications: Canada — Toronto et Montréal 2030"
    assert (
        "for the mission Canada — Toronto et Montréal 2030, to Toronto, Montréal (Canada), "
        "from 5 July 2030 to 9 July 2030." in message["text"]
    )
    assert "Apply before 15 April 2030, 12:00 (Paris time):" in message["text"]


def test_campaign_start_records_one_campaign(
    staff_client, staff_user, canada, companies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(
            f"{CAMPAIGN_NEW}?mission=canada-2030",
            {"mission": "canada-2030", "sectors": ["digital", "health"], "action": "start"},
        )

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:campaign", args=[campaign.pk])
    assert campaign.kind == "call_for_applications"
    assert campaign.audience == "company_members"
    assert campaign.audience_params == {
        "sectors": ["digital", "health"],
        "unsubscribe_url": "http://testserver/",
    }
    assert campaign.context == {
        "mission_title": "Canada — Toronto et Montréal 2030",
        "mission_url": "http://testserver/missions/canada-2030/",
        "cities": ["Toronto", "Montréal"],
        "country": "CA",
        "start_date": datetime.date(2030, 7, 5),
        "end_date": datetime.date(2030, 7, 9),
        "deadline_at": datetime.datetime(2030, 4, 15, 12, 0, tzinfo=ZoneInfo("Europe/Paris")),
        "sectors": [
            Translated({"fr": "Numérique", "en": "Digital"}),
            Translated({"fr": "Santé", "en": "Health"}),
        ],
    }
    assert campaign.mission == canada
    assert campaign.created_by == staff_user
    assert campaign.status == CampaignStatus.PENDING
    # Nothing written yet: the request only recorded the campaign; a task writes.
    assert OutboundEmail.objects.count() == 0
    assert len(callbacks) == 1
    assert _messages(response) == [
        "The call for applications is started: its emails are being written."
    ]


def test_campaign_start_context_complete_for_the_kind(staff_client, canada, companies):
    staff_client.post(
        CAMPAIGN_NEW, {"mission": "canada-2030", "sectors": ["digital"], "action": "start"}
    )

    campaign = Campaign.objects.get()
    # What each recipient adds: their name, and the audience's unsubscribe link.
    keys = {*campaign.context, "recipient_name", "unsubscribe_url"}
    assert KINDS["call_for_applications"].required - keys == set()


def test_campaign_start_while_first_still_written_refused(
    staff_client, canada, companies, django_capture_on_commit_callbacks
):
    data = {"mission": "canada-2030", "sectors": ["digital"], "action": "start"}
    staff_client.post(CAMPAIGN_NEW, data)  # a double click: the first is still pending

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(CAMPAIGN_NEW, data)

    assert response.status_code == 200
    assert Campaign.objects.count() == 1
    assert callbacks == []
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("The call for applications started on ")
    assert error.endswith(
        "is still being written: wait until it is, then start another one for the "
        "companies it did not reach."
    )
    assert response.context["unfinished"] is True
    assert 'name="action" value="start"' not in response.content.decode()


def test_campaign_start_second_call_once_first_written(
    staff_client, canada, companies, sectors, handed_over
):
    data = {"mission": "canada-2030", "sectors": ["digital"], "action": "start"}
    staff_client.post(CAMPAIGN_NEW, data)
    from campaigns import services

    services.campaign_write(campaign_id=Campaign.objects.get().pk)
    newcomer = CompanyFactory(name="Nouvelle")
    newcomer.sectors.set([sectors["digital"]])
    _member(newcomer)

    response = staff_client.post(CAMPAIGN_NEW, data)

    assert response.status_code == 302
    assert Campaign.objects.count() == 2


def test_campaign_new_earlier_call_shown_with_invited_count(
    staff_client, canada, companies, handed_over
):
    from campaigns import services

    # The earlier call invited Transpare only (Protecto was left out then).
    earlier = Campaign.objects.create(
        kind="call_for_applications",
        audience="company_members",
        audience_params={
            "sectors": ["digital"],
            "exclude_companies": [companies[1].membership.company_id],
        },
        context=KINDS["call_for_applications"].sample,
        mission=canada,
    )
    assert services.campaign_write(campaign_id=earlier.pk) == 1

    response = staff_client.get(CAMPAIGN_NEW, {"mission": "canada-2030"})

    assert response.context["calls"] == [earlier]
    assert response.context["invited_companies"] == 1
    assert response.context["size"] == {"companies": 1, "people": 1}
    content = response.content.decode()
    assert f'href="{reverse("campaigns:campaign", args=[earlier.pk])}"' in content
    assert (
        "1 company has already been invited to this mission by an earlier call. A new call "
        "reaches only the companies not invited yet: nobody is invited twice."
    ) in content
    assert "This call would reach 1 company: 1 person." in content
    assert 'name="action" value="start"' in content


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (
            {"start_date": None, "end_date": None},
            "The mission has no dates yet: set its start and end dates first.",
        ),
        (
            {"application_deadline": None},
            "The mission has no application deadline yet: set it first.",
        ),
        (
            {
                "applications_open_at": datetime.datetime(2026, 1, 1, tzinfo=UTC),
                "application_deadline": datetime.datetime(2026, 2, 1, tzinfo=UTC),
            },
            "The mission's application deadline has passed.",
        ),
        (
            {"status": MissionStatus.DRAFT},
            "The mission is not open for applications: companies could not see the page "
            "the email links to. Open it first.",
        ),
    ],
)
def test_campaign_start_mission_not_ready_refused(
    staff_client, canada, companies, django_capture_on_commit_callbacks, fields, error
):
    for name, value in fields.items():
        setattr(canada, name, value)
    canada.save()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(
            CAMPAIGN_NEW, {"mission": "canada-2030", "sectors": ["digital"], "action": "start"}
        )

    assert response.status_code == 200
    assert response.context["form"].errors == {"mission": [error]}
    assert Campaign.objects.count() == 0
    assert callbacks == []
    content = response.content.decode()
    assert error.replace("'", "&#x27;") in content
    assert 'name="action" value="start"' not in content


def test_campaign_new_mission_not_ready_says_so_at_once(staff_client, canada):
    canada.application_deadline = None
    canada.save()

    response = staff_client.get(CAMPAIGN_NEW, {"mission": "canada-2030"})

    assert response.context["form"].errors == {
        "mission": ["The mission has no application deadline yet: set it first."]
    }
    assert 'name="action" value="start"' not in response.content.decode()


def test_campaign_new_finished_mission_refused(staff_client, canada):
    canada.status = MissionStatus.CANCELLED
    canada.save()

    response = staff_client.get(CAMPAIGN_NEW, {"mission": "canada-2030"})

    assert response.context["mission"] is None
    assert response.context["form"].errors["mission"] == [
        "This mission does not exist or is over."
    ]
    assert 'name="sectors"' not in response.content.decode()


def test_campaign_start_without_sector_refused(
    staff_client, canada, companies, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(CAMPAIGN_NEW, {"mission": "canada-2030", "action": "start"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"sectors": ["Choose at least one sector."]}
    assert response.context["recipient_count"] is None
    assert Campaign.objects.count() == 0
    assert callbacks == []


# A campaign's progress -----------------------------------------------------------


@pytest.fixture
def campaign(canada):
    campaign = Campaign.objects.create(
        kind="call_for_applications",
        audience="company_members",
        mission=canada,
        status=CampaignStatus.WRITTEN,
        recipients=4,
        context={"sectors": ["Numérique"]},
    )
    _email(1, mailing=campaign)
    _email(2, mailing=campaign, status=EmailStatus.SENDING, attempts=1)
    _sent(3, mailing=campaign)
    _failed(4, mailing=campaign)
    _failed(5)  # another campaign's: not counted
    return campaign


def test_campaign_progress_json_exact(staff_client, campaign):
    response = staff_client.get(reverse("campaigns:campaign_progress", args=[campaign.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "status": "written",
        "status_label": "All emails written",
        "recipients": 4,
        "queued": 1,
        "sending": 1,
        "sent": 1,
        "failed": 1,
        "percent": 50,
        "finished": False,
    }


def test_campaign_progress_json_finished(staff_client, campaign):
    OutboundEmail.objects.filter(campaign=campaign, status__in=["queued", "sending"]).update(
        status=EmailStatus.FAILED
    )

    response = staff_client.get(reverse("campaigns:campaign_progress", args=[campaign.pk]))

    payload = json.loads(response.content)
    assert (payload["failed"], payload["percent"], payload["finished"]) == (3, 100, True)


def test_campaign_progress_json_still_writing_not_finished(staff_client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.WRITING)
    OutboundEmail.objects.filter(campaign=campaign).update(
        status=EmailStatus.SENT, sent_at=datetime.datetime(2026, 11, 2, tzinfo=UTC)
    )

    response = staff_client.get(reverse("campaigns:campaign_progress", args=[campaign.pk]))

    payload = json.loads(response.content)
    assert (payload["status"], payload["sent"], payload["percent"]) == ("writing", 4, 100)
    assert payload["finished"] is False


def test_campaign_page_shows_counts_and_links(staff_client, campaign):
    response = staff_client.get(reverse("campaigns:campaign", args=[campaign.pk]))

    assert response.context["counts"] == [
        ("queued", "Queued", 1),
        ("sending", "Sending", 1),
        ("sent", "Sent", 1),
        ("failed", "Failed", 1),
    ]
    content = response.content.decode()
    assert f'href="{OUTBOX}?campaign={campaign.pk}"' in content
    assert f'href="{OUTBOX}?campaign={campaign.pk}&amp;status=failed"' in content
    assert f'href="{reverse("campaigns:campaign", args=[campaign.pk])}"' in content  # refresh
    assert 'aria-live="polite"' in content
    assert '<progress id="campaign-progress-bar" class="w-100 mb-3" max="100" value="50">' in (
        content
    )


def test_campaign_page_script_external_and_deferred(staff_client, campaign):
    response = staff_client.get(reverse("campaigns:campaign", args=[campaign.pk]))

    content = response.content.decode()
    assert '<script src="/static/js/campaign-progress.js" defer></script>' in content
    assert "<script>" not in content


@pytest.mark.parametrize("count", [1, 30])
def test_campaign_page_query_count_constant(
    staff_client, canada, django_assert_num_queries, count
):
    campaign = Campaign.objects.create(
        kind="call_for_applications", audience="company_members", mission=canada
    )
    for number in range(count):
        _failed(number, mailing=campaign)
    # session, user with its groups, campaign with mission and author, counts
    with django_assert_num_queries(4):
        assert (
            staff_client.get(reverse("campaigns:campaign", args=[campaign.pk])).status_code == 200
        )


@pytest.mark.parametrize("count", [1, 30])
def test_campaign_progress_query_count_constant(
    staff_client, canada, django_assert_num_queries, count
):
    campaign = Campaign.objects.create(
        kind="call_for_applications", audience="company_members", mission=canada
    )
    for number in range(count):
        _sent(number, mailing=campaign)
    url = reverse("campaigns:campaign_progress", args=[campaign.pk])
    # session, user with its groups, campaign, counts
    with django_assert_num_queries(4):
        assert staff_client.get(url).status_code == 200


# The rows written in Python (campaign_tags.outbox_rows) --------------------------------

# The rows as the template drew them before outbox_rows: the tag must write the same.
OUTBOX_ROWS_BEFORE = Path(__file__).parent / "outbox_rows_before.html"
_typed = typed(max_size=200)
_slugs = st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True)


@st.composite
def _outbox_rows(draw):
    emails = []
    for pk in range(1, draw(st.integers(1, 4)) + 1):
        email = OutboundEmail(
            pk=pk,
            recipient=draw(_typed),
            recipient_name=draw(_typed),
            template_key=draw(st.one_of(st.sampled_from(sorted(KINDS)), _typed)),
            status=draw(st.sampled_from(EmailStatus.values)),
            attempts=draw(st.integers(0, 20)),
            # Around the 160 characters the list cuts an error at.
            last_error=draw(st.one_of(_typed, st.text(min_size=155, max_size=165))),
            scheduled_at=draw(MOMENTS),
            sent_at=draw(st.one_of(st.none(), MOMENTS)),
        )
        email.mission_slug = draw(st.one_of(st.none(), _slugs))
        email.mission_title = draw(_typed)
        emails.append(email)
    return emails


@given(emails=_outbox_rows(), language=st.sampled_from(["fr", "en"]))
@settings(max_examples=60, deadline=None)
def test_outbox_rows_write_what_the_template_wrote(emails, language):
    with translation.override(language):
        for email in emails:
            email.kind_label = kind_label(email.template_key)
        expected = render_before(OUTBOX_ROWS_BEFORE, {"emails": emails})
        written = outbox_rows(emails)

    assert tags_apart(written) == tags_apart(expected)
