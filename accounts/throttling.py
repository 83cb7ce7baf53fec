"""Who a log-in attempt is for, as django-axes counts failures (AXES_USERNAME_CALLABLE).

Failures are counted per account, and an account is its canonical address: six wrong
passwords typed as ``Thomas.Fraineux@...`` and ``thomas.fraineux@...`` lock one account,
and neither case variant may then log in or unlock it.
"""

from core.fields import canonical_email


def login_identity(request, credentials: dict | None = None) -> str | None:
    if credentials:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "POST", {}).get("username")
    return canonical_email(typed) if isinstance(typed, str) else typed
