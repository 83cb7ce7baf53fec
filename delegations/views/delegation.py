"""A mission's delegation: confirmed companies by sector, delegates, officials, roster."""

from django.http import Http404
from django.views import View


class DelegationView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


RosterView = DelegationView
