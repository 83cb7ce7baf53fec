"""The database itself refuses two accounts for one email address, whatever its case."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_user_email_duplicate_refused():
    User.objects.create_user(email="sophie@marseille.example")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="sophie@marseille.example")

    assert User.objects.count() == 1


def test_user_email_duplicate_other_case_refused():
    User.objects.create_user(email="A@x.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="a@x.org")

    assert list(User.objects.values_list("email", flat=True)) == ["a@x.org"]


def test_user_email_is_stored_in_lower_case_whatever_the_path():
    created = User.objects.create_user(email=" Thomas.Fraineux@Provence-Tlc.Example ")
    factory = UserFactory(email="Didier@Marseille.Example")
    User.objects.filter(pk=factory.pk).update(email="Didier.P@Marseille.Example")

    assert sorted(User.objects.values_list("email", flat=True)) == [
        "didier.p@marseille.example",
        "thomas.fraineux@provence-tlc.example",
    ]
    assert created.email == "thomas.fraineux@provence-tlc.example"
    assert User.objects.get(email="THOMAS.fraineux@provence-tlc.example") == created


def test_the_database_refuses_an_email_not_in_lower_case():
    user = UserFactory(email="sophie@marseille.example")

    with (
        pytest.raises(IntegrityError, match="accounts_user_email_lower_case"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE accounts_user SET email = 'Sophie@marseille.example' WHERE id = %s",
            [user.pk],
        )


def test_user_email_duplicate_other_case_refused_on_update():
    User.objects.create_user(email="sophie@marseille.example")
    other = UserFactory(email="didier@marseille.example")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(email="SOPHIE@marseille.example")


def test_user_email_different_accepted():
    User.objects.create_user(email="a@x.org")
    User.objects.create_user(email="b@x.org")

    assert sorted(User.objects.values_list("email", flat=True)) == ["a@x.org", "b@x.org"]


def test_user_create_email_in_lower_case():
    user = User.objects.create_user(email="Sophie@Marseille.Example")

    assert user.email == "sophie@marseille.example"


def test_user_get_by_natural_key_ignores_case():
    user = User.objects.create_user(email="sophie@marseille.example")

    assert User.objects.get_by_natural_key("SOPHIE@Marseille.example") == user


def test_user_create_without_email_refused():
    with pytest.raises(ValueError, match=r"^An email address is required\.$"):
        User.objects.create_user(email="")

    assert User.objects.count() == 0


def test_role_groups_exist_after_migrating():
    from django.contrib.auth.models import Group

    from accounts.rules import OFFICIALS_GROUP, STAFF_GROUP

    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(
        [STAFF_GROUP, OFFICIALS_GROUP]
    )


@pytest.mark.django_db(transaction=True)
def test_migration_puts_stored_addresses_in_lower_case():
    """A database from before the canonical addresses: the migration rewrites them."""
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0002_role_groups")])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_user (password, is_superuser, first_name, last_name, "
            "is_staff, is_active, date_joined, email, language, job_title) VALUES "
            "('', false, 'Thomas', 'Fraineux', false, true, now(), "
            "'Thomas.Fraineux@Provence-Tlc.Example', 'fr', '')"
        )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert list(User.objects.values_list("email", flat=True)) == [
        "thomas.fraineux@provence-tlc.example"
    ]
