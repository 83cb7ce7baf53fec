from django.urls import path

from delegations.views import company, delegation, review

app_name = "delegations"
urlpatterns = [
    # The company's pages of its application.
    path(
        "missions/<int:mission_pk>/apply/",
        company.ApplicationStartView.as_view(),
        name="application_start",
    ),
    path(
        "applications/<int:pk>/",
        company.ApplicationDetailView.as_view(),
        name="application_detail",
    ),
    path(
        "applications/<int:pk>/edit/",
        company.ApplicationEditView.as_view(),
        name="application_edit",
    ),
    path(
        "applications/<int:pk>/confirm/",
        company.ApplicationConfirmView.as_view(),
        name="application_confirm",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        company.ApplicationWithdrawView.as_view(),
        name="application_withdraw",
    ),
    # Staff review a mission's applications.
    path(
        "missions/<int:mission_pk>/applications/",
        review.ReviewListView.as_view(),
        name="review",
    ),
    path(
        "missions/<int:mission_pk>/applications/announce/",
        review.AnnounceView.as_view(),
        name="announce",
    ),
    path(
        "review/<int:pk>/",
        review.ReviewApplicationView.as_view(),
        name="review_application",
    ),
    path("review/<int:pk>/assess/", review.AssessView.as_view(), name="assess"),
    path("review/<int:pk>/decide/", review.DecideView.as_view(), name="decide"),
    path("review/<int:pk>/release/", review.ReleaseView.as_view(), name="release"),
    # The delegation of a mission.
    path(
        "missions/<int:mission_pk>/delegation/",
        delegation.DelegationView.as_view(),
        name="delegation",
    ),
    path(
        "missions/<int:mission_pk>/roster/",
        delegation.RosterView.as_view(),
        name="roster",
    ),
]
