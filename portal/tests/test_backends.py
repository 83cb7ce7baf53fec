"""The request's user read with the groups of their role, their membership and its
company, in one query (portal.backends)."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from accounts.rules import OFFICIALS_GROUP, STAFF_GROUP, role_of
from accounts.tests.factories import OfficialFactory, StaffFactory, UserFactory
from companies.models import MembershipStatus
from companies.selectors import company_of
from companies.tests.factories import CompanyMemberFactory
from portal.backends import STATEMENT, PortalBackend

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("factory", "role"),
    [
        (StaffFactory, "staff"),
        (OfficialFactory, "official"),
        (CompanyMemberFactory, "company"),
        (UserFactory, "pending"),
    ],
)
def test_the_user_comes_with_their_role_and_company_in_one_query(
    factory, role, django_assert_num_queries
):
    person = factory()

    with django_assert_num_queries(1):
        user = PortalBackend().get_user(person.pk)
    with django_assert_num_queries(0):
        assert role_of(user) == role
        company = company_of(user)

    assert user == person
    assert company == (person.membership.company if role == "company" else None)
    if company is not None:
        # The same rows as the ORM reads, field by field.
        for model, read in ((type(company), company), (type(user.membership), user.membership)):
            stored = model.objects.get(pk=read.pk)
            assert [f.value_from_object(read) for f in model._meta.concrete_fields] == [
                f.value_from_object(stored) for f in model._meta.concrete_fields
            ]
        assert user.membership.user is user


def test_a_membership_awaiting_approval_is_no_company():
    person = CompanyMemberFactory(membership__status=MembershipStatus.PENDING)

    user = PortalBackend().get_user(person.pk)

    assert role_of(user) == "pending"
    assert company_of(user) is None
    assert user.membership.status == MembershipStatus.PENDING


def test_a_user_without_membership_has_none_without_asking(django_assert_num_queries):
    user = PortalBackend().get_user(StaffFactory().pk)

    with django_assert_num_queries(0):
        assert getattr(user, "membership", None) is None
        assert company_of(user) is None


def test_a_user_read_elsewhere_asks_the_database_and_gets_the_same_answer(
    django_assert_num_queries,
):
    both = UserFactory()
    both.groups.add(Group.objects.get_or_create(name=OFFICIALS_GROUP)[0])
    both.groups.add(Group.objects.get_or_create(name=STAFF_GROUP)[0])
    plain = type(both).objects.get(pk=both.pk)

    with django_assert_num_queries(1):
        assert role_of(plain) == "staff"
    assert role_of(PortalBackend().get_user(both.pk)) == "staff"


def test_an_inactive_or_unknown_user_is_nobody():
    person = StaffFactory(is_active=False)

    assert PortalBackend().get_user(person.pk) is None
    assert PortalBackend().get_user(person.pk + 1000) is None


def test_logged_in_pages_load_the_user_through_the_portal_backend(client, staff_user):
    client.force_login(staff_user)

    assert client.session["_auth_user_backend"] == "portal.backends.PortalBackend"
    assert client.get("/").context["user"].in_staff_group is True


@pytest.mark.django_db(transaction=True)  # a connection closed outside any transaction
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statement")
def test_the_user_query_is_prepared_once_a_connection_and_again_after_a_reconnection(
    django_assert_num_queries,
):
    person = CompanyMemberFactory()
    connection.close()  # as after CONN_MAX_AGE: the next query opens another connection

    for _ in range(3):
        # Preparing the statement is not one of the request's queries.
        with django_assert_num_queries(1) as read:
            user = PortalBackend().get_user(person.pk)
        assert read.captured_queries[0]["sql"].startswith(f"EXECUTE {STATEMENT}(")
        assert user == person and company_of(user) == person.membership.company
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = %s", [STATEMENT])
        assert cursor.fetchone() == (1,)
