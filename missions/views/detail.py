from django.http import Http404
from django.views.generic import DetailView

from missions.enums import MISSION_TRANSITIONS, MissionStatus
from missions.selectors import missions_for_detail

# The order the buttons come in: forward first, cancelling last.
TRANSITION_ORDER = list(MissionStatus)


class MissionDetailView(DetailView):
    """A mission's page: the public view of an open mission for anyone; for the city
    (staff and officials) every mission with its history, programme in destination and
    Paris time, and fill rate; for staff the buttons that change it."""

    template_name = "missions/detail.html"
    context_object_name = "mission"

    def get_queryset(self):
        return missions_for_detail()

    def get_object(self, queryset=None):
        mission = super().get_object(queryset)
        # Whoever may not see a mission is told it does not exist.
        if not self.request.user.has_perm("missions.view_mission_page", mission):
            raise Http404
        return mission

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        mission = self.object
        can_manage = user.has_perm("missions.manage_mission")
        is_city = can_manage or user.has_perm("missions.view_mission_internals")
        allowed = MISSION_TRANSITIONS.get(mission.status, set())
        context.update(
            can_manage=can_manage,
            is_city=is_city,
            # Offered as buttons; the service checks the preconditions when clicked.
            next_statuses=(
                [status for status in TRANSITION_ORDER if status in allowed] if can_manage else []
            ),
        )
        return context
