"""A mission's delegation: confirmed companies by sector, delegates, officials, roster.

The city (staff and officials) sees the delegation whole, with every delegate's email
and phone, and prints the roster. A company whose seat is confirmed sees who travels
with it, without contact details. To every other company the pages do not exist (404,
never 403); anonymous visitors log in.
"""

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accounts.rules import role_of
from core.mixins import PermittedObjectMixin
from delegations.selectors import (
    delegate_count,
    delegation_by_sector,
    mission_for_delegation,
    roster_of,
    seats_awaiting_confirmation,
)

OTHER_SECTOR = _("Other")


def by_sector(applications) -> list[tuple[str, list]]:
    """The applications grouped under their company's first sector, sectors in the
    ``Sector`` ordering and companies without a sector last, under "Other".

    Each application gets ``other_sectors``: the company's sectors after the first.
    Reads the sectors ``delegation_by_sector`` prefetched, with their ``rank``: no query.
    """
    groups: dict[int | None, tuple] = {}
    for application in applications:
        sectors = list(application.company.sectors.all())
        first = sectors[0] if sectors else None
        application.other_sectors = sectors[1:]
        key = first.pk if first else None
        if key not in groups:
            groups[key] = (first, [])
        groups[key][1].append(application)
    ordered = sorted(
        groups.values(), key=lambda group: (group[0] is None, group[0] and group[0].rank)
    )
    return [(sector.name if sector else OTHER_SECTOR, members) for sector, members in ordered]


class DelegationMixin(PermittedObjectMixin):
    """A page of a mission's delegation, for those ``permission`` lets in (else 404)."""

    permission = "delegations.view_delegation"
    permitted_name = "mission"

    def get_permitted_object(self):
        return mission_for_delegation(self.kwargs["mission_pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            mission=self.mission, officials=list(self.mission.officials.all()), **kwargs
        )


class DelegationView(DelegationMixin, TemplateView):
    """The delegation: who travels, by sector, a page of companies at a time (a delegation
    of the usual size fits on one); for staff, the seats still to confirm."""

    template_name = "delegations/delegation.html"
    paginate_by = 30

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        page = Paginator(delegation_by_sector(self.mission), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        role = role_of(user)
        context.update(
            layout=f"layouts/{role if role in ('staff', 'official') else 'company'}.html",
            page_obj=page,
            applications=page.object_list,
            sectors=by_sector(page.object_list),
            delegate_count=delegate_count(self.mission),
            show_contacts=user.has_perm("delegations.view_delegates_contacts", self.mission),
            can_print=user.has_perm("delegations.view_roster", self.mission),
            can_view_mission=user.has_perm("missions.view_mission_page", self.mission),
            now=timezone.now(),
            awaiting=(
                seats_awaiting_confirmation(self.mission)
                if user.has_perm("delegations.view_seats_awaiting_confirmation", self.mission)
                else None
            ),
        )
        return context


class RosterView(DelegationMixin, TemplateView):
    """Every delegate with their contact details, then the officials: made to print."""

    permission = "delegations.view_roster"
    template_name = "delegations/roster.html"

    def get_context_data(self, **kwargs):
        company_count, delegates = roster_of(self.mission)
        return super().get_context_data(
            layout=f"layouts/{role_of(self.request.user)}.html",
            company_count=company_count,
            delegates=delegates,
            **kwargs,
        )
