"""Thin Celery tasks of the campaigns, retried like the outbox's while the database is away
(see notifications/tasks.py)."""

from celery import shared_task

from campaigns import services
from notifications.tasks import RETRIED_ON_DATABASE_ERRORS


@shared_task(
    name="campaigns.write_campaign", acks_late=True, ignore_result=True,
    **RETRIED_ON_DATABASE_ERRORS,
)  # fmt: skip
def write_campaign(campaign_id: int) -> int:
    return services.campaign_write(campaign_id=campaign_id)


# The task's name before campaigns had an app of their own: a message published under it
# (in Redis during the upgrade) is still run. Nothing publishes it any more.
@shared_task(
    name="notifications.write_campaign", acks_late=True, ignore_result=True,
    **RETRIED_ON_DATABASE_ERRORS,
)  # fmt: skip
def write_campaign_under_its_former_name(campaign_id: int) -> int:
    return services.campaign_write(campaign_id=campaign_id)


@shared_task(
    name="campaigns.dispatch_pending", ignore_result=True,
    # Beat runs it again at its next tick: retries stop before that.
    **{**RETRIED_ON_DATABASE_ERRORS, "max_retries": 4},
)  # fmt: skip
def dispatch_pending() -> int:
    return services.campaigns_dispatch_pending()
