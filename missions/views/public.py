from django.views.generic import ListView

from missions.selectors import missions_open_for_applications


class OpenMissionListView(ListView):
    """The public list: missions open for applications, for anyone."""

    template_name = "missions/open_list.html"
    context_object_name = "missions"

    def get_queryset(self):
        return missions_open_for_applications()
