"""Counterparts suggested to a company (meetings.suggestions): the ranking on its own,
the reason in both languages, the company's page and staff's, the companies no
counterpart fits, the query counts; and what holds whatever the texts (Hypothesis)."""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import CounterpartKind, MeetingRequestStatus, RequestOrigin
from meetings.models import MeetingRequest
from meetings.selectors import applications_without_fit, suggestions_for
from meetings.suggestions import SHOWN, rank, reason, words
from meetings.tests.factories import CounterpartFactory, MeetingRequestFactory
from missions.tests.factories import OpenMissionFactory, SectorFactory

CONFIRMED = ApplicationStatus.CONFIRMED


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


# The ranking, on objects as loaded (no database) ------------------------------------


class _Related(list):
    def all(self):
        return self


@dataclass(frozen=True)
class _Sector:
    pk: int
    name_fr: str
    name_en: str

    @property
    def name(self) -> str:
        # As Sector.name: the name in the active language.
        return self.name_en if translation.get_language().startswith("en") else self.name_fr


HEALTH = _Sector(pk=1, name_fr="Santé", name_en="Health")
DIGITAL = _Sector(pk=2, name_fr="Numérique", name_en="Digital")
SECTORS = [HEALTH, DIGITAL, _Sector(pk=3, name_fr="Mer", name_en="Sea")]


def _application(*, sectors=(), sought="", objectives="", products="", description="", pk=1):
    company = SimpleNamespace(sectors=_Related(sectors), description=description)
    return SimpleNamespace(
        pk=pk,
        company=company,
        counterparts_sought=sought,
        objectives=objectives,
        products=products,
    )


def _counterpart(pk, organisation, *, kind="partner", sectors=(), description="", interests=""):
    return SimpleNamespace(
        pk=pk,
        organisation=organisation,
        kind=kind,
        sectors=_Related(sectors),
        description=description,
        interests=interests,
    )


def _names(suggestions) -> list[str]:
    return [suggestion.counterpart.organisation for suggestion in suggestions]


def test_words_are_folded_stemmed_and_without_small_words():
    assert words("Les Épiceries fines et des huiles d'olive pour l'export") == {
        "epicerie": "épiceries",
        "fine": "fines",
        "huile": "huiles",
        "olive": "olive",
        "export": "export",
    }


def test_words_count_a_hyphenated_word_whole_and_by_its_parts():
    assert set(words("Une start-up de Marseille-Provence")) == {
        "startup",
        "start",
        "marseilleprovence",
        "marseille",
        "provence",
    }


def test_words_leave_out_what_is_ignored():
    assert words("Importateur à Toronto", ignored=frozenset({"toronto"})) == {
        "importateur": "importateur"
    }


def test_rank_puts_a_shared_sector_before_nothing_shared():
    application = _application(sectors=[HEALTH])
    counterparts = [
        _counterpart(1, "Alpha Capital", sectors=[DIGITAL]),
        _counterpart(2, "Zeta Hospitals", sectors=[HEALTH, DIGITAL]),
    ]

    suggestions = rank(application, counterparts)

    assert _names(suggestions) == ["Zeta Hospitals"]
    assert suggestions[0].score == 12


def test_rank_counts_the_kind_named_in_what_the_company_seeks():
    application = _application(sought="Nous cherchons des distributeurs.")
    counterparts = [
        _counterpart(1, "Alpha Ventures", kind=CounterpartKind.INVESTOR),
        _counterpart(2, "Beta Foods", kind=CounterpartKind.DISTRIBUTOR),
    ]

    suggestions = rank(application, counterparts)

    assert _names(suggestions) == ["Beta Foods"]
    assert suggestions[0].found.kind == CounterpartKind.DISTRIBUTOR
    assert suggestions[0].score == 6


def test_rank_counts_a_kind_only_the_objectives_name_half():
    application = _application(objectives="Meet investors for our seed round.")

    suggestions = rank(
        application, [_counterpart(1, "Maple Capital", kind=CounterpartKind.INVESTOR)]
    )

    assert suggestions[0].found.kind == CounterpartKind.INVESTOR
    assert suggestions[0].score == 3


def test_rank_leaves_out_generic_words():
    application = _application(sought="Une entreprise de services", products="Nos solutions")
    counterpart = _counterpart(1, "Generic", description="Entreprise de services et solutions")

    assert rank(application, [counterpart]) == []


def test_rank_counts_the_words_sought_and_offered_below_a_sector():
    application = _application(
        sought="Importateurs d'épicerie fine",
        products="Huile d'olive, savons",
        sectors=[DIGITAL],
    )
    counterparts = [
        _counterpart(1, "Gourmet", description="Épicerie fine", interests="Huiles d'olive"),
        _counterpart(2, "Software", sectors=[DIGITAL]),
    ]

    suggestions = rank(application, counterparts)

    assert _names(suggestions) == ["Software", "Gourmet"]
    gourmet = suggestions[1].found
    assert (gourmet.sought, gourmet.offered, gourmet.score) == (
        ("épicerie", "fine"),
        ("huiles", "olive"),
        2 * 2 + 2 * 1,
    )


def test_rank_leaves_out_the_counterparts_already_requested():
    application = _application(sectors=[HEALTH])
    counterparts = [_counterpart(pk, f"Clinic {pk}", sectors=[HEALTH]) for pk in (1, 2, 3)]

    suggestions = rank(application, counterparts, requested=[2])

    assert _names(suggestions) == ["Clinic 1", "Clinic 3"]


def test_rank_suggests_no_counterpart_that_shares_nothing():
    application = _application(sectors=[HEALTH], sought="Distributeurs")
    counterparts = [
        _counterpart(1, "Port", kind=CounterpartKind.PARTNER, sectors=[DIGITAL]),
        _counterpart(2, "Fund", kind=CounterpartKind.INVESTOR, description="Seed funds"),
    ]

    assert rank(application, counterparts) == []


def test_rank_shows_at_most_five_by_score_then_name():
    application = _application(sectors=[HEALTH, DIGITAL])
    counterparts = [
        _counterpart(pk, name, sectors=sectors)
        for pk, name, sectors in [
            (1, "Delta", [HEALTH]),
            (2, "alpha", [HEALTH]),
            (3, "Both", [HEALTH, DIGITAL]),
            (4, "Charlie", [DIGITAL]),
            (5, "Echo", [HEALTH]),
            (6, "Foxtrot", [HEALTH]),
        ]
    ]

    suggestions = rank(application, counterparts)

    assert len(suggestions) == SHOWN == 5
    assert _names(suggestions) == ["Both", "alpha", "Charlie", "Delta", "Echo"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Same sector: Health · looking for a distributor"),
        ("fr", "Même secteur : Santé · cherche un distributeur"),
    ],
)
def test_reason_reads_in_the_active_language(language, expected):
    application = _application(sectors=[HEALTH], sought="Distributeurs")
    counterpart = _counterpart(1, "Pharma", kind=CounterpartKind.DISTRIBUTOR, sectors=[HEALTH])
    (suggestion,) = rank(application, [counterpart])

    with translation.override(language):
        assert suggestion.reason == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "Same sectors: Health, Digital · matches the profile sought: hôpitaux · "
            "interested in: logiciels",
        ),
        (
            "fr",
            "Mêmes secteurs : Santé, Numérique · correspond au profil recherché : hôpitaux · "
            "intéressé par : logiciels",
        ),
    ],
)
def test_reason_names_the_sectors_and_the_words_as_the_counterpart_writes_them(language, expected):
    application = _application(
        sectors=[HEALTH, DIGITAL], sought="Des hopitaux", products="Logiciel"
    )
    counterpart = _counterpart(
        1, "Care", sectors=[DIGITAL, HEALTH], description="Achats de 12 hôpitaux de logiciels"
    )
    (suggestion,) = rank(application, [counterpart])

    with translation.override(language):
        assert reason(suggestion.found) == expected


def test_reason_in_french_agrees_with_the_kind():
    application = _application(sought="institutions et start-up")
    counterparts = [
        _counterpart(1, "Cluster", kind=CounterpartKind.INSTITUTION),
        _counterpart(2, "Young", kind=CounterpartKind.STARTUP),
    ]

    with translation.override("fr"):
        assert [s.reason for s in rank(application, counterparts)] == [
            "Cherche une institution",
            "Cherche une start-up",
        ]


# Whatever the texts -----------------------------------------------------------------

_text = st.lists(
    st.sampled_from(
        [*"abcdeéèfilnorstuxz -'", "distributeurs ", "investor ", "santé ", "olive ", "É"]
    ),
    max_size=40,
).map("".join)
_counterparts = st.lists(
    st.builds(
        lambda kind, sectors, description, interests: (kind, sectors, description, interests),
        st.sampled_from(CounterpartKind.values),
        st.sets(st.sampled_from(SECTORS), max_size=3),
        _text,
        _text,
    ),
    max_size=12,
)


@given(
    sectors=st.sets(st.sampled_from(SECTORS), max_size=3),
    sought=_text,
    products=_text,
    rows=_counterparts,
    requested=st.sets(st.integers(min_value=1, max_value=12)),
)
def test_ranking_holds_whatever_the_texts(sectors, sought, products, rows, requested):
    application = _application(sectors=list(sectors), sought=sought, products=products)
    counterparts = [
        _counterpart(
            pk,
            f"Org {pk % 4}",
            kind=kind,
            sectors=list(counterpart_sectors),
            description=description,
            interests=interests,
        )
        for pk, (kind, counterpart_sectors, description, interests) in enumerate(rows, start=1)
    ]

    suggestions = rank(application, counterparts, requested=requested)
    everything = rank(application, counterparts, limit=None)

    scores = [suggestion.score for suggestion in suggestions]
    assert all(score > 0 for score in scores)
    assert scores == sorted(scores, reverse=True)
    assert len(suggestions) <= SHOWN
    assert not {suggestion.counterpart.pk for suggestion in suggestions} & requested
    # The same on every run, whatever order the counterparts come in.
    again = rank(application, list(reversed(counterparts)), requested=requested)
    assert [s.counterpart.pk for s in again] == [s.counterpart.pk for s in suggestions]
    # Any counterpart left out of all of them shares nothing with the company.
    kept = {s.counterpart.pk for s in everything}
    for counterpart in counterparts:
        if counterpart.pk not in kept:
            assert rank(application, [counterpart]) == []
    for suggestion in everything:
        assert suggestion.reason


# The pages ---------------------------------------------------------------------------


@pytest.fixture
def world(db, company_member):
    """A Toronto mission; Transpare (health, seeks distributors), confirmed; three
    counterparts: a health distributor, a health investor it already asked to meet, and
    a port that fits nothing."""
    mission = OpenMissionFactory(title="Canada 2027", cities="Toronto, Montréal")
    health = SectorFactory(code="health", name_fr="Santé", name_en="Health")
    port = SectorFactory(code="maritime", name_fr="Maritime", name_en="Maritime")
    company = company_member.membership.company
    company.sectors.set([health])
    application = ApplicationFactory(
        mission=mission,
        company=company,
        status=CONFIRMED,
        counterparts_sought="Distributeurs à Toronto",
        objectives="",
        products="Dispositifs de suivi des patients",
    )
    distributor = CounterpartFactory(
        mission=mission,
        organisation="Northern Medical Supply",
        kind=CounterpartKind.DISTRIBUTOR,
        description="Distributeur de matériel médical à Toronto",
    )
    distributor.sectors.set([health])
    investor = CounterpartFactory(mission=mission, organisation="Bay Street Angels")
    investor.sectors.set([health])
    harbour = CounterpartFactory(
        mission=mission,
        organisation="Harbourfront Logistics",
        kind=CounterpartKind.PARTNER,
        description="Transit à Toronto",
    )
    harbour.sectors.set([port])
    MeetingRequestFactory(application=application, counterpart=investor)
    return SimpleNamespace(
        mission=mission,
        application=application,
        distributor=distributor,
        investor=investor,
        harbour=harbour,
    )


def _company_url(application) -> str:
    return reverse("meetings:company_requests", args=[application.pk])


@pytest.mark.django_db
def test_selector_suggests_what_fits_without_the_destination_nor_what_is_requested(world):
    suggestions = suggestions_for(world.application)

    assert [s.counterpart for s in suggestions] == [world.distributor]
    assert suggestions[0].reason == "Same sector: Health · looking for a distributor"


@pytest.mark.django_db
def test_company_sees_the_suggestions_with_their_reason(client, company_member, world):
    client.force_login(company_member)

    response = client.get(_company_url(world.application))

    content = response.content.decode()
    suggestions = content.split('id="suggestions"', 1)[1].split("</section>", 1)[0]
    assert "Northern Medical Supply" in suggestions
    assert "Same sector: Health · looking for a distributor" in suggestions
    assert "Bay Street Angels" not in suggestions
    assert "Harbourfront Logistics" not in suggestions


@pytest.mark.django_db
def test_company_sees_the_suggestions_in_french(client, company_member, world):
    client.force_login(company_member)
    client.cookies["django_language"] = "fr"

    content = client.get(_company_url(world.application)).content.decode()

    assert "Même secteur : Santé · cherche un distributeur" in content


@pytest.mark.django_db
def test_company_requests_a_suggestion_in_one_click(client, company_member, world):
    client.force_login(company_member)
    page = client.get(_company_url(world.application))
    (suggestion,) = page.context["suggestions"]

    response = client.post(
        _company_url(world.application),
        {
            "counterpart": world.distributor.pk,
            "priority": "2",
            "rationale": suggestion.reason,
            "suggested": "1",
        },
    )

    assert response.status_code == 302
    request = MeetingRequest.objects.get(
        application=world.application, counterpart=world.distributor
    )
    assert (request.origin, request.status, request.priority, request.rationale) == (
        RequestOrigin.COMPANY,
        MeetingRequestStatus.REQUESTED,
        2,
        "Same sector: Health · looking for a distributor",
    )
    again = client.get(_company_url(world.application))
    assert again.context["suggestions"] == []
    assert "No counterpart you have not asked to meet" in again.content.decode()


@pytest.mark.django_db
def test_company_page_offers_no_suggestion_before_the_seat_is_confirmed(
    client, company_member, world
):
    world.application.status = world.application.announced_status = ApplicationStatus.ACCEPTED
    world.application.save()
    client.force_login(company_member)

    response = client.get(_company_url(world.application))

    assert "suggestions" not in response.context
    assert "Northern Medical Supply" not in response.content.decode()


@pytest.mark.django_db
def test_other_company_does_not_see_the_suggestions(client, other_company_member, world):
    client.force_login(other_company_member)

    assert client.get(_company_url(world.application)).status_code == 404


@pytest.mark.django_db
def test_staff_see_the_suggestions_of_a_company_on_the_add_page(client, staff_user, world):
    client.force_login(staff_user)
    url = reverse("meetings:request_add", args=[world.mission.pk])

    response = client.get(url, {"application": world.application.pk})

    content = response.content.decode()
    assert [s.counterpart for s in response.context["suggestions"]] == [world.distributor]
    assert "Counterparts suggested to Transpare" in content
    assert "Same sector: Health · looking for a distributor" in content
    assert response.context["form"].initial == {"application": world.application.pk}


@pytest.mark.django_db
def test_staff_add_page_without_a_company_asks_for_one(client, staff_user, world):
    client.force_login(staff_user)
    url = reverse("meetings:request_add", args=[world.mission.pk])

    for query in ({}, {"application": "nonsense"}, {"application": "999999"}):
        response = client.get(url, query)
        assert response.context["suggested_to"] is None
        assert "suggestions" not in response.context
        assert "Choose a company to see the counterparts" in response.content.decode()


@pytest.mark.django_db
def test_staff_request_a_suggestion_in_one_click_and_come_back(client, staff_user, world):
    client.force_login(staff_user)
    url = reverse("meetings:request_add", args=[world.mission.pk])

    response = client.post(
        url,
        {
            "application": world.application.pk,
            "counterpart": world.distributor.pk,
            "priority": "2",
            "rationale": "Same sector: Health · looking for a distributor",
            "suggested": "1",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{url}?application={world.application.pk}#suggestions"
    request = MeetingRequest.objects.get(
        application=world.application, counterpart=world.distributor
    )
    assert (request.origin, request.created_by) == (RequestOrigin.STAFF, staff_user)


@pytest.mark.django_db
def test_staff_see_the_suggestions_when_qualifying(client, staff_user, world):
    pending = MeetingRequest.objects.get(application=world.application)
    client.force_login(staff_user)

    response = client.get(reverse("meetings:request_qualify", args=[pending.pk]))

    content = response.content.decode()
    assert "Other counterparts suggested to Transpare" in content
    assert "Same sector: Health · looking for a distributor" in content
    assert [s.counterpart for s in response.context["suggestions"]] == [world.distributor]


@pytest.mark.django_db
def test_staff_list_names_the_companies_no_counterpart_fits(client, staff_user, world):
    lonely = ApplicationFactory(
        mission=world.mission,
        status=ApplicationStatus.ACCEPTED,
        company__name="Provence Savons",
        objectives="",
        counterparts_sought="",
        products="Savons",
    )
    # Not in the delegation: never listed.
    ApplicationFactory(
        mission=world.mission, status=ApplicationStatus.REJECTED, objectives="", products=""
    )
    client.force_login(staff_user)

    response = client.get(reverse("meetings:requests", args=[world.mission.pk]))

    assert response.context["without_fit"] == [lonely]
    section = response.content.decode().split('id="without-fit"', 1)[1].split("</section>")[0]
    assert "No counterpart fits these companies yet:" in section
    assert reverse("delegations:review_application", args=[lonely.pk]) in section
    assert "Transpare" not in section


@pytest.mark.django_db
def test_official_does_not_see_the_companies_without_fit(client, official_user, world):
    ApplicationFactory(mission=world.mission, status=CONFIRMED, objectives="", products="")
    client.force_login(official_user)

    response = client.get(reverse("meetings:requests", args=[world.mission.pk]))

    assert response.status_code == 200
    assert "without_fit" not in response.context
    assert 'id="without-fit"' not in response.content.decode()


@pytest.mark.django_db
def test_no_company_lacks_a_fit_while_the_mission_has_no_counterpart():
    mission = OpenMissionFactory()
    ApplicationFactory(mission=mission, status=CONFIRMED)

    assert applications_without_fit(mission) == []


# Query counts --------------------------------------------------------------------------


def _more_counterparts(mission, count):
    sector = SectorFactory()
    for number in range(count):
        counterpart = CounterpartFactory(
            mission=mission,
            kind=CounterpartKind.DISTRIBUTOR,
            description=f"Distributeur numéro {number}",
        )
        counterpart.sectors.set([sector])


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 12])
def test_company_page_with_suggestions_in_fixed_queries(
    client, company_member, world, django_assert_num_queries, count
):
    _more_counterparts(world.mission, count)
    client.force_login(company_member)

    # Session, user with its groups, membership and company, application with mission and
    # company, counterparts counted, a page of them, their sectors, the company's
    # requests, the counterparts left to request (the form's choices); the suggestions:
    # the company's sectors, the counterparts not requested, their sectors.
    with django_assert_num_queries(11):
        response = client.get(_company_url(world.application))

    assert len(response.context["suggestions"]) == min(1 + count, SHOWN)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_requests_list_with_the_companies_without_fit_in_fixed_queries(
    client, staff_user, world, django_assert_num_queries, count
):
    _more_counterparts(world.mission, count)
    for _ in range(count):
        ApplicationFactory(mission=world.mission, status=CONFIRMED, objectives="", products="")
    client.force_login(staff_user)

    # As without them (test_request_views), and the counterparts, their sectors, the
    # accepted and confirmed companies, their sectors.
    with django_assert_num_queries(14):
        response = client.get(reverse("meetings:requests", args=[world.mission.pk]))

    assert len(response.context["without_fit"]) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 12])
def test_staff_add_page_with_suggestions_in_fixed_queries(
    client, staff_user, world, django_assert_num_queries, count
):
    _more_counterparts(world.mission, count)
    client.force_login(staff_user)
    url = reverse("meetings:request_add", args=[world.mission.pk])

    # Session, user with its groups, mission, the company (confirmed, of the mission),
    # the suggestions' three, the choices of companies of both forms, the counterparts
    # of the request's form, the workspace's counts.
    with django_assert_num_queries(11):
        response = client.get(url, {"application": world.application.pk})

    assert len(response.context["suggestions"]) == min(1 + count, SHOWN)


# What a counterpart looks for ------------------------------------------------------


@pytest.mark.django_db
def test_staff_type_the_interests_and_companies_read_them(
    client, staff_user, company_member, world
):
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:counterpart_edit", args=[world.harbour.pk]),
        {
            "organisation": "Harbourfront Logistics",
            "kind": "partner",
            "contact_name": "Daniel Murphy",
            "email": "d.murphy@harbourfront.example",
            "language": "en",
            "description": "Transit à Toronto",
            "interests": "Dispositifs médicaux, conteneurs",
        },
    )
    assert response.status_code == 302
    world.harbour.refresh_from_db()
    assert world.harbour.interests == "Dispositifs médicaux, conteneurs"

    client.force_login(company_member)
    page = client.get(_company_url(world.application))

    content = page.content.decode()
    assert "Interests:</span> Dispositifs médicaux, conteneurs" in content
    harbour = next(s for s in page.context["suggestions"] if s.counterpart == world.harbour)
    assert harbour.reason == "Interested in: dispositifs"


@pytest.mark.django_db
def test_the_import_reads_the_interests(client, staff_user, world):
    client.force_login(staff_user)
    csv = (
        "organisation;kind;contact_name;email;interests\n"
        "Lakeshore Capital;investor;Emily Chen;emily@lakeshore.example;SaaS, données\n"
    )

    response = client.post(
        reverse("meetings:counterparts_import", args=[world.mission.pk]),
        {"file": SimpleUploadedFile("c.csv", csv.encode(), "text/csv")},
    )

    assert response.status_code == 302
    assert world.mission.counterparts.get(organisation="Lakeshore Capital").interests == (
        "SaaS, données"
    )
