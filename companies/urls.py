from django.urls import path

from companies import views

app_name = "companies"
urlpatterns = [
    path("", views.CompanyListView.as_view(), name="list"),
    path("export.csv", views.CompanyExportView.as_view(), name="export"),
    path("import/", views.ContactListImportView.as_view(), name="import"),
    path("signup/", views.CompanySignupView.as_view(), name="signup"),
    path("<int:pk>/", views.CompanyDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CompanyEditView.as_view(), name="edit"),
    path("<int:pk>/history/", views.CompanyHistoryView.as_view(), name="history"),
    path("<int:pk>/verify/", views.CompanyVerifyView.as_view(), name="verify"),
    path("<int:pk>/contacts/", views.ContactListView.as_view(), name="contacts"),
    path("<int:pk>/contacts/add/", views.ContactFormView.as_view(), name="contact_add"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/edit/",
        views.ContactFormView.as_view(),
        name="contact_edit",
    ),
    path(
        "<int:pk>/contacts/<int:contact_pk>/delete/",
        views.ContactDeleteView.as_view(),
        name="contact_delete",
    ),
    path(
        "<int:pk>/requests/<int:membership_pk>/approve/",
        views.MembershipDecideView.as_view(decision="approve"),
        name="membership_approve",
    ),
    path(
        "<int:pk>/requests/<int:membership_pk>/refuse/",
        views.MembershipDecideView.as_view(decision="refuse"),
        name="membership_refuse",
    ),
]
