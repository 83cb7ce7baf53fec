"""Browsing missions: the list with filters, the year calendar, the iCal feed.

For the city only (staff and officials). Companies and anonymous visitors are sent to
the open missions, the only ones they may see; the feed, read by calendar apps that
cannot log in, also accepts a signed token and otherwise does not exist (404).
"""

import datetime

from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.models import User
from accounts.rules import is_city_staff, is_official
from core.dates import FIRST_YEAR, LAST_YEAR
from missions.enums import MissionStatus
from missions.filters import MissionFilter
from missions.models import Mission
from missions.selectors import missions_in_year, missions_with_fill_rate
from notifications.ics import AllDayEvent, calendar_feed, event_uid

FEED_SALT = "missions.feed"
# Years a calendar may show: enough for history and plans, not for robots walking on.


def is_city(user) -> bool:
    return is_city_staff(user) or is_official(user)


def feed_token(user) -> str:
    """The token that lets a calendar app read the feed as ``user``."""
    return signing.Signer(salt=FEED_SALT).sign(str(user.pk))


def feed_user(token: str):
    """The staff member or official a feed token was made for, or None."""
    try:
        pk = signing.Signer(salt=FEED_SALT).unsign(token)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    return user if user is not None and is_city(user) else None


class CityOnlyMixin:
    """Staff and officials; anyone else is sent to the missions open to them."""

    def dispatch(self, request, *args, **kwargs):
        if not is_city(request.user):
            return redirect("missions:open")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # Officials read the same page within their own area.
        area = "staff" if is_city_staff(self.request.user) else "official"
        return super().get_context_data(layout=f"layouts/{area}.html", **kwargs)


class MissionListView(CityOnlyMixin, ListView):
    template_name = "missions/list.html"
    context_object_name = "missions"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = MissionFilter(self.request.GET, queryset=missions_with_fill_rate())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filterset=self.filterset,
            filtered=self.filterset.filtered,
            can_manage=is_city_staff(self.request.user),
            **kwargs,
        )


class CalendarView(CityOnlyMixin, TemplateView):
    template_name = "missions/calendar.html"

    def get(self, request, *args, year=None, **kwargs):
        year = year or timezone.localdate().year
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise Http404
        return super().get(request, *args, year=year, **kwargs)

    def get_context_data(self, *, year, **kwargs):
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        months = {number: [] for number in range(1, 13)}
        undated = []
        for mission in missions_in_year(year):
            if mission.start_date is None:
                undated.append(mission)
                continue
            start = max(mission.start_date, first)
            end = min(mission.end_date or mission.start_date, last)
            for number in range(start.month, end.month + 1):
                months[number].append(mission)
        return super().get_context_data(
            year=year,
            previous_year=year - 1 if year > FIRST_YEAR else None,
            next_year=year + 1 if year < LAST_YEAR else None,
            months=[(datetime.date(year, number, 1), months[number]) for number in months],
            undated=undated,
            mission_count=len({m.pk for missions in months.values() for m in missions}),
            feed_url=self.request.build_absolute_uri(
                reverse("missions:feed") + "?token=" + feed_token(self.request.user)
            ),
            **kwargs,
        )


class MissionFeedView(View):
    """Every dated mission as an all-day event, for a calendar app to subscribe to."""

    def get(self, request):
        user = request.user
        token = request.GET.get("token")
        if token is not None:
            user = feed_user(token)
        if user is None or not is_city(user):
            raise Http404
        events = [
            AllDayEvent(
                uid=event_uid("mission", mission.pk),
                first_day=mission.start_date,
                last_day=mission.end_date or mission.start_date,
                summary=mission.title,
                location=f"{mission.cities}, {mission.country.name}",
                description="\n".join(
                    part
                    for part in [
                        mission.summary,
                        _("Status: %(status)s") % {"status": mission.get_status_display()},
                    ]
                    if part
                ),
                url=request.build_absolute_uri(mission.get_absolute_url()),
                cancelled=mission.status == MissionStatus.CANCELLED,
                last_modified=mission.updated_at,
            )
            for mission in Mission.objects.filter(start_date__isnull=False)
        ]
        body = calendar_feed(name=_("Marseille trade missions"), events=events)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="missions.ics"'
        return response
