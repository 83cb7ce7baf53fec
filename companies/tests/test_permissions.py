"""Who may open every page and perform every action of the companies app.

The target is company A (Transpare), with a contact and a pending request whose details
would leak if a check were missing. Company B (Protecto) must find none of it: a 404,
without A's name or emails in the body.
"""

import pytest
from django.urls import reverse

from companies.models import MembershipRole, MembershipStatus
from companies.tests.factories import ContactFactory, MembershipFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "company_a", "company_b", "staff", "official"]
LEAKS = ["Transpare", "secret.delegate@transpare.example", "lea.pending@transpare.example"]
LOGIN = "login"

# page (url name), method, and what each role gets: a status, or LOGIN for a redirect to
# the login page. A redirect after a successful action is 302.
MATRIX = {
    ("detail", "get"): {
        "anonymous": LOGIN,
        "company_a": 200,
        "company_b": 404,
        "staff": 200,
        "official": 200,
    },
    ("edit", "get"): {
        "anonymous": LOGIN,
        "company_a": 200,
        "company_b": 404,
        "staff": 200,
        "official": 404,
    },
    ("edit", "post"): {
        "anonymous": LOGIN,
        "company_a": 200,
        "company_b": 404,
        "staff": 200,
        "official": 404,
    },
    ("verify", "post"): {
        "anonymous": LOGIN,
        "company_a": 404,
        "company_b": 404,
        "staff": 302,
        "official": 404,
    },
    ("contacts", "get"): {
        "anonymous": LOGIN,
        "company_a": 200,
        "company_b": 404,
        "staff": 200,
        "official": 404,
    },
    ("contact_add", "get"): {
        "anonymous": LOGIN,
        "company_a": 200,
        "company_b": 404,
        "staff": 200,
        "official": 404,
    },
    ("contact_add", "post"): {
        "anonymous": LOGIN,
        "company_a": 200,
        "company_b": 404,
        "staff": 200,
        "official": 404,
    },
    ("contact_edit", "get"): {
        "anonymous": LOGIN,
        "company_a": 200,
        "company_b": 404,
        "staff": 200,
        "official": 404,
    },
    ("contact_edit", "post"): {
        "anonymous": LOGIN,
        "company_a": 200,
        "company_b": 404,
        "staff": 200,
        "official": 404,
    },
    ("contact_delete", "get"): {
        "anonymous": LOGIN,
        "company_a": 200,
        "company_b": 404,
        "staff": 200,
        "official": 404,
    },
    ("contact_delete", "post"): {
        "anonymous": LOGIN,
        "company_a": 302,
        "company_b": 404,
        "staff": 302,
        "official": 404,
    },
    ("membership_approve", "post"): {
        "anonymous": LOGIN,
        "company_a": 302,
        "company_b": 404,
        "staff": 404,
        "official": 404,
    },
    ("membership_refuse", "post"): {
        "anonymous": LOGIN,
        "company_a": 302,
        "company_b": 404,
        "staff": 404,
        "official": 404,
    },
    # The audit trail: the directory's readers only, never a company, even its own.
    ("history", "get"): {
        "anonymous": LOGIN,
        "company_a": 404,
        "company_b": 404,
        "staff": 200,
        "official": 200,
    },
    ("list", "get"): {
        "anonymous": LOGIN,
        "company_a": 404,
        "company_b": 404,
        "staff": 200,
        "official": 200,
    },
    ("export", "get"): {
        "anonymous": LOGIN,
        "company_a": 404,
        "company_b": 404,
        "staff": 200,
        "official": 404,
    },
    ("import", "get"): {
        "anonymous": LOGIN,
        "company_a": 404,
        "company_b": 404,
        "staff": 200,
        "official": 404,
    },
}
CASES = [
    (name, method, role, expected)
    for (name, method), outcomes in MATRIX.items()
    for role, expected in outcomes.items()
]


@pytest.fixture
def world(company_member, other_company_member, staff_user, official_user, handed_over):
    company = company_member.membership.company
    contact = ContactFactory(company=company, email="secret.delegate@transpare.example")
    pending = MembershipFactory(
        company=company,
        user__email="lea.pending@transpare.example",
        role=MembershipRole.MEMBER,
        status=MembershipStatus.PENDING,
    )
    users = {
        "anonymous": None,
        "company_a": company_member,
        "company_b": other_company_member,
        "staff": staff_user,
        "official": official_user,
    }
    return {"company": company, "contact": contact, "pending": pending, "users": users}


def _url(name, world):
    company = world["company"]
    if name in ("list", "export", "import"):
        return reverse(f"companies:{name}")
    if name.startswith("contact_") and name != "contact_add":
        return reverse(f"companies:{name}", args=[company.pk, world["contact"].pk])
    if name.startswith("membership_"):
        return reverse(f"companies:{name}", args=[company.pk, world["pending"].pk])
    return reverse(f"companies:{name}", args=[company.pk])


def test_matrix_covers_every_url_of_the_app():
    from companies.urls import urlpatterns

    names = {pattern.name for pattern in urlpatterns} - {"signup"}
    assert names == {name for name, _method in MATRIX}


@pytest.mark.parametrize(("name", "method", "role", "expected"), CASES)
def test_permission_matrix(client, world, name, method, role, expected):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = _url(name, world)

    # An empty POST: for those allowed, an invalid form (200) or the action (302);
    # for the others, nothing may happen.
    response = getattr(client, method)(url, {} if method == "post" else None)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"
        return
    assert response.status_code == expected
    if expected == 404:
        body = response.content.decode()
        assert [leak for leak in LEAKS if leak in body] == []


@pytest.mark.parametrize(
    ("name", "method"), [k for k, v in MATRIX.items() if v["company_b"] == 404]
)
def test_company_b_changes_nothing_of_a(client, world, name, method):
    client.force_login(world["users"]["company_b"])
    company, contact, pending = world["company"], world["contact"], world["pending"]

    getattr(client, method)(_url(name, world), {"name": "Pwned", "verified": "1"})

    company.refresh_from_db()
    contact.refresh_from_db()
    pending.refresh_from_db()
    assert (company.name, contact.email, pending.status) == (
        "Transpare",
        "secret.delegate@transpare.example",
        MembershipStatus.PENDING,
    )
