"""Ten times the demo data, for the page benchmark (`make bench`).

`grow(factor)` copies what `seed_demo` made, `factor - 1` times: every company (with its
sectors and contacts), every application (with its delegates and status history), every
counterpart and meeting request of every mission. The meetings of the graded mission
(Toronto-Montréal 2019) are copied too and spread over a grid widened to 40 tables, as a
trade fair would run it; the outbox gets the invitations and decisions such a season sends.
Copies read as copies ("Transpare (3)"), so a page shows the same kinds of rows, more of them.

At factor 10 on the demo: 450 companies, 340 applications and ~900 requests and ~700
meetings on Toronto-Montréal, as measured in issue 13.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

TABLES = 40


def _copy(instance, **changes):
    """An unsaved copy of a model instance, with `changes` applied."""
    values = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if not field.primary_key
    }
    values.update(changes)
    return type(instance)(**values)


def _tagged_email(email: str, copy: int) -> str:
    local, _, domain = email.partition("@")
    return f"{local}+{copy}@{domain}"


def grow(factor: int = 10) -> dict[str, int]:
    from django.db import connection, transaction

    with transaction.atomic():
        counts = _grow(factor)
    # What autovacuum would do soon after such a growth: the planner knows the new sizes.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


def _grow(factor: int) -> dict[str, int]:
    from companies.models import Company, Contact
    from delegations.models import Application, ApplicationStatusChange
    from meetings.enums import MEETING_INACTIVE
    from meetings.models import Counterpart, Meeting, MeetingGrid, MeetingRequest
    from notifications.models import EmailStatus, OutboundEmail

    copies = range(2, factor + 1)

    # Companies, their sectors and contacts.
    companies = list(Company.objects.prefetch_related("sectors"))
    company_copy = {}
    new = []
    for copy, company in itertools.product(copies, companies):
        new.append(_copy(company, name=f"{company.name} ({copy})", siret=""))
    Company.objects.bulk_create(new)
    for (copy, company), made in zip(itertools.product(copies, companies), new, strict=True):
        company_copy[copy, company.pk] = made.pk
    Sectors = Company.sectors.through
    Sectors.objects.bulk_create(
        Sectors(company_id=company_copy[copy, company.pk], sector_id=sector.pk)
        for copy, company in itertools.product(copies, companies)
        for sector in company.sectors.all()
    )
    contacts = list(Contact.objects.all())
    new = [
        _copy(
            contact,
            company_id=company_copy[copy, contact.company_id],
            email=_tagged_email(contact.email, copy),
        )
        for copy, contact in itertools.product(copies, contacts)
    ]
    Contact.objects.bulk_create(new)
    contact_copy = {
        (copy, contact.pk): made.pk
        for (copy, contact), made in zip(itertools.product(copies, contacts), new, strict=True)
    }

    # Applications, their delegates and history.
    applications = list(Application.objects.prefetch_related("delegates"))
    new = [
        _copy(application, company_id=company_copy[copy, application.company_id])
        for copy, application in itertools.product(copies, applications)
    ]
    Application.objects.bulk_create(new)
    application_copy = {
        (copy, application.pk): made.pk
        for (copy, application), made in zip(
            itertools.product(copies, applications), new, strict=True
        )
    }
    Delegates = Application.delegates.through
    Delegates.objects.bulk_create(
        Delegates(
            application_id=application_copy[copy, application.pk],
            contact_id=contact_copy[copy, contact.pk],
        )
        for copy, application in itertools.product(copies, applications)
        for contact in application.delegates.all()
    )
    ApplicationStatusChange.objects.bulk_create(
        _copy(change, application_id=application_copy[copy, change.application_id])
        for copy, change in itertools.product(copies, ApplicationStatusChange.objects.all())
    )

    # Counterparts and requests, on every mission.
    counterparts = list(Counterpart.objects.prefetch_related("sectors"))
    new = [
        _copy(
            counterpart,
            organisation=f"{counterpart.organisation} ({copy})",
            email=_tagged_email(counterpart.email, copy),
        )
        for copy, counterpart in itertools.product(copies, counterparts)
    ]
    Counterpart.objects.bulk_create(new)
    counterpart_copy = {
        (copy, counterpart.pk): made.pk
        for (copy, counterpart), made in zip(
            itertools.product(copies, counterparts), new, strict=True
        )
    }
    CounterpartSectors = Counterpart.sectors.through
    CounterpartSectors.objects.bulk_create(
        CounterpartSectors(counterpart_id=counterpart_copy[copy, counterpart.pk], sector_id=s.pk)
        for copy, counterpart in itertools.product(copies, counterparts)
        for s in counterpart.sectors.all()
    )
    requests = list(MeetingRequest.objects.all())
    new = [
        _copy(
            request,
            application_id=application_copy[copy, request.application_id],
            counterpart_id=counterpart_copy[copy, request.counterpart_id],
        )
        for copy, request in itertools.product(copies, requests)
    ]
    MeetingRequest.objects.bulk_create(new)
    request_copy = {
        (copy, request.pk): made.pk
        for (copy, request), made in zip(itertools.product(copies, requests), new, strict=True)
    }

    # The meetings: each copy in the first slot where its company, its counterpart and a
    # table are free, on a grid widened to 40 tables.
    MeetingGrid.objects.update(tables=TABLES)
    meetings = list(Meeting.objects.select_related("slot").order_by("slot__starts_at", "table"))
    slots_of_grid = defaultdict(list)
    for meeting in meetings:
        if meeting.slot_id not in slots_of_grid[meeting.slot.grid_id]:
            slots_of_grid[meeting.slot.grid_id].append(meeting.slot_id)
    from meetings.models import MeetingSlot

    for grid_id in list(slots_of_grid):
        slots_of_grid[grid_id] = list(
            MeetingSlot.objects.filter(grid_id=grid_id)
            .order_by("starts_at")
            .values_list("pk", flat=True)
        )
    taken_tables = defaultdict(set)
    busy = defaultdict(set)
    for meeting in meetings:
        if meeting.status not in MEETING_INACTIVE:
            taken_tables[meeting.slot_id].add(meeting.table)
            busy[meeting.slot_id] |= {("a", meeting.application_id), ("c", meeting.counterpart_id)}
    new = []
    for copy, meeting in itertools.product(copies, meetings):
        application = application_copy[copy, meeting.application_id]
        counterpart = counterpart_copy[copy, meeting.counterpart_id]
        grid_id = meeting.slot.grid_id
        for slot in slots_of_grid[grid_id]:
            free = sorted(set(range(1, TABLES + 1)) - taken_tables[slot])
            if free and not busy[slot] & {("a", application), ("c", counterpart)}:
                break
        else:
            continue
        taken_tables[slot].add(free[0])
        busy[slot] |= {("a", application), ("c", counterpart)}
        new.append(
            _copy(
                meeting,
                request_id=request_copy[copy, meeting.request_id],
                application_id=application,
                counterpart_id=counterpart,
                slot_id=slot,
                table=free[0],
            )
        )
    Meeting.objects.bulk_create(new)

    # The outbox of such a season: an email of every kind, with its sample context, to each
    # company copied and each counterpart copied, most of them sent, some failed.
    from django.utils import timezone

    from notifications.kinds import KINDS
    from notifications.services import email_build

    now = timezone.now()
    recipients = list(Contact.objects.values_list("email", "language"))
    recipients += list(Counterpart.objects.values_list("email", "language"))
    emails = []
    for n, ((address, language), kind) in enumerate(
        itertools.product(
            recipients,
            ["call_for_applications", "meeting_invitation_counterpart", "application_accepted"],
        )
    ):
        if kind == "meeting_invitation_counterpart" and n % 3:
            continue
        email = email_build(
            to=address,
            language=language or "fr",
            kind=kind,
            context=KINDS[kind].sample,
            idempotency_key=f"bench:{kind}:{address}",
        )
        failed = n % 50 == 0
        email.status = EmailStatus.FAILED if failed else EmailStatus.SENT
        email.attempts = 1
        email.last_error = "550 mailbox unavailable" if failed else ""
        email.sent_at = None if failed else now
        emails.append(email)
    OutboundEmail.objects.bulk_create(emails, batch_size=1000)
    return {
        "companies": Company.objects.count(),
        "applications": Application.objects.count(),
        "requests": MeetingRequest.objects.count(),
        "meetings": Meeting.objects.count(),
        "emails": OutboundEmail.objects.count(),
        "emails sent": OutboundEmail.objects.filter(status=EmailStatus.SENT).count(),
    }
