from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    name = "missions"
    verbose_name = _("Missions")

    def ready(self):
        from missions import hooks
        from missions.enums import MissionStatus
        from missions.services import report_approval_problems

        hooks.add_transition_check(MissionStatus.REPORTED, report_approval_problems)
