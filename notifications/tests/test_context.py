"""An email's context keeps its types from the queue to the template, and says nothing
in a language before it is rendered; rows of the legacy format still render."""

import datetime
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop
from django_countries.fields import Country

from core.zones import PARIS
from notifications.context import (
    ContextDecoder,
    ContextEncoder,
    Message,
    Translated,
    legacy_values,
    localised,
)
from notifications.kinds import KINDS
from notifications.models import OutboundEmail
from notifications.rendering import render_email
from notifications.services import email_queue

TORONTO = ZoneInfo("America/Toronto")
DIGITAL = Translated({"fr": "Numérique", "en": "Digital"})

TYPED = {
    "starts_at": datetime.datetime(2027, 7, 8, 9, 30, tzinfo=TORONTO),
    "sent_at": datetime.datetime(2027, 3, 1, 8, 0, tzinfo=datetime.UTC),
    "start_date": datetime.date(2027, 7, 5),
    "opens": datetime.time(9, 30),
    "estimated_value": Decimal("12500.50"),
    "country": Country("JP"),
    "sectors": [DIGITAL],
    "event": {
        "location": Message(
            gettext_noop("%(place)s — table %(table)s"), {"place": "Kobe", "table": 3}
        )
    },
    "meeting_count": 4,
    "from_waitlist": False,
    "comment": "2027-07-05",  # text that looks like a date stays text
    "closes_at": "",
}

STORED = {
    "starts_at": {
        "__type__": "datetime",
        "value": "2027-07-08T09:30:00-04:00",
        "zone": "America/Toronto",
    },
    "sent_at": {"__type__": "datetime", "value": "2027-03-01T08:00:00+00:00"},
    "start_date": {"__type__": "date", "value": "2027-07-05"},
    "opens": {"__type__": "time", "value": "09:30:00"},
    "estimated_value": {"__type__": "decimal", "value": "12500.50"},
    "country": {"__type__": "country", "value": "JP"},
    "sectors": [{"__type__": "translated", "value": {"fr": "Numérique", "en": "Digital"}}],
    "event": {
        "location": {
            "__type__": "message",
            "value": "%(place)s — table %(table)s",
            "params": {"place": "Kobe", "table": 3},
        }
    },
    "meeting_count": 4,
    "from_waitlist": False,
    "comment": "2027-07-05",
    "closes_at": "",
}


def _stored_context(pk: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT context::text FROM notifications_outboundemail WHERE id = %s", [pk])
        return json.loads(cursor.fetchone()[0])


def _queue(kind: str, context: dict, **fields) -> OutboundEmail:
    return email_queue(
        to="ali.messoudi@transpare.example",
        language="fr",
        kind=kind,
        context=context,
        idempotency_key=f"test:{kind}",
        **fields,
    )


@pytest.mark.django_db
def test_context_typed_values_stored_with_their_type_tags():
    email = OutboundEmail.objects.create(
        recipient="ali@transpare.example",
        template_key="report_due",
        context=TYPED,
        idempotency_key="k",
    )

    assert _stored_context(email.pk) == STORED
    assert email.context_version == 2


@pytest.mark.django_db
def test_context_typed_values_read_back_with_their_types():
    email = OutboundEmail.objects.create(
        recipient="ali@transpare.example",
        template_key="report_due",
        context=TYPED,
        idempotency_key="k",
    )

    context = OutboundEmail.objects.get(pk=email.pk).context

    assert context == TYPED
    assert {key: type(value) for key, value in context.items()} == {
        key: type(value) for key, value in TYPED.items()
    }
    assert context["starts_at"].tzinfo == TORONTO
    assert context["sent_at"].utcoffset() == datetime.timedelta(0)
    assert type(context["sectors"][0]) is Translated
    assert type(context["event"]["location"]) is Message


def test_context_decoder_unknown_type_refused():
    with pytest.raises(ValueError, match=r"^Unknown type 'money' in an email's context\.$"):
        json.loads('{"fee": {"__type__": "money", "value": "12"}}', cls=ContextDecoder)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (
            datetime.datetime(2027, 7, 8, 9, 30),
            "A datetime in an email's context needs a time zone",
        ),
        (gettext_lazy("Mission"), "A lazy translation in an email's context would be translated"),
        (object(), "An email's context cannot hold object"),
    ],
)
def test_context_encoder_value_it_cannot_bring_back_refused(value, error):
    with pytest.raises(TypeError, match=f"^{error}"):
        json.dumps({"value": value}, cls=ContextEncoder)


@pytest.mark.django_db
def test_email_queue_date_given_as_text_refused():
    context = {**KINDS["application_deadline_reminder"].sample, "deadline_at": "2027-03-31T12:00"}

    with pytest.raises(
        ValueError,
        match=(
            r"^Email 'application_deadline_reminder' needs 'deadline_at' as datetime, not str\.$"
        ),
    ):
        _queue("application_deadline_reminder", context)

    assert OutboundEmail.objects.count() == 0


@pytest.mark.django_db
def test_email_queue_datetime_given_for_a_date_refused():
    context = {
        **KINDS["report_due"].sample,
        "due_date": datetime.datetime(2027, 8, 9, tzinfo=PARIS),
    }

    with pytest.raises(
        ValueError, match=r"^Email 'report_due' needs 'due_date' as date, not datetime\.$"
    ):
        _queue("report_due", context)

    assert OutboundEmail.objects.count() == 0


@pytest.mark.django_db
def test_email_queue_reserved_key_refused():
    context = {**KINDS["report_due"].sample, "extra": {"__type__": "date", "value": "2027-01-01"}}

    with pytest.raises(
        ValueError, match=r"^context\['extra'\] uses the reserved key '__type__'\.$"
    ):
        _queue("report_due", context)

    assert OutboundEmail.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", {"sectors": ["Numérique"], "where": "Japon — table 3", "country": "Japon"}),
        ("en", {"sectors": ["Digital"], "where": "Japan — table 3", "country": "Japan"}),
    ],
)
def test_localised_texts_in_the_active_language(language, expected):
    values = {
        "sectors": [DIGITAL],
        "where": Message(
            gettext_noop("%(place)s — table %(table)s"), {"place": Country("JP"), "table": 3}
        ),
        "country": Country("JP"),
    }

    with translation.override(language):
        texts = localised(values)
        country = texts["country"].name

    assert {**texts, "country": country} == expected


def test_translated_without_the_language_falls_back_to_french():
    with translation.override("en"):
        assert str(Translated({"fr": "Numérique"})) == "Numérique"


def test_legacy_values_revived_by_key_name():
    assert legacy_values(
        {
            "deadline_at": "2027-03-31T12:00:00+02:00",
            "end_date": "2027-07-09",
            "programme": [{"starts_at": "2027-07-08T09:00:00-04:00", "title": "Fest"}],
            "title": "2027-07-09",
        }
    ) == {
        "deadline_at": datetime.datetime(2027, 3, 31, 12, 0, tzinfo=PARIS),
        "end_date": datetime.date(2027, 7, 9),
        "programme": [
            {"starts_at": datetime.datetime(2027, 7, 8, 9, 0, tzinfo=TORONTO), "title": "Fest"}
        ],
        "title": "2027-07-09",
    }


LEGACY_REMINDER = {
    "recipient_name": "Ali Messoudi",
    "mission_title": "Canada 2027",
    "application_url": "https://missions.marseille.fr/delegations/applications/7/",
    "deadline_at": "2027-03-31T12:00:00+02:00",
}


def _insert_as_before_typed_contexts(
    context: dict, kind: str = "application_deadline_reminder"
) -> int:
    """A row as the portal wrote it before contexts were typed: no context_version."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO notifications_outboundemail (recipient, recipient_name, language,"
            " template_key, context, idempotency_key, status, attempts, last_error,"
            " scheduled_at, created_at) VALUES ('ali@transpare.example', 'Ali Messoudi', 'en',"
            " %s, %s, 'legacy:1', 'queued', 0, '', now(), now()) RETURNING id",
            [kind, json.dumps(context)],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_legacy_row_read_as_legacy_and_renders_its_dates():
    pk = _insert_as_before_typed_contexts(LEGACY_REMINDER)

    email = OutboundEmail.objects.get(pk=pk)
    message = render_email(email)

    assert email.context_version == 1
    assert email.context["deadline_at"] == "2027-03-31T12:00:00+02:00"
    assert "Wednesday 31 March 2027, 12:00 (Paris time)" in message.body


@pytest.mark.django_db
def test_legacy_row_renders_as_the_same_email_typed():
    legacy = OutboundEmail.objects.get(pk=_insert_as_before_typed_contexts(LEGACY_REMINDER))
    typed = OutboundEmail.objects.create(
        recipient="ali@transpare.example",
        language="en",
        template_key="application_deadline_reminder",
        context={
            **LEGACY_REMINDER,
            "deadline_at": datetime.datetime(2027, 3, 31, 12, 0, tzinfo=PARIS),
        },
        idempotency_key="typed:1",
    )

    before, after = render_email(legacy), render_email(OutboundEmail.objects.get(pk=typed.pk))

    assert (after.subject, after.body) == (before.subject, before.body)
    assert after.alternatives[0].content == before.alternatives[0].content


@pytest.mark.django_db
def test_legacy_call_for_applications_row_renders_its_destination_as_written():
    pk = _insert_as_before_typed_contexts(
        {
            "recipient_name": "Ali Messoudi",
            "mission_title": "Canada 2027",
            "mission_url": "https://missions.marseille.fr/missions/canada-2027/",
            "destination": "Toronto, Montréal (Canada)",
            "start_date": "2027-07-05",
            "end_date": "2027-07-09",
            "deadline_at": "2027-03-31T12:00:00+02:00",
            "sectors": ["Numérique", "Santé"],
            "unsubscribe_url": "https://missions.marseille.fr/",
        },
        kind="call_for_applications",
    )

    message = render_email(OutboundEmail.objects.get(pk=pk))

    assert message.body.splitlines()[2:5] == [
        "The City of Marseille is putting together a delegation of companies for the mission "
        "Canada 2027, to Toronto, Montréal (Canada), from 5 July 2027 to 9 July 2027.",
        "",
        "Sectors: Numérique, Santé",
    ]
