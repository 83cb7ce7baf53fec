"""The campaigns' tasks and beat's sweep: a campaign recorded while the broker was down
is started by beat; a task published under the former name still runs."""

import pytest
from celery import current_app

from campaigns import services
from campaigns.models import Campaign, CampaignStatus

pytestmark = pytest.mark.django_db


def _campaign(status: str) -> Campaign:
    return Campaign.objects.create(
        kind="call_for_applications", audience="company_members", status=status
    )


def test_campaigns_dispatch_pending_hands_over_pending_campaigns_only(handed_over):
    pending = [_campaign(CampaignStatus.PENDING), _campaign(CampaignStatus.PENDING)]
    _campaign(CampaignStatus.WRITING)
    _campaign(CampaignStatus.WRITTEN)

    assert services.campaigns_dispatch_pending() == 2

    assert sorted(handed_over.campaigns) == sorted(campaign.pk for campaign in pending)


def test_campaigns_dispatch_pending_broker_down_left_for_next_tick(handed_over):
    _campaign(CampaignStatus.PENDING)
    handed_over.broker_down = True

    assert services.campaigns_dispatch_pending() == 1

    assert handed_over.campaigns == []
    assert Campaign.objects.get().status == CampaignStatus.PENDING


def test_beat_runs_the_campaigns_sweep(settings):
    assert settings.CELERY_BEAT_SCHEDULE["campaigns-dispatch-pending"] == {
        "task": "campaigns.dispatch_pending",
        "schedule": 30.0,
    }
    assert "campaigns.dispatch_pending" in current_app.tasks


@pytest.mark.parametrize("name", ["campaigns.write_campaign", "notifications.write_campaign"])
def test_write_campaign_task_runs_under_both_names(name):
    campaign = _campaign(CampaignStatus.PENDING)  # an audience of nobody: written at once

    assert current_app.tasks[name].run(campaign.pk) == 0

    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.WRITTEN
