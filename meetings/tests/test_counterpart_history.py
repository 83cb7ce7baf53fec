"""The audit trail of counterparts: the form, the import (creation and update) and the
admin each record one row with its author, nothing when nothing changed or the write
is refused; the history page for staff and officials only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from meetings.csv_files import counterpart_list_read
from meetings.models import Counterpart
from meetings.services.requests import (
    CounterpartImportError,
    RequestError,
    counterpart_save,
    counterparts_import,
)
from meetings.tests.factories import CounterpartFactory
from missions.tests.factories import OpenMissionFactory, SectorFactory

pytestmark = pytest.mark.django_db

HEADER = "organisation;kind;sectors;city;contact_name;email;language;description\n"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def mission():
    return OpenMissionFactory(title="Canada 2027")


@pytest.fixture
def solar():
    return SectorFactory(code="solar", name_en="Solar energy", name_fr="Énergie solaire")


def _rows(counterpart):
    """(type, author, via, sector codes) of each history row, oldest first."""
    return [
        (
            record.history_type,
            record.history_user,
            record.history_change_reason,
            sorted(record.sectors.values_list("sector__code", flat=True)),
        )
        for record in counterpart.history.order_by("history_date", "history_id")
    ]


def _fields(**overrides):
    return {
        "organisation": "Maple Ventures",
        "kind": "investor",
        "city": "Toronto",
        "contact_name": "Jane Doe",
        "email": "jane@maple.ca",
        "language": "en",
        "description": "",
        **overrides,
    }


def _upload(*lines) -> SimpleUploadedFile:
    text = HEADER + "".join(line + "\n" for line in lines)
    return SimpleUploadedFile("counterparts.csv", text.encode(), "text/csv")


# What each write path records ---------------------------------------------------------


def test_form_creation_records_one_row_with_the_sectors_by_the_staff_member(
    client, staff_user, mission, solar
):
    client.force_login(staff_user)

    response = client.post(
        reverse("meetings:counterpart_add", args=[mission.pk]),
        {**_fields(), "sectors": [solar.pk]},
    )

    assert response.status_code == 302
    assert _rows(Counterpart.objects.get()) == [("+", staff_user, None, ["solar"])]


def test_form_edit_records_the_change_and_nothing_when_unchanged(
    client, staff_user, mission, solar
):
    maple = counterpart_save(mission=mission, by=None, sectors=[], **_fields())
    client.force_login(staff_user)
    url = reverse("meetings:counterpart_edit", args=[maple.pk])

    client.post(url, {**_fields(kind="partner"), "sectors": [solar.pk]})
    client.post(url, {**_fields(kind="partner"), "sectors": [solar.pk]})

    assert _rows(maple) == [("+", None, None, []), ("~", staff_user, None, ["solar"])]
    assert maple.history.first().kind == "partner"


def test_refused_edit_records_nothing(staff_user, mission):
    CounterpartFactory(mission=mission, organisation="Lake Buyers", email="paul@lake.ca")
    maple = counterpart_save(mission=mission, by=staff_user, sectors=[], **_fields())

    with pytest.raises(RequestError):
        counterpart_save(
            mission=mission,
            by=staff_user,
            counterpart=maple,
            sectors=[],
            **_fields(organisation="Lake Buyers", email="paul@lake.ca"),
        )

    assert _rows(maple) == [("+", staff_user, None, [])]


def test_refused_form_post_by_an_official_records_nothing(client, official_user, mission):
    maple = CounterpartFactory(mission=mission)
    before = _rows(maple)
    client.force_login(official_user)

    response = client.post(
        reverse("meetings:counterpart_edit", args=[maple.pk]), _fields(kind="partner")
    )

    assert response.status_code == 404
    assert _rows(maple) == before


def test_import_page_records_creations_and_updates_as_import(client, staff_user, mission, solar):
    maple = CounterpartFactory(
        mission=mission, organisation="Maple Ventures", email="jane@maple.ca", city="Toronto"
    )
    client.force_login(staff_user)
    url = reverse("meetings:counterparts_import", args=[mission.pk])
    lines = (
        "Maple Ventures;investor;solar;Ottawa;Jane Doe;jane@maple.ca;en;",
        "Lake Buyers;buyer;;;Paul Roy;paul@lake.ca;en;",
    )

    first = client.post(url, {"file": _upload(*lines)})
    again = client.post(url, {"file": _upload(*lines)})

    assert (first.status_code, again.status_code) == (302, 302)
    assert _rows(maple) == [("+", None, None, []), ("~", staff_user, "import", ["solar"])]
    assert maple.history.first().city == "Ottawa"
    lake = Counterpart.objects.get(organisation="Lake Buyers")
    assert _rows(lake) == [("+", staff_user, "import", [])]


def test_refused_import_records_nothing(staff_user, mission):
    maple = CounterpartFactory(mission=mission, organisation="Maple Ventures", email="j@m.ca")
    rows, _errors = counterpart_list_read(
        (
            HEADER
            + "Maple Ventures;partner;;;Jane Doe;j@m.ca;en;\n"
            + "Lake Buyers;buyer;;;Paul Roy;paul@lake.ca;en;\n"
        ).encode()
    )
    rows[1].email = "not-an-email"

    with pytest.raises(CounterpartImportError):
        counterparts_import(mission=mission, rows=rows, by=staff_user)

    assert Counterpart.history.count() == 1
    assert _rows(maple) == [("+", None, None, [])]


def test_admin_edit_records_one_row_by_the_administrator(client, mission, solar):
    admin = UserFactory(is_staff=True, is_superuser=True)
    maple = CounterpartFactory(mission=mission, organisation="Maple Ventures")
    client.force_login(admin)

    response = client.post(
        reverse("admin:meetings_counterpart_change", args=[maple.pk]),
        {
            **_fields(kind="buyer", email=maple.email),
            "mission": mission.pk,
            "sectors": [solar.pk],
        },
    )

    assert response.status_code == 302
    assert _rows(maple) == [("+", None, None, []), ("~", admin, "admin", ["solar"])]


# The history page ---------------------------------------------------------------------


def _history_url(counterpart):
    return reverse("meetings:counterpart_history", args=[counterpart.pk])


def test_history_page_says_what_changed_with_labels(client, staff_user, official_user, mission):
    maple = counterpart_save(mission=mission, by=staff_user, sectors=[], **_fields())
    counterpart_save(
        mission=mission,
        by=staff_user,
        counterpart=maple,
        sectors=[],
        **_fields(kind="distributor", language="fr"),
    )
    client.force_login(official_user)

    response = client.get(_history_url(maple))

    assert response.status_code == 200
    assert [
        (e.action, e.author, [(str(c.label), c.old, str(c.new)) for c in e.changes])
        for e in response.context["entries"]
    ] == [
        (
            "~",
            staff_user,
            [("kind", "Investor", "Distributor"), ("language", "English", "French")],
        ),
        (
            "+",
            staff_user,
            [
                ("organisation", None, "Maple Ventures"),
                ("kind", None, "Investor"),
                ("city", None, "Toronto"),
                ("contact person", None, "Jane Doe"),
                ("email address", None, "jane@maple.ca"),
                ("language", None, "English"),
            ],
        ),
    ]
    assert "Canada 2027" not in [
        str(c.new) for e in response.context["entries"] for c in e.changes
    ]


@pytest.mark.parametrize("count", [1, 6])
def test_history_page_query_count_constant(
    client, staff_user, mission, solar, django_assert_num_queries, count
):
    maple = counterpart_save(mission=mission, by=staff_user, sectors=[solar], **_fields())
    for n in range(count - 1):
        counterpart_save(
            mission=mission,
            by=staff_user,
            counterpart=maple,
            sectors=[solar],
            **_fields(city=f"Toronto {n}"),
        )
    client.force_login(staff_user)

    # Session, user with its groups, counterpart with its mission, its sectors; count, keys; rows,
    # rows before, their sectors; the workspace's counts.
    with django_assert_num_queries(10):
        response = client.get(_history_url(maple))

    assert len(response.context["entries"]) == count


def test_counterpart_list_and_form_link_to_the_history(client, staff_user, official_user, mission):
    maple = CounterpartFactory(mission=mission)
    link = f'href="{_history_url(maple)}"'
    client.force_login(official_user)
    official_list = client.get(reverse("meetings:counterparts", args=[mission.pk]))
    client.force_login(staff_user)
    staff_list = client.get(reverse("meetings:counterparts", args=[mission.pk]))
    staff_form = client.get(reverse("meetings:counterpart_edit", args=[maple.pk]))

    assert link in official_list.content.decode()
    assert link in staff_list.content.decode()
    assert link in staff_form.content.decode()


def test_history_page_asks_anonymous_visitors_to_log_in(client, mission):
    url = _history_url(CounterpartFactory(mission=mission))

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_history_page_does_not_exist_for_companies(client, company_member, mission):
    maple = CounterpartFactory(mission=mission, email="secret@maple.ca")
    client.force_login(company_member)

    response = client.get(_history_url(maple))

    assert response.status_code == 404
    assert "secret@maple.ca" not in response.content.decode()


def test_history_page_of_an_unknown_counterpart_is_404(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("meetings:counterpart_history", args=[999999])).status_code == 404


def test_admin_shows_the_history_of_a_counterpart(client, mission):
    admin = UserFactory(is_staff=True, is_superuser=True)
    maple = CounterpartFactory(mission=mission)
    client.force_login(admin)

    response = client.get(reverse("admin:meetings_counterpart_history", args=[maple.pk]))

    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == list(maple.history.all())
