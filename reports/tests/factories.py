import factory

from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory
from reports.models import MissionReport


class MissionReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MissionReport

    mission = factory.SubFactory(MissionFactory, status=MissionStatus.COMPLETED)
    narrative = "What the mission achieved."
