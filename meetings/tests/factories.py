import datetime

import factory
from django.utils import timezone

from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.models import Counterpart, Meeting, MeetingGrid, MeetingRequest, MeetingSlot
from missions.tests.factories import OpenMissionFactory


class CounterpartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counterpart

    mission = factory.SubFactory(OpenMissionFactory)
    organisation = factory.Sequence(lambda n: f"Maple Ventures {n}")
    kind = "investor"
    city = "Toronto"
    contact_name = "Jane Doe"
    email = factory.Sequence(lambda n: f"partner{n}@toronto.example")
    language = "en"


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRequest

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.CONFIRMED)
    counterpart = factory.SubFactory(
        CounterpartFactory, mission=factory.SelfAttribute("..application.mission")
    )
    priority = 2


class MeetingGridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingGrid

    mission = factory.SubFactory(OpenMissionFactory)
    tables = 5


class MeetingSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSlot

    grid = factory.SubFactory(MeetingGridFactory)
    starts_at = factory.Sequence(
        lambda n: (
            timezone.now().replace(minute=0, second=0, microsecond=0)
            + datetime.timedelta(days=90, minutes=30 * n)
        )
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + datetime.timedelta(minutes=30))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    request = factory.SubFactory(MeetingRequestFactory)
    slot = factory.SubFactory(
        MeetingSlotFactory, grid__mission=factory.SelfAttribute("...request.application.mission")
    )
    table = 1
    application = factory.SelfAttribute("request.application")
    counterpart = factory.SelfAttribute("request.counterpart")
