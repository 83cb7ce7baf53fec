
import factory

from companies.tests.factories import CompanyFactory
from delegations.enums import ApplicationStatus
from delegations.models import Application
from missions.tests.factories import OpenMissionFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    mission = factory.SubFactory(OpenMissionFactory)
    company = factory.SubFactory(CompanyFactory)
    status = ApplicationStatus.SUBMITTED
    # What the company was told: unless a test says otherwise, what its status is.
    announced_status = factory.SelfAttribute("status")
    objectives = "Find a distributor in Ontario."
