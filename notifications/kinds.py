"""Every kind of email the portal sends, with what its templates need.

A kind's templates live in ``templates/emails/<key>/`` (``subject.txt``,
``body.txt``, ``body.html``). ``required`` names the context keys the templates
use: ``email_queue`` refuses a context that lacks one, so a missing variable is
a programming error caught by tests, never a blank in a live email. ``sample``
is a context a preview or a test renders with.

Context values keep their type from the queue to the template (see
``notifications/context.py``): datetimes (aware), dates, Decimals, countries, texts in
every language (``Translated``), sentences of the catalogue (``Message``), and JSON's
own strings, numbers, booleans, lists and dictionaries. A value whose sample is a
datetime, a date, a time, a Decimal or a country must be given with that type: a date
given as text would render as nothing. ``timezone`` names the zone times are shown in.
Nothing is translated when an email is queued: the templates translate and format in
the recipient's language when it is rendered.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from core.zones import PARIS
from notifications.context import Translated

# The types a template relies on: a context gives them as its kind's sample does.
_TYPED = (datetime.datetime, datetime.date, datetime.time, Decimal, Country)


@dataclass(frozen=True)
class EmailKind:
    key: str
    label: str
    required: frozenset[str]
    sample: dict = field(default_factory=dict)
    # "[Action required]" before the subject: the recipient must do something by a date.
    action_required: bool = False
    # The context carries an "event" ({uid, starts_at, ends_at, summary, location}):
    # it is attached as an .ics invitation.
    calendar_event: bool = False

    def problems(self, context: dict, *, typed: bool = True) -> list[str]:
        """What is wrong with ``context`` for this kind: the required keys it lacks,
        and (unless it is of the legacy format, ``typed=False``) the values not of their
        sample's type. Empty when it will render."""
        problems = []
        missing = self.required - context.keys()
        if missing:
            problems.append(f"lacks context {sorted(missing)}")
        for key, sample in self.sample.items() if typed else ():
            if key in context and isinstance(sample, _TYPED):
                value = context[key]
                expected = type(sample)
                if not isinstance(value, expected) or (
                    expected is datetime.date and isinstance(value, datetime.datetime)
                ):
                    problems.append(
                        f"needs {key!r} as {expected.__name__}, not {type(value).__name__}"
                    )
        return problems


# Names given in each language (a sector's), shown in the recipient's.
_DIGITAL = Translated({"fr": "Numérique et industries créatives", "en": "Digital and creative"})
_MARITIME = Translated({"fr": "Maritime et logistique", "en": "Maritime and logistics"})

TORONTO = ZoneInfo("America/Toronto")


def _at(year, month, day, hour, minute, zone) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=zone)


_MISSION = {
    "recipient_name": "Ali Messoudi",
    "mission_title": "Canada — Toronto et Montréal 2027",
    "mission_url": "https://missions.marseille.fr/missions/canada-2027/",
    "timezone": "America/Toronto",
}

_MEETING = {
    **_MISSION,
    "other_party": "Maple Ventures",
    "starts_at": _at(2027, 7, 8, 9, 30, TORONTO),
    "ends_at": _at(2027, 7, 8, 10, 0, TORONTO),
    "table": 12,
    "location": "Toronto, MaRS Discovery District",
    "agenda_url": "https://missions.marseille.fr/delegations/agenda/",
    "event": {
        "uid": "meeting-42@missions.marseille.fr",
        "starts_at": _at(2027, 7, 8, 9, 30, TORONTO),
        "ends_at": _at(2027, 7, 8, 10, 0, TORONTO),
        "summary": "Transpare — Maple Ventures",
        "location": "Toronto, MaRS Discovery District — table 12",
    },
}

# What every email about a placed meeting says: when and where, and the agenda.
_MEETING_KEYS = frozenset(
    {"recipient_name", "starts_at", "timezone", "table", "location", "agenda_url"}
)

# What every email about an application says.
_APPLICATION_KEYS = frozenset(
    {"recipient_name", "company_name", "mission_title", "application_url"}
)
_APPLICATION = {
    **_MISSION,
    "company_name": "Transpare",
    "application_url": "https://missions.marseille.fr/delegations/applications/7/",
}

# What every email about a mission's report says; "author_name" is who acted.
_REPORT_KEYS = frozenset({"recipient_name", "mission_title", "report_url", "author_name"})
_REPORT = {
    "recipient_name": "Ali Messoudi",
    "mission_title": "Canada — Toronto et Montréal 2027",
    "report_url": "https://missions.marseille.fr/missions/canada-2027/report/",
    "author_name": "Sophie Martin",
}
_REVIEW_COMMENT = "Add the leads of the Montréal day, please."

KINDS = {
    kind.key: kind
    for kind in [
        EmailKind(
            key="call_for_applications",
            label=_("Call for applications"),
            required=frozenset(
                {
                    "recipient_name",
                    "mission_title",
                    "mission_url",
                    "cities",
                    "country",
                    "start_date",
                    "end_date",
                    "deadline_at",
                    "sectors",
                    "unsubscribe_url",
                }
            ),
            sample={
                **_MISSION,
                "cities": ["Toronto", "Montréal"],
                "country": Country("CA"),
                "start_date": datetime.date(2027, 7, 5),
                "end_date": datetime.date(2027, 7, 9),
                "deadline_at": _at(2027, 3, 31, 12, 0, PARIS),
                "sectors": [_DIGITAL, _MARITIME],
                "unsubscribe_url": "https://missions.marseille.fr/companies/preferences/",
            },
        ),
        EmailKind(
            key="application_deadline_reminder",
            label=_("Reminder: application deadline in 3 days"),
            required=frozenset(
                {"recipient_name", "mission_title", "application_url", "deadline_at"}
            ),
            sample={
                **_MISSION,
                "application_url": "https://missions.marseille.fr/delegations/applications/7/",
                "deadline_at": _at(2027, 3, 31, 12, 0, PARIS),
            },
            action_required=True,
        ),
        EmailKind(
            key="application_receipt",
            label=_("Application received"),
            required=_APPLICATION_KEYS | {"submitted_at"},
            sample={**_APPLICATION, "submitted_at": _at(2027, 3, 20, 10, 15, PARIS)},
        ),
        EmailKind(
            key="seat_confirmation_pending",
            label=_("Reminder: confirm your seat"),
            required=frozenset(
                {"recipient_name", "mission_title", "confirm_url", "confirm_before_at"}
            ),
            sample={
                **_MISSION,
                "confirm_url": "https://missions.marseille.fr/delegations/applications/7/confirm/",
                "confirm_before_at": _at(2027, 4, 15, 18, 0, PARIS),
            },
            action_required=True,
        ),
        EmailKind(
            key="application_accepted",
            label=_("Application accepted: confirm the seat"),
            required=_APPLICATION_KEYS | {"confirm_url", "confirm_before_at", "from_waitlist"},
            sample={
                **_APPLICATION,
                "confirm_url": "https://missions.marseille.fr/delegations/applications/7/confirm/",
                "confirm_before_at": _at(2027, 4, 15, 18, 0, PARIS),
                "from_waitlist": False,
            },
            action_required=True,
        ),
        EmailKind(
            key="application_waitlisted",
            label=_("Application on the waiting list"),
            required=_APPLICATION_KEYS,
            sample=_APPLICATION,
        ),
        EmailKind(
            key="application_rejected",
            label=_("Application not selected"),
            required=_APPLICATION_KEYS,
            sample=_APPLICATION,
        ),
        EmailKind(
            key="seat_released",
            label=_("Unconfirmed seat released"),
            required=_APPLICATION_KEYS,
            sample=_APPLICATION,
        ),
        EmailKind(
            key="meeting_invitation",
            label=_("Meeting invitation"),
            required=_MEETING_KEYS | {"mission_title", "other_party", "ends_at", "event"},
            sample=_MEETING,
            calendar_event=True,
        ),
        # To a counterpart (no account): who asks to meet it, and a signed link to
        # accept or decline. The event may carry "sequence", raised at each move.
        EmailKind(
            key="meeting_invitation_counterpart",
            label=_("Meeting invitation to a counterpart"),
            required=_MEETING_KEYS
            | {
                "mission_title",
                "company_name",
                "company_description",
                "company_sectors",
                "ends_at",
                "respond_url",
                "event",
            },
            sample={
                **_MEETING,
                "recipient_name": "Jane Doe",
                "company_name": "Transpare",
                "company_description": "Traceability software for the maritime supply chain.",
                "company_sectors": [_DIGITAL, _MARITIME],
                "respond_url": "https://missions.marseille.fr/delegations/meetings/answer/abc/",
                "agenda_url": (
                    "https://missions.marseille.fr/delegations/counterparts/3/agenda/?t=abc"
                ),
                "event": {**_MEETING["event"], "sequence": 1},
            },
            action_required=True,
            calendar_event=True,
        ),
        # To each active member of the company: the counterpart declined a meeting (its
        # slot is free again); "message" is what the counterpart wrote, maybe nothing.
        EmailKind(
            key="meeting_declined",
            label=_("Meeting declined by the counterpart"),
            required=_MEETING_KEYS
            | {"mission_title", "company_name", "other_party", "message", "event"},
            sample={
                **_MEETING,
                "company_name": "Transpare",
                "message": "Our CEO will be travelling that week, sorry.",
                "event": {**_MEETING["event"], "cancelled": True},
            },
            calendar_event=True,
        ),
        EmailKind(
            key="meeting_tomorrow",
            label=_("Reminder: meeting tomorrow"),
            required=_MEETING_KEYS | {"other_party", "event"},
            sample=_MEETING,
            calendar_event=True,
        ),
        EmailKind(
            key="departure_programme",
            label=_("Departure in 7 days, with the programme"),
            required=frozenset(
                {
                    "recipient_name",
                    "mission_title",
                    "mission_url",
                    "start_date",
                    "timezone",
                    "programme",
                }
            ),
            sample={
                **_MISSION,
                "start_date": datetime.date(2027, 7, 5),
                "programme": [
                    {
                        "title": "Rendez-vous d'affaires qualifiés",
                        "city": "Toronto",
                        "starts_at": _at(2027, 7, 8, 9, 0, TORONTO),
                    },
                    {
                        "title": "Startup Fest",
                        "city": "Montréal",
                        "starts_at": _at(2027, 7, 10, 10, 0, TORONTO),
                    },
                ],
            },
        ),
        EmailKind(
            key="meeting_feedback",
            label=_("Meeting feedback request"),
            required=frozenset(
                {"recipient_name", "other_party", "starts_at", "timezone", "feedback_url"}
            ),
            sample={
                **_MEETING,
                "feedback_url": "https://missions.marseille.fr/delegations/meetings/42/feedback/",
            },
        ),
        EmailKind(
            key="password_reset",
            label=_("Password reset"),
            required=frozenset({"recipient_name", "reset_url"}),
            sample={
                "recipient_name": "Ali Messoudi",
                "reset_url": "https://missions.marseille.fr/accounts/reset/Mg/set-password/",
            },
        ),
        EmailKind(
            key="report_due",
            label=_("Reminder: mission report due"),
            required=frozenset(
                {"recipient_name", "mission_title", "end_date", "due_date", "report_url"}
            ),
            sample={
                **_MISSION,
                "end_date": datetime.date(2027, 7, 9),
                "due_date": datetime.date(2027, 8, 9),
                "report_url": "https://missions.marseille.fr/missions/canada-2027/report/",
            },
            action_required=True,
        ),
        # To every active official: a mission's report awaits their review.
        EmailKind(
            key="report_submitted",
            label=_("Mission report awaiting review"),
            required=_REPORT_KEYS,
            sample=_REPORT,
            action_required=True,
        ),
        # To the staff member who submitted last: "comment" says what should change.
        EmailKind(
            key="report_changes_requested",
            label=_("Mission report sent back with comments"),
            required=_REPORT_KEYS | {"comment"},
            sample={**_REPORT, "author_name": "Didier Parakian", "comment": _REVIEW_COMMENT},
        ),
        # To the staff member who submitted last; "comment" may be empty.
        EmailKind(
            key="report_approved",
            label=_("Mission report approved"),
            required=_REPORT_KEYS | {"comment"},
            sample={**_REPORT, "author_name": "Didier Parakian", "comment": ""},
        ),
        EmailKind(
            key="membership_request",
            label=_("Request to join a company"),
            required=frozenset(
                {
                    "recipient_name",
                    "requester_name",
                    "requester_email",
                    "company_name",
                    "company_url",
                }
            ),
            sample={
                "recipient_name": "Ali Messoudi",
                "requester_name": "Léa Durand",
                "requester_email": "lea.durand@transpare.example",
                "company_name": "Transpare",
                "company_url": "https://missions.marseille.fr/companies/7/",
            },
        ),
        EmailKind(
            key="membership_refused",
            label=_("Request to join a company refused"),
            required=frozenset({"recipient_name", "company_name", "home_url"}),
            sample={
                "recipient_name": "Léa Durand",
                "company_name": "Transpare",
                "home_url": "https://missions.marseille.fr/",
            },
        ),
        EmailKind(
            key="membership_approved",
            label=_("Request to join a company approved"),
            required=frozenset({"recipient_name", "company_name", "approved_by", "home_url"}),
            sample={
                "recipient_name": "Léa Durand",
                "company_name": "Transpare",
                "approved_by": "Ali Messoudi",
                "home_url": "https://missions.marseille.fr/",
            },
        ),
        # Six months after the mission, to each active member of a company that met
        # counterparts: a signed link to say where each meeting led.
        EmailKind(
            key="follow_up_request",
            label=_("Six-month follow-up of the meetings"),
            required=frozenset(
                {
                    "recipient_name",
                    "company_name",
                    "mission_title",
                    "end_date",
                    "meeting_count",
                    "follow_up_url",
                }
            ),
            sample={
                **_MISSION,
                "company_name": "Transpare",
                "end_date": datetime.date(2027, 7, 9),
                "meeting_count": 4,
                "follow_up_url": "https://missions.marseille.fr/delegations/follow-up/abc/",
            },
            action_required=True,
        ),
    ]
}


def kind_of(key: str) -> EmailKind:
    try:
        return KINDS[key]
    except KeyError:
        raise ValueError(f"Unknown email kind {key!r}.") from None


def kind_label(key: str) -> str:
    """A kind as people name it; a key the registry no longer knows, as it is."""
    kind = KINDS.get(key)
    return str(kind.label) if kind else key
