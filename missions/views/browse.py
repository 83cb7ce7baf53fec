"""Browsing missions: the list with filters, the year calendar, the iCal feed."""

from django.views import View


class MissionListView(View):
    pass


class CalendarView(View):
    pass


class MissionFeedView(View):
    pass
