"""An outbox row as the email its recipient receives, in their language."""

import functools
import hashlib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.context import TYPED, legacy_values, localised
from notifications.ics import calendar_event
from notifications.kinds import kind_of
from notifications.models import OutboundEmail


def email_values(email: OutboundEmail) -> dict:
    """The row's context as typed values, whichever format it was written in."""
    if email.context_version == TYPED:
        return email.context
    return legacy_values(email.context)


def message_id(email: OutboundEmail) -> str:
    """The same Message-ID on every attempt, so a resent email is still one email.

    A worker killed between the server's "accepted" and our "sent" leaves the row
    in doubt; it is sent again, and mail systems drop a second copy of a Message-ID.
    """
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
    digest = hashlib.sha256(email.idempotency_key.encode()).hexdigest()[:16]
    return f"<outbox-{email.pk}.{digest}@{domain}>"


@functools.cache
def _sender(from_email: str) -> str:
    """The sender, encoded once: encoding a non-ASCII name costs more than a template."""
    return sanitize_address(from_email, settings.DEFAULT_CHARSET)


def render_email(email: OutboundEmail, *, connection=None) -> EmailMultiAlternatives:
    """Subject, text and HTML bodies and attachments, rendered in the row's language.

    Everything the recipient reads is put in their language here, at send time: the
    context's texts (``localised``), and the dates, numbers and labels the templates
    format and translate."""
    kind = kind_of(email.template_key)
    values = email_values(email)
    with translation.override(email.language):
        context = localised(values)
        context["kind"] = kind
        subject = render_to_string(f"emails/{kind.key}/subject.txt", context)
        subject = " ".join(subject.split())
        if kind.action_required:
            # Outside the f-string: xgettext does not look inside f-strings.
            prefix = _("[Action required]")
            subject = f"{prefix} {subject}"
        text = render_to_string(f"emails/{kind.key}/body.txt", context)
        html = render_to_string(f"emails/{kind.key}/body.html", context)
        event = context["event"] if kind.calendar_event else None
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=_sender(settings.DEFAULT_FROM_EMAIL),
        to=[email.recipient],
        headers={"Message-ID": message_id(email), "X-Portal-Email": str(email.pk)},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    if event is not None:
        cancelled = bool(event.get("cancelled", False))
        message.attach(
            "cancellation.ics" if cancelled else "invitation.ics",
            calendar_event(
                uid=event["uid"],
                starts_at=event["starts_at"],
                ends_at=event["ends_at"],
                summary=event["summary"],
                location=event.get("location", ""),
                sequence=event.get("sequence", 0),
                cancelled=cancelled,
            ),
            "text/calendar; method=CANCEL" if cancelled else "text/calendar",
        )
    return message
