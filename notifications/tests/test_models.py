"""The database itself refuses a second email for one idempotency key."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from notifications.models import EmailStatus, OutboundEmail

pytestmark = pytest.mark.django_db

KEY = "decision:application:42:accepted"
SENT_AT = datetime.datetime(2026, 5, 4, 9, 30, tzinfo=datetime.UTC)


def _email(**fields):
    values = {
        "recipient": "marie@transpare.example",
        "template_key": "application_decision",
        "idempotency_key": KEY,
    }
    values.update(fields)
    return OutboundEmail.objects.create(**values)


def test_outbound_email_idempotency_key_duplicate_refused():
    _email()

    with pytest.raises(IntegrityError), transaction.atomic():
        _email(recipient="other@transpare.example")

    assert list(OutboundEmail.objects.values_list("recipient", flat=True)) == [
        "marie@transpare.example"
    ]


def test_outbound_email_idempotency_key_duplicate_refused_in_bulk():
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboundEmail.objects.bulk_create(
            [
                OutboundEmail(recipient="a@x.org", template_key="reminder", idempotency_key=KEY),
                OutboundEmail(recipient="b@x.org", template_key="reminder", idempotency_key=KEY),
            ]
        )

    assert OutboundEmail.objects.count() == 0


def test_outbound_email_idempotency_key_different_accepted():
    _email()
    _email(idempotency_key="decision:application:43:accepted")

    assert OutboundEmail.objects.count() == 2


def test_outbound_email_sent_without_sent_at_refused():
    email = _email()

    with pytest.raises(IntegrityError), transaction.atomic():
        OutboundEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENT)

    email.refresh_from_db()
    assert email.status == "queued"


def test_outbound_email_sent_with_sent_at_accepted():
    email = _email()

    updated = OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENT, sent_at=SENT_AT
    )

    assert updated == 1
    email.refresh_from_db()
    assert email.status == "sent"
    assert email.sent_at == SENT_AT


@pytest.mark.parametrize("status", ["queued", "sending", "failed"])
def test_outbound_email_not_sent_without_sent_at_accepted(status):
    email = _email(status=status)

    email.refresh_from_db()
    assert email.status == status
    assert email.sent_at is None


def test_outbound_email_status_unknown_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        _email(status="bounced")

    assert OutboundEmail.objects.count() == 0


def test_outbound_email_attempts_negative_refused():
    email = _email()

    with pytest.raises(IntegrityError), transaction.atomic():
        OutboundEmail.objects.filter(pk=email.pk).update(attempts=-1)
