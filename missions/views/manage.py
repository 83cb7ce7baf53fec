"""Staff pages that change a mission: create, edit, transitions, programme, duplicate."""

from django.views import View


class MissionCreateView(View):
    pass


class MissionUpdateView(View):
    pass


class MissionTransitionView(View):
    pass


class MissionDuplicateView(View):
    pass


class ProgrammeItemCreateView(View):
    pass


class ProgrammeItemUpdateView(View):
    pass


class ProgrammeItemDeleteView(View):
    pass
