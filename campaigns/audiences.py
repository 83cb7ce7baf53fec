"""Who a campaign writes to. Each audience streams its recipients from the database."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse

from accounts.models import User
from campaigns.models import Campaign
from companies.models import Company, MembershipStatus
from missions.models import Mission
from notifications.models import OutboundEmail
from notifications.selectors import refers_to

CALL_FOR_APPLICATIONS = "call_for_applications"


@dataclass(frozen=True)
class Recipient:
    key: str  # unique within the campaign: the idempotency key ends with it
    email: str
    name: str
    language: str
    context: dict = field(default_factory=dict)
    # The company the email is about: its row is related to it, which is how a
    # later call for the same mission knows the company was already invited.
    company_id: int | None = None


def company_members(campaign: Campaign) -> Iterator[Recipient]:
    """Active members of verified companies that accept calls for applications.

    ``sectors`` (codes), if given, keeps companies working in at least one of them;
    ``sizes`` (``CompanySize`` values) and ``city`` (any case), if given, narrow further.
    ``exclude_companies`` (ids) leaves out companies already invited or applying.
    A campaign about a mission never reaches a company that another email already
    invited to that mission (an earlier call): a second call reaches only the others.
    """
    params = campaign.audience_params
    users = _company_member_users(params, mission_id=campaign.mission_id, campaign_id=campaign.pk)
    unsubscribe_url = params.get("unsubscribe_url", reverse("home"))
    rows = users.order_by("pk").values_list(
        "pk", "email", "first_name", "last_name", "language", "membership__company_id"
    )
    for pk, email, first_name, last_name, language, company_id in rows.iterator(chunk_size=2000):
        yield Recipient(
            key=f"company:{company_id}:user:{pk}",
            email=email,
            name=f"{first_name} {last_name}".strip() or email,
            language=language,
            context={"unsubscribe_url": unsubscribe_url},
            company_id=company_id,
        )


def invited_to_mission(mission_id: int, *, campaign_id: int | None = None):
    """Calls for applications already written for this mission, one row per person.

    ``campaign_id``'s own rows are left out: a campaign resumed after a crash must
    go on writing to the members of a company it started to write to.
    """
    emails = OutboundEmail.objects.filter(
        refers_to("topic", Mission, mission_id),
        refers_to("related", Company),
        template_key=CALL_FOR_APPLICATIONS,
    )
    if campaign_id is not None:
        emails = emails.exclude(refers_to("mailing", Campaign, campaign_id))
    return emails


def invited_company_count(mission_id: int) -> int:
    """How many companies a call for applications already went to, for this mission."""
    return invited_to_mission(mission_id).values("related_id").distinct().count()


def _company_member_users(
    params: dict, *, mission_id: int | None = None, campaign_id: int | None = None
):
    """The users ``company_members`` writes to, each once: its count is the audience's."""
    users = User.objects.filter(
        is_active=True,
        membership__status=MembershipStatus.ACTIVE,
        membership__company__verified=True,
        membership__company__invitations_opt_in=True,
    )
    if params.get("sectors"):
        users = users.filter(membership__company__sectors__code__in=params["sectors"])
    if params.get("sizes"):
        users = users.filter(membership__company__size__in=params["sizes"])
    if params.get("city"):
        users = users.filter(membership__company__city__iexact=params["city"].strip())
    if params.get("exclude_companies"):
        users = users.exclude(membership__company__in=params["exclude_companies"])
    if mission_id is not None:
        invited = invited_to_mission(mission_id, campaign_id=campaign_id).filter(
            related_id=OuterRef("membership__company_id")
        )
        users = users.filter(~Exists(invited))
    return users


AUDIENCES: dict[str, Callable[[Campaign], Iterator[Recipient]]] = {
    "company_members": company_members,
}


def _company_member_size(params: dict, mission_id: int | None) -> dict[str, int]:
    # Distinct counts on the joined rows: a company in two chosen sectors counts once.
    return _company_member_users(params, mission_id=mission_id).aggregate(
        people=Count("pk", distinct=True),
        companies=Count("membership__company", distinct=True),
    )


# Each audience counted in one query, for the page that starts a campaign.
_SIZES: dict[str, Callable[[dict, int | None], dict[str, int]]] = {
    "company_members": _company_member_size,
}


def audience_of(key: str) -> Callable[[Campaign], Iterator[Recipient]]:
    try:
        return AUDIENCES[key]
    except KeyError:
        raise ValueError(f"Unknown audience {key!r}.") from None


def audience_size(key: str, params: dict, *, mission_id: int | None = None) -> dict[str, int]:
    """``{"people": …, "companies": …}`` the audience would write to now, in one query.

    With ``mission_id``, companies already invited to the mission are left out, as the
    campaign's task will leave them out.
    """
    audience_of(key)
    return _SIZES[key](params, mission_id)


def audience_count(key: str, params: dict, *, mission_id: int | None = None) -> int:
    """How many people the audience would write to with these settings, in one query."""
    return audience_size(key, params, mission_id=mission_id)["people"]


def audience_sample(campaign: Campaign) -> Recipient | None:
    """The campaign's first recipient (an unsaved campaign will do), or None."""
    recipients = audience_of(campaign.audience)(campaign)
    try:
        return next(recipients, None)
    finally:
        recipients.close()
