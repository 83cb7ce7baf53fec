"""The meeting grid of a mission, for staff: sessions and tables, unavailabilities, the
scheduler's run, moves and locks."""

from django.http import Http404
from django.views import View


class _Stub(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


GridView = _Stub
GridConfigureView = _Stub
GridUnavailabilityView = _Stub
GridScheduleView = _Stub
MeetingMoveView = _Stub
MeetingLockView = _Stub
