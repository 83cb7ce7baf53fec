"""A company's profile: its members and the city see it; other companies do not."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _profile_url(member):
    return reverse("companies:detail", kwargs={"pk": member.membership.company_id})


def test_company_profile_member_sees_own(client, company_member):
    client.force_login(company_member)

    response = client.get(_profile_url(company_member))

    assert response.status_code == 200
    assert response.context["company"].name == "Transpare"


def test_company_profile_other_company_gets_404(client, company_member, other_company_member):
    client.force_login(other_company_member)

    response = client.get(_profile_url(company_member))

    assert response.status_code == 404
    assert "Transpare" not in response.content.decode()


@pytest.mark.parametrize("role", ["staff_user", "official_user"])
def test_company_profile_city_roles_see_it(client, company_member, role, request):
    client.force_login(request.getfixturevalue(role))

    assert client.get(_profile_url(company_member)).status_code == 200


def test_company_profile_anonymous_asked_to_log_in(client, company_member):
    url = _profile_url(company_member)

    response = client.get(url)

    assert response["Location"] == f"{reverse('login')}?next={url}"
