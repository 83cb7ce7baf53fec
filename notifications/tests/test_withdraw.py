"""``email_withdraw``: the one way an app takes back emails it queued and no longer wants."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from accounts.models import User
from accounts.tests.factories import UserFactory
from notifications.models import EmailStatus, OutboundEmail
from notifications.services import email_withdraw

pytestmark = pytest.mark.django_db

SENT_AT = datetime.datetime(2027, 3, 1, 8, 0, tzinfo=datetime.UTC)


def _email(key: str, *, about, kind: str = "meeting_tomorrow", **fields) -> OutboundEmail:
    model, pk = about
    return OutboundEmail.objects.create(
        recipient="ali@transpare.example",
        template_key=kind,
        idempotency_key=key,
        related_type=ContentType.objects.get_for_model(model),
        related_id=pk,
        **fields,
    )


@pytest.fixture
def person():
    """What the emails are about: any model of any app will do."""
    return UserFactory()


def test_email_withdraw_deletes_queued_emails_of_the_kinds_about_the_object(person):
    about = (User, person.pk)
    _email("reminder:ali", about=about)
    _email("reminder:jo", about=about)
    _email("feedback:ali", about=about, kind="meeting_feedback")
    kept = [
        _email("invitation:ali", about=about, kind="meeting_invitation").pk,
        _email("other-person", about=(User, person.pk + 1)).pk,
        # The same id, another model: another object.
        _email("a-group", about=(Group, person.pk)).pk,
    ]

    withdrawn = email_withdraw(related=person, kinds=["meeting_tomorrow", "meeting_feedback"])

    assert withdrawn == 3
    assert sorted(OutboundEmail.objects.values_list("pk", flat=True)) == sorted(kept)


@pytest.mark.parametrize(
    ("status", "fields"),
    [
        (EmailStatus.SENDING, {}),
        (EmailStatus.SENT, {"sent_at": SENT_AT}),
        (EmailStatus.FAILED, {"last_error": "550 5.1.1 No such user"}),
    ],
)
def test_email_withdraw_keeps_what_a_worker_took_or_went_out(person, status, fields):
    email = _email("reminder:ali", about=(User, person.pk), status=status, **fields)

    assert email_withdraw(related=person, kinds=["meeting_tomorrow"]) == 0

    assert OutboundEmail.objects.get().pk == email.pk


def test_email_withdraw_unknown_kind_refused_nothing_withdrawn(person):
    _email("reminder:ali", about=(User, person.pk))

    with pytest.raises(ValueError, match=r"^Unknown email kind 'meeting_tommorow'\.$"):
        email_withdraw(related=person, kinds=["meeting_tomorrow", "meeting_tommorow"])

    assert OutboundEmail.objects.count() == 1


def test_email_withdraw_undone_with_the_change_that_asked_for_it(person):
    _email("reminder:ali", about=(User, person.pk))

    with pytest.raises(RuntimeError), transaction.atomic():
        email_withdraw(related=person, kinds=["meeting_tomorrow"])
        raise RuntimeError("the change failed")

    assert OutboundEmail.objects.count() == 1
