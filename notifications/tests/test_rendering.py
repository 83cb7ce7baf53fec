"""Every kind of email renders completely, in each language, with times in the right zone."""

import copy
import datetime
import hashlib
import html.parser

import pytest

from notifications.kinds import KINDS
from notifications.models import OutboundEmail
from notifications.rendering import render_email
from notifications.services import email_queue

MISSING = "!!MISSING %s!!"
LANGUAGES = ["fr", "en"]
HELLO = {"fr": "Bonjour", "en": "Hello"}
ACTION_REQUIRED = {"fr": "[Action requise] ", "en": "[Action required] "}
# In the destination's zone, labelled with it: the samples' meetings are at 09:30 in Toronto.
TORONTO_0930 = {"fr": "09:30 (heure de Toronto)", "en": "09:30 (Toronto time)"}

EVERY_KIND = [(key, language) for key in KINDS for language in LANGUAGES]
CALENDAR_KINDS = [(key, lang) for key, lang in EVERY_KIND if KINDS[key].calendar_event]
OTHER_KINDS = [(key, lang) for key, lang in EVERY_KIND if not KINDS[key].calendar_event]
MEETING_KINDS = [
    (key, lang)
    for key, lang in EVERY_KIND
    if key in {"meeting_invitation", "meeting_tomorrow", "meeting_feedback"}
]


@pytest.fixture(autouse=True)
def _missing_variables_visible(settings):
    """A variable the context lacks renders as a sentinel instead of an empty string."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = MISSING
    settings.TEMPLATES = templates


def _render(key: str, language: str, *, pk: int = 1, idempotency_key: str = "k", **context):
    email = OutboundEmail(
        pk=pk,
        recipient="ali.messoudi@transpare.example",
        language=language,
        template_key=key,
        context={**KINDS[key].sample, **context},
        idempotency_key=idempotency_key,
    )
    return render_email(email)


def _html(message) -> str:
    [alternative] = message.alternatives
    assert alternative.mimetype == "text/html"
    return alternative.content


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def test_kinds_samples_have_every_required_key():
    incomplete = {
        key: sorted(kind.required - kind.sample.keys())
        for key, kind in KINDS.items()
        if kind.required - kind.sample.keys()
    }

    assert incomplete == {}


@pytest.mark.parametrize(("key", "language"), EVERY_KIND)
def test_render_email_sample_complete_in_language(key, language):
    message = _render(key, language)
    html = _html(message)

    for part in (message.subject, message.body, html):
        assert "!!MISSING" not in part
    assert message.subject.strip() != ""
    assert "\n" not in message.subject
    assert HELLO[language] in message.body
    assert HELLO[language] in html
    assert f'<html lang="{language}">' in html
    if language == "fr":
        assert "Hello" not in message.body
    assert message.to == ["ali.messoudi@transpare.example"]


@pytest.mark.parametrize(("key", "language"), EVERY_KIND)
def test_render_email_subject_action_prefix_only_when_action_required(key, language):
    subject = _render(key, language).subject

    assert subject.startswith(ACTION_REQUIRED[language]) is KINDS[key].action_required


@pytest.mark.parametrize(("key", "language"), CALENDAR_KINDS)
def test_render_email_calendar_kind_attaches_invitation_in_utc(key, language):
    event = KINDS[key].sample["event"]

    message = _render(key, language)

    [attachment] = message.attachments
    cancelled = event.get("cancelled", False)
    # A cancellation takes the meeting out of the calendar that imported it: same UID.
    assert attachment.filename == ("cancellation.ics" if cancelled else "invitation.ics")
    assert attachment.mimetype == (
        "text/calendar; method=CANCEL" if cancelled else "text/calendar"
    )
    lines = attachment.content.split("\r\n")
    assert ("METHOD:CANCEL" if cancelled else "METHOD:PUBLISH") in lines
    assert ("STATUS:CANCELLED" in lines) is cancelled
    assert f"DTSTART:{_utc(event['starts_at'])}" in lines
    assert f"DTEND:{_utc(event['ends_at'])}" in lines
    assert "DTSTART:20270708T133000Z" in lines
    assert f"UID:{event['uid']}" in lines


@pytest.mark.parametrize(("key", "language"), OTHER_KINDS)
def test_render_email_not_calendar_kind_attaches_nothing(key, language):
    assert _render(key, language).attachments == []


@pytest.mark.parametrize(("key", "language"), MEETING_KINDS)
def test_render_email_meeting_time_in_destination_zone(key, language):
    message = _render(key, language)

    assert TORONTO_0930[language] in message.body
    assert TORONTO_0930[language].split(" ", 1)[1] in _html(message)
    assert '<time datetime="2027-07-08T09:30:00-04:00">' in _html(message)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Rendez-vous avec Maple Ventures : 8 juillet, 09:30 (heure de Toronto)"),
        ("en", "Meeting with Maple Ventures: 8 July, 09:30 (Toronto time)"),
    ],
)
def test_render_email_meeting_invitation_subject_says_when_and_where(language, expected):
    assert _render("meeting_invitation", language).subject == expected


@pytest.mark.parametrize(
    ("language", "items"),
    [
        (
            "fr",
            [
                "jeudi 8 juillet, 09:00 (heure de Toronto) : Rendez-vous d'affaires qualifiés, "
                "Toronto",
                "samedi 10 juillet, 10:00 (heure de Toronto) : Startup Fest, Montréal",
            ],
        ),
        (
            "en",
            [
                "Thursday 8 July, 09:00 (Toronto time): Rendez-vous d'affaires qualifiés, Toronto",
                "Saturday 10 July, 10:00 (Toronto time): Startup Fest, Montréal",
            ],
        ),
    ],
)
def test_render_email_departure_programme_lists_items_in_destination_zone(language, items):
    message = _render("departure_programme", language)

    assert [line[2:] for line in message.body.splitlines() if line.startswith("- ")] == items
    assert _html(message).count("<li") == 2


@pytest.mark.parametrize(
    ("key", "language", "deadline"),
    [
        ("application_deadline_reminder", "fr", "mercredi 31 mars 2027, 12:00 (heure de Paris)"),
        ("application_deadline_reminder", "en", "Wednesday 31 March 2027, 12:00 (Paris time)"),
        ("seat_confirmation_pending", "fr", "jeudi 15 avril 2027, 18:00 (heure de Paris)"),
        ("seat_confirmation_pending", "en", "Thursday 15 April 2027, 18:00 (Paris time)"),
    ],
)
def test_render_email_deadline_in_paris_time(key, language, deadline):
    message = _render(key, language)

    assert deadline in message.body
    assert deadline.split(" (", 1)[0] in _html(message)


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("call_for_applications", "mission_title"),
        ("application_deadline_reminder", "mission_title"),
        ("seat_confirmation_pending", "mission_title"),
        ("meeting_invitation", "other_party"),
        ("meeting_tomorrow", "other_party"),
        ("departure_programme", "mission_title"),
        ("meeting_feedback", "other_party"),
        ("report_due", "mission_title"),
    ],
)
def test_render_email_special_characters_escaped_in_html_only(key, field):
    name = "Côte d'Ivoire & <Sénégal>"

    message = _render(key, "fr", **{field: name})

    assert name in message.subject
    assert name in message.body
    assert "Côte d&#x27;Ivoire &amp; &lt;Sénégal&gt;" in _html(message)
    assert name not in _html(message)


def test_render_email_message_id_same_for_a_row_different_for_another(settings):
    settings.DEFAULT_FROM_EMAIL = "Ville de Marseille — Missions <missions@marseille.fr>"
    digest = hashlib.sha256(b"decision:application:42:accepted").hexdigest()[:16]

    first = _render("report_due", "fr", pk=7, idempotency_key="decision:application:42:accepted")
    again = _render("report_due", "fr", pk=7, idempotency_key="decision:application:42:accepted")
    other = _render("report_due", "fr", pk=8, idempotency_key="decision:application:43:accepted")

    assert first.message()["Message-ID"] == f"<outbox-7.{digest}@marseille.fr>"
    assert again.message()["Message-ID"] == first.message()["Message-ID"]
    assert other.message()["Message-ID"] != first.message()["Message-ID"]


@pytest.mark.django_db
def test_email_queue_required_key_missing_refused():
    context = dict(KINDS["meeting_invitation"].sample)
    del context["timezone"]

    with pytest.raises(
        ValueError, match=r"Email 'meeting_invitation' lacks context \['timezone'\]"
    ):
        email_queue(
            to="ali.messoudi@transpare.example",
            language="fr",
            kind="meeting_invitation",
            context=context,
            idempotency_key="meeting:42:invitation:ali",
        )

    assert OutboundEmail.objects.count() == 0


class _TextOutsideLinks(html.parser.HTMLParser):
    """The text of an HTML email that is not inside a link."""

    def __init__(self):
        super().__init__()
        self.depth, self.text = 0, []

    def handle_starttag(self, tag, attrs):
        self.depth += tag == "a"

    def handle_endtag(self, tag):
        self.depth -= tag == "a"

    def handle_data(self, data):
        if not self.depth:
            self.text.append(data)


@pytest.mark.parametrize(("key", "language"), EVERY_KIND)
def test_every_address_in_an_html_email_is_a_link(key, language):
    parser = _TextOutsideLinks()
    parser.feed(_html(_render(key, language)))

    outside = " ".join(parser.text)

    assert "http://" not in outside
    assert "https://" not in outside
