"""A year of missions for the city's officials: each mission with its figures, the year's
totals, by destination and by sector, beside the previous year's.

A mission belongs to the year its start date falls in. Cancelled missions are listed,
marked, and left out of every total: they brought no company abroad, and their budget
(if any was spent) is read on their own row. The figures are the report's KPIs
(``missions.kpis``); the two years are fetched together, in a fixed number of queries
whatever the number of missions.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from missions.enums import MissionStatus
from missions.models import Mission
from reports.kpis import MissionKpis, mission_kpis

# The figures a total adds up, in the order the page shows them.
FIGURES = {
    "missions": _("Missions"),
    "confirmed_companies": _("Confirmed companies"),
    "meetings_held": _("Meetings held"),
    "leads": _("Leads"),
    "estimated_value": _("Estimated value (€)"),
    "budget_actual": _("Actual budget (€)"),
}
MONEY = {"estimated_value", "budget_actual"}


def _add(total, value):
    """A sum in which unknown values do not count, and that stays unknown (None) while
    every value added is."""
    if value is None:
        return total
    return value if total is None else total + value


@dataclass
class Totals:
    """What several missions add up to. ``None``: no mission gave that figure."""

    missions: int = 0
    confirmed_companies: int = 0
    meetings_held: int = 0
    leads: int | None = None
    estimated_value: Decimal | None = None
    budget_actual: Decimal | None = None

    def add(self, kpis: MissionKpis) -> None:
        self.missions += 1
        self.confirmed_companies += kpis.applications_confirmed
        self.meetings_held += kpis.meetings_held
        self.leads = _add(self.leads, kpis.leads)
        self.estimated_value = _add(self.estimated_value, kpis.estimated_value)
        self.budget_actual = _add(self.budget_actual, kpis.budget_actual)


@dataclass(frozen=True)
class Comparison:
    """One figure of this year beside the previous year's; ``difference`` is None when
    either is unknown."""

    name: str
    current: int | Decimal | None
    previous: int | Decimal | None

    @property
    def label(self) -> str:
        return str(FIGURES[self.name])

    @property
    def money(self) -> bool:
        return self.name in MONEY

    @property
    def difference(self):
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


def compare(current: Totals | None, previous: Totals | None) -> list[Comparison]:
    """Each figure of ``FIGURES``, this year beside last year (None: no mission there)."""
    return [
        Comparison(
            name,
            getattr(current, name) if current else None,
            getattr(previous, name) if previous else None,
        )
        for name in FIGURES
    ]


@dataclass
class YearRow:
    """One mission of the year with its KPIs; ``counted``: it is in the totals."""

    mission: Mission
    kpis: MissionKpis

    @property
    def counted(self) -> bool:
        return self.mission.status != MissionStatus.CANCELLED

    @property
    def report(self):
        # Selected with the mission: no query, and None when staff have not started it.
        return getattr(self.mission, "report", None)


@dataclass
class YearFigures:
    rows: list[YearRow] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)
    by_destination: dict[str, Totals] = field(default_factory=dict)
    # Confirmed companies by sector (a company in two sectors counts in each).
    by_sector: dict[str, int] = field(default_factory=dict)
    destination_names: dict[str, str] = field(default_factory=dict)


def _figures(rows: list[YearRow]) -> YearFigures:
    figures = YearFigures(rows=rows)
    for row in rows:
        if not row.counted:
            continue
        figures.totals.add(row.kpis)
        code = row.mission.country.code
        figures.destination_names[code] = str(row.mission.country.name)
        figures.by_destination.setdefault(code, Totals()).add(row.kpis)
        for label, count in row.kpis.companies_by_sector:
            figures.by_sector[label] = figures.by_sector.get(label, 0) + count
    return figures


@dataclass(frozen=True)
class Line:
    """A destination or a sector: its figures this year beside last year's."""

    label: str
    figures: list[Comparison]


@dataclass
class YearOverview:
    year: int
    current: YearFigures
    previous: YearFigures

    @property
    def missions(self) -> list[YearRow]:
        return self.current.rows

    @property
    def cancelled(self) -> int:
        return sum(1 for row in self.current.rows if not row.counted)

    @property
    def totals(self) -> list[Comparison]:
        return compare(self.current.totals, self.previous.totals if self.previous.rows else None)

    @property
    def destinations(self) -> list[Line]:
        """Every destination of either year, by name."""
        names = {**self.previous.destination_names, **self.current.destination_names}
        lines = [
            Line(
                names[code],
                compare(
                    self.current.by_destination.get(code),
                    self.previous.by_destination.get(code),
                ),
            )
            for code in names
        ]
        return sorted(lines, key=lambda line: line.label)

    @property
    def sectors(self) -> list[Line]:
        """Confirmed companies by sector, this year beside last year, most this year
        first; a sector without companies in one year shows "—" there."""
        labels = set(self.current.by_sector) | set(self.previous.by_sector)
        lines = [
            Line(
                label,
                [
                    Comparison(
                        "confirmed_companies",
                        self.current.by_sector.get(label),
                        self.previous.by_sector.get(label),
                    )
                ],
            )
            for label in labels
        ]
        return sorted(
            lines,
            key=lambda line: (-(line.figures[0].current or 0), line.label),
        )


def year_overview(year: int) -> YearOverview:
    """The missions starting in ``year`` and in the year before, with their KPIs and
    report, and the totals of each year; a fixed number of queries (the missions with
    their reports, then the KPIs' grouped queries)."""
    missions = list(
        Mission.objects.filter(start_date__year__in=[year - 1, year])
        .select_related("report")
        .order_by(F("start_date").asc(), "title", "pk")
    )
    kpis = mission_kpis(missions)
    rows: dict[int, list[YearRow]] = {year - 1: [], year: []}
    for mission in missions:
        rows[mission.start_date.year].append(YearRow(mission, kpis[mission.pk]))
    return YearOverview(year=year, current=_figures(rows[year]), previous=_figures(rows[year - 1]))


@dataclass
class YearAtAGlance:
    year: int
    missions: int
    companies: int
    meetings_held: int
    leads: int = 0


def years_at_a_glance() -> list[YearAtAGlance]:
    """Every year a dated mission starts in, cancelled ones aside, with its missions,
    confirmed companies, meetings held and the leads they gave: the picture across the
    years, oldest first. A fixed number of queries (the missions, then the KPIs' grouped
    queries)."""
    missions = list(
        Mission.objects.filter(start_date__isnull=False)
        .exclude(status=MissionStatus.CANCELLED)
        .order_by("start_date", "pk")
    )
    kpis = mission_kpis(missions)
    years: dict[int, YearAtAGlance] = {}
    for mission in missions:
        year = years.setdefault(
            mission.start_date.year, YearAtAGlance(mission.start_date.year, 0, 0, 0)
        )
        year.missions += 1
        year.companies += kpis[mission.pk].applications_confirmed or 0
        year.meetings_held += kpis[mission.pk].meetings_held or 0
        year.leads += kpis[mission.pk].leads or 0
    return list(years.values())
