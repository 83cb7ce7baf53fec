from django.urls import path

from missions import views

app_name = "missions"
urlpatterns = [
    path("", views.OpenMissionListView.as_view(), name="open"),
    path("<slug:slug>/", views.MissionDetailView.as_view(), name="detail"),
]
