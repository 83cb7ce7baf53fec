"""Thin Celery tasks: ids in, a service call. Late acknowledgement everywhere.

No task is given a long countdown or ETA: a reminder is an outbox row with a due
time, found by ``notifications.dispatch_due`` which Celery beat runs.
"""

from celery import shared_task

from notifications import services


@shared_task(name="notifications.send_emails", acks_late=True, ignore_result=True)
def send_emails(ids: list[int]) -> dict:
    return services.email_deliver(ids=ids)


@shared_task(name="notifications.dispatch_due", ignore_result=True)
def dispatch_due() -> int:
    return services.email_dispatch_due()


@shared_task(name="notifications.write_campaign", acks_late=True, ignore_result=True)
def write_campaign(campaign_id: int) -> int:
    return services.campaign_write(campaign_id=campaign_id)
