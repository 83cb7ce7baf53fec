from django.urls import path

from campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.OutboxView.as_view(), name="outbox"),
    path("<int:pk>/", views.EmailPreviewView.as_view(), name="email"),
    path("<int:pk>/resend/", views.EmailResendView.as_view(), name="resend"),
    path("campaigns/new/", views.CampaignStartView.as_view(), name="campaign_new"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign"),
    path(
        "campaigns/<int:pk>/progress.json",
        views.CampaignProgressView.as_view(),
        name="campaign_progress",
    ),
]
