from django.http import Http404
from django.views.generic import DetailView

from missions.models import Mission


class MissionDetailView(DetailView):
    template_name = "missions/detail.html"
    context_object_name = "mission"

    def get_queryset(self):
        return Mission.objects.prefetch_related("sectors", "programme", "officials")

    def get_object(self, queryset=None):
        mission = super().get_object(queryset)
        # Whoever may not see a mission is told it does not exist.
        if not self.request.user.has_perm("missions.view_mission", mission):
            raise Http404
        return mission
