"""A superuser is city staff with the Django admin: the permission rules decide what they
see in the portal, never ``is_superuser`` alone. Company-only pages are 404 to them as to
staff."""

import pytest
import rules
from django.apps import apps
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import StaffFactory, UserFactory
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(email="root@marseille.example", is_superuser=True, is_staff=True)


@pytest.fixture
def application(company_member):
    return ApplicationFactory(
        company=company_member.membership.company,
        status=ApplicationStatus.CONFIRMED,
        objectives="PRIVATE-OBJECTIVES",
    )


@pytest.mark.parametrize(
    "name",
    [
        "delegations:application_detail",
        "meetings:company_requests",
        "delegations:application_edit",
    ],
)
def test_company_only_pages_are_404_to_a_superuser_as_to_staff(
    client, superuser, staff_user, application, name
):
    url = reverse(name, args=[application.pk])
    for person in (staff_user, superuser):
        client.force_login(person)

        response = client.get(url)

        assert response.status_code == 404, person
        assert "PRIVATE-OBJECTIVES" not in response.content.decode()


def test_every_rule_decides_for_a_superuser_as_for_staff(superuser, application):
    """Over every permission the portal's rules define, with each kind of object its
    predicates take (an object of another kind is not theirs to judge)."""
    staff = StaffFactory()
    assert isinstance(superuser, User)
    names = sorted(rules.permissions.permissions)
    assert len(names) > 20
    judged = set()
    for name in names:
        for obj in (None, application, application.mission, application.company):
            try:
                expected = staff.has_perm(name, obj)
            except (AttributeError, TypeError):
                continue
            assert superuser.has_perm(name, obj) == expected, (name, obj)
            judged.add(name)
    assert judged == set(names)


def test_a_superuser_keeps_the_django_admin(client, superuser):
    client.force_login(superuser)

    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert superuser.has_perm("accounts.change_user")


def test_no_rule_has_the_name_of_a_django_model_permission():
    """A rule named like a model permission (``delegations.view_application``) would
    mean two things: "a member of the applicant" to the portal, "may open it in the
    admin" to Django."""
    model_permissions = {
        f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        for model in apps.get_models()
        for action in ("add", "change", "delete", "view")
    }

    assert sorted(set(rules.permissions.permissions) & model_permissions) == []
