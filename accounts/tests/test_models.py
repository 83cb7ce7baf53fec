"""The database itself refuses two accounts for one email address."""

import pytest
from django.db import IntegrityError, transaction

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

    assert list(User.objects.values_list("email", flat=True)) == ["A@x.org"]


def test_user_email_duplicate_other_case_refused_on_update():
    User.objects.create_user(email="sophie@marseille.example")
    other = UserFactory(email="didier@marseille.example")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(email="SOPHIE@marseille.example")


def test_user_email_different_accepted():
    User.objects.create_user(email="a@x.org")
    User.objects.create_user(email="b@x.org")

    assert sorted(User.objects.values_list("email", flat=True)) == ["a@x.org", "b@x.org"]


def test_user_create_domain_case_normalised():
    user = User.objects.create_user(email="Sophie@Marseille.Example")

    assert user.email == "Sophie@marseille.example"


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
