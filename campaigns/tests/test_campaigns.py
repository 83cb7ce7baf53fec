"""Calls for applications: who they reach, and that nobody is invited twice to a mission.

The audience is the members of verified companies of the chosen sectors that accept
calls; a call about a mission leaves out the companies an earlier call invited to it,
and the emails' idempotency keys (mission, company, person) make a second email to the
same person impossible in the database itself. No task reaches the broker: the
``handed_over`` fixture records what would be handed over.
"""

import base64
import datetime
import hashlib
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.urls import reverse
from django_countries.fields import Country

from campaigns import services
from campaigns.audiences import audience_of, audience_size
from campaigns.models import Campaign, CampaignStatus
from companies.models import Company, MembershipStatus
from companies.tests.factories import CompanyFactory, CompanyMemberFactory
from core.zones import PARIS
from missions.enums import MissionStatus
from missions.tests.factories import OpenMissionFactory
from notifications.context import Translated
from notifications.models import EmailStatus, OutboundEmail
from notifications.rendering import render_email

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
CAMPAIGN_NEW = reverse("campaigns:campaign_new")
KIND = "call_for_applications"
AUDIENCE = "company_members"


def _company(name, sector_codes, sectors, **fields) -> Company:
    company = CompanyFactory(name=name, **fields)
    company.sectors.set([sectors[code] for code in sector_codes])
    return company


def _member(company, **fields):
    return CompanyMemberFactory(membership__company=company, **fields)


@pytest.fixture
def world(sectors):
    """Two digital companies that a call to digital reaches (one with two members),
    and everyone it must not reach."""
    transpare = _company("Transpare", ["digital", "health"], sectors, size="micro")
    protecto = _company("Protecto", ["digital"], sectors, size="medium", city="Aubagne")
    people = {
        "transpare_fr": _member(transpare, language="fr", first_name="Ali", last_name="M"),
        "transpare_en": _member(transpare, language="en", first_name="Jane", last_name="Doe"),
        "protecto": _member(protecto, language="en"),
        "sea": _member(_company("Marine", ["sea"], sectors)),
        "opted_out": _member(_company("Discreet", ["digital"], sectors, invitations_opt_in=False)),
        "unverified": _member(_company("Unknown", ["digital"], sectors, verified=False)),
        "pending": _member(
            _company("Pending", ["digital"], sectors),
            membership__status=MembershipStatus.PENDING,
        ),
    }
    return people


def _call(mission, **params) -> Campaign:
    """A recorded call, as the start page records one (without its task)."""
    return Campaign.objects.create(
        kind=KIND,
        audience=AUDIENCE,
        audience_params={"sectors": ["digital"], **params},
        context={
            "mission_title": mission.title,
            "mission_url": "https://missions.example/missions/canada-2030/",
            "cities": ["Toronto", "Montréal"],
            "country": Country("CA"),
            "start_date": datetime.date(2030, 7, 5),
            "end_date": datetime.date(2030, 7, 9),
            "deadline_at": datetime.datetime(2030, 4, 15, 12, 0, tzinfo=PARIS),
            "sectors": [Translated({"fr": "Numérique", "en": "Digital"})],
        },
        mission=mission,
    )


def _reached(campaign) -> set[str]:
    return {recipient.email for recipient in audience_of(AUDIENCE)(campaign)}


# Who the audience is ---------------------------------------------------------------


def test_audience_sector_match_only(canada, world):
    assert _reached(_call(canada)) == {
        world["transpare_fr"].email,
        world["transpare_en"].email,
        world["protecto"].email,
    }


def test_audience_other_sector_reached_when_chosen(canada, world):
    reached = _reached(_call(canada, sectors=["sea"]))

    assert reached == {world["sea"].email}


@pytest.mark.parametrize("who", ["opted_out", "unverified", "pending", "sea"])
def test_audience_leaves_out(canada, world, who):
    assert world[who].email not in _reached(_call(canada))


def test_audience_inactive_user_left_out(canada, world):
    world["protecto"].is_active = False
    world["protecto"].save()

    assert world["protecto"].email not in _reached(_call(canada))


def test_audience_two_members_two_people_one_company(canada, world):
    size = audience_size(AUDIENCE, {"sectors": ["digital"]}, mission_id=canada.pk)

    assert size == {"companies": 2, "people": 3}


def test_audience_company_in_two_chosen_sectors_counted_once(canada, world):
    size = audience_size(AUDIENCE, {"sectors": ["digital", "health"]}, mission_id=canada.pk)

    assert size == {"companies": 2, "people": 3}


def test_audience_narrowed_by_size(canada, world):
    assert _reached(_call(canada, sizes=["medium"])) == {world["protecto"].email}


def test_audience_narrowed_by_city_any_case(canada, world):
    assert _reached(_call(canada, city=" aubagne ")) == {world["protecto"].email}


def test_audience_recipient_knows_its_company(canada, world):
    recipients = {r.email: r for r in audience_of(AUDIENCE)(_call(canada))}

    assert (
        recipients[world["protecto"].email].company_id == world["protecto"].membership.company_id
    )
    assert recipients[world["protecto"].email].language == "en"


# Nobody invited twice ---------------------------------------------------------------


def test_call_rows_keyed_by_mission_company_and_person(
    canada, world, handed_over, django_capture_on_commit_callbacks
):
    campaign = _call(canada)

    # The task runs outside a transaction: each batch is handed over once written.
    with django_capture_on_commit_callbacks(execute=True):
        written = services.campaign_write(campaign_id=campaign.pk)

    assert written == 3
    company_type = ContentType.objects.get_for_model(Company)
    rows = OutboundEmail.objects.filter(campaign=campaign)
    assert {(row.idempotency_key, row.related_type, row.related_id) for row in rows} == {
        (
            f"call:{canada.pk}:company:{person.membership.company_id}:user:{person.pk}",
            company_type,
            person.membership.company_id,
        )
        for person in [world["transpare_fr"], world["transpare_en"], world["protecto"]]
    }
    assert {row.topic_id for row in rows} == {canada.pk}
    assert sorted(id for batch in handed_over for id in batch) == sorted(
        rows.values_list("pk", flat=True)
    )


def test_second_call_reaches_only_newly_eligible_company(canada, world, sectors, handed_over):
    first = _call(canada)
    services.campaign_write(campaign_id=first.pk)
    # The mission now takes health companies too; Santé Plus is new to the portal.
    sante = _member(_company("Santé Plus", ["health"], sectors))
    second = _call(canada, sectors=["digital", "health"])

    written = services.campaign_write(campaign_id=second.pk)

    assert written == 1
    assert list(OutboundEmail.objects.filter(campaign=second).values_list("recipient")) == [
        (sante.email,)
    ]
    second.refresh_from_db()
    assert second.recipients == 1
    assert second.status == CampaignStatus.WRITTEN
    # Each person exactly one call for this mission.
    recipients = list(OutboundEmail.objects.filter(topic_id=canada.pk).values_list("recipient"))
    assert sorted(recipients) == sorted(
        (person.email,)
        for person in [world["transpare_fr"], world["transpare_en"], world["protecto"], sante]
    )


def test_company_invited_once_even_with_a_new_member(canada, world, handed_over):
    services.campaign_write(campaign_id=_call(canada).pk)
    # Joined Protecto after the first call.
    newcomer = _member(world["protecto"].membership.company)
    second = _call(canada)

    assert services.campaign_write(campaign_id=second.pk) == 0
    assert not OutboundEmail.objects.filter(recipient=newcomer.email).exists()


def test_call_for_another_mission_reaches_the_invited_again(canada, world, handed_over):
    services.campaign_write(campaign_id=_call(canada).pk)
    japan = OpenMissionFactory(slug="japan-2030")

    assert services.campaign_write(campaign_id=_call(japan).pk) == 3
    assert OutboundEmail.objects.filter(recipient=world["protecto"].email).count() == 2


def test_campaign_write_twice_writes_nothing_more(canada, world, handed_over):
    campaign = _call(canada)
    services.campaign_write(campaign_id=campaign.pk)
    keys = set(OutboundEmail.objects.values_list("idempotency_key", flat=True))

    # Done already: the task run again (a redelivery) does nothing at all.
    assert services.campaign_write(campaign_id=campaign.pk) == 0
    # Said to be still writing (a worker died before the end): written again, same rows.
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.WRITING)
    assert services.campaign_write(campaign_id=campaign.pk) == 3

    assert set(OutboundEmail.objects.values_list("idempotency_key", flat=True)) == keys
    assert OutboundEmail.objects.count() == 3


def test_campaign_resumed_after_crash_writes_the_rest_of_a_company(canada, world, handed_over):
    campaign = _call(canada)
    first, *_rest = audience_of(AUDIENCE)(campaign)
    services._write_batch(campaign, [first])  # the first batch, then the worker died
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.WRITING)

    assert services.campaign_write(campaign_id=campaign.pk) == 3
    assert OutboundEmail.objects.filter(campaign=campaign).count() == 3


def test_two_calls_written_at_once_never_write_one_person_twice(canada, world, handed_over):
    """Two calls whose tasks chose their recipients before either wrote: the unique key
    lets only the first row for each person in, whatever the audiences said."""
    first, second = _call(canada), _call(canada)
    seen_by_second = list(audience_of(AUDIENCE)(second))  # before the first wrote
    assert len(seen_by_second) == 3

    assert services.campaign_write(campaign_id=first.pk) == 3
    assert services._write_batch(second, seen_by_second) == 0

    assert OutboundEmail.objects.count() == 3
    assert set(OutboundEmail.objects.values_list("campaign", flat=True)) == {first.pk}


def test_campaign_without_mission_keyed_by_campaign(world, handed_over):
    campaign = Campaign.objects.create(
        kind=KIND,
        audience=AUDIENCE,
        audience_params={"sectors": ["sea"]},
        context=_call(OpenMissionFactory()).context,
    )

    assert services.campaign_write(campaign_id=campaign.pk) == 1
    person = world["sea"]
    assert OutboundEmail.objects.get().idempotency_key == (
        f"campaign:{campaign.pk}:company:{person.membership.company_id}:user:{person.pk}"
    )


# The start page: counts, sample, roles ---------------------------------------------


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    return client


def test_preview_count_is_what_the_call_writes(
    staff_client, canada, world, sectors, handed_over, django_capture_on_commit_callbacks
):
    _member(_company("Santé Plus", ["health"], sectors))
    data = {"mission": "canada-2030", "sectors": ["digital", "health"], "sizes": []}

    preview = staff_client.post(CAMPAIGN_NEW, {**data, "action": "count"})
    with django_capture_on_commit_callbacks(execute=False):
        staff_client.post(CAMPAIGN_NEW, {**data, "action": "start"})
    written = services.campaign_write(campaign_id=Campaign.objects.get().pk)

    assert preview.context["size"] == {"companies": 3, "people": 4}
    assert "This call would reach 3 companies: 4 people." in preview.content.decode()
    assert written == 4
    assert len(set(OutboundEmail.objects.values_list("related_id", flat=True))) == 3


def test_preview_narrowed_by_size_and_city(staff_client, canada, world):
    response = staff_client.post(
        CAMPAIGN_NEW,
        {
            "mission": "canada-2030",
            "sectors": ["digital"],
            "sizes": ["medium", "small"],
            "city": "Aubagne",
            "action": "count",
        },
    )

    assert response.context["size"] == {"companies": 1, "people": 1}
    assert Campaign.objects.count() == 0


def test_start_records_the_narrowing(
    staff_client, canada, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        staff_client.post(
            CAMPAIGN_NEW,
            {
                "mission": "canada-2030",
                "sectors": ["digital"],
                "sizes": ["medium"],
                "city": " Aubagne ",
                "action": "start",
            },
        )

    assert Campaign.objects.get().audience_params == {
        "sectors": ["digital"],
        "sizes": ["medium"],
        "city": "Aubagne",
        "unsubscribe_url": "http://testserver/",
    }


def test_sample_rendered_in_first_recipients_language_french(staff_client, canada, world):
    response = staff_client.get(CAMPAIGN_NEW, {"mission": "canada-2030"})

    sample = response.context["sample"]
    assert sample.recipient == world["transpare_fr"].email  # the first by id
    assert sample.language == "fr"
    message = response.context["sample_message"]
    assert message["subject"] == "Appel à candidatures : Canada — Toronto et Montréal 2030"
    content = response.content.decode()
    assert "shown in French, their language." in content
    assert 'id="sample-subject">Appel à candidatures : Canada' in content


def test_sample_rendered_in_first_recipients_language_english(staff_client, canada, world):
    world["transpare_fr"].delete()

    response = staff_client.get(CAMPAIGN_NEW, {"mission": "canada-2030"})

    assert response.context["sample"].recipient == world["transpare_en"].email
    message = response.context["sample_message"]
    assert message["subject"] == "Call for applications: Canada — Toronto et Montréal 2030"
    assert "Jane Doe" in message["text"]
    assert OutboundEmail.objects.count() == 0  # a sample, not a row


@pytest.fixture
def japan(sectors):
    mission = OpenMissionFactory(
        title="Japon — Tokyo, Kobe, Kyoto 2030",
        slug="japan-2030",
        country="JP",
        cities="Tokyo, Kobe",
        start_date=datetime.date(2030, 10, 12),
        end_date=datetime.date(2030, 10, 18),
        applications_open_at=datetime.datetime(2026, 11, 1, tzinfo=UTC),
        application_deadline=datetime.datetime(2030, 6, 30, 10, 0, tzinfo=UTC),
    )
    mission.sectors.set([sectors["digital"], sectors["health"]])
    return mission


CALL_IN = {
    "fr": {
        "subject": "Appel à candidatures : Japon — Tokyo, Kobe, Kyoto 2030",
        "destination": (
            "La Ville de Marseille constitue une délégation d'entreprises pour la mission "
            "Japon — Tokyo, Kobe, Kyoto 2030, à destination de Tokyo, Kobe (Japon), "
            "du 12 octobre 2030 au 18 octobre 2030."
        ),
        "sectors": "Secteurs : Numérique, Santé",
        "deadline": "Déposez votre candidature avant le 30 juin 2030, 12:00 (heure de Paris) :",
    },
    "en": {
        "subject": "Call for applications: Japon — Tokyo, Kobe, Kyoto 2030",
        "destination": (
            "The City of Marseille is putting together a delegation of companies for the "
            "mission Japon — Tokyo, Kobe, Kyoto 2030, to Tokyo, Kobe (Japan), "
            "from 12 October 2030 to 18 October 2030."
        ),
        "sectors": "Sectors: Digital, Health",
        "deadline": "Apply before 30 June 2030, 12:00 (Paris time):",
    },
}


def test_call_email_in_each_recipients_language_country_and_sectors_included(
    staff_client, japan, world, handed_over, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        staff_client.post(
            CAMPAIGN_NEW,
            {"mission": "japan-2030", "sectors": ["digital", "health"], "action": "start"},
        )
    services.campaign_write(campaign_id=Campaign.objects.get().pk)
    emails = {
        email.recipient: email
        for email in OutboundEmail.objects.filter(template_key=KIND).order_by("pk")
    }

    for person in ("transpare_fr", "transpare_en"):
        email = emails[world[person].email]
        message = render_email(email)
        lines = [" ".join(line.split()) for line in message.body.splitlines()]
        html = message.alternatives[0].content
        expected = CALL_IN[email.language]

        assert email.language == person[-2:]
        assert message.subject == expected["subject"]
        assert expected["destination"] in lines
        assert expected["sectors"] in lines
        assert expected["deadline"] in lines
        assert f"<p>{expected['sectors']}</p>" in html


def test_sample_html_sandboxed_and_escaped(staff_client, canada, world):
    response = staff_client.get(CAMPAIGN_NEW, {"mission": "canada-2030"})

    content = response.content.decode()
    assert '<iframe sandbox="" referrerpolicy="no-referrer" srcdoc="&lt;' in content
    assert "<html" not in content.split('id="sample"', 1)[1].split("</iframe>", 1)[0]


def test_sample_policy_allows_exactly_the_emails_own_styles(staff_client, canada, world):
    response = staff_client.get(CAMPAIGN_NEW, {"mission": "canada-2030"})

    header = response.headers["Content-Security-Policy"]
    policy = {name: sources for name, *sources in (part.split() for part in header.split(";"))}
    styles = set(re.findall(r' style="([^"]*)"', response.context["sample_message"]["html"]))
    hashes = sorted(
        "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"
        for style in styles
    )
    assert len(hashes) == 10
    assert policy["style-src"] == ["'self'", "'unsafe-hashes'", *hashes]
    assert policy["script-src"] == ["'self'"]


def test_nobody_left_no_start_offered_and_start_refused(
    staff_client, canada, world, handed_over, django_capture_on_commit_callbacks
):
    services.campaign_write(campaign_id=_call(canada).pk)
    data = {"mission": "canada-2030", "sectors": ["digital"]}

    page = staff_client.post(CAMPAIGN_NEW, {**data, "action": "count"})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        refused = staff_client.post(CAMPAIGN_NEW, {**data, "action": "start"})

    assert page.context["size"] == {"companies": 0, "people": 0}
    assert "sample" not in page.context
    assert 'name="action" value="start"' not in page.content.decode()
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        "Nobody to invite: every company of this audience has already been invited to this "
        "mission, or none matches."
    ]
    assert Campaign.objects.count() == 1
    assert callbacks == []


def test_preview_anonymous_redirected_to_log_in(client, canada, world):
    response = client.post(
        CAMPAIGN_NEW, {"mission": "canada-2030", "sectors": ["digital"], "action": "count"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize("role", ["company_member", "official_user"])
def test_preview_other_roles_not_found(client, request, canada, world, role):
    client.force_login(request.getfixturevalue(role))

    for response in [
        client.get(CAMPAIGN_NEW, {"mission": "canada-2030"}),
        client.post(
            CAMPAIGN_NEW, {"mission": "canada-2030", "sectors": ["digital"], "action": "start"}
        ),
    ]:
        assert response.status_code == 404
        assert world["transpare_fr"].email not in response.content.decode()
    assert Campaign.objects.count() == 0


def test_preview_staff_allowed(staff_client, canada, world):
    response = staff_client.post(
        CAMPAIGN_NEW, {"mission": "canada-2030", "sectors": ["digital"], "action": "count"}
    )

    assert response.status_code == 200
    assert response.context["sample"].recipient == world["transpare_fr"].email


# The calls on the mission page -----------------------------------------------------


def _render_progress(mission) -> str:
    return render_to_string("missions/includes/call_progress.html", {"mission": mission})


def test_mission_calls_counted_by_status(canada, world, handed_over):
    campaign = _call(canada)
    services.campaign_write(campaign_id=campaign.pk)
    rows = list(OutboundEmail.objects.filter(campaign=campaign).order_by("pk"))
    OutboundEmail.objects.filter(pk=rows[0].pk).update(
        status=EmailStatus.SENT, sent_at=datetime.datetime(2030, 1, 1, tzinfo=UTC)
    )
    OutboundEmail.objects.filter(pk=rows[1].pk).update(status=EmailStatus.FAILED)
    Campaign.objects.create(kind="other", audience=AUDIENCE, mission=canada)  # not a call

    html = _render_progress(canada)

    assert f'href="{reverse("campaigns:campaign", args=[campaign.pk])}"' in html
    assert '<td class="text-end" data-field="written">3</td>' in html
    assert '<td class="text-end" data-field="queued">1</td>' in html
    assert '<td class="text-end" data-field="sent">1</td>' in html
    assert '<td class="text-end" data-field="failed">1</td>' in html
    assert html.count("data-call=") == 1
    assert f'href="{CAMPAIGN_NEW}?mission=canada-2030"' in html


def test_mission_calls_none_yet_says_so(canada):
    html = _render_progress(canada)

    assert "No call for applications has been sent for this mission yet." in html
    assert f'href="{CAMPAIGN_NEW}?mission=canada-2030"' in html


def test_mission_calls_no_button_once_mission_not_open(canada):
    canada.status = MissionStatus.SELECTION
    canada.save()

    assert CAMPAIGN_NEW not in _render_progress(canada)


@pytest.mark.parametrize("count", [1, 5])
def test_mission_calls_query_count_constant(
    canada, world, staff_user, count, django_assert_num_queries
):
    for _number in range(count):
        campaign = _call(canada)
        campaign.created_by = staff_user
        campaign.save()
        OutboundEmail.objects.create(
            recipient=f"x{campaign.pk}@company.example",
            template_key=KIND,
            context={},
            idempotency_key=f"test:{campaign.pk}",
            topic=canada,
            mailing=campaign,
        )

    with django_assert_num_queries(1):
        html = _render_progress(canada)

    assert html.count("data-call=") == count
