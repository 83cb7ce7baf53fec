from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as account_views

admin.site.site_header = _("Trade missions — administration")
admin.site.site_title = _("Trade missions")

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("missions/", include("missions.urls")),
    path("companies/", include("companies.urls")),
    path("delegations/", include("delegations.urls")),
    # The staff's outbox and its calls for applications (campaigns/urls.py).
    path("outbox/", include("campaigns.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
