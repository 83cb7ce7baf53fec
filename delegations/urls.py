from django.urls import path

from delegations import views

app_name = "delegations"
urlpatterns = [
    path(
        "missions/<int:mission_pk>/apply/",
        views.ApplicationStartView.as_view(),
        name="application_start",
    ),
    path(
        "applications/<int:pk>/",
        views.ApplicationDetailView.as_view(),
        name="application_detail",
    ),
    path(
        "applications/<int:pk>/edit/",
        views.ApplicationEditView.as_view(),
        name="application_edit",
    ),
    path(
        "applications/<int:pk>/confirm/",
        views.ApplicationConfirmView.as_view(),
        name="application_confirm",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        views.ApplicationWithdrawView.as_view(),
        name="application_withdraw",
    ),
]
