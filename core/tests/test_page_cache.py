"""Kept pages (core/page_cache.py): served again only while nothing they show has changed.

These tests commit (``transaction=True``): inside a test's transaction nothing is kept,
as its own writes do not change its snapshot.
"""

import re
import string

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from companies.tests.factories import CompanyFactory
from missions.models import Mission
from missions.tests.factories import MissionFactory
from portal.backends import PortalBackend

committing = pytest.mark.django_db(transaction=True)
# A form's CSRF token is masked anew on each rendering: the same secret, other characters.
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
FRESH = {"HTTP_CACHE_CONTROL": "no-cache"}


def _text(response) -> str:
    assert response.status_code == 200
    return TOKEN.sub("token", response.content.decode())


def _settled(client, url):
    """The first page of a browser without a CSRF cookie makes one, and is not kept."""
    client.get(url)
    return client


@committing
def test_a_page_asked_again_with_nothing_changed_reads_only_the_session_and_user(
    client, staff_user
):
    MissionFactory(title="Toronto")
    client.force_login(staff_user)
    url = reverse("missions:list")
    made = _text(_settled(client, url).get(url))

    with CaptureQueriesContext(connection) as queries:
        kept = _text(client.get(url))

    assert kept == made
    read = [query["sql"] for query in queries]
    assert len(read) == 2, read
    assert "django_session" in read[0]
    assert read[1].startswith("EXECUTE portal_user_with_role")


@committing
def test_no_cache_makes_the_page_anew(client, staff_user):
    client.force_login(staff_user)
    url = reverse("missions:list")
    _settled(client, url).get(url)

    with CaptureQueriesContext(connection) as queries:
        client.get(url, **FRESH)

    assert len(queries) > 1


def _write(operation, mission):
    kind, value = operation
    if kind == "update":
        Mission.objects.filter(pk=mission.pk).update(title=value)
    elif kind == "save":
        mission.title = value
        mission.save()
    elif kind == "sql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Mission._meta.db_table} SET title = %s WHERE id = %s",  # noqa: S608
                [value, mission.pk],
            )
    elif kind == "transaction":
        with transaction.atomic():
            Mission.objects.filter(pk=mission.pk).update(title=value + "x")
            Mission.objects.filter(pk=mission.pk).update(title=value)
    elif kind == "new":
        MissionFactory(title=value)
    elif kind == "language":
        return value
    return None


titles = st.text(alphabet=string.ascii_letters, min_size=4, max_size=12)
operations = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(["update", "save", "sql", "transaction", "new"]), titles),
        st.tuples(st.just("language"), st.sampled_from(["fr", "en"])),
        st.tuples(st.just("read"), st.none()),
    ),
    min_size=1,
    max_size=8,
)


@committing
@hypothesis_settings(max_examples=25)
@given(operations=operations)
def test_a_kept_page_is_the_page_made_anew_whatever_was_written_in_between(
    client, staff_user, operations
):
    """Writes by the ORM, by SQL by hand, in a transaction, new rows, another language:
    the page served is, each time, the page the view makes at that moment."""
    Mission.objects.all().delete()  # the examples before this one's
    mission = MissionFactory()
    client.force_login(staff_user)
    url = mission.get_absolute_url()
    _settled(client, url)
    for operation in operations:
        language = _write(operation, mission)
        if language:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        served = _text(client.get(url))
        assert served == _text(client.get(url, **FRESH))
        if operation[0] in ("update", "save", "sql", "transaction"):
            assert operation[1] in served


@committing
@pytest.mark.urls("core.tests.page_cache_urls")
def test_a_page_that_writes_as_it_is_read_is_made_each_time(client, staff_user, monkeypatch):
    """Even for requests that began before its write was committed (the same snapshot,
    pinned here: two requests at the same moment)."""
    get_user = PortalBackend.get_user

    def at_one_moment(self, user_id):
        user = get_user(self, user_id)
        user.data_snapshot = "1000:1000:"
        return user

    monkeypatch.setattr(PortalBackend, "get_user", at_one_moment)
    mission = MissionFactory(capacity=1)
    client.force_login(staff_user)

    seen = [client.get(f"/visit/{mission.pk}/").content for _ in range(3)]

    assert seen == [b"<p>2</p>", b"<p>3</p>", b"<p>4</p>"]


@committing
def test_a_browser_without_a_csrf_cookie_gets_one_with_a_page_made_for_it(client, staff_user):
    client.force_login(staff_user)
    url = reverse("missions:list")

    for _ in range(2):
        client.cookies.pop(settings.CSRF_COOKIE_NAME, None)
        response = client.get(url)
        assert response.status_code == 200
        assert settings.CSRF_COOKIE_NAME in response.cookies


@committing
def test_a_message_is_shown_once_not_kept_with_its_page(client, staff_user):
    company = CompanyFactory(name="Transpare")
    client.force_login(staff_user)
    url = company.get_absolute_url()
    _settled(client, url).get(url)

    client.post(reverse("companies:verify", args=[company.pk]), {"verified": "1"})
    shown = client.get(url).content.decode()
    again = client.get(url).content.decode()

    assert "L’entreprise est vérifiée" in shown or "entreprise est vérifiée" in shown
    assert "entreprise est vérifiée" not in again


@pytest.mark.django_db
def test_nothing_is_kept_inside_a_transaction(client, staff_user):
    """A test's transaction: its writes do not change the snapshot, so nothing is kept."""
    client.force_login(staff_user)
    url = reverse("missions:list")
    _settled(client, url).get(url)

    with CaptureQueriesContext(connection) as queries:
        client.get(url)

    assert len(queries) > 1


@committing
def test_a_kept_email_preview_keeps_what_it_adds_to_the_security_policy(client, staff_user):
    """The preview allows the email's own styles by hash (notifications/preview.py)."""
    from campaigns.tests.test_views import _email

    url = reverse("campaigns:email", args=[_email(1).pk])
    client.force_login(staff_user)
    made = _settled(client, url).get(url)

    with CaptureQueriesContext(connection) as queries:
        kept = client.get(url)

    assert len(queries) == 2  # the session and the user: the page was kept
    assert "'unsafe-hashes'" in made["Content-Security-Policy"]
    assert kept["Content-Security-Policy"] == made["Content-Security-Policy"]
