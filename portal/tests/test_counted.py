"""A status beside a count agrees with it in both languages: "1 qualifiée", "2
qualifiées", "2 qualified" (the lists' totals: requests, applications, outbox)."""

import re

import pytest
from django.urls import reverse

from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus
from meetings.tests.factories import MeetingRequestFactory
from missions.tests.factories import OpenMissionFactory
from notifications.models import EmailStatus, OutboundEmail

pytestmark = pytest.mark.django_db


def _totals(page: str, list_id: str) -> list[str]:
    block = page.split(f'id="{list_id}"', 1)[1].split("</ul>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", block)
    return [" ".join(item.split()) for item in text.split("  ") if item.strip()]


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [("fr", "1 qualifiée", "2 qualifiées"), ("en", "1 qualified", "2 qualified")],
)
def test_the_requests_totals_agree_with_their_counts(client, staff_user, language, one, two):
    mission = OpenMissionFactory()
    MeetingRequestFactory(application__mission=mission, status=MeetingRequestStatus.QUALIFIED)
    client.force_login(staff_user)
    client.cookies["django_language"] = language
    url = reverse("meetings:requests", args=[mission.pk])

    assert one in " ".join(_totals(client.get(url).content.decode(), "request-counts"))
    MeetingRequestFactory(application__mission=mission, status=MeetingRequestStatus.QUALIFIED)
    assert two in " ".join(_totals(client.get(url).content.decode(), "request-counts"))


def test_the_applications_and_emails_totals_agree_in_french(client, staff_user):
    mission = OpenMissionFactory()
    for _ in range(2):
        ApplicationFactory(mission=mission, status=ApplicationStatus.ACCEPTED)
    for number in range(3):
        OutboundEmail.objects.create(
            recipient="ali@transpare.example",
            language="fr",
            template_key="password_reset",
            context={"recipient_name": "Ali", "reset_url": "http://testserver/"},
            idempotency_key=f"failed:{number}",
            status=EmailStatus.FAILED,
        )
    client.force_login(staff_user)
    client.cookies["django_language"] = "fr"

    review = client.get(reverse("delegations:review", args=[mission.pk])).content.decode()
    outbox = client.get(reverse("campaigns:outbox")).content.decode()

    assert "2 acceptées" in " ".join(_totals(review, "status-counts"))
    assert "3 en échec" in " ".join(_totals(outbox, "status-counts"))
