from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView

from companies.forms import CompanySignupForm
from companies.models import Company
from companies.services import company_register


class CompanySignupView(FormView):
    template_name = "companies/signup.html"
    form_class = CompanySignupForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
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
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            self.request,
            _("Welcome! Your company is registered; the city's team will verify it shortly."),
        )
        return redirect("home")


class CompanyDetailView(DetailView):
    template_name = "companies/detail.html"
    context_object_name = "company"

    def get_queryset(self):
        return Company.objects.prefetch_related("sectors", "contacts")

    def get_object(self, queryset=None):
        company = super().get_object(queryset)
        # Another company's profile does not exist, as far as a member can tell.
        if not self.request.user.has_perm("companies.view_company", company):
            raise Http404
        return company
