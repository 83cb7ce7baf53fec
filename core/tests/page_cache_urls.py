"""A page that writes as it is read, for core/tests/test_page_cache.py."""

from django.db.models import F
from django.http import HttpResponse
from django.urls import path

from missions.models import Mission


def count_visit(request, pk):
    Mission.objects.filter(pk=pk).update(capacity=F("capacity") + 1)
    capacity = Mission.objects.get(pk=pk).capacity
    return HttpResponse(f"<p>{capacity}</p>")


urlpatterns = [path("visit/<int:pk>/", count_visit)]
