from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # A mission is "reported" once its report is approved: told to missions (below).
        from missions import hooks
        from missions.enums import MissionStatus
        from reports.services import report_approval_problems

        hooks.add_transition_check(MissionStatus.REPORTED, report_approval_problems)
