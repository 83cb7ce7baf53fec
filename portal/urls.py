from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as account_views
from portal import views as portal_views
from portal.forms import OutboxPasswordResetForm

admin.site.site_header = _("Trade missions — administration")
admin.site.site_title = _("Trade missions")

urlpatterns = [
    path("", portal_views.home, name="home"),
    # Above accounts: the reset link goes out through the outbox.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("missions/", include("reports.urls")),
    path("missions/", include("missions.urls")),
    path("companies/", include("companies.urls")),
    path("delegations/", include("delegations.urls")),
    path("delegations/", include("meetings.urls")),
    # The staff's outbox and its calls for applications (campaigns/urls.py).
    path("outbox/", include("campaigns.urls")),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
