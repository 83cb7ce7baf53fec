"""A meeting as an iCalendar invitation (RFC 5545), for email attachments and feeds."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

UTC = datetime.UTC


def event_uid(kind: str, pk: int) -> str:
    """The calendar UID of a portal object (``meeting-12@…``, ``mission-3@…``): one fixed
    domain, the sender's, whatever address the page was asked under, so that a calendar
    that imported it under one name replaces it rather than adding a second copy."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
    return f"{kind}-{pk}@{domain}"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _calendar(events: list[str], *, name: str = "", method: str = "PUBLISH") -> str:
    """The VCALENDAR around the lines of its VEVENTs, folded, with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Ville de Marseille//Missions economiques//FR",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{_escape(name)}")
    lines += [*events, "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


@dataclass(frozen=True)
class TimedEvent:
    """An event at a given moment, such as a meeting; ``sequence`` goes up at each change."""

    uid: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    summary: str
    location: str = ""
    description: str = ""
    sequence: int = 0
    organizer: str = ""
    cancelled: bool = False


def _timed_event_lines(event: TimedEvent, stamp: str) -> list[str]:
    """One VEVENT; times in UTC: every calendar shows them in its own zone."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"SUMMARY:{_escape(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{_escape(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{_escape(event.description)}")
    if event.organizer:
        lines.append(f"ORGANIZER:mailto:{event.organizer}")
    if event.cancelled:
        lines.append("STATUS:CANCELLED")
    lines.append("END:VEVENT")
    return lines


def calendar_event(
    *,
    uid: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    summary: str,
    location: str = "",
    description: str = "",
    organizer: str = "",
    sequence: int = 0,
    cancelled: bool = False,
) -> str:
    """One VEVENT in a VCALENDAR: the invitation an email carries or, ``cancelled``, its
    cancellation (the same UID, METHOD:CANCEL and STATUS:CANCELLED): a calendar that
    imported the meeting takes it out."""
    event = TimedEvent(
        uid, starts_at, ends_at, summary, location, description, sequence, organizer, cancelled
    )
    return _calendar(
        _timed_event_lines(event, _utc(timezone.now())),
        method="CANCEL" if cancelled else "PUBLISH",
    )


def calendar_events(*, name: str, events: list[TimedEvent]) -> str:
    """A VCALENDAR of timed VEVENTs, such as an agenda to import. An event keeps its UID
    from one export to the next, so importing again updates it."""
    stamp = _utc(timezone.now())
    lines = [line for event in events for line in _timed_event_lines(event, stamp)]
    return _calendar(lines, name=name)


@dataclass(frozen=True)
class AllDayEvent:
    """An event of whole days, ``first_day`` to ``last_day`` included."""

    uid: str
    first_day: datetime.date
    last_day: datetime.date
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False
    last_modified: datetime.datetime | None = None


def _date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def calendar_feed(*, name: str, events: list[AllDayEvent]) -> str:
    """A VCALENDAR of all-day VEVENTs, for calendar apps to subscribe to.

    Dates carry no time and no zone (VALUE=DATE): a mission in Tokyo on 9 December is
    on 9 December in every calendar. DTEND is exclusive (RFC 5545 §3.6.1): the day
    after the last day.
    """
    lines = []
    stamp = _utc(timezone.now())
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_date(event.first_day)}",
            f"DTEND;VALUE=DATE:{_date(event.last_day + datetime.timedelta(days=1))}",
            f"SUMMARY:{_escape(event.summary)}",
        ]
        if event.location:
            lines.append(f"LOCATION:{_escape(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{_escape(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        if event.last_modified:
            lines.append(f"LAST-MODIFIED:{_utc(event.last_modified)}")
        if event.cancelled:
            lines.append("STATUS:CANCELLED")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return _calendar(lines, name=name)
