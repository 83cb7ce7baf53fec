"""Signed links for counterparts, who have no account.

A token is ``django.core.signing`` over the meeting's and the counterpart's ids, salted
by its purpose: an answer link cannot be used as a feedback link, a link for one
meeting never opens another (the id is signed), and a link stops working if the
meeting's counterpart is no longer the one it was sent to. Tokens do not expire: what
a link may still do is decided by the meeting's state (see ``services.invitations``).
"""

from django.core import signing

from delegations.models import Application
from meetings.models import Counterpart, Meeting

ANSWER = "answer"
FEEDBACK = "feedback"
PURPOSES = (ANSWER, FEEDBACK)
# A counterpart reading its own agenda: bound to the counterpart, not to a meeting.
AGENDA = "agenda"


def _salt(purpose: str) -> str:
    return f"meetings.meeting.{purpose}"


def meeting_token(meeting: Meeting, purpose: str) -> str:
    """The token of ``meeting`` for ``purpose`` ("answer" or "feedback")."""
    if purpose not in PURPOSES:
        raise ValueError(f"Unknown token purpose {purpose!r}.")
    return signing.dumps({"m": meeting.pk, "c": meeting.counterpart_id}, salt=_salt(purpose))


def _payload(token: str, purpose: str) -> dict | None:
    try:
        payload = signing.loads(token, salt=_salt(purpose))
    except signing.BadSignature:
        return None
    return payload if isinstance(payload, dict) else None


def meeting_for_token(token: str, purpose: str) -> Meeting | None:
    """The meeting a token opens, with its slot, counterpart, company, mission and
    request (what it is for, why the company asked); None for a bad or tampered
    signature, a token of another purpose, or a meeting whose counterpart is not the
    one the token was made for."""
    if purpose not in PURPOSES:
        return None
    payload = _payload(token, purpose)
    if payload is None or not isinstance(payload.get("m"), int):
        return None
    meeting = (
        Meeting.objects.select_related(
            "slot", "counterpart", "application__company", "application__mission", "request"
        )
        .filter(pk=payload["m"])
        .first()
    )
    if meeting is None or meeting.counterpart_id != payload.get("c"):
        return None
    return meeting


def counterpart_agenda_token(counterpart: Counterpart) -> str:
    """The token that lets a counterpart read its own agenda (page, PDF, .ics)."""
    return signing.dumps({"c": counterpart.pk}, salt=_salt(AGENDA))


def counterpart_agenda_token_valid(token: str, counterpart_pk: int) -> bool:
    payload = _payload(token, AGENDA)
    return payload is not None and payload.get("c") == counterpart_pk


# A company's six-month follow-up: bound to its application (and to the mission, so a
# token cannot outlive an application moved elsewhere), for whoever holds the email.
FOLLOW_UP = "follow-up"


def _follow_up_salt() -> str:
    return f"delegations.application.{FOLLOW_UP}"


def follow_up_token(application: Application) -> str:
    """The token of the link asking ``application``'s company where its meetings led."""
    return signing.dumps(
        {"a": application.pk, "m": application.mission_id}, salt=_follow_up_salt()
    )


def application_for_follow_up_token(token: str) -> Application | None:
    """The application a follow-up token was made for, with its company and mission; None
    for a bad or tampered signature, a token of another purpose, or an application that
    is gone or no longer of the mission the token names."""
    try:
        payload = signing.loads(token, salt=_follow_up_salt())
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), int):
        return None
    application = (
        Application.objects.select_related("company", "mission").filter(pk=payload["a"]).first()
    )
    if application is None or application.mission_id != payload.get("m"):
        return None
    return application
