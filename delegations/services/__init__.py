"""Every write of the delegations app: ``applications``, a company's application, staff's
selection, seats (the meetings are meetings' own).

The application services are re-exported here, where the rest of the code has always
found them.
"""

from delegations.services.applications import (
    ANSWER_FIELDS,
    ANSWER_MAX_LENGTH,
    DECIDING,
    EDITABLE,
    SEAT_CONFIRMATION_DAYS,
    ApplicationError,
    application_assess,
    application_confirm_seat,
    application_decide,
    application_release_seat,
    application_save,
    application_start,
    application_submit,
    application_transition,
    application_withdraw,
    applications_announce,
    mission_accepts_applications,
    seat_confirmation_deadline,
    seats_taken,
    waitlist_of,
)

__all__ = [
    "ANSWER_FIELDS",
    "ANSWER_MAX_LENGTH",
    "DECIDING",
    "EDITABLE",
    "SEAT_CONFIRMATION_DAYS",
    "ApplicationError",
    "application_assess",
    "application_confirm_seat",
    "application_decide",
    "application_release_seat",
    "application_save",
    "application_start",
    "application_submit",
    "application_transition",
    "application_withdraw",
    "applications_announce",
    "mission_accepts_applications",
    "seat_confirmation_deadline",
    "seats_taken",
    "waitlist_of",
]
