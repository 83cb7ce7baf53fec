"""One way to write each kind of value per language, on pages and in emails (portal/
formats/, core.numbers): dates with the month in words, day first, a 24-hour clock;
CSV files keep ISO dates, which every spreadsheet sorts."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import formats, translation

from delegations.tests.factories import ApplicationFactory
from missions.tests.factories import OpenMissionFactory
from notifications.models import OutboundEmail
from notifications.rendering import render_email

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MOMENT = datetime.datetime(2026, 12, 4, 16, 38, tzinfo=PARIS)
WRITTEN = {
    "fr": {
        "DATE_FORMAT": "4 décembre 2026",
        "SHORT_DATE_FORMAT": "4 déc 2026",
        "DATETIME_FORMAT": "4 décembre 2026, 16:38",
        "SHORT_DATETIME_FORMAT": "4 déc 2026, 16:38",
        "TIME_FORMAT": "16:38",
    },
    "en": {
        "DATE_FORMAT": "4 December 2026",
        "SHORT_DATE_FORMAT": "4 Dec 2026",
        "DATETIME_FORMAT": "4 December 2026, 16:38",
        "SHORT_DATETIME_FORMAT": "4 Dec 2026, 16:38",
        "TIME_FORMAT": "16:38",
    },
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_kind_of_date_is_written_one_unambiguous_way(language):
    with translation.override(language):
        written = {name: formats.date_format(MOMENT, name) for name in WRITTEN[language]}

    assert written == WRITTEN[language]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_page_writes_a_moment_as_its_language_does(client, staff_user, language):
    mission = OpenMissionFactory()
    ApplicationFactory(mission=mission, submitted_at=MOMENT)
    client.force_login(staff_user)
    client.cookies["django_language"] = language

    page = client.get(reverse("delegations:review", args=[mission.pk])).content.decode()

    assert WRITTEN[language]["SHORT_DATETIME_FORMAT"] in page


@pytest.mark.parametrize(
    ("language", "written"),
    [("fr", "vendredi 4 décembre 2026, 16:38"), ("en", "Friday 4 December 2026, 16:38")],
)
def test_an_email_writes_a_moment_as_its_recipients_language_does(language, written):
    application = ApplicationFactory(submitted_at=MOMENT)
    email = OutboundEmail(
        pk=1,
        recipient="ali@transpare.example",
        language=language,
        template_key="application_receipt",
        context={
            "recipient_name": "Ali",
            "company_name": application.company.name,
            "mission_title": application.mission.title,
            "submitted_at": MOMENT,
            "application_url": "https://missions.example/",
        },
        idempotency_key="k",
    )

    assert written in render_email(email).body


@pytest.mark.parametrize(("language", "value"), [("fr", "50000,00"), ("en", "50000.00")])
def test_a_csv_writes_numbers_as_its_languages_spreadsheet_reads_them(
    client, staff_user, language, value
):
    """Dates ISO (any spreadsheet sorts them), numbers ungrouped with the language's decimal
    mark (a French spreadsheet reads "50000,00" as a number)."""
    from decimal import Decimal

    from meetings.enums import MeetingStatus
    from meetings.tests.factories import MeetingFactory, MeetingSlotFactory

    meeting = MeetingFactory(
        slot=MeetingSlotFactory(starts_at=MOMENT, ends_at=MOMENT + datetime.timedelta(hours=1)),
        status=MeetingStatus.HELD,
        estimated_value=Decimal("50000"),
    )
    mission = meeting.application.mission
    client.force_login(staff_user)
    client.cookies["django_language"] = language

    response = client.get(reverse("reports:report_meetings_csv", args=[mission.slug]))

    row = response.content.decode("utf-8-sig").splitlines()[1].split(";")
    local = MOMENT.astimezone(mission.zone)
    assert row[:2] == [local.date().isoformat(), local.strftime("%H:%M")]
    assert row[-1] == value
