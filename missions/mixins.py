"""The city's pages of one mission, for every app above missions."""

from django.shortcuts import get_object_or_404

from core.mixins import HiddenUnlessPermittedMixin
from missions.models import Mission


class MissionPageMixin(HiddenUnlessPermittedMixin):
    """A page of one mission for those ``permission_required`` lets in: checked first,
    before anything is fetched (a 404 to anyone else, whatever the mission), then
    ``get_mission()`` reads it from the URL (``slug`` or ``mission_pk``) once."""

    def get_mission(self) -> Mission:
        if "_mission" not in self.__dict__:
            if "slug" in self.kwargs:
                lookup = {"slug": self.kwargs["slug"]}
            else:
                lookup = {"pk": self.kwargs["mission_pk"]}
            self._mission = get_object_or_404(Mission, **lookup)
        return self._mission
