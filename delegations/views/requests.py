"""Counterparts at the destination and meeting requests: staff's lists, forms and import;
a confirmed company's own requests."""

from django.http import Http404
from django.views import View


class _Stub(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


CounterpartListView = _Stub
CounterpartFormView = _Stub
CounterpartImportView = _Stub
RequestListView = _Stub
RequestAddView = _Stub
RequestQualifyView = _Stub
RequestDeclineView = _Stub
CompanyRequestsView = _Stub
CompanyRequestDeleteView = _Stub
