"""Who a campaign writes to. Each audience streams its recipients from the database."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.urls import reverse

from companies.models import MembershipStatus
from notifications.models import Campaign


@dataclass(frozen=True)
class Recipient:
    key: str  # unique within the campaign: the idempotency key ends with it
    email: str
    name: str
    language: str
    context: dict = field(default_factory=dict)


def company_members(campaign: Campaign) -> Iterator[Recipient]:
    """Active members of verified companies that accept calls for applications.

    ``sectors`` (codes), if given, keeps companies working in at least one of them.
    ``exclude_companies`` (ids) leaves out companies already invited or applying.
    """
    params = campaign.audience_params
    users = _company_member_users(params)
    unsubscribe_url = params.get("unsubscribe_url", reverse("home"))
    rows = users.order_by("pk").values_list("pk", "email", "first_name", "last_name", "language")
    for pk, email, first_name, last_name, language in rows.iterator(chunk_size=2000):
        yield Recipient(
            key=f"user:{pk}",
            email=email,
            name=f"{first_name} {last_name}".strip() or email,
            language=language,
            context={"unsubscribe_url": unsubscribe_url},
        )


def _company_member_users(params: dict):
    """The users ``company_members`` writes to, each once: its count is the audience's."""
    from accounts.models import User

    users = User.objects.filter(
        is_active=True,
        membership__status=MembershipStatus.ACTIVE,
        membership__company__verified=True,
        membership__company__invitations_opt_in=True,
    )
    if params.get("sectors"):
        users = users.filter(membership__company__sectors__code__in=params["sectors"])
    if params.get("exclude_companies"):
        users = users.exclude(membership__company__in=params["exclude_companies"])
    return users.distinct()


AUDIENCES: dict[str, Callable[[Campaign], Iterator[Recipient]]] = {
    "company_members": company_members,
}

# Each audience counted in one query, for the page that starts a campaign.
_COUNTS: dict[str, Callable[[dict], int]] = {
    "company_members": lambda params: _company_member_users(params).count(),
}


def audience_of(key: str) -> Callable[[Campaign], Iterator[Recipient]]:
    try:
        return AUDIENCES[key]
    except KeyError:
        raise ValueError(f"Unknown audience {key!r}.") from None


def audience_count(key: str, params: dict) -> int:
    """How many people the audience would write to with these settings, in one query."""
    audience_of(key)
    return _COUNTS[key](params)
