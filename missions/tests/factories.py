import datetime

import factory
from django.utils import timezone

from missions.enums import MissionStatus
from missions.models import Mission, ProgrammeItem, Sector


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"sector-{n}")
    name_fr = factory.Sequence(lambda n: f"Secteur {n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission

    title = factory.Sequence(lambda n: f"Mission {n} — Toronto")
    slug = factory.Sequence(lambda n: f"mission-{n}")
    country = "CA"
    cities = "Toronto, Montréal"
    timezone = "America/Toronto"
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
    end_date = factory.LazyAttribute(lambda m: m.start_date + datetime.timedelta(days=4))
    capacity = 30
    status = MissionStatus.DRAFT


class OpenMissionFactory(MissionFactory):
    status = MissionStatus.OPEN
    applications_open_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=10)
    )
    application_deadline = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=30)
    )


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    mission = factory.SubFactory(MissionFactory)
    kind = "networking"
    title = factory.Sequence(lambda n: f"Event {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=90))
    ends_at = factory.LazyAttribute(lambda p: p.starts_at + datetime.timedelta(hours=2))
