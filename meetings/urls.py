from django.urls import path

from meetings.views import grid, meetings, requests

app_name = "meetings"

# Under /delegations/, beside the applications' pages: the addresses did not change when
# the meetings left delegations (an emailed link keeps working).
urlpatterns = [
    # Counterparts and meeting requests.
    path(
        "missions/<int:mission_pk>/counterparts/",
        requests.CounterpartListView.as_view(),
        name="counterparts",
    ),
    path(
        "missions/<int:mission_pk>/counterparts/add/",
        requests.CounterpartFormView.as_view(),
        name="counterpart_add",
    ),
    path(
        "counterparts/<int:pk>/edit/",
        requests.CounterpartFormView.as_view(),
        name="counterpart_edit",
    ),
    path(
        "counterparts/<int:pk>/history/",
        requests.CounterpartHistoryView.as_view(),
        name="counterpart_history",
    ),
    path(
        "missions/<int:mission_pk>/counterparts/import/",
        requests.CounterpartImportView.as_view(),
        name="counterparts_import",
    ),
    path(
        "missions/<int:mission_pk>/requests/",
        requests.RequestListView.as_view(),
        name="requests",
    ),
    path(
        "missions/<int:mission_pk>/requests/add/",
        requests.RequestAddView.as_view(),
        name="request_add",
    ),
    path(
        "requests/<int:pk>/qualify/", requests.RequestQualifyView.as_view(), name="request_qualify"
    ),
    path(
        "requests/<int:pk>/decline/", requests.RequestDeclineView.as_view(), name="request_decline"
    ),
    path(
        "applications/<int:pk>/meetings/",
        requests.CompanyRequestsView.as_view(),
        name="company_requests",
    ),
    path(
        "requests/<int:pk>/delete/",
        requests.CompanyRequestDeleteView.as_view(),
        name="company_request_delete",
    ),
    # The meeting grid.
    path("missions/<int:mission_pk>/grid/", grid.GridView.as_view(), name="grid"),
    path(
        "missions/<int:mission_pk>/grid/configure/",
        grid.GridConfigureView.as_view(),
        name="grid_configure",
    ),
    path(
        "missions/<int:mission_pk>/grid/unavailability/",
        grid.GridUnavailabilityView.as_view(),
        name="grid_unavailability",
    ),
    path(
        "missions/<int:mission_pk>/grid/schedule/",
        grid.GridScheduleView.as_view(),
        name="grid_schedule",
    ),
    path("meetings/<int:pk>/move/", grid.MeetingMoveView.as_view(), name="meeting_move"),
    path("meetings/<int:pk>/lock/", grid.MeetingLockView.as_view(), name="meeting_lock"),
    # Invitations, answers, agendas, outcomes.
    path(
        "missions/<int:mission_pk>/grid/invite/",
        meetings.MeetingsInviteView.as_view(),
        name="meetings_invite",
    ),
    path(
        "meetings/answer/<str:token>/",
        meetings.MeetingRespondView.as_view(),
        name="meeting_respond",
    ),
    path(
        "meetings/feedback/<str:token>/",
        meetings.CounterpartFeedbackView.as_view(),
        name="counterpart_feedback",
    ),
    path("applications/<int:pk>/agenda/", meetings.CompanyAgendaView.as_view(), name="agenda"),
    path(
        "applications/<int:pk>/agenda.pdf",
        meetings.CompanyAgendaPdfView.as_view(),
        name="agenda_pdf",
    ),
    path(
        "applications/<int:pk>/agenda.ics",
        meetings.CompanyAgendaIcsView.as_view(),
        name="agenda_ics",
    ),
    path(
        "counterparts/<int:pk>/agenda/",
        meetings.CounterpartAgendaView.as_view(),
        name="counterpart_agenda",
    ),
    path(
        "counterparts/<int:pk>/agenda.pdf",
        meetings.CounterpartAgendaPdfView.as_view(),
        name="counterpart_agenda_pdf",
    ),
    path(
        "counterparts/<int:pk>/agenda.ics",
        meetings.CounterpartAgendaIcsView.as_view(),
        name="counterpart_agenda_ics",
    ),
    path(
        "meetings/<int:pk>/outcome/", meetings.MeetingOutcomeView.as_view(), name="meeting_outcome"
    ),
    # Six months after a mission: where each meeting led, through a signed link.
    path("follow-up/<str:token>/", meetings.FollowUpView.as_view(), name="follow_up"),
]
