"""Meetings once placed: invitations, the counterpart's answer and feedback through a signed
link, agendas (page, PDF, .ics) and outcomes."""

from django.http import Http404
from django.views import View


class _Stub(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


MeetingsInviteView = _Stub
MeetingRespondView = _Stub
CounterpartFeedbackView = _Stub
CompanyAgendaView = _Stub
CompanyAgendaPdfView = _Stub
CompanyAgendaIcsView = _Stub
CounterpartAgendaView = _Stub
CounterpartAgendaPdfView = _Stub
CounterpartAgendaIcsView = _Stub
MeetingOutcomeView = _Stub
