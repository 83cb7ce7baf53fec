from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationsConfig(AppConfig):
    name = "delegations"
    verbose_name = _("Delegations")

    def ready(self):
        # What a mission's life needs from its applications, told to missions (below).
        from delegations.selectors import seats_taken
        from delegations.services.applications import (
            mission_capacity_problems,
            mission_confirmation_problems,
        )
        from missions import hooks
        from missions.enums import MissionStatus

        hooks.add_transition_check(MissionStatus.CONFIRMED, mission_confirmation_problems)
        hooks.add_rule_check(mission_capacity_problems)
        hooks.add_annotation("seats_taken", seats_taken)
