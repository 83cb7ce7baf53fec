"""Meeting invitations, the counterparts' answers, reminders and outcomes."""


def meeting_moved(*, meeting, base_url: str) -> None:
    """Called in the transaction that moved an invited meeting: tell both sides again
    (the calendar event's SEQUENCE goes up) and replace the meeting's queued reminder
    and feedback emails. To be written with the invitations."""
