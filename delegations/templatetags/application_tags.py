from django import template

from accounts.rules import is_company_member
from delegations.models import Application

register = template.Library()


@register.simple_tag(takes_context=True)
def company_application_to(context, mission) -> Application | None:
    """The application of the user's company to ``mission``; one query, and only for a
    company member."""
    user = context["request"].user
    if not is_company_member(user):
        return None
    return Application.objects.filter(
        company_id=user.membership.company_id, mission=mission
    ).first()
