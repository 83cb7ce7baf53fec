"""A database migrated and filled before the move keeps every row through it: campaigns
change app with their ids, the outbox's mission and campaign become its topic and mailing,
contexts written then still render; and going back restores the foreign keys."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.tests.factories import StaffFactory
from campaigns.models import Campaign
from missions.models import Mission
from missions.tests.factories import OpenMissionFactory
from notifications.models import OutboundEmail
from notifications.rendering import render_email

pytestmark = pytest.mark.django_db(transaction=True)

# The outbox as it was before the move (today's main), and as it is now.
BEFORE = [("notifications", "0004_email_lease_token"), ("campaigns", None)]
UTC = datetime.UTC
STARTED = datetime.datetime(2027, 1, 10, 9, 0, tzinfo=UTC)

CALL_CONTEXT = {
    "mission_title": "Canada 2027",
    "mission_url": "https://missions.marseille.fr/missions/canada-2027/",
    "destination": "Toronto, Montréal (Canada)",
    "start_date": "2027-07-05",
    "end_date": "2027-07-09",
    "deadline_at": "2027-03-31T12:00:00+02:00",
    "sectors": ["Numérique"],
}


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def _state_before():
    """The models as the migrations before the move left them."""
    executor = MigrationExecutor(connection)
    return executor.loader.project_state([BEFORE[0]]).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before_the_move():
    """The database at the migrations before the move; brought back to the latest after."""
    try:
        _migrate(BEFORE)
        yield _state_before()
    finally:
        _migrate(_latest())
        ContentType.objects.clear_cache()


def _fill(old_apps, mission, staff) -> dict:
    """Rows written as the portal wrote them before the move, through its models then."""
    OldCampaign = old_apps.get_model("notifications", "Campaign")
    OldEmail = old_apps.get_model("notifications", "OutboundEmail")
    campaign = OldCampaign.objects.create(
        kind="call_for_applications",
        audience="company_members",
        audience_params={"sectors": ["digital"], "unsubscribe_url": "http://testserver/"},
        context=CALL_CONTEXT,
        mission_id=mission.pk,
        status="written",
        recipients=2,
        created_by_id=staff.pk,
        written_at=STARTED,
    )
    emails = [
        OldEmail.objects.create(
            recipient=f"member{n}@company.example",
            recipient_name=f"Member {n}",
            language=language,
            template_key="call_for_applications",
            context={
                **CALL_CONTEXT,
                "recipient_name": f"Member {n}",
                "unsubscribe_url": "http://testserver/",
            },
            idempotency_key=f"call:{mission.pk}:company:{n}:user:{n}",
            mission_id=mission.pk,
            campaign_id=campaign.pk,
            status="sent" if n == 0 else "queued",
            sent_at=STARTED if n == 0 else None,
        )
        for n, language in enumerate(["fr", "en"])
    ]
    reminder = OldEmail.objects.create(
        recipient="ali@transpare.example",
        template_key="application_deadline_reminder",
        context={
            "recipient_name": "Ali",
            "mission_title": "Canada 2027",
            "application_url": "https://missions.marseille.fr/delegations/applications/7/",
            "deadline_at": "2027-03-31T12:00:00+02:00",
        },
        idempotency_key="reminder:application:7",
        mission_id=mission.pk,
    )
    unrelated = OldEmail.objects.create(
        recipient="lea@transpare.example",
        template_key="password_reset",
        context={"recipient_name": "Léa", "reset_url": "https://missions.marseille.fr/r/"},
        idempotency_key="password:1",
    )
    return {"campaign": campaign, "emails": emails, "reminder": reminder, "other": unrelated}


def test_rows_written_before_the_move_all_there_after_it(before_the_move):
    mission = OpenMissionFactory(slug="canada-2027")
    staff = StaffFactory()
    old = _fill(before_the_move, mission, staff)
    old_type = ContentType.objects.get(app_label="notifications", model="campaign").pk

    _migrate(_latest())
    ContentType.objects.clear_cache()

    campaign = Campaign.objects.get()
    assert (campaign.pk, campaign.kind, campaign.audience, campaign.status) == (
        old["campaign"].pk,
        "call_for_applications",
        "company_members",
        "written",
    )
    assert campaign.audience_params == {
        "sectors": ["digital"],
        "unsubscribe_url": "http://testserver/",
    }
    assert (campaign.context, campaign.context_version) == (CALL_CONTEXT, 1)
    assert (campaign.mission, campaign.created_by, campaign.recipients) == (mission, staff, 2)
    assert (campaign.created_at, campaign.written_at) == (old["campaign"].created_at, STARTED)
    # The content type followed the model: the same row, so the same references.
    assert ContentType.objects.get_for_model(Campaign).pk == old_type
    assert not ContentType.objects.filter(app_label="notifications", model="campaign").exists()

    assert OutboundEmail.objects.count() == 4
    emails = list(campaign.emails.order_by("pk"))
    assert [email.pk for email in emails] == [email.pk for email in old["emails"]]
    assert [(email.status, email.sent_at) for email in emails] == [
        ("sent", STARTED),
        ("queued", None),
    ]
    for email in emails:
        assert (email.topic, email.mailing, email.context_version) == (mission, campaign, 1)
    reminder = OutboundEmail.objects.get(pk=old["reminder"].pk)
    assert (reminder.topic, reminder.mailing) == (mission, None)
    other = OutboundEmail.objects.get(pk=old["other"].pk)
    assert (other.topic_type, other.topic_id, other.mailing_type, other.mailing_id) == (
        None,
        None,
        None,
        None,
    )
    # Written in the format of then, read in it: the call and the reminder still render.
    english = render_email(emails[1])
    assert (
        "for the mission Canada 2027, to Toronto, Montréal (Canada), from 5 July 2027 to "
        "9 July 2027." in " ".join(english.body.split())
    )
    assert "mercredi 31 mars 2027, 12:00 (heure de Paris)" in render_email(reminder).body


def test_going_back_before_the_move_restores_the_foreign_keys(before_the_move):
    mission = OpenMissionFactory(slug="canada-2027")
    old = _fill(before_the_move, mission, StaffFactory())
    _migrate(_latest())

    _migrate(BEFORE)
    old_apps = _state_before()

    OldEmail = old_apps.get_model("notifications", "OutboundEmail")
    assert sorted(OldEmail.objects.values_list("pk", "mission_id", "campaign_id")) == sorted(
        [
            *[(email.pk, mission.pk, old["campaign"].pk) for email in old["emails"]],
            (old["reminder"].pk, mission.pk, None),
            (old["other"].pk, None, None),
        ]
    )
    OldCampaign = old_apps.get_model("notifications", "Campaign")
    assert list(OldCampaign.objects.values_list("pk", "mission_id")) == [
        (old["campaign"].pk, mission.pk)
    ]
    assert Mission.objects.filter(pk=mission.pk).exists()
