"""The audit trail of companies and contacts: every write path records one row with
its author (form, import, verification, admin), nothing when nothing changed or the
write is refused, and the history page for staff and officials only."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from companies.csv_files import contact_list_read
from companies.models import Company, Contact
from companies.services import (
    company_register,
    company_update,
    company_verify,
    contact_create,
    contact_delete,
    contact_list_import,
    contact_update,
)
from companies.tests.factories import CompanyFactory, CompanyMemberFactory, ContactFactory
from missions.tests.factories import SectorFactory

pytestmark = pytest.mark.django_db

SIRET_A = "73282932000074"
SIRET_B = "35600000000048"
HEADER = "company_name;siret;city;sectors;first_name;last_name;email;language\r\n"


@pytest.fixture
def sectors():
    return {
        "maritime": SectorFactory(code="maritime", name_fr="Maritime", name_en="Maritime"),
        "digital": SectorFactory(code="digital", name_fr="Numérique", name_en="Digital"),
    }


def _company(member):
    return member.membership.company


def _rows(instance):
    """(type, author, via, sectors) of each history row of ``instance``, oldest first."""
    rows = []
    for record in instance.history.order_by("history_date", "history_id"):
        row = [record.history_type, record.history_user, record.history_change_reason]
        if hasattr(record, "sectors"):
            row.append(sorted(record.sectors.values_list("sector__code", flat=True)))
        rows.append(tuple(row))
    return rows


def _import(rows_text: list[str], *, by):
    data = (HEADER + "".join(line + "\r\n" for line in rows_text)).encode("utf-8-sig")
    rows, errors = contact_list_read(data)
    assert errors == []
    return contact_list_import(rows=rows, by=by)


# What each write path records ---------------------------------------------------------


def test_company_register_records_the_creation_with_its_sectors_by_the_person(sectors):
    user = company_register(
        email="ali@transpare.example",
        password="Correct-horse-battery-9",
        first_name="Ali",
        last_name="Messoudi",
        language="fr",
        company_fields={"name": "Transpare", "siret": SIRET_A, "city": "Marseille"},
        sectors=[sectors["maritime"], sectors["digital"]],
    )

    company = Company.objects.get()
    assert _rows(company) == [("+", user, None, ["digital", "maritime"])]


def test_company_update_records_one_row_by_its_author(company_member, sectors):
    company = _company(company_member)
    before = len(_rows(company))

    company_update(
        company=company,
        by=company_member,
        fields={"name": "Transpare SA", "size": "medium"},
        sectors=[sectors["digital"]],
    )

    assert _rows(company)[before:] == [("~", company_member, None, ["digital"])]


def test_company_update_unchanged_records_nothing(company_member):
    company = _company(company_member)
    before = _rows(company)

    company_update(company=company, by=company_member, fields={"name": company.name}, sectors=[])

    assert _rows(company) == before


def test_company_update_refused_records_nothing(company_member, sectors):
    company = _company(company_member)
    before = _rows(company)

    with pytest.raises(ValidationError):
        company_update(
            company=company,
            by=company_member,
            fields={"name": "Transpare SA", "website": "not a url"},
            sectors=[sectors["digital"]],
        )

    assert _rows(Company.objects.get(pk=company.pk)) == before
    assert list(company.sectors.all()) == []


def test_company_verify_records_the_staff_verification_once(company_member, staff_user):
    company = _company(company_member)
    company.verified = False
    company.save()
    before = len(_rows(company))

    company_verify(company=company, by=staff_user)
    company_verify(company=company, by=staff_user)

    assert _rows(company)[before:] == [("~", staff_user, None, [])]
    last = company.history.first()
    assert (last.verified, last.verified_by, last.verified_at) == (
        True,
        staff_user,
        company.verified_at,
    )


def test_sectors_changed_from_the_sector_side_record_a_row_per_company(sectors):
    transpare, protecto = CompanyFactory(), CompanyFactory()

    sectors["digital"].company_set.add(transpare, protecto)
    sectors["digital"].company_set.remove(protecto)

    assert _rows(transpare) == [("+", None, None, []), ("~", None, None, ["digital"])]
    assert _rows(protecto) == [
        ("+", None, None, []),
        ("~", None, None, ["digital"]),
        ("~", None, None, []),
    ]


def test_contact_writes_record_their_author(company_member, staff_user):
    company = _company(company_member)
    contact = contact_create(
        company=company,
        by=company_member,
        fields={"first_name": "Léa", "last_name": "Durand", "email": "lea@transpare.example"},
    )
    contact_update(contact=contact, by=staff_user, fields={"job_title": "CEO"})
    contact_update(contact=contact, by=staff_user, fields={"job_title": "CEO"})
    contact_delete(contact=contact, by=company_member)

    history = Contact.history.filter(email="lea@transpare.example").order_by("history_date")
    assert [(r.history_type, r.history_user, r.job_title) for r in history] == [
        ("+", company_member, ""),
        ("~", staff_user, "CEO"),
        ("-", company_member, "CEO"),
    ]


def test_contact_create_refused_records_nothing(company_member):
    company = _company(company_member)
    ContactFactory(company=company, email="lea@transpare.example")
    before = Contact.history.count()

    with pytest.raises(ValidationError):
        contact_create(
            company=company,
            by=company_member,
            fields={"first_name": "Léa", "last_name": "Durand", "email": "LEA@transpare.example"},
        )

    assert Contact.history.count() == before


def test_import_page_records_one_row_per_company_and_contact_as_import(
    client, staff_user, sectors
):
    lines = [
        f"Protécto;{SIRET_B};Aubagne;digital;Léa;Durand;lea@protecto.example;fr",
        f"Protécto;{SIRET_B};Aubagne;maritime;Jo;Martin;jo@protecto.example;en",
    ]
    data = (HEADER + "".join(line + "\r\n" for line in lines)).encode("utf-8-sig")
    client.force_login(staff_user)

    response = client.post(
        reverse("companies:import"),
        {"file": SimpleUploadedFile("contacts.csv", data, content_type="text/csv")},
    )

    assert response.status_code == 302

    protecto = Company.objects.get(siret=SIRET_B)
    assert _rows(protecto) == [("+", staff_user, "import", ["digital", "maritime"])]
    contacts = Contact.history.order_by("email")
    assert [(r.history_type, r.history_user, r.history_change_reason) for r in contacts] == [
        ("+", staff_user, "import"),
        ("+", staff_user, "import"),
    ]


def test_import_update_records_what_changed_and_nothing_the_second_time(staff_user, sectors):
    existing = CompanyFactory(name="Transpare ancien", siret=SIRET_A, city="Marseille")
    ali = ContactFactory(company=existing, email="ali@transpare.example", first_name="A")
    file = [f"Transpare;{SIRET_A};;maritime;Ali;{ali.last_name};ALI@transpare.example;fr"]

    _import(file, by=staff_user)
    _import(file, by=staff_user)

    assert _rows(existing) == [("+", None, None, []), ("~", staff_user, "import", ["maritime"])]
    assert existing.history.first().name == "Transpare"
    assert [(r.history_type, r.first_name) for r in ali.history.order_by("history_date")] == [
        ("+", "A"),
        ("~", "Ali"),
    ]


def test_import_refused_midway_records_nothing(staff_user, sectors):
    rows, errors = contact_list_read(
        (
            HEADER
            + f"Protécto;{SIRET_B};Aubagne;;Léa;Durand;lea@protecto.example;fr\r\n"
            + f"Transpare;{SIRET_A};Marseille;;Ali;Messoudi;ali@transpare.example;fr\r\n"
        ).encode()
    )
    assert errors == []
    # A contact that the database refuses, after the file was read.
    transpare = CompanyFactory(siret=SIRET_A)
    ContactFactory(company=transpare, email="ali@transpare.example")
    before = (Company.history.count(), Contact.history.count())
    rows[1] = type(rows[1])(**{**rows[1].__dict__, "first_name": "x" * 101})

    with pytest.raises(ValidationError):
        contact_list_import(rows=rows, by=staff_user)

    assert (Company.history.count(), Contact.history.count()) == before
    assert not Company.objects.filter(siret=SIRET_B).exists()


def test_verify_view_records_the_staff_member_and_a_refused_post_records_nothing(
    client, company_member, staff_user
):
    company = _company(company_member)
    company.verified = False
    company.save()
    before = len(_rows(company))
    verify = reverse("companies:verify", args=[company.pk])

    client.force_login(company_member)
    refused = client.post(verify, {"verified": "1"})
    client.force_login(staff_user)
    client.post(verify, {"verified": "1"})

    assert refused.status_code == 404
    assert _rows(company)[before:] == [("~", staff_user, None, [])]


def test_profile_form_records_the_member(client, company_member, sectors):
    company = _company(company_member)
    before = len(_rows(company))
    client.force_login(company_member)

    response = client.post(
        reverse("companies:edit", args=[company.pk]),
        {
            "name": "Transpare SA",
            "size": "small",
            "city": "Marseille",
            "sectors": [sectors["digital"].pk],
        },
    )

    assert response.status_code == 302
    assert _rows(company)[before:] == [("~", company_member, None, ["digital"])]
    assert company.history.first().name == "Transpare SA"


def test_admin_edit_records_one_row_per_object_by_the_administrator(client, sectors):
    admin = UserFactory(is_staff=True, is_superuser=True)
    company = CompanyFactory(name="Transpare", siret=SIRET_A, size="small")
    contact = ContactFactory(company=company, email="ali@transpare.example", job_title="")
    client.force_login(admin)

    response = client.post(
        reverse("admin:companies_company_change", args=[company.pk]),
        {
            "name": "Transpare SA",
            "siret": SIRET_A,
            "size": "small",
            "city": "Marseille",
            "website": "",
            "sectors": [sectors["digital"].pk],
            "description": "",
            "export_experience": "",
            "invitations_opt_in": "on",
            "verified": "on",
            "verified_at_0": "",
            "verified_at_1": "",
            "verified_by": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": contact.pk,
            "contacts-0-company": company.pk,
            "contacts-0-first_name": contact.first_name,
            "contacts-0-last_name": contact.last_name,
            "contacts-0-job_title": "CEO",
            "contacts-0-email": contact.email,
            "contacts-0-phone": "",
            "contacts-0-language": "fr",
        },
    )

    assert response.status_code == 302
    assert _rows(company) == [("+", None, None, []), ("~", admin, "admin", ["digital"])]
    assert [
        (r.history_type, r.history_user, r.history_change_reason)
        for r in contact.history.order_by("history_date")
    ] == [
        ("+", None, None),
        ("~", admin, "admin"),
    ]


def test_admin_shows_the_history_of_a_company(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    company = CompanyFactory(name="Transpare")
    client.force_login(admin)

    response = client.get(reverse("admin:companies_company_history", args=[company.pk]))

    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == list(company.history.all())


# The history page ---------------------------------------------------------------------


def _history_url(company):
    return reverse("companies:history", args=[company.pk])


def _entries(response):
    with translation.override("fr"):
        return [
            (
                entry.action,
                entry.author,
                str(entry.via),
                entry.subject,
                [
                    (str(c.label), str(c.old) if c.old is not None else None, str(c.new))
                    for c in entry.changes
                ],
            )
            for entry in response.context["entries"]
        ]


def test_history_page_lists_changes_newest_first_with_labels(
    client, company_member, staff_user, official_user, sectors
):
    company = _company(company_member)
    company_update(
        company=company,
        by=company_member,
        fields={"size": "medium", "invitations_opt_in": False},
        sectors=[sectors["digital"], sectors["maritime"]],
    )
    contact = contact_create(
        company=company,
        by=staff_user,
        fields={"first_name": "Léa", "last_name": "Durand", "email": "lea@transpare.example"},
    )
    contact_update(contact=contact, by=staff_user, fields={"language": "en"}, via="import")
    client.force_login(official_user)

    response = client.get(_history_url(company))

    assert response.status_code == 200
    assert _entries(response) == [
        ("~", staff_user, "import", "Contact Léa Durand", [("langue", "Français", "Anglais")]),
        (
            "+",
            staff_user,
            "",
            "Contact Léa Durand",
            [
                ("prénom", None, "Léa"),
                ("nom", None, "Durand"),
                ("adresse e-mail", None, "lea@transpare.example"),
                ("langue", None, "Français"),
            ],
        ),
        (
            "~",
            company_member,
            "",
            "",
            [
                ("effectif", "De 10 à 49 salariés", "De 50 à 249 salariés"),
                ("reçoit les appels à candidatures", "Oui", "Non"),
                ("secteurs", "", "Maritime, Numérique"),
            ],
        ),
        (
            "+",
            None,
            "",
            "",
            [
                ("nom", None, company.name),
                ("SIRET", None, company.siret),
                ("effectif", None, "De 10 à 49 salariés"),
                ("ville", None, "Marseille"),
                ("reçoit les appels à candidatures", None, "Oui"),
                ("vérifiée", None, "Oui"),
            ],
        ),
    ]


def test_history_page_shows_paris_time_author_and_import(client, company_member, staff_user):
    company = _company(company_member)
    company_update(company=company, by=staff_user, fields={"city": "Aix"})
    company.history.filter(history_type="~").update(
        history_date=datetime.datetime(2026, 3, 12, 13, 5, tzinfo=datetime.UTC)
    )
    company.history.filter(history_type="+").update(
        history_date=datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
    )
    client.force_login(staff_user)

    html = client.get(_history_url(company)).content.decode()

    assert '<time datetime="2026-03-12T14:05:00+01:00">12 mar 2026, 14:05</time>' in html
    assert f"{staff_user.get_full_name()}</td>" in html
    assert "Système" in html
    assert 'Marseille <span aria-hidden="true">→</span>' in html


def test_history_page_paginates_by_25(client, staff_user):
    company = CompanyFactory(name="Transpare")
    for n in range(30):
        company_update(company=company, by=staff_user, fields={"city": f"Ville {n}"})
    client.force_login(staff_user)

    first = client.get(_history_url(company))
    second = client.get(_history_url(company), {"page": 2})

    assert len(first.context["entries"]) == 25
    assert first.context["entries"][0].changes[0].new == "Ville 29"
    assert [e.action for e in second.context["entries"]] == ["~"] * 5 + ["+"]
    assert second.context["entries"][0].changes[0].new == "Ville 4"


@pytest.mark.parametrize("count", [1, 6])
def test_history_page_query_count_constant(client, staff_user, django_assert_num_queries, count):
    company = CompanyFactory(name="Transpare", verified_by=staff_user)
    for n in range(count - 1):
        contact_create(
            company=company,
            by=staff_user,
            fields={"first_name": "Léa", "last_name": f"D{n}", "email": f"l{n}@t.example"},
        )
    client.force_login(staff_user)
    assert company.history.count() + Contact.history.count() == count

    # Session, user with its groups, company; count, keys; for the company and the contacts:
    # rows, rows before; the company's sectors.
    with django_assert_num_queries(10):
        response = client.get(_history_url(company))

    assert len(response.context["entries"]) == count


def test_company_page_links_to_the_history_for_staff_and_officials_only(
    client, company_member, staff_user, official_user
):
    company = _company(company_member)
    link = f'href="{_history_url(company)}"'
    pages = {}
    for user in (staff_user, official_user, company_member):
        client.force_login(user)
        pages[user] = client.get(company.get_absolute_url()).content.decode()

    assert (link in pages[staff_user], link in pages[official_user]) == (True, True)
    assert link not in pages[company_member]


def test_history_page_asks_anonymous_visitors_to_log_in(client, company_member):
    url = _history_url(_company(company_member))

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("who", ["own", "other"])
def test_history_page_does_not_exist_for_companies(client, company_member, who):
    company = _company(company_member)
    ContactFactory(company=company, email="secret@transpare.example")
    user = company_member if who == "own" else CompanyMemberFactory()
    client.force_login(user)

    response = client.get(_history_url(company))

    assert response.status_code == 404
    assert "secret@transpare.example" not in response.content.decode()


def test_history_page_of_an_unknown_company_is_404(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("companies:history", args=[999999])).status_code == 404
