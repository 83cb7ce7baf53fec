from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.models import Language, User
from companies.models import Company, CompanySize, Contact, validate_siret
from core.fields import canonical_email
from core.forms import CsvUploadForm
from missions.models import Sector


class CompanySignupForm(forms.Form):
    """A person and their company, in one form."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    language = forms.ChoiceField(
        label=_("Language for emails"), choices=Language.choices, initial=Language.FRENCH
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    company_name = forms.CharField(
        label=_("Company name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    siret = forms.CharField(
        label=_("SIRET"),
        max_length=20,
        help_text=_("14 digits; spaces are ignored."),
    )
    city = forms.CharField(
        label=_("City"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    size = forms.ChoiceField(label=_("Size"), choices=CompanySize.choices)
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    invitations_opt_in = forms.BooleanField(
        label=_("Send me the calls for applications of missions in my sectors"),
        required=False,
        initial=True,
    )
    join_company = forms.BooleanField(
        label=_("Ask to join this company"),
        required=False,
        help_text=_(
            "The company is already registered: your account is created and its "
            "administrators are asked to approve you."
        ),
    )

    # What a person asking to join an existing company need not fill in.
    COMPANY_FIELDS = ("company_name", "city", "size", "sectors")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_company = None
        self.joining = self.fields["join_company"].widget.value_from_datadict(
            self.data, self.files, self.add_prefix("join_company")
        )
        if self.joining:
            for name in self.COMPANY_FIELDS:
                self.fields[name].required = False

    @property
    def offers_to_join(self) -> bool:
        """Show the "ask to join" box: the SIRET is taken, or the person ticked it."""
        return bool(self.joining) or self.has_error("siret", "siret_taken")

    def clean_email(self):
        email = canonical_email(self.cleaned_data["email"])
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(
                _("An account already uses this email address. Log in, or reset your password.")
            )
        return email

    def clean_siret(self):
        siret = "".join(self.cleaned_data["siret"].split())
        validate_siret(siret)
        self.existing_company = Company.objects.filter(siret=siret).first()
        if self.existing_company is not None and not self.joining:
            raise forms.ValidationError(
                _(
                    "A company with this SIRET is already registered. To act for it, tick "
                    "“Ask to join this company”: its administrators will approve your request."
                ),
                code="siret_taken",
            )
        if self.existing_company is None and self.joining:
            raise forms.ValidationError(
                _(
                    "No company is registered with this SIRET. Untick “Ask to join this "
                    "company” to register it."
                ),
                code="siret_unknown",
            )
        return siret

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class CompanyProfileForm(forms.ModelForm):
    """What a company keeps up to date itself. The SIRET is shown, not edited here."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Company
        fields = [
            "name",
            "sectors",
            "size",
            "city",
            "website",
            "description",
            "export_experience",
            "invitations_opt_in",
        ]
        widgets = {"sectors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("sectors", "size", "city"):
            self.fields[name].required = True


class ContactForm(forms.ModelForm):
    """A person of the company who may travel; the email is how the city reaches them."""

    class Meta:
        model = Contact
        fields = ["first_name", "last_name", "job_title", "email", "phone", "language"]

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company

    def clean_email(self):
        email = canonical_email(self.cleaned_data["email"])
        # The database refuses it too (unique per company); this says it by the field
        # instead of a server error.
        others = Contact.objects.filter(company=self.company, email=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("This company already has a contact with this email."), code="unique"
            )
        return email


class ContactListImportForm(CsvUploadForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One contact per line. Columns: company_name, siret, city, sectors (codes "
            "separated by |), first_name, last_name, email, language (fr or en). "
            "Separated by ; or by ,."
        ),
    )
    verified = forms.BooleanField(
        label=_("Mark the new companies as verified"),
        required=False,
        help_text=_("Leave unticked if the city has not checked these companies yet."),
    )
