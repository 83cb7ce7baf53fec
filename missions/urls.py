from django.urls import path

from missions.views import browse, detail, manage, public

app_name = "missions"
# Fixed paths come before "<slug>/": missions.services.RESERVED_SLUGS never become a slug.

urlpatterns = [
    path("", browse.MissionListView.as_view(), name="list"),
    path("open/", public.OpenMissionListView.as_view(), name="open"),
    path("new/", manage.MissionCreateView.as_view(), name="create"),
    path("calendar/", browse.CalendarView.as_view(), name="calendar"),
    path("calendar/<int:year>/", browse.CalendarView.as_view(), name="calendar_year"),
    path("feed.ics", browse.MissionFeedView.as_view(), name="feed"),
    path("<slug:slug>/", detail.MissionDetailView.as_view(), name="detail"),
    path("<slug:slug>/edit/", manage.MissionUpdateView.as_view(), name="edit"),
    path("<slug:slug>/transition/", manage.MissionTransitionView.as_view(), name="transition"),
    path("<slug:slug>/duplicate/", manage.MissionDuplicateView.as_view(), name="duplicate"),
    path(
        "<slug:slug>/programme/new/",
        manage.ProgrammeItemCreateView.as_view(),
        name="programme_add",
    ),
    path(
        "<slug:slug>/programme/<int:pk>/edit/",
        manage.ProgrammeItemUpdateView.as_view(),
        name="programme_edit",
    ),
    path(
        "<slug:slug>/programme/<int:pk>/delete/",
        manage.ProgrammeItemDeleteView.as_view(),
        name="programme_delete",
    ),
]
