"""The demo: the City of Marseille's 2019 trade missions, and the missions that come next.

The facts (sectors, the six missions of 2019, officials, named companies, partners) are
read from the project's own copy of the data, ``DATA_PATH``. Around them the seed adds
generated companies, applications, counterparts and B2B meetings, drawn from random
generators with fixed seeds, and three upcoming missions dated relative to today.

Running it again creates nothing and changes nothing: every row is found by a natural
key (``Sector.code``, ``Mission.slug``, ``Company.siret``, ``User.email``, or its parent
plus a name) and written only when it differs from what the demo wants. Random draws
never depend on what the database already holds, so they are the same on every run.
Upcoming missions follow the date: a run on a later day moves their dates forward.

It writes to the ORM directly rather than through the services on purpose: services
queue emails and apply today's rules one transition at a time, whereas the demo lays
down a history that has already happened, and must never email anyone.
"""

import datetime
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils.text import slugify
from stdnum import luhn

from accounts.models import Language, User
from accounts.rules import OFFICIALS_GROUP, STAFF_GROUP
from companies.models import (
    Company,
    CompanyMembership,
    Contact,
    MembershipRole,
    MembershipStatus,
)
from core.zones import PARIS
from delegations.enums import ApplicationStatus
from delegations.models import Application, ApplicationStatusChange
from delegations.services import seat_confirmation_deadline
from demo import catalogue
from meetings.enums import (
    CounterpartKind,
    FollowUpStage,
    MeetingRequestStatus,
    MeetingStatus,
    RequestOrigin,
)
from meetings.models import (
    Counterpart,
    Meeting,
    MeetingGrid,
    MeetingRequest,
    MeetingSlot,
    Unavailability,
)
from missions.enums import MissionStatus, ProgrammeItemKind
from missions.models import Mission, MissionStatusChange, ProgrammeItem, Sector
from reports.enums import ReportStatus
from reports.models import MissionReport, ReportStatusChange

# The project's own copy: the command never reads the shared original.
DATA_PATH = Path(__file__).resolve().parent / "marseille_missions_2019.json"

DEMO_PASSWORD = "Marseille-2019"  # noqa: S105 - printed on purpose: a demo login
RANDOM_SEED = 2019
PROGRAMME_YEAR = 2019
GENERATED_COMPANIES = 40
# Staff get every model permission of the portal's own apps, for the Django admin.
STAFF_PERMISSION_APPS = (
    "accounts",
    "missions",
    "companies",
    "delegations",
    "notifications",
    "campaigns",
)

SUMMARY_MAX_LENGTH = Mission._meta.get_field("summary").max_length


def _rng(topic: str) -> random.Random:
    """A generator per topic, so that changing one part of the demo keeps the others."""
    return random.Random(f"{RANDOM_SEED}:{topic}")


def _at(day: datetime.date, hour: int, minute: int = 0, zone: ZoneInfo = PARIS):
    """An aware datetime: naive ones are refused by the tests and mean nothing abroad."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def shorten(text: str, limit: int = SUMMARY_MAX_LENGTH) -> str:
    """``text`` if it fits, else cut at a word boundary and ended with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:(—-")
    return f"{cut}…"


def demo_siret(number: int) -> str:
    """A valid, deterministic SIRET: Luhn on the SIREN body, then on the SIRET body."""
    siren_body = f"{81300000 + number:08d}"
    siren = siren_body + luhn.calc_check_digit(siren_body)
    siret_body = f"{siren}0001"
    return siret_body + luhn.calc_check_digit(siret_body)


def load_programme(path: Path = DATA_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- Writing without duplicates or needless updates --------------------------------------


@dataclass
class SeedResult:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)


class DemoWriter:
    """Finds each row by its natural key; creates it, or updates only what differs."""

    def __init__(self):
        self.result = SeedResult()
        self._created: set[tuple[type, int]] = set()

    def upsert(self, model, *, key: dict, values: dict | None = None, lookup=None, backdate=None):
        """The row found by ``lookup`` (default ``key``), created or brought to ``values``.

        ``backdate`` sets ``auto_now_add`` fields, which ``create`` would override, on
        creation only: a 2019 history should not look as if it happened today.
        """
        values = values or {}
        instance = model._default_manager.filter(**(lookup or key)).first()
        if instance is None:
            instance = model._default_manager.create(**key, **values)
            if backdate:
                model._default_manager.filter(pk=instance.pk).update(**backdate)
            self.result.created[model] += 1
            self._created.add((model, instance.pk))
            return instance
        changed = [name for name, value in values.items() if not _same(instance, name, value)]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            instance.save(update_fields=changed)
            self.result.updated[model] += 1
        return instance

    def was_created(self, instance) -> bool:
        return (type(instance), instance.pk) in self._created

    def set_related(self, instance, name: str, objects) -> None:
        """Set a many-to-many field, writing nothing when it already holds ``objects``."""
        manager = getattr(instance, name)
        wanted = {obj.pk for obj in objects}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(objects)
            if not self.was_created(instance):
                self.result.updated[type(instance)] += 1


def _same(instance, name: str, value) -> bool:
    model_field = instance._meta.get_field(name)
    if isinstance(model_field, models.ForeignKey):
        return getattr(instance, model_field.attname) == (value.pk if value else None)
    return getattr(instance, name) == value


# --- Sectors and people -------------------------------------------------------------------


def seed_sectors(writer: DemoWriter, programme: dict) -> dict[str, Sector]:
    sectors = {}
    for entries, excellence in (
        (programme["sectors_of_excellence"], True),
        (programme["extra_sectors_mentioned"], False),
    ):
        for entry in entries:
            sectors[entry["code"]] = writer.upsert(
                Sector,
                key={"code": entry["code"]},
                values={
                    "name_fr": entry["fr"],
                    "name_en": entry["en"],
                    "is_excellence": excellence,
                },
            )
    return sectors


@dataclass
class People:
    admin: User
    staff: User
    officials: dict[str, User]  # by full name
    members: dict[str, User]  # by company name


def _split_name(full_name: str) -> tuple[str, str]:
    first, _, last = full_name.partition(" ")
    return first, last


def seed_user(
    writer: DemoWriter,
    *,
    email: str,
    first_name: str,
    last_name: str,
    job_title: str = "",
    language: str = Language.FRENCH,
    is_staff: bool = False,
    is_superuser: bool = False,
    groups=(),
) -> User:
    user = writer.upsert(
        User,
        key={"email": email},
        lookup={"email__iexact": email},
        values={
            "first_name": first_name,
            "last_name": last_name,
            "job_title": job_title,
            "language": language,
            "is_staff": is_staff,
            "is_superuser": is_superuser,
            "is_active": True,
        },
    )
    # A fresh salt each time would make every run rewrite the hash: check it first.
    if writer.was_created(user) or not user.check_password(DEMO_PASSWORD):
        if not writer.was_created(user):
            writer.result.updated[User] += 1
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    writer.set_related(user, "groups", list(groups))
    return user


def seed_people(writer: DemoWriter, programme: dict) -> People:
    staff_group = writer.upsert(Group, key={"name": STAFF_GROUP})
    officials_group = writer.upsert(Group, key={"name": OFFICIALS_GROUP})
    writer.set_related(
        staff_group,
        "permissions",
        list(Permission.objects.filter(content_type__app_label__in=STAFF_PERMISSION_APPS)),
    )

    # The one English-speaking demo login, to show the English interface.
    admin = seed_user(
        writer,
        email=catalogue.ADMIN_EMAIL,
        first_name="Alex",
        last_name="Admin",
        job_title="Portal administrator",
        language=Language.ENGLISH,
        is_staff=True,
        is_superuser=True,
    )
    staff = seed_user(
        writer,
        email=catalogue.STAFF_EMAIL,
        first_name="Sophie",
        last_name="Martin",
        job_title="Chargée de mission, action internationale",
        is_staff=True,
        groups=[staff_group],
    )

    officials = {}
    for mission in programme["missions"]:
        for official in mission.get("officials", []):
            first_name, last_name = _split_name(official["name"])
            officials[official["name"]] = seed_user(
                writer,
                email=catalogue.OFFICIAL_EMAILS[official["name"]],
                first_name=first_name,
                last_name=last_name,
                job_title=official["role"],
                groups=[officials_group],
            )
    return People(admin=admin, staff=staff, officials=officials, members={})


# --- Companies ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactSpec:
    first_name: str
    last_name: str
    job_title: str
    email: str
    phone: str = ""
    language: str = Language.FRENCH


@dataclass(frozen=True)
class CompanySpec:
    number: int  # stable identity: the SIRET is derived from it
    name: str
    city: str
    size: str
    sectors: tuple[str, ...]
    website: str
    description: str
    export_experience: str
    verified: bool
    contacts: tuple[ContactSpec, ...]


def named_company_specs(programme: dict) -> list[CompanySpec]:
    """The companies the articles name, with their contact person."""
    specs = []
    for mission in programme["missions"]:
        for company in mission.get("companies", []):
            extra = catalogue.NAMED_COMPANIES[company["name"]]
            first_name, last_name = _split_name(company["contact"])
            employees = company.get("employees")
            size = extra["size"] if employees is None else _size_for(employees)
            specs.append(
                CompanySpec(
                    number=len(specs),
                    name=company["name"],
                    city=company.get("city", extra["city"]),
                    size=size,
                    sectors=(company["sector"],),
                    website=extra["website"],
                    description=company["description"],
                    export_experience="",
                    verified=True,
                    contacts=(
                        ContactSpec(
                            first_name=first_name,
                            last_name=last_name,
                            job_title=company["contact_role"],
                            email=extra["email"],
                        ),
                    ),
                )
            )
    return specs


def _size_for(employees: int) -> str:
    if employees < 10:
        return "micro"
    if employees < 50:
        return "small"
    return "medium" if employees < 250 else "large"


EXPORT_EXPERIENCE = [
    "Aucune expérience à l'export : ce serait une première mission.",
    "Premières ventes en Italie et en Espagne.",
    "Exporte en Europe depuis plusieurs années ; cherche à aborder l'Amérique du Nord.",
    "Un distributeur au Maghreb, des clients en Belgique et en Suisse.",
    "A participé à une mission de la Ville en 2017.",
]

SIZE_LABELS = {
    "micro": "moins de 10 salariés",
    "small": "de 10 à 49 salariés",
    "medium": "de 50 à 249 salariés",
    "large": "plus de 250 salariés",
}


def generated_company_specs(first_number: int, count: int = GENERATED_COMPANIES):
    """Companies of the Marseille area; one in ten is still waiting to be verified."""
    rng = _rng("companies")
    sector_codes = list(catalogue.SECTOR_PROFILES)
    cities, city_weights = zip(*catalogue.CITIES, strict=True)
    sizes, size_weights = zip(*catalogue.SIZES, strict=True)
    names: set[str] = set()
    specs = []
    for index in range(count):
        sector = rng.choice(sector_codes)
        profile = catalogue.SECTOR_PROFILES[sector]
        name = f"{rng.choice(catalogue.NAME_PREFIXES)} {rng.choice(profile['suffixes'])}"
        while name in names:
            name = f"{rng.choice(catalogue.NAME_PREFIXES)} {rng.choice(profile['suffixes'])}"
        names.add(name)
        sectors = [sector]
        if rng.random() < 0.4:
            sectors.append(rng.choice([code for code in sector_codes if code != sector]))
        city = rng.choices(cities, weights=city_weights)[0]
        size = rng.choices(sizes, weights=size_weights)[0]
        domain = f"{slugify(name)}.example"
        contacts: list[ContactSpec] = []
        for _ in range(rng.choice((1, 1, 2))):
            first_name = rng.choice(catalogue.FIRST_NAMES)
            last_name = rng.choice(catalogue.LAST_NAMES)
            email = f"{slugify(first_name)}.{slugify(last_name)}@{domain}"
            if any(contact.email == email for contact in contacts):
                continue
            contacts.append(
                ContactSpec(
                    first_name=first_name,
                    last_name=last_name,
                    job_title=rng.choice(catalogue.JOB_TITLES),
                    email=email,
                    phone=f"+33 4 91 {rng.randrange(10, 100)} {rng.randrange(10, 100)} "
                    f"{rng.randrange(10, 100)}",
                    language=Language.ENGLISH if rng.random() < 0.1 else Language.FRENCH,
                )
            )
        specs.append(
            CompanySpec(
                number=first_number + index,
                name=name,
                city=city,
                size=size,
                sectors=tuple(sectors),
                website=f"https://www.{domain}",
                description=(
                    f"{name} : {profile['activity']}. Entreprise basée à {city}, "
                    f"{SIZE_LABELS[size]}."
                ),
                export_experience=rng.choice(EXPORT_EXPERIENCE),
                verified=index % 10 != 9,
                contacts=tuple(contacts),
            )
        )
    return specs


def seed_company(
    writer: DemoWriter, spec: CompanySpec, *, sectors: dict[str, Sector], verifier: User
) -> Company:
    company = writer.upsert(
        Company,
        key={"siret": demo_siret(spec.number)},
        values={
            "name": spec.name,
            "size": spec.size,
            "city": spec.city,
            "website": spec.website,
            "description": spec.description,
            "export_experience": spec.export_experience,
            "verified": spec.verified,
            "verified_at": (
                _at(datetime.date(2019, 1, 7) + datetime.timedelta(days=spec.number), 10)
                if spec.verified
                else None
            ),
            "verified_by": verifier if spec.verified else None,
        },
    )
    writer.set_related(company, "sectors", [sectors[code] for code in spec.sectors])
    for contact in spec.contacts:
        writer.upsert(
            Contact,
            key={"company": company, "email": contact.email},
            values={
                "first_name": contact.first_name,
                "last_name": contact.last_name,
                "job_title": contact.job_title,
                "phone": contact.phone,
                "language": contact.language,
            },
        )
    return company


@dataclass
class DemoCompany:
    spec: CompanySpec
    company: Company
    member: User | None

    @property
    def generated(self) -> bool:
        return self.member is None


def seed_companies(writer, *, programme, sectors, people) -> dict[str, DemoCompany]:
    named = named_company_specs(programme)
    generated = generated_company_specs(first_number=len(named))
    companies = {}
    for spec in named + generated:
        company = seed_company(writer, spec, sectors=sectors, verifier=people.staff)
        companies[spec.name] = DemoCompany(spec=spec, company=company, member=None)
    # The contact person of each named company also logs in for it.
    for spec in named:
        contact = spec.contacts[0]
        member = seed_user(
            writer,
            email=contact.email,
            first_name=contact.first_name,
            last_name=contact.last_name,
            job_title=contact.job_title,
        )
        writer.upsert(
            CompanyMembership,
            key={"user": member},
            values={
                "company": companies[spec.name].company,
                "role": MembershipRole.ADMIN,
                "status": MembershipStatus.ACTIVE,
            },
        )
        companies[spec.name].member = member
        people.members[spec.name] = member
    return companies


# --- Missions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PastStory:
    """What became of a 2019 mission: its status, its report, its delegation."""

    status: str
    report: str | None
    confirmed: int = 0
    rejected: int = 0
    withdrawn: int = 0
    # The demo's budgets in euros (the articles give none): planned, then actual once
    # the bills are in.
    budget: tuple[int | None, int | None] = (None, None)


# Keyed by the JSON titles. Canada and Japan take their delegation size from the JSON.
PAST_STORIES = {
    "Austin — South By Southwest (SXSW)": PastStory(
        MissionStatus.REPORTED,
        ReportStatus.APPROVED,
        confirmed=6,
        rejected=1,
        budget=(38_000, 41_250),
    ),
    "Maroc — Tanger et Casablanca": PastStory(
        MissionStatus.REPORTED, ReportStatus.APPROVED, confirmed=5, budget=(22_000, 19_480)
    ),
    "Canada — Toronto et Montréal": PastStory(
        MissionStatus.REPORTED,
        ReportStatus.APPROVED,
        rejected=3,
        withdrawn=1,
        budget=(120_000, 126_400),
    ),
    "Israël — Tel-Aviv, Haïfa, Jérusalem (DLD Tel-Aviv)": PastStory(
        MissionStatus.COMPLETED,
        ReportStatus.CHANGES_REQUESTED,
        confirmed=6,
        rejected=1,
        budget=(45_000, 47_900),
    ),
    # Awaiting review: what the official's home page shows.
    "Japon — Tokyo, Kobe, Kyoto": PastStory(
        MissionStatus.COMPLETED, ReportStatus.SUBMITTED, rejected=2, budget=(85_000, 88_730)
    ),
    # No dates in the articles: a draft.
    "Focus London": PastStory(MissionStatus.DRAFT, None, budget=(15_000, None)),
}

LIFECYCLE = [
    MissionStatus.DRAFT,
    MissionStatus.OPEN,
    MissionStatus.SELECTION,
    MissionStatus.CONFIRMED,
    MissionStatus.IN_PROGRESS,
    MissionStatus.COMPLETED,
    MissionStatus.REPORTED,
]


def seed_status_history(writer, mission: Mission, *, times: dict, by: User) -> None:
    """The real chain from creation to the current status, each step at its own time."""
    steps = LIFECYCLE[: LIFECYCLE.index(mission.status) + 1]
    for from_status, to_status in zip(["", *steps], steps, strict=False):
        writer.upsert(
            MissionStatusChange,
            key={"mission": mission, "from_status": from_status, "to_status": to_status},
            values={"changed_by": by},
            backdate={"changed_at": times[to_status]},
        )


@dataclass
class PastMission:
    data: dict
    story: PastStory
    mission: Mission


def seed_past_missions(writer, *, programme, sectors, people) -> dict[str, PastMission]:
    partners = ", ".join(programme["partners_examples"])
    past = {}
    for data in programme["missions"]:
        story = PAST_STORIES[data["title"]]
        start = datetime.date.fromisoformat(data["start"]) if data["start"] else None
        end = datetime.date.fromisoformat(data["end"]) if data["end"] else None
        opens = _at(start - datetime.timedelta(days=100), 9) if start else None
        deadline = _at(start - datetime.timedelta(days=60), 12) if start else None
        mission = writer.upsert(
            Mission,
            key={"slug": slugify(f"{data['title']} {PROGRAMME_YEAR}")},
            values={
                "title": f"{data['title']} {PROGRAMME_YEAR}",
                "country": data["country"],
                "cities": ", ".join(data["cities"]),
                "timezone": data["timezone"],
                "start_date": start,
                "end_date": end,
                "capacity": data.get("capacity", 10),
                "applications_open_at": opens,
                "application_deadline": deadline,
                "status": story.status,
                "budget_planned": story.budget[0],
                "budget_actual": story.budget[1],
                "partners": partners,
                "summary": shorten(data["summary"]),
                # The whole text, which the summary may have had to cut.
                "description": data["summary"],
            },
        )
        writer.set_related(mission, "sectors", [sectors[code] for code in data["sectors"]])
        writer.set_related(
            mission,
            "officials",
            [people.officials[official["name"]] for official in data.get("officials", [])],
        )
        if start:
            times = {
                MissionStatus.DRAFT: _at(start - datetime.timedelta(days=120), 10),
                MissionStatus.OPEN: opens,
                MissionStatus.SELECTION: deadline,
                MissionStatus.CONFIRMED: _at(start - datetime.timedelta(days=45), 10),
                MissionStatus.IN_PROGRESS: _at(start, 8, zone=ZoneInfo(data["timezone"])),
                MissionStatus.COMPLETED: _at(end + datetime.timedelta(days=1), 10),
                MissionStatus.REPORTED: _at(end + datetime.timedelta(days=30), 15),
            }
        else:
            times = {MissionStatus.DRAFT: _at(datetime.date(PROGRAMME_YEAR, 9, 2), 10)}
        seed_status_history(writer, mission, times=times, by=people.staff)
        past[data["title"]] = PastMission(data=data, story=story, mission=mission)
    return past


# The Canada programme, in Toronto or Montréal time. The JSON gives the items and their
# order; the hours, places and the items between them are the demo's.
CANADA_TIMING = {
    ProgrammeItemKind.B2B: [(0, (9, 0), (17, 0)), (1, (9, 0), (17, 0))],
    ProgrammeItemKind.TRADE_FAIR: [(2, (13, 30), (18, 0)), (3, (9, 0), (18, 0))],
    ProgrammeItemKind.PROMOTION: [(3, (18, 30), (21, 30))],
}
CANADA_PLACES = {
    ProgrammeItemKind.B2B: "Centre de congrès, Front Street, Toronto",
    ProgrammeItemKind.TRADE_FAIR: "Parc de la Cité du Havre, Montréal",
    ProgrammeItemKind.PROMOTION: "Vieux-Port de Montréal",
}
# fmt: off
CANADA_EXTRA_ITEMS = [
    (ProgrammeItemKind.TRAVEL, "Trajet en train Toronto → Montréal", "Toronto",
     "Gare Union, Toronto", 2, (7, 30), (12, 30),
     "Départ groupé de la délégation ; arrivée à la gare Centrale de Montréal."),
    (ProgrammeItemKind.INSTITUTIONAL, "Rencontre à l'hôtel de ville de Montréal", "Montréal",
     "Hôtel de ville de Montréal", 4, (10, 0), (12, 0),
     "Échanges sur l'accord de coopération entre Montréal et Marseille."),
]
# fmt: on


def seed_canada_programme(writer, mission: Mission, data: dict) -> None:
    zone = ZoneInfo(data["timezone"])
    start = mission.start_date

    def when(offset, hour_minute):
        return _at(start + datetime.timedelta(days=offset), *hour_minute, zone=zone)

    items = []
    for entry in data["programme"]:
        kind = ProgrammeItemKind(entry["kind"])
        timing = CANADA_TIMING[kind][: entry.get("days", len(CANADA_TIMING[kind]))]
        for number, (offset, begins, ends) in enumerate(timing, start=1):
            suffix = f" — jour {number}" if len(timing) > 1 else ""
            title = entry["title"] + suffix
            place = CANADA_PLACES[kind]
            items.append((kind, title, entry["city"], place, offset, begins, ends, ""))
    items.extend(CANADA_EXTRA_ITEMS)
    for kind, title, city, location, offset, begins, ends, description in items:
        writer.upsert(
            ProgrammeItem,
            key={"mission": mission, "title": title},
            values={
                "kind": kind,
                "city": city,
                "location": location,
                "starts_at": when(offset, begins),
                "ends_at": when(offset, ends),
                "description": description,
            },
        )


def seed_upcoming_missions(writer, *, today, sectors, people, partners) -> list[Mission]:
    missions = []
    for spec in catalogue.UPCOMING_MISSIONS:
        start = today + datetime.timedelta(days=spec["start_in_days"])
        opens = deadline = None
        if spec["opened_days_ago"] is not None:
            opens = _at(today - datetime.timedelta(days=spec["opened_days_ago"]), 9)
            deadline = _at(today + datetime.timedelta(days=spec["deadline_in_days"]), 12)
        mission = writer.upsert(
            Mission,
            key={"slug": spec["slug"]},
            values={
                "title": f"{spec['title']} {start.year}",
                "country": spec["country"],
                "cities": spec["cities"],
                "timezone": spec["timezone"],
                "start_date": start,
                "end_date": start + datetime.timedelta(days=spec["length_days"] - 1),
                "capacity": spec["capacity"],
                "applications_open_at": opens,
                "application_deadline": deadline,
                "status": spec["status"],
                "partners": partners,
                "summary": shorten(spec["summary"]),
                "description": spec["description"],
            },
        )
        writer.set_related(mission, "sectors", [sectors[code] for code in spec["sectors"]])
        writer.set_related(
            mission, "officials", [people.officials[name] for name in spec["officials"]]
        )
        created = opens - datetime.timedelta(days=10) if opens else _at(today, 9)
        seed_status_history(
            writer,
            mission,
            times={
                MissionStatus.DRAFT: created,
                MissionStatus.OPEN: opens,
                MissionStatus.SELECTION: deadline,
            },
            by=people.staff,
        )
        missions.append(mission)
    return missions


# --- Applications -------------------------------------------------------------------------

# Every status reached from a draft, step by step.
APPLICATION_CHAINS = {
    ApplicationStatus.DRAFT: [ApplicationStatus.DRAFT],
    ApplicationStatus.SUBMITTED: [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED],
    ApplicationStatus.ACCEPTED: [
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.ACCEPTED,
    ],
    ApplicationStatus.WAITLISTED: [
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.WAITLISTED,
    ],
    ApplicationStatus.REJECTED: [
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.REJECTED,
    ],
    ApplicationStatus.CONFIRMED: [
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.CONFIRMED,
    ],
    ApplicationStatus.WITHDRAWN: [
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.WITHDRAWN,
    ],
}
DECIDED = {
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.CONFIRMED,
    ApplicationStatus.WITHDRAWN,
}
SCORES = {
    ApplicationStatus.ACCEPTED: (7, 9),
    ApplicationStatus.CONFIRMED: (6, 10),
    ApplicationStatus.WITHDRAWN: (6, 8),
    ApplicationStatus.WAITLISTED: (5, 6),
    ApplicationStatus.REJECTED: (2, 5),
}
REJECTION_NOTES = [
    "Projet encore trop tôt pour ce marché.",
    "Offre peu adaptée aux interlocuteurs identifiés sur place.",
    "Capacité atteinte ; à recontacter pour la prochaine mission.",
]
COUNTERPARTS_SOUGHT = [
    "Distributeurs et importateurs.",
    "Investisseurs en amorçage ou en série A.",
    "Grands comptes et donneurs d'ordre.",
    "Partenaires industriels pour un développement commun.",
    "Institutions, clusters et organismes d'accompagnement.",
]


@dataclass(frozen=True)
class ApplicationPlan:
    company: DemoCompany
    status: str
    created: datetime.datetime
    submitted: datetime.datetime | None
    decided: datetime.datetime | None
    settled: datetime.datetime | None  # seat confirmed, or withdrawn
    score: int | None
    notes: str


def plan_application(
    rng, company: DemoCompany, status: str, *, opens, deadline, today=None
) -> ApplicationPlan:
    """Dates that follow the mission's calendar: created and sent while applications
    were open, decided after the deadline, the seat confirmed a few days later."""
    # Wall-clock arithmetic in Paris time, whether the dates come from this run or back
    # from the database in UTC: otherwise a DST change moves them by an hour between runs.
    opens, deadline = opens.astimezone(PARIS), deadline.astimezone(PARIS)
    if today is not None and status == ApplicationStatus.DRAFT:
        created = _at(today - datetime.timedelta(days=rng.randint(1, 4)), 11)
    else:
        created = opens + datetime.timedelta(days=rng.randint(1, 8), hours=rng.randint(0, 8))
    submitted = None
    if status != ApplicationStatus.DRAFT:
        submitted = created + datetime.timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 6))
    decided = deadline + datetime.timedelta(days=2) if status in DECIDED else None
    settled = None
    if status == ApplicationStatus.CONFIRMED:
        settled = decided + datetime.timedelta(days=rng.randint(2, 8))
    elif status == ApplicationStatus.WITHDRAWN:
        settled = decided + datetime.timedelta(days=15)
    low_high = SCORES.get(status)
    score = rng.randint(*low_high) if low_high else None
    notes = rng.choice(REJECTION_NOTES) if status == ApplicationStatus.REJECTED else ""
    return ApplicationPlan(company, status, created, submitted, decided, settled, score, notes)


def seed_application(writer, mission: Mission, plan: ApplicationPlan, *, staff: User):
    spec = plan.company.spec
    profile = catalogue.SECTOR_PROFILES[spec.sectors[0]]
    member = plan.company.member
    city = mission.city_list[0]
    delegates = list(plan.company.company.contacts.order_by("pk"))
    application = writer.upsert(
        Application,
        key={"mission": mission, "company": plan.company.company},
        values={
            "status": plan.status,
            "objectives": (
                f"Identifier des clients et des partenaires à {city} et tester l'intérêt "
                f"du marché pour notre offre."
            ),
            "products": profile["products"].capitalize() + ".",
            "counterparts_sought": COUNTERPARTS_SOUGHT[spec.number % len(COUNTERPARTS_SOUGHT)],
            "contact_language": spec.contacts[0].language,
            "internal_score": plan.score,
            "internal_notes": plan.notes,
            "submitted_at": plan.submitted,
            "decided_at": plan.decided,
            "decided_by": staff if plan.decided else None,
            # Every demo decision has been announced.
            "announced_status": plan.status,
            "announced_at": plan.decided,
            "seat_confirm_by": (
                seat_confirmation_deadline(plan.decided)
                if plan.status in (ApplicationStatus.ACCEPTED, ApplicationStatus.CONFIRMED)
                else None
            ),
            "created_by": member,
        },
        backdate={"created_at": plan.created},
    )
    writer.set_related(application, "delegates", delegates)
    times = {
        ApplicationStatus.DRAFT: plan.created,
        ApplicationStatus.SUBMITTED: plan.submitted,
        ApplicationStatus.ACCEPTED: plan.decided,
        ApplicationStatus.WAITLISTED: plan.decided,
        ApplicationStatus.REJECTED: plan.decided,
        ApplicationStatus.CONFIRMED: plan.settled,
        ApplicationStatus.WITHDRAWN: plan.settled,
    }
    steps = APPLICATION_CHAINS[plan.status]
    for from_status, to_status in zip(["", *steps], steps, strict=False):
        # Decisions are staff's; the rest is the company's own doing.
        by = (
            staff
            if to_status
            in {
                ApplicationStatus.ACCEPTED,
                ApplicationStatus.WAITLISTED,
                ApplicationStatus.REJECTED,
            }
            else member
        )
        writer.upsert(
            ApplicationStatusChange,
            key={"application": application, "from_status": from_status, "to_status": to_status},
            values={"changed_by": by, "announced_at": times[to_status]},
            backdate={"changed_at": times[to_status]},
        )
    return application


def seed_past_applications(writer, past: PastMission, companies, *, staff) -> list[Application]:
    """The delegation of a 2019 mission: the named companies first, then generated ones."""
    data, story, mission = past.data, past.story, past.mission
    if not mission.start_date:
        return []
    rng = _rng(f"applications:{mission.slug}")
    named = [companies[company["name"]] for company in data.get("companies", [])]
    confirmed_count = data.get("companies_count", story.confirmed)
    pool = [c for c in companies.values() if c.generated and c.spec.verified]
    drawn = rng.sample(pool, confirmed_count - len(named) + story.rejected + story.withdrawn)
    confirmed = named + drawn[: confirmed_count - len(named)]
    others = drawn[confirmed_count - len(named) :]
    statuses = (
        [ApplicationStatus.CONFIRMED] * len(confirmed)
        + [ApplicationStatus.REJECTED] * story.rejected
        + [ApplicationStatus.WITHDRAWN] * story.withdrawn
    )
    applications = []
    for company, status in zip(confirmed + others, statuses, strict=True):
        plan = plan_application(
            rng,
            company,
            status,
            opens=mission.applications_open_at,
            deadline=mission.application_deadline,
        )
        applications.append(seed_application(writer, mission, plan, staff=staff))
    return applications


# Upcoming missions: which companies apply, and how far they got.
UPCOMING_APPLICATIONS = {
    "canada-toronto-montreal-prochaine-mission": {
        # Transpare has not applied yet: its member sees the call on the home page.
        "named": {"Protecto": ApplicationStatus.DRAFT},
        "generated": [ApplicationStatus.SUBMITTED] * 3 + [ApplicationStatus.DRAFT],
    },
    "israel-dld-tel-aviv-prochaine-mission": {
        "named": {"Transpare": ApplicationStatus.SUBMITTED},
        "generated": [ApplicationStatus.SUBMITTED] * 5
        + [ApplicationStatus.ACCEPTED] * 3
        + [ApplicationStatus.WAITLISTED]
        + [ApplicationStatus.REJECTED] * 2,
    },
}


def seed_upcoming_applications(writer, mission: Mission, companies, *, staff, today) -> None:
    plan_spec = UPCOMING_APPLICATIONS.get(mission.slug)
    if not plan_spec:
        return
    rng = _rng(f"applications:{mission.slug}")
    # Unverified companies may apply; staff verify them before accepting.
    pool = [c for c in companies.values() if c.generated]
    drawn = rng.sample(pool, len(plan_spec["generated"]))
    chosen = [(companies[name], status) for name, status in plan_spec["named"].items()]
    for company, status in zip(drawn, plan_spec["generated"], strict=True):
        # Staff decide only on verified companies.
        if status in DECIDED and not company.spec.verified:
            status = ApplicationStatus.SUBMITTED
        chosen.append((company, status))
    for company, status in chosen:
        plan = plan_application(
            rng,
            company,
            status,
            opens=mission.applications_open_at,
            deadline=mission.application_deadline,
            today=today,
        )
        seed_application(writer, mission, plan, staff=staff)


# --- Canada 2019: counterparts and B2B meetings --------------------------------------------

RATIONALES = {
    CounterpartKind.INVESTOR: "Lever des fonds pour accélérer notre développement au Canada.",
    CounterpartKind.BUYER: "Présenter notre offre à un acheteur qui correspond à notre cible.",
    CounterpartKind.DISTRIBUTOR: "Trouver un distributeur pour couvrir le marché canadien.",
    CounterpartKind.PARTNER: "Construire un partenariat technique ou commercial.",
    CounterpartKind.INSTITUTION: "Connaître les aides et dispositifs d'accompagnement locaux.",
    CounterpartKind.STARTUP: "Explorer une collaboration avec une jeune pousse complémentaire.",
}
PURPOSES = {
    CounterpartKind.INVESTOR: "Levée de fonds",
    CounterpartKind.BUYER: "Vente",
    CounterpartKind.DISTRIBUTOR: "Distribution",
    CounterpartKind.PARTNER: "Partenariat",
    CounterpartKind.INSTITUTION: "Accompagnement",
    CounterpartKind.STARTUP: "Collaboration",
}
NOT_QUALIFIED = {MeetingRequestStatus.REQUESTED, MeetingRequestStatus.DECLINED}
B2B_DAYS = 2
B2B_HOURS = [((9, 0), (12, 0)), ((14, 0), (17, 0))]
GRID_TABLES = 10
SLOT_MINUTES = 30


@dataclass(frozen=True)
class MeetingStory:
    """The B2B meetings of a past mission: whom the delegation could meet, who could not
    attend part of a day, and the random stream that draws the rest."""

    counterparts: list
    # Counterparts (by index in the catalogue) that could not attend part of a day:
    # (day, half-day 0 = morning / 1 = afternoon).
    counterpart_absences: dict
    # Companies whose delegate missed the first slots of day one: name -> slots.
    company_absences: dict
    topic: str


# Keyed by the JSON titles: the missions whose report counts meetings.
MEETING_STORIES = {
    # Protecto's delegate landed late: the first hour of day one.
    "Canada — Toronto et Montréal": MeetingStory(
        catalogue.CANADA_COUNTERPARTS, {3: (1, 0), 11: (0, 1)}, {"Protecto": 2}, "meetings"
    ),
    "Japon — Tokyo, Kobe, Kyoto": MeetingStory(
        catalogue.TOKYO_COUNTERPARTS, {1: (1, 1)}, {}, "meetings-tokyo"
    ),
}


def seed_counterparts(writer, mission: Mission, sectors, rows) -> list[Counterpart]:
    counterparts = []
    for (
        organisation,
        kind,
        city,
        language,
        codes,
        contact,
        email,
        description,
    ) in rows:
        counterpart = writer.upsert(
            Counterpart,
            key={"mission": mission, "organisation": organisation, "email": email},
            values={
                "kind": kind,
                "city": city,
                "contact_name": contact,
                "language": language,
                "description": description,
                "interests": catalogue.COUNTERPART_INTERESTS.get(organisation, ""),
            },
        )
        writer.set_related(counterpart, "sectors", [sectors[code] for code in codes])
        counterparts.append(counterpart)
    return counterparts


def seed_meeting_grid(writer, mission: Mission) -> tuple[MeetingGrid, list[list[MeetingSlot]]]:
    """Thirty-minute slots over the first two days, morning and afternoon, Toronto time.

    Returns the slots as half-days: ``half_days[2 * day + half]``.
    """
    zone = mission.zone
    grid = writer.upsert(
        MeetingGrid,
        key={"mission": mission},
        values={
            "slot_minutes": SLOT_MINUTES,
            "tables": GRID_TABLES,
            "sessions": [
                {
                    "date": (mission.start_date + datetime.timedelta(days=day)).isoformat(),
                    "start": f"{begins[0]:02d}:{begins[1]:02d}",
                    "end": f"{ends[0]:02d}:{ends[1]:02d}",
                }
                for day in range(B2B_DAYS)
                for begins, ends in B2B_HOURS
            ],
        },
    )
    half_days = []
    for day in range(B2B_DAYS):
        date = mission.start_date + datetime.timedelta(days=day)
        for begins, ends in B2B_HOURS:
            slots = []
            starts_at = _at(date, *begins, zone=zone)
            while starts_at < _at(date, *ends, zone=zone):
                ends_at = starts_at + datetime.timedelta(minutes=SLOT_MINUTES)
                slots.append(
                    writer.upsert(
                        MeetingSlot,
                        key={"grid": grid, "starts_at": starts_at},
                        values={"ends_at": ends_at},
                    )
                )
                starts_at = ends_at
            half_days.append(slots)
    return grid, half_days


@dataclass
class RequestPlan:
    application: Application
    company: DemoCompany
    counterpart: Counterpart
    priority: int
    origin: str
    status: str
    decline_reason: str = ""
    slot: MeetingSlot | None = None
    table: int | None = None
    outcome: dict = field(default_factory=dict)


def plan_meeting_requests(rng, delegation, counterparts) -> list[RequestPlan]:
    """Two to four wishes per company, counterparts of its sectors first."""
    plans = []
    for application, company in delegation:
        wanted = 3 if not company.generated else rng.randint(2, 4)
        ranked = sorted(
            counterparts,
            key=lambda c, codes=set(company.spec.sectors): (
                -len(codes & _counterpart_sectors(c)),
                rng.random(),
            ),
        )
        for counterpart in ranked[:wanted]:
            draw = rng.random()
            priority = rng.choice((1, 2, 2, 3, 3))
            origin = rng.choices(
                (RequestOrigin.COMPANY, RequestOrigin.STAFF, RequestOrigin.COUNTERPART),
                weights=(6, 3, 1),
            )[0]
            status, reason = MeetingRequestStatus.QUALIFIED, ""
            # The named companies' agendas are the demo's showcase: all their wishes pass.
            if company.generated and draw < 0.07:
                status, reason = (
                    MeetingRequestStatus.DECLINED,
                    rng.choice(catalogue.DECLINE_REASONS),
                )
            elif company.generated and draw < 0.12:
                status = MeetingRequestStatus.REQUESTED
            plans.append(
                RequestPlan(application, company, counterpart, priority, origin, status, reason)
            )
    return plans


_COUNTERPART_SECTORS = {
    organisation: set(codes)
    for rows in (catalogue.CANADA_COUNTERPARTS, catalogue.TOKYO_COUNTERPARTS)
    for organisation, _kind, _city, _lang, codes, *_rest in rows
}


def _counterpart_sectors(counterpart: Counterpart) -> set[str]:
    return _COUNTERPART_SECTORS[counterpart.organisation]


def place_meetings(rng, plans, slots, *, unavailable) -> None:
    """Greedy placement, highest priority first, spread from a random slot onwards.

    Never two meetings for one company, one counterpart or one table in a slot, and
    nobody in a slot they are unavailable for: the constraints the database enforces.
    """
    busy: set[tuple[str, int, int]] = set(unavailable)
    tables_used: Counter = Counter()
    qualified = [p for p in plans if p.status == MeetingRequestStatus.QUALIFIED]
    for plan in sorted(qualified, key=lambda p: -p.priority):
        first = rng.randrange(len(slots))
        for slot in slots[first:] + slots[:first]:
            people_here = {
                ("company", slot.pk, plan.application.pk),
                ("counterpart", slot.pk, plan.counterpart.pk),
            }
            if tables_used[slot.pk] >= GRID_TABLES or people_here & busy:
                continue
            busy |= people_here
            tables_used[slot.pk] += 1
            plan.slot, plan.table = slot, tables_used[slot.pk]
            plan.status = MeetingRequestStatus.SCHEDULED
            break


def meeting_outcome(rng) -> dict:
    """What happened at a 2019 meeting: mostly held, a few no-shows."""
    if rng.random() < 0.1:
        return {"status": MeetingStatus.NO_SHOW}
    stage = rng.choices(
        (
            FollowUpStage.NONE,
            FollowUpStage.DISCUSSION,
            FollowUpStage.NEGOTIATION,
            FollowUpStage.AGREEMENT,
        ),
        weights=(3, 4, 2, 1),
    )[0]
    valued = stage in {FollowUpStage.NEGOTIATION, FollowUpStage.AGREEMENT}
    return {
        "status": MeetingStatus.HELD,
        "company_rating": rng.randint(2, 5),
        "counterpart_rating": rng.choice((None, 3, 4, 4, 5)),
        "follow_up_stage": stage,
        "leads": rng.randint(0, 4),
        "estimated_value": Decimal(rng.randrange(10, 250) * 1000) if valued else None,
    }


def seed_meetings(
    writer, past: PastMission, applications, companies, *, sectors, staff, story: MeetingStory
):
    mission = past.mission
    rng = _rng(story.topic)
    counterparts = seed_counterparts(writer, mission, sectors, story.counterparts)
    _grid, half_days = seed_meeting_grid(writer, mission)
    slots = [slot for half_day in half_days for slot in half_day]

    unavailable = set()
    for index, (day, half) in story.counterpart_absences.items():
        for slot in half_days[2 * day + half]:
            writer.upsert(Unavailability, key={"slot": slot, "counterpart": counterparts[index]})
            unavailable.add(("counterpart", slot.pk, counterparts[index].pk))
    by_company = {application.company_id: application for application in applications}
    for name, count in story.company_absences.items():
        application = by_company[companies[name].company.pk]
        for slot in slots[:count]:
            writer.upsert(Unavailability, key={"slot": slot, "application": application})
            unavailable.add(("company", slot.pk, application.pk))

    by_pk = {company.company.pk: company for company in companies.values()}
    delegation = [
        (application, by_pk[application.company_id])
        for application in applications
        if application.status == ApplicationStatus.CONFIRMED
    ]
    plans = plan_meeting_requests(rng, delegation, counterparts)
    place_meetings(rng, plans, slots, unavailable=unavailable)

    for plan in plans:
        member = plan.company.member
        request = writer.upsert(
            MeetingRequest,
            key={"application": plan.application, "counterpart": plan.counterpart},
            values={
                "priority": plan.priority,
                "origin": plan.origin,
                "status": plan.status,
                "rationale": RATIONALES[plan.counterpart.kind],
                "purpose": PURPOSES[plan.counterpart.kind],
                "qualification_note": (
                    "" if plan.status in NOT_QUALIFIED else "Intérêt confirmé par l'interlocuteur."
                ),
                "decline_reason": plan.decline_reason,
                "created_by": {
                    RequestOrigin.COMPANY: member,
                    RequestOrigin.STAFF: staff,
                }.get(plan.origin),
            },
        )
        if plan.slot is None:
            continue
        plan.outcome = meeting_outcome(rng)
        writer.upsert(
            Meeting,
            key={"request": request},
            values={
                "slot": plan.slot,
                "table": plan.table,
                "application": plan.application,
                "counterpart": plan.counterpart,
                "locked": False,
                # The demo's meetings were all sent, a month before the mission.
                "invited_at": _at(plan.slot.starts_at.date() - datetime.timedelta(days=30), 10),
                "company_rating": None,
                "counterpart_rating": None,
                "follow_up_stage": "",
                "leads": None,
                "estimated_value": None,
                **plan.outcome,
            },
        )
    return plans


# --- Reports ------------------------------------------------------------------------------

REVIEW_COMMENTS = {
    ReportStatus.APPROVED: "Bilan clair, merci à l'équipe. Approuvé.",
    ReportStatus.CHANGES_REQUESTED: (
        "Merci de détailler les suites données aux rendez-vous et le coût par entreprise "
        "avant approbation."
    ),
}


def report_narrative(past: PastMission, applications, plans) -> str:
    mission = past.mission
    confirmed = sum(1 for a in applications if a.status == ApplicationStatus.CONFIRMED)
    text = (
        f"Mission à {mission.cities} du {mission.start_date:%d/%m/%Y} au "
        f"{mission.end_date:%d/%m/%Y}, avec une délégation de {confirmed} entreprises "
        f"du territoire."
    )
    if plans:
        scheduled = [p for p in plans if p.slot]
        held = [p for p in scheduled if p.outcome.get("status") == MeetingStatus.HELD]
        organisations = len({p.counterpart.pk for p in scheduled})
        city = mission.cities.split(",")[0].strip()
        text += (
            f" À {city}, {len(scheduled)} rendez-vous qualifiés ont été organisés avec "
            f"{organisations} organisations (investisseurs, acheteurs, distributeurs, "
            f"partenaires et institutions) ; {len(held)} ont eu lieu."
        )
        if mission.country.code == "CA":
            text += (
                " À Montréal, la délégation était la première délégation provençale au "
                "Startup Fest ; un accord de coopération entre Montréal et Marseille est en "
                "discussion."
            )
    else:
        text += (
            " Les entreprises ont rencontré prospects, partenaires et institutions ; "
            "la Ville a présenté les filières d'excellence du territoire."
        )
    return text


def seed_report(writer, past: PastMission, applications, plans, *, people) -> None:
    status = past.story.report
    if status is None:
        return
    end = past.mission.end_date
    submitted_at = _at(end + datetime.timedelta(days=20), 17)
    reviewed = status in {ReportStatus.APPROVED, ReportStatus.CHANGES_REQUESTED}
    reviewed_at = _at(end + datetime.timedelta(days=30), 15) if reviewed else None
    reviewer = people.officials["Didier Parakian"] if reviewed else None
    comment = REVIEW_COMMENTS.get(status, "")
    report = writer.upsert(
        MissionReport,
        key={"mission": past.mission},
        values={
            "narrative": report_narrative(past, applications, plans),
            "status": status,
            "submitted_at": submitted_at,
            "reviewed_by": reviewer,
            "reviewed_at": reviewed_at,
            "reviewer_comment": comment,
        },
    )
    steps = [(ReportStatus.DRAFT, ReportStatus.SUBMITTED, people.staff, submitted_at, "")]
    if reviewed:
        steps.append((ReportStatus.SUBMITTED, status, reviewer, reviewed_at, comment))
    for from_status, to_status, by, when, step_comment in steps:
        writer.upsert(
            ReportStatusChange,
            key={"report": report, "from_status": from_status, "to_status": to_status},
            values={"changed_by": by, "comment": step_comment},
            backdate={"changed_at": when},
        )


# --- All of it ----------------------------------------------------------------------------

DEMO_LOGINS = [
    ("superuser", catalogue.ADMIN_EMAIL),
    ("staff", catalogue.STAFF_EMAIL),
    ("official", catalogue.OFFICIAL_EMAIL),
    ("company member (Transpare)", catalogue.COMPANY_EMAIL),
]


def seed_demo(*, today: datetime.date) -> SeedResult:
    """Lay down the whole demo in one transaction; a second run writes nothing.

    ``today`` anchors the upcoming missions (deadline a month ahead, and so on).
    """
    programme = load_programme()
    writer = DemoWriter()
    with transaction.atomic():
        sectors = seed_sectors(writer, programme)
        people = seed_people(writer, programme)
        companies = seed_companies(writer, programme=programme, sectors=sectors, people=people)
        past = seed_past_missions(writer, programme=programme, sectors=sectors, people=people)
        for title, mission in past.items():
            applications = seed_past_applications(writer, mission, companies, staff=people.staff)
            plans = []
            if title.startswith("Canada"):
                seed_canada_programme(writer, mission.mission, mission.data)
            if title in MEETING_STORIES:
                plans = seed_meetings(
                    writer,
                    mission,
                    applications,
                    companies,
                    sectors=sectors,
                    staff=people.staff,
                    story=MEETING_STORIES[title],
                )
            seed_report(writer, mission, applications, plans, people=people)
        upcoming = seed_upcoming_missions(
            writer,
            today=today,
            sectors=sectors,
            people=people,
            partners=", ".join(programme["partners_examples"]),
        )
        for mission in upcoming:
            seed_upcoming_applications(writer, mission, companies, staff=people.staff, today=today)
    return writer.result
