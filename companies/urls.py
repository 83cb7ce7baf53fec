from django.urls import path

from companies import views

app_name = "companies"
urlpatterns = [
    path("signup/", views.CompanySignupView.as_view(), name="signup"),
    path("<int:pk>/", views.CompanyDetailView.as_view(), name="detail"),
]
