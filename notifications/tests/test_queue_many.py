"""``email_build`` and ``email_queue_many``: thousands of emails queued at once, each once."""

import datetime

import pytest
from django.utils import timezone

from notifications.kinds import KINDS
from notifications.models import EmailStatus, OutboundEmail
from notifications.services import email_build, email_queue_many

pytestmark = pytest.mark.django_db

KIND = "call_for_applications"


def _built(key: str, **fields) -> OutboundEmail:
    return email_build(
        to=f"{key}@company.example",
        language="fr",
        kind=KIND,
        context=KINDS[KIND].sample,
        idempotency_key=key,
        **fields,
    )


def test_email_build_checks_the_context_as_email_queue_does():
    with pytest.raises(ValueError, match=r"^Email 'call_for_applications' lacks context"):
        email_build(
            to="ali@transpare.example",
            language="fr",
            kind=KIND,
            context={"recipient_name": "Ali"},
            idempotency_key="k",
        )


def test_email_queue_many_taken_keys_skipped_and_returned_as_they_are(
    handed_over, django_capture_on_commit_callbacks
):
    earlier = OutboundEmail.objects.create(
        recipient="first@company.example",
        template_key=KIND,
        idempotency_key="call:1:a",
        status=EmailStatus.SENT,
        sent_at=timezone.now(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        rows = email_queue_many([_built("call:1:a"), _built("call:1:b"), _built("call:1:c")])

    new = OutboundEmail.objects.exclude(pk=earlier.pk)
    assert sorted(row.pk for row in rows) == sorted(
        [earlier.pk, *new.values_list("pk", flat=True)]
    )
    assert OutboundEmail.objects.get(pk=earlier.pk).recipient == "first@company.example"
    assert sorted(new.values_list("recipient", flat=True)) == [
        "call:1:b@company.example",
        "call:1:c@company.example",
    ]
    # Handed over after commit: the queued rows only, in one batch.
    assert [sorted(batch) for batch in handed_over] == [sorted(new.values_list("pk", flat=True))]


def test_email_queue_many_not_due_left_to_beat(handed_over, django_capture_on_commit_callbacks):
    later = timezone.now() + datetime.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        email_queue_many([_built("later", scheduled_at=later)])

    assert handed_over == []
    assert OutboundEmail.objects.get().status == EmailStatus.QUEUED


def test_email_queue_many_nothing_handed_over_before_commit(
    handed_over, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email_queue_many([_built("call:1:a")])

    assert handed_over == []
    assert len(callbacks) == 1
