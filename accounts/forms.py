from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse
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


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, whose email goes through the outbox like every other."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        from notifications.services import email_queue_for_user

        user = context["user"]
        path = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        email_queue_for_user(
            user=user,
            kind="password_reset",
            context={
                "reset_url": f"{context['protocol']}://{context['domain']}{path}",
            },
            # A token is single-use: asking twice in a row gives two distinct emails.
            idempotency_key=f"password_reset:{user.pk}:{context['token']}",
            related=user,
        )
