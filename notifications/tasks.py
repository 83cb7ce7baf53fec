"""Thin Celery tasks: ids in, a service call. Late acknowledgement everywhere.

No task is given a long countdown or ETA: a reminder is an outbox row with a due
time, found by ``notifications.dispatch_due`` which Celery beat runs.

A database that does not answer (a restart, a fail-over) is waited for: a task
that meets ``OperationalError`` or ``InterfaceError`` is retried after a short
random wait (up to 1 s, then 2 s, 4 s... at most OUTBOX_DB_RETRY_MAX_SECONDS), not
acknowledged and dropped. The services are safe to run again.
"""

from celery import shared_task
from django.conf import settings

from notifications import services

RETRIED_ON_DATABASE_ERRORS = {
    "autoretry_for": services.DATABASE_ERRORS,
    "retry_backoff": 1,
    "retry_backoff_max": settings.OUTBOX_DB_RETRY_MAX_SECONDS,
    "retry_jitter": True,
    "max_retries": None,  # for as long as the database is away
}


@shared_task(
    name="notifications.send_emails", acks_late=True, ignore_result=True,
    **RETRIED_ON_DATABASE_ERRORS,
)  # fmt: skip
def send_emails(ids: list[int]) -> dict:
    return services.email_deliver(ids=ids)


@shared_task(
    name="notifications.dispatch_due", ignore_result=True,
    # Beat runs it again at its next tick: retries stop before that.
    **{**RETRIED_ON_DATABASE_ERRORS, "max_retries": 4},
)  # fmt: skip
def dispatch_due() -> int:
    return services.email_dispatch_due()
