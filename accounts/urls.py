from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.forms import LoginForm

# Unnamespaced, like django.contrib.auth.urls which these come before.
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(form_class=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
]
