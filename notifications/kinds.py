"""Every kind of email the portal sends, with what its templates need.

A kind's templates live in ``templates/emails/<key>/`` (``subject.txt``,
``body.txt``, ``body.html``). ``required`` names the context keys the templates
use: ``email_queue`` refuses a context that lacks one, so a missing variable is
a programming error caught by tests, never a blank in a live email. ``sample``
is a context a preview or a test renders with.

Context values are JSON: keys ending in ``_at`` hold ISO 8601 datetimes with an
offset, keys ending in ``_date`` ISO dates; they are turned back into datetimes
and dates before rendering. ``timezone`` names the zone times are shown in.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


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


_MISSION = {
    "recipient_name": "Ali Messoudi",
    "mission_title": "Canada — Toronto et Montréal 2027",
    "mission_url": "https://missions.marseille.fr/missions/canada-2027/",
    "timezone": "America/Toronto",
}

_MEETING = {
    **_MISSION,
    "other_party": "Maple Ventures",
    "starts_at": "2027-07-08T09:30:00-04:00",
    "ends_at": "2027-07-08T10:00:00-04:00",
    "table": 12,
    "location": "Toronto, MaRS Discovery District",
    "agenda_url": "https://missions.marseille.fr/delegations/agenda/",
    "event": {
        "uid": "meeting-42@missions.marseille.fr",
        "starts_at": "2027-07-08T09:30:00-04:00",
        "ends_at": "2027-07-08T10:00:00-04:00",
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
                    "destination",
                    "start_date",
                    "end_date",
                    "deadline_at",
                    "sectors",
                    "unsubscribe_url",
                }
            ),
            sample={
                **_MISSION,
                "destination": "Toronto, Montréal (Canada)",
                "start_date": "2027-07-05",
                "end_date": "2027-07-09",
                "deadline_at": "2027-03-31T12:00:00+02:00",
                "sectors": ["Numérique et industries créatives", "Maritime et logistique"],
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
                "deadline_at": "2027-03-31T12:00:00+02:00",
            },
            action_required=True,
        ),
        EmailKind(
            key="application_receipt",
            label=_("Application received"),
            required=_APPLICATION_KEYS | {"submitted_at"},
            sample={**_APPLICATION, "submitted_at": "2027-03-20T10:15:00+01:00"},
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
                "confirm_before_at": "2027-04-15T18:00:00+02:00",
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
                "confirm_before_at": "2027-04-15T18:00:00+02:00",
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
                "company_sectors": ["Numérique et industries créatives", "Maritime et logistique"],
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
            required=_MEETING_KEYS | {"mission_title", "company_name", "other_party", "message"},
            sample={
                **_MEETING,
                "company_name": "Transpare",
                "message": "Our CEO will be travelling that week, sorry.",
            },
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
                "start_date": "2027-07-05",
                "programme": [
                    {
                        "title": "Rendez-vous d'affaires qualifiés",
                        "city": "Toronto",
                        "starts_at": "2027-07-08T09:00:00-04:00",
                    },
                    {
                        "title": "Startup Fest",
                        "city": "Montréal",
                        "starts_at": "2027-07-10T10:00:00-04:00",
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
                "end_date": "2027-07-09",
                "due_date": "2027-08-09",
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
                "end_date": "2027-07-09",
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
