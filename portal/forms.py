"""The project's own forms: Django's, wired to the apps below."""

from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse

from notifications.services import email_queue_for_user


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, whose email goes through the outbox like every other."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
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
