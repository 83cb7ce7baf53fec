"""The home dashboard: what every app has for the person who logs in."""

from django.shortcuts import render
from django.utils import timezone

from accounts.rules import role_of
from companies.selectors import company_of
from delegations.enums import ApplicationStatus
from delegations.selectors import applications_of_company, missions_to_act_on
from missions.selectors import missions_open_for_applications
from portal.workspace import meetings_waiting
from reports.selectors import reports_awaiting_review, reports_sent_back


def home(request):
    """Each role lands on what it has to do."""
    role = role_of(request.user)
    if role == "staff":
        return render(
            request,
            "portal/home_staff.html",
            {
                "missions": missions_to_act_on(),
                "meetings_waiting": meetings_waiting(),
                "reports": reports_awaiting_review(),
                "reports_sent_back": reports_sent_back(),
            },
        )
    if role == "official":
        return render(
            request, "portal/home_official.html", {"reports": reports_awaiting_review()}
        )
    if role == "company":
        company = company_of(request.user)
        applications = list(applications_of_company(company))
        applied = {application.mission_id for application in applications}
        return render(
            request,
            "portal/home_company.html",
            {
                "company": company,
                "applications": applications,
                "now": timezone.now(),
                # Told they are accepted: the seat is theirs once they confirm it.
                "seats_to_confirm": [
                    application
                    for application in applications
                    if application.announced_status == ApplicationStatus.ACCEPTED
                ],
                "open_missions": [
                    mission
                    for mission in missions_open_for_applications()
                    if mission.pk not in applied
                ],
            },
        )
    if role == "pending":
        return render(request, "portal/home_pending.html")
    return render(
        request,
        "portal/home_anonymous.html",
        {"open_missions": missions_open_for_applications()},
    )
