from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.fields import canonical_email


class LoginForm(AuthenticationForm):
    """Django's log-in form, speaking of an email address, in plain words."""

    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This email address and password do not match an account. Check both and try again."
        ),
    }

    def clean_username(self):
        return canonical_email(self.cleaned_data["username"])
