from django.contrib import messages
from django.contrib.auth import login
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.rules import is_city_staff, role_of
from companies.csv_files import EXPORT_COLUMNS, contact_list_read, directory_rows
from companies.filters import CompanyFilter
from companies.forms import (
    CompanyProfileForm,
    CompanySignupForm,
    ContactForm,
    ContactListImportForm,
)
from companies.models import Company, Contact
from companies.selectors import (
    DIRECTORY_VALUES,
    company_history,
    directory_companies,
    directory_page,
    pending_requests,
)
from companies.services import (
    CONTACT_FIELDS,
    PROFILE_FIELDS,
    company_register,
    company_update,
    company_verify,
    contact_create,
    contact_delete,
    contact_list_import,
    contact_update,
    membership_approve,
    membership_refuse,
    membership_request,
)
from core.csv_files import csv_response
from core.history import history_page
from core.mixins import HiddenUnlessPermittedMixin, PermittedObjectMixin

# The backend that loads the user on the next requests (settings.AUTHENTICATION_BACKENDS).
LOGIN_BACKEND = "portal.backends.PortalBackend"


class CompanySignupView(FormView):
    template_name = "companies/signup.html"
    form_class = CompanySignupForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            return self.register(form)
        except IntegrityError:
            # Someone took this email or SIRET between the form's checks and the save.
            form.add_error(
                None,
                _(
                    "This email address or SIRET was registered a moment ago by someone "
                    "else. Check them and send the form again."
                ),
            )
            return self.form_invalid(form)

    def register(self, form):
        data = form.cleaned_data
        if form.existing_company is not None:
            return self.join(form)
        user = company_register(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            language=data["language"],
            company_fields={
                "name": data["company_name"],
                "siret": data["siret"],
                "city": data["city"],
                "size": data["size"],
                "website": data["website"],
                "invitations_opt_in": data["invitations_opt_in"],
            },
            sectors=data["sectors"],
        )
        login(self.request, user, backend=LOGIN_BACKEND)
        messages.success(
            self.request,
            _("Welcome! Your company is registered; the city's team will verify it shortly."),
        )
        return redirect("home")

    def join(self, form):
        data = form.cleaned_data
        company = form.existing_company
        membership = membership_request(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            language=data["language"],
            company=company,
            company_url=self.request.build_absolute_uri(company.get_absolute_url()),
        )
        login(self.request, membership.user, backend=LOGIN_BACKEND)
        messages.success(
            self.request,
            _(
                "Your account is created. Your request to join the company is sent to its "
                "administrators; you will receive an email once they approve it."
            ),
        )
        return redirect("home")


class CompanyMixin(PermittedObjectMixin):
    """A page about one company, for those ``permission`` lets see it (else 404)."""

    permission = "companies.view_company_profile"
    permitted_name = "company"

    def get_permitted_object(self):
        return self.get_company(self.kwargs["pk"])

    def get_company(self, pk):
        return Company.objects.filter(pk=pk).first()

    def get_context_data(self, **kwargs):
        role = role_of(self.request.user)
        area = role if role in ("staff", "official") else "company"
        return super().get_context_data(
            company=self.company, layout=f"layouts/{area}.html", **kwargs
        )


class CompanyDetailView(CompanyMixin, TemplateView):
    template_name = "companies/detail.html"

    def get_company(self, pk):
        return Company.objects.prefetch_related("sectors").filter(pk=pk).first()

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            can_change=user.has_perm("companies.change_company_profile", self.company),
            can_verify=user.has_perm("companies.verify_company", self.company),
            can_view_history=user.has_perm("companies.view_history", self.company),
            pending_requests=(
                list(pending_requests(self.company))
                if user.has_perm("companies.decide_membership", self.company)
                else []
            ),
            **kwargs,
        )


class CompanyHistoryView(CompanyMixin, TemplateView):
    """Who changed what in the company and its contacts, and when, newest first: for
    staff and officials; to a company, even its own, it does not exist."""

    permission = "companies.view_history"
    template_name = "companies/history.html"

    def get_context_data(self, **kwargs):
        page_obj, entries = history_page(
            company_history(self.company), page_number=self.request.GET.get("page")
        )
        return super().get_context_data(page_obj=page_obj, entries=entries, **kwargs)


class CompanyEditView(CompanyMixin, FormView):
    permission = "companies.change_company_profile"
    template_name = "companies/edit.html"
    form_class = CompanyProfileForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.company}

    def form_valid(self, form):
        data = form.cleaned_data
        company_update(
            company=self.company,
            by=self.request.user,
            fields={name: data[name] for name in PROFILE_FIELDS},
            sectors=data["sectors"],
        )
        messages.success(self.request, _("The company's profile is saved."))
        return redirect(self.company)


class CompanyVerifyView(CompanyMixin, View):
    permission = "companies.verify_company"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        verified = request.POST.get("verified") == "1"
        company_verify(company=self.company, by=request.user, verified=verified)
        if verified:
            messages.success(request, _("The company is verified."))
        else:
            messages.success(request, _("The company is no longer verified."))
        return redirect(self.company)


class ContactListView(CompanyMixin, TemplateView):
    permission = "companies.manage_contacts"
    template_name = "companies/contacts.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(contacts=list(self.company.contacts.all()), **kwargs)


class ContactFormView(CompanyMixin, FormView):
    """Add a contact, or edit one (``contact_pk``) of this company only."""

    permission = "companies.manage_contacts"
    template_name = "companies/contact_form.html"
    form_class = ContactForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.contact = None

    def get_form_kwargs(self):
        contact_pk = self.kwargs.get("contact_pk")
        if contact_pk is not None:
            # A contact of another company is not found, even by its own id.
            self.contact = get_object_or_404(Contact, pk=contact_pk, company=self.company)
        return {
            **super().get_form_kwargs(),
            "company": self.company,
            "instance": self.contact,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contact"] = self.contact
        return context

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in CONTACT_FIELDS}
        if self.contact is None:
            contact_create(company=self.company, by=self.request.user, fields=fields)
            messages.success(self.request, _("The contact is added."))
        else:
            contact_update(contact=self.contact, by=self.request.user, fields=fields)
            messages.success(self.request, _("The contact is saved."))
        return redirect("companies:contacts", pk=self.company.pk)


class ContactDeleteView(CompanyMixin, TemplateView):
    permission = "companies.manage_contacts"
    template_name = "companies/contact_delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact=self.get_contact(), **kwargs)

    def get_contact(self):
        return get_object_or_404(Contact, pk=self.kwargs["contact_pk"], company=self.company)

    def post(self, request, *args, **kwargs):
        contact_delete(contact=self.get_contact(), by=request.user)
        messages.success(request, _("The contact is removed."))
        return redirect("companies:contacts", pk=self.company.pk)


class MembershipDecideView(CompanyMixin, View):
    """An administrator of the company approves or refuses a pending request."""

    permission = "companies.decide_membership"
    http_method_names = ["post"]
    decision = "approve"

    def post(self, request, *args, **kwargs):
        membership = get_object_or_404(
            pending_requests(self.company), pk=self.kwargs["membership_pk"]
        )
        name = membership.user.get_full_name()
        if self.decision == "approve":
            membership_approve(
                membership=membership,
                by=request.user,
                home_url=request.build_absolute_uri(reverse("home")),
            )
            messages.success(request, _("%(name)s now acts for the company.") % {"name": name})
        else:
            membership_refuse(
                membership=membership,
                by=request.user,
                home_url=request.build_absolute_uri(reverse("home")),
            )
            messages.success(request, _("The request of %(name)s is refused.") % {"name": name})
        return redirect(self.company)


class CompanyListView(HiddenUnlessPermittedMixin, ListView):
    """The directory, for staff and officials (read-only for officials)."""

    permission_required = "companies.view_directory"
    template_name = "companies/list.html"
    context_object_name = "companies"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = CompanyFilter(self.request.GET, queryset=directory_companies())
        return self.filterset.qs.values(*DIRECTORY_VALUES)

    def get_context_data(self, **kwargs):
        user = self.request.user
        area = "staff" if is_city_staff(user) else "official"
        context = super().get_context_data(
            filterset=self.filterset,
            filtered=self.filterset.filtered,
            can_export=user.has_perm("companies.export_directory"),
            can_import=user.has_perm("companies.import_contacts"),
            layout=f"layouts/{area}.html",
            **kwargs,
        )
        context["companies"] = directory_page(context["companies"])
        return context


class CompanyExportView(HiddenUnlessPermittedMixin, View):
    """The filtered directory as a CSV file (see ``companies.csv_files``)."""

    permission_required = "companies.export_directory"

    def get(self, request, *args, **kwargs):
        filterset = CompanyFilter(request.GET, queryset=directory_companies())
        return csv_response(
            filename="companies.csv", header=EXPORT_COLUMNS, rows=directory_rows(filterset.qs)
        )


class ContactListImportView(HiddenUnlessPermittedMixin, FormView):
    permission_required = "companies.import_contacts"
    template_name = "companies/import.html"
    form_class = ContactListImportForm

    def form_valid(self, form):
        rows, errors = contact_list_read(form.cleaned_data["file"].read())
        if errors:
            return self.render_to_response(self.get_context_data(form=form, errors=errors))
        summary = contact_list_import(
            rows=rows, by=self.request.user, verified=form.cleaned_data["verified"]
        )
        messages.success(
            self.request,
            _(
                "Imported: %(created)d companies created, %(updated)d updated; "
                "%(contacts_created)d contacts created, %(contacts_updated)d updated."
            )
            % {
                "created": summary.companies_created,
                "updated": summary.companies_updated,
                "contacts_created": summary.contacts_created,
                "contacts_updated": summary.contacts_updated,
            },
        )
        return redirect("companies:list")
