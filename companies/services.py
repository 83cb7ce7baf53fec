from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from companies.models import (
    Company,
    CompanyMembership,
    Contact,
    MembershipRole,
    MembershipStatus,
)
from core.history import VIA_IMPORT, history_author, recorded
from notifications.services import email_queue_for_user


@transaction.atomic
def company_register(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    language: str,
    company_fields: dict,
    sectors=(),
) -> User:
    """Create a person's account, their company and the link between them.

    All or nothing: the account, the company and the membership are created in
    one transaction. The company starts unverified; staff verify it before any
    of its applications can be accepted. The first member administers it. The
    company's history starts with its creation by this person, sectors included.
    """
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        language=language,
    )
    company = Company(**company_fields)
    with recorded(company, by=user):
        company.save()
        company.sectors.set(sectors)
    CompanyMembership.objects.create(
        user=user,
        company=company,
        role=MembershipRole.ADMIN,
        status=MembershipStatus.ACTIVE,
    )
    return user


PROFILE_FIELDS = (
    "name",
    "size",
    "city",
    "website",
    "description",
    "export_experience",
    "invitations_opt_in",
)


@transaction.atomic
def company_update(*, company: Company, by: User, fields: dict, sectors=None) -> Company:
    """Change a company's profile. Only the profile fields: the SIRET and the
    verification are not the company's to change. The change, if any, is one row of
    the company's history by ``by``; a refused change writes none."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    with recorded(company, by=by):
        for name, value in fields.items():
            setattr(company, name, value)
        company.full_clean(exclude=["sectors"])
        company.save(update_fields=list(fields))
        if sectors is not None:
            company.sectors.set(sectors)
    return company


@transaction.atomic
def company_verify(*, company: Company, by: User, verified: bool = True) -> Company:
    """Mark a company verified (recording who and when) or take the mark back.

    Verifying an already verified company keeps the first date and author, and
    writes no history; otherwise the change is a row of the company's history by ``by``.
    """
    with recorded(company, by=by):
        if verified and not company.verified:
            company.verified, company.verified_at, company.verified_by = True, timezone.now(), by
        elif not verified:
            company.verified, company.verified_at, company.verified_by = False, None, None
        company.save(update_fields=["verified", "verified_at", "verified_by"])
    return company


CONTACT_FIELDS = ("first_name", "last_name", "job_title", "email", "phone", "language")


@transaction.atomic
def contact_create(*, company: Company, by: User, fields: dict, via: str = "") -> Contact:
    """Add a person (a possible delegate) to a company. The email is unique per company,
    whatever its case: the database refuses a second one. The creation is a row of the
    history by ``by`` (``via``: how, see ``core.history``)."""
    contact = Contact(company=company, **fields)
    with recorded(contact, by=by, via=via):
        contact.full_clean()
        contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, by: User, fields: dict, via: str = "") -> Contact:
    """Change a contact's details; its company stays the same. The change, if any, is
    a row of the history by ``by``."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"Not contact fields: {sorted(unknown)}")
    with recorded(contact, by=by, via=via):
        for name, value in fields.items():
            setattr(contact, name, value)
        contact.full_clean()
        contact.save(update_fields=list(fields))
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, by: User) -> None:
    """Remove a contact from its company; the history keeps it, and who removed it."""
    history_author(contact, by=by)
    contact.delete()


@transaction.atomic
def membership_request(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    language: str,
    company: Company,
    company_url: str,
) -> CompanyMembership:
    """Create a person's account with a pending membership of an existing company,
    and ask the company's active administrators, each in their language, to approve it.

    All or nothing: the account, the membership and the emails are written together.
    The person acts for nobody until an administrator approves.
    """
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        language=language,
    )
    membership = CompanyMembership.objects.create(
        user=user,
        company=company,
        role=MembershipRole.MEMBER,
        status=MembershipStatus.PENDING,
    )
    admins = User.objects.filter(
        membership__company=company,
        membership__role=MembershipRole.ADMIN,
        membership__status=MembershipStatus.ACTIVE,
        is_active=True,
    ).order_by("pk")
    for admin in admins:
        email_queue_for_user(
            user=admin,
            kind="membership_request",
            context={
                "requester_name": user.get_full_name(),
                "requester_email": user.email,
                "company_name": company.name,
                "company_url": company_url,
            },
            idempotency_key=f"membership_request:{membership.pk}:{admin.pk}",
            related=company,
        )
    return membership


def _pending(membership: CompanyMembership) -> CompanyMembership:
    locked = CompanyMembership.objects.select_for_update().get(pk=membership.pk)
    if locked.status != MembershipStatus.PENDING:
        raise ValueError("This request was already decided.")
    return locked


@transaction.atomic
def membership_approve(
    *, membership: CompanyMembership, by: User, home_url: str
) -> CompanyMembership:
    """Make a pending member active, and tell them in their language. Once only: a
    second approval (a double click) raises ValueError and sends nothing more."""
    membership = _pending(membership)
    membership.status = MembershipStatus.ACTIVE
    membership.save(update_fields=["status"])
    user = membership.user
    email_queue_for_user(
        user=user,
        kind="membership_approved",
        context={
            "company_name": membership.company.name,
            "approved_by": by.get_full_name(),
            "home_url": home_url,
        },
        idempotency_key=f"membership_approved:{membership.pk}",
        related=membership.company,
    )
    return membership


@transaction.atomic
@transaction.atomic
def membership_refuse(*, membership: CompanyMembership, by: User, home_url: str) -> None:
    """Refuse a pending request: the membership goes, the account stays (with no
    company, its home says so) and may ask again or register another company. The
    person is told in their language, once."""
    membership = _pending(membership)
    email_queue_for_user(
        user=membership.user,
        kind="membership_refused",
        context={"company_name": membership.company.name, "home_url": home_url},
        idempotency_key=f"membership_refused:{membership.pk}",
        related=membership.company,
    )
    membership.delete()


@dataclass(frozen=True)
class ImportSummary:
    companies_created: int
    companies_updated: int
    contacts_created: int
    contacts_updated: int


@transaction.atomic
def contact_list_import(*, rows: list, by: User, verified: bool = False) -> ImportSummary:
    """Create or update companies (found by SIRET) and their contacts (found by email,
    whatever its case) from rows that ``contact_list_read`` found without error.

    All or nothing: one transaction. A company created here is unverified unless
    ``verified``; an existing company keeps its verification, gets the name and city
    of its first line in the file (when given) and the sectors of all its lines in
    addition to its own. Each company and each contact that the file creates or
    changes gets one row of history by ``by``, marked as an import; what the file
    leaves as it was gets none.
    """
    created = updated = contacts_created = contacts_updated = 0
    by_siret: dict[str, list] = {}
    for row in rows:
        by_siret.setdefault(row.siret, []).append(row)
    for siret, company_rows in by_siret.items():
        first = company_rows[0]
        sectors = {sector for row in company_rows for sector in row.sectors}
        company = Company.objects.select_for_update().filter(siret=siret).first()
        if company is None:
            company = Company(siret=siret, name=first.company_name, city=first.city)
            if verified:
                company.verified, company.verified_at = True, timezone.now()
                company.verified_by = by
            with recorded(company, by=by, via=VIA_IMPORT):
                company.full_clean(exclude=["sectors"])
                company.save()
                company.sectors.add(*sectors)
            created += 1
        else:
            with recorded(company, by=by, via=VIA_IMPORT):
                company.name = first.company_name
                company.city = first.city or company.city
                company.full_clean(exclude=["sectors"], validate_constraints=False)
                company.save(update_fields=["name", "city"])
                company.sectors.add(*sectors)
            updated += 1
        for row in company_rows:
            fields = {
                "first_name": row.first_name,
                "last_name": row.last_name,
                "language": row.language,
                # Optional columns: an empty cell keeps what the portal knows.
                **{
                    name: getattr(row, name)
                    for name in ("job_title", "phone")
                    if getattr(row, name)
                },
            }
            contact = Contact.objects.filter(company=company, email=row.email).first()
            if contact is None:
                contact_create(
                    company=company, by=by, fields={**fields, "email": row.email}, via=VIA_IMPORT
                )
                contacts_created += 1
            else:
                contact_update(contact=contact, by=by, fields=fields, via=VIA_IMPORT)
                contacts_updated += 1
    return ImportSummary(created, updated, contacts_created, contacts_updated)
