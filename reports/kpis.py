"""What a mission achieved, in figures: the KPIs of its report, and the rows of its exports.

Pure reads. ``mission_kpis`` computes every KPI of any number of missions with grouped
aggregates, five queries whatever their number, so the year overview costs what one
report costs. A KPI that cannot be computed (an average over nothing, a cost without a
budget or without a divisor) is ``None``: templates show it as "—" (the ``kpi`` filter).

The definitions, each over the mission's own data, as it stands now:

- applications received: applications that were sent, i.e. neither drafts nor drafts
  withdrawn before being submitted;
- accepted: applications holding a seat now (accepted or confirmed);
- confirmed: applications whose seat is confirmed;
- companies by sector: the confirmed companies, each counted under each of its sectors
  (a company without sector under "Sector not stated"), most frequent first;
- companies by size: the confirmed companies by size ("Size not stated" when blank);
- meetings requested: every meeting request of the mission's applications, whatever its
  status (declined ones included);
- qualified: requests qualified or scheduled, or that have a meeting;
- scheduled: meetings neither cancelled nor declined by the counterpart (so held and
  no-show ones count, the funnel narrows);
- held, no-show: meetings with that status;
- average company rating, average counterpart rating: over the meetings with that
  rating, rounded to 0.01; ``None`` when no meeting is rated;
- follow-up stages: the held meetings by follow-up stage, every stage listed (0 when
  none), "Not recorded" added when some held meetings have no stage;
- leads, estimated value: sums over the held meetings (a missing figure counts 0);
  ``None`` when no meeting was held;
- budget planned, actual: the mission's; difference = actual - planned (positive: over
  budget), ``None`` unless both are known;
- cost per confirmed company, per held meeting: actual budget divided by the number of
  confirmed companies, of held meetings, rounded to the cent; ``None`` when the actual
  budget is missing or the divisor is 0.

Money is ``Decimal``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from companies.models import Company, CompanySize
from delegations.enums import HOLDS_A_SEAT, ApplicationStatus
from delegations.models import Application
from meetings.enums import MEETING_INACTIVE, FollowUpStage, MeetingRequestStatus, MeetingStatus
from meetings.models import Meeting, MeetingRequest
from missions.models import Mission, sector_name

CENT = Decimal("0.01")
NOT_STATED_SECTOR = _("Sector not stated")
NOT_STATED_SIZE = _("Size not stated")
NOT_RECORDED_STAGE = _("Not recorded")

# Sent applications: a draft, or a draft withdrawn before it was ever submitted, is not.
RECEIVED = ~Q(status=ApplicationStatus.DRAFT) & ~Q(
    status=ApplicationStatus.WITHDRAWN, submitted_at__isnull=True
)
HELD = Q(status=MeetingStatus.HELD)


@dataclass(frozen=True)
class MissionKpis:
    """The KPIs of one mission; see the module's docstring for their definitions."""

    applications_received: int = 0
    applications_accepted: int = 0
    applications_confirmed: int = 0
    # (label, count), most frequent first.
    companies_by_sector: tuple[tuple[str, int], ...] = ()
    # (label, count), in the order of CompanySize.
    companies_by_size: tuple[tuple[str, int], ...] = ()
    meetings_requested: int = 0
    meetings_qualified: int = 0
    meetings_scheduled: int = 0
    meetings_held: int = 0
    meetings_no_show: int = 0
    average_company_rating: Decimal | None = None
    average_counterpart_rating: Decimal | None = None
    # (label, count), in the order of FollowUpStage.
    follow_up_stages: tuple[tuple[str, int], ...] = ()
    leads: int | None = None
    estimated_value: Decimal | None = None
    budget_planned: Decimal | None = None
    budget_actual: Decimal | None = None
    budget_difference: Decimal | None = None
    cost_per_company: Decimal | None = None
    cost_per_meeting_held: Decimal | None = None

    @property
    def meetings_funnel(self) -> list[tuple[str, int]]:
        return [
            (str(_("Requested")), self.meetings_requested),
            (str(_("Qualified")), self.meetings_qualified),
            (str(_("Scheduled")), self.meetings_scheduled),
            (str(_("Held")), self.meetings_held),
        ]

    @property
    def budget_items(self) -> list[tuple[str, Decimal | None]]:
        return [
            (str(_("Planned")), self.budget_planned),
            (str(_("Actual")), self.budget_actual),
        ]


def _ratio(numerator, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


def _sector_label(row: dict) -> str:
    if row["company__sectors"] is None:
        return str(NOT_STATED_SECTOR)
    return sector_name(row["company__sectors__name_fr"], row["company__sectors__name_en"])


def mission_kpis(missions: Iterable[Mission]) -> dict[int, MissionKpis]:
    """The KPIs of each mission, by mission id, in five queries whatever their number.

    ``missions`` are Mission instances (their budget is read from them).
    """
    missions = list(missions)
    ids = [mission.pk for mission in missions]
    if not ids:
        return {}

    applications = {
        row["mission"]: row
        for row in Application.objects.filter(mission__in=ids)
        .values("mission")
        .annotate(
            received=Count("id", filter=RECEIVED),
            accepted=Count("id", filter=Q(status__in=HOLDS_A_SEAT)),
            confirmed=Count("id", filter=Q(status=ApplicationStatus.CONFIRMED)),
        )
        .order_by()
    }

    confirmed = Application.objects.filter(mission__in=ids, status=ApplicationStatus.CONFIRMED)
    by_sector = defaultdict(list)
    for row in (
        confirmed.values(
            "mission", "company__sectors", "company__sectors__name_fr", "company__sectors__name_en"
        )
        .annotate(count=Count("id"))
        .order_by()
    ):
        by_sector[row["mission"]].append((_sector_label(row), row["count"]))
    by_size = defaultdict(dict)
    for row in confirmed.values("mission", "company__size").annotate(count=Count("id")).order_by():
        by_size[row["mission"]][row["company__size"]] = row["count"]

    requests = {
        row["application__mission"]: row
        for row in MeetingRequest.objects.filter(application__mission__in=ids)
        .values("application__mission")
        .annotate(
            requested=Count("id"),
            qualified=Count(
                "id",
                filter=Q(
                    status__in=[MeetingRequestStatus.QUALIFIED, MeetingRequestStatus.SCHEDULED]
                )
                | Q(meeting__isnull=False),
            ),
        )
        .order_by()
    }

    # The meetings' figures by mission and follow-up stage (each meeting is in one): the
    # stages of the meetings held, and the mission's sums of the rest.
    meetings = defaultdict(dict)
    stages = defaultdict(dict)
    for row in (
        Meeting.objects.filter(application__mission__in=ids)
        .values("application__mission", "follow_up_stage")
        .annotate(
            scheduled=Count("id", filter=~Q(status__in=MEETING_INACTIVE)),
            held=Count("id", filter=HELD),
            no_show=Count("id", filter=Q(status=MeetingStatus.NO_SHOW)),
            company_rating_sum=Sum("company_rating"),
            company_rating_count=Count("company_rating"),
            counterpart_rating_sum=Sum("counterpart_rating"),
            counterpart_rating_count=Count("counterpart_rating"),
            leads=Sum("leads", filter=HELD),
            estimated_value=Sum("estimated_value", filter=HELD),
        )
        .order_by()
    ):
        mission_id = row.pop("application__mission")
        stage = row.pop("follow_up_stage")
        if row["held"]:
            stages[mission_id][stage] = row["held"]
        totals = meetings[mission_id]
        for name, value in row.items():
            # A sum over no meeting is None, as one query over them all gives it.
            current = totals.get(name)
            totals[name] = value if current is None else current + (value or 0)

    result = {}
    for mission in missions:
        app = applications.get(mission.pk, {})
        req = requests.get(mission.pk, {})
        meet = meetings.get(mission.pk, {})
        held = meet.get("held", 0)
        confirmed_count = app.get("confirmed", 0)
        sizes = by_size[mission.pk]
        size_items = [
            (str(size.label), sizes[size.value]) for size in CompanySize if size in sizes
        ]
        if "" in sizes:
            size_items.append((str(NOT_STATED_SIZE), sizes[""]))
        mission_stages = stages[mission.pk]
        stage_items = [
            (str(stage.label), mission_stages.get(stage.value, 0)) for stage in FollowUpStage
        ]
        if mission_stages.get(""):
            stage_items.append((str(NOT_RECORDED_STAGE), mission_stages[""]))
        planned, actual = mission.budget_planned, mission.budget_actual
        result[mission.pk] = MissionKpis(
            applications_received=app.get("received", 0),
            applications_accepted=app.get("accepted", 0),
            applications_confirmed=confirmed_count,
            companies_by_sector=tuple(
                sorted(by_sector[mission.pk], key=lambda item: (-item[1], item[0]))
            ),
            companies_by_size=tuple(size_items),
            meetings_requested=req.get("requested", 0),
            meetings_qualified=req.get("qualified", 0),
            meetings_scheduled=meet.get("scheduled", 0),
            meetings_held=held,
            meetings_no_show=meet.get("no_show", 0),
            average_company_rating=_ratio(
                meet.get("company_rating_sum"), meet.get("company_rating_count")
            ),
            average_counterpart_rating=_ratio(
                meet.get("counterpart_rating_sum"), meet.get("counterpart_rating_count")
            ),
            follow_up_stages=tuple(stage_items),
            leads=(meet.get("leads") or 0) if held else None,
            estimated_value=(meet.get("estimated_value") or Decimal("0.00")) if held else None,
            budget_planned=planned,
            budget_actual=actual,
            budget_difference=(
                actual - planned if planned is not None and actual is not None else None
            ),
            cost_per_company=_ratio(actual, confirmed_count),
            cost_per_meeting_held=_ratio(actual, held),
        )
    return result


# Rows of the exports ----------------------------------------------------------------


def _number(value) -> str:
    """A figure as the reader's spreadsheet reads it (a decimal comma in French)."""
    if value is None:
        return ""
    return formats.number_format(value, decimal_pos=2 if isinstance(value, Decimal) else None)


def report_meetings_header(mission: Mission) -> list[str]:
    from core.zones import zone_city

    zone = _("%(city)s time") % {"city": zone_city(mission.timezone)}
    return [
        str(_("Day (%(zone)s)") % {"zone": zone}),
        str(_("Time (%(zone)s)") % {"zone": zone}),
        str(_("Company")),
        str(_("Counterpart")),
        str(_("Counterpart kind")),
        str(_("Status")),
        str(_("Company's rating")),
        str(_("Counterpart's rating")),
        str(_("Follow-up stage")),
        str(_("Leads")),
        str(_("Estimated value (€)")),
    ]


def report_meetings(mission: Mission) -> Iterator[list[str]]:
    """One row per meeting of the mission, whatever its status, by time then table;
    day and time in destination time. One query."""
    zone = mission.zone
    meetings = (
        Meeting.objects.filter(application__mission=mission)
        .select_related("slot", "application__company", "counterpart")
        .order_by("slot__starts_at", "table", "pk")
    )
    for meeting in meetings:
        local: datetime.datetime = meeting.slot.starts_at.astimezone(zone)
        yield [
            local.date().isoformat(),
            local.strftime("%H:%M"),
            meeting.application.company.name,
            meeting.counterpart.organisation,
            str(meeting.counterpart.get_kind_display()),
            str(meeting.get_status_display()),
            _number(meeting.company_rating),
            _number(meeting.counterpart_rating),
            str(meeting.get_follow_up_stage_display()) if meeting.follow_up_stage else "",
            _number(meeting.leads),
            _number(meeting.estimated_value),
        ]


def report_companies_header() -> list[str]:
    return [
        str(_("Company")),
        str(_("SIRET")),
        str(_("Sectors")),
        str(_("Size")),
        str(_("City")),
        str(_("Application status")),
        str(_("Meetings held")),
        str(_("Leads")),
        str(_("Estimated value (€)")),
    ]


def report_companies(mission: Mission) -> Iterator[list[str]]:
    """One row per company that applied (applications received, see above), by name,
    with its held meetings, leads and estimated value. Three queries."""
    outcomes = {
        row["application"]: row
        for row in Meeting.objects.filter(HELD, application__mission=mission)
        .values("application")
        .annotate(held=Count("id"), leads=Sum("leads"), value=Sum("estimated_value"))
        .order_by()
    }
    # Plain values, not models: a report's file lists every company that applied.
    applications = list(
        Application.objects.filter(RECEIVED, mission=mission)
        .order_by("company__name", "pk")
        .values_list(
            "pk",
            "status",
            "company_id",
            "company__name",
            "company__siret",
            "company__size",
            "company__city",
        )
    )
    sectors = defaultdict(list)
    for company_id, name_fr, name_en in Company.sectors.through.objects.filter(
        company_id__in={row[2] for row in applications}
    ).values_list("company_id", "sector__name_fr", "sector__name_en"):
        sectors[company_id].append(sector_name(name_fr, name_en))
    # Translated once, not once a row.
    sizes = {value: str(label) for value, label in CompanySize.choices}
    statuses = {value: str(label) for value, label in ApplicationStatus.choices}
    for pk, status, company_id, name, siret, size, city in applications:
        outcome = outcomes.get(pk, {})
        yield [
            name,
            siret,
            ", ".join(sorted(sectors[company_id])),
            sizes[size] if size else "",
            city,
            statuses[status],
            str(outcome.get("held", 0)),
            str(outcome.get("leads") or 0),
            _number(outcome.get("value") or Decimal("0.00")),
        ]
