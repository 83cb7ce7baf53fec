from django.urls import path  # noqa: F401 - the staff pages are added here

app_name = "notifications"
urlpatterns = []
