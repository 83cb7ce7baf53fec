"""Logging in and out, throttling, and password reset by email."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import PASSWORD, StaffFactory
from notifications.models import OutboundEmail
from notifications.services import email_deliver

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


@pytest.fixture
def person(db):
    return StaffFactory(email="sophie.martin@marseille.example")


def test_login_right_password_lands_on_home(client, person):
    response = client.post(
        LOGIN, {"username": "Sophie.Martin@marseille.example", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == person


def test_login_wrong_password_says_so_and_keeps_email(client, person):
    response = client.post(LOGIN, {"username": person.email, "password": "wrong"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "ne correspondent à aucun compte" in content
    assert f'value="{person.email}"' in content
    assert not response.context["user"].is_authenticated


def test_login_wrong_password_in_english_says_so(client, person):
    client.cookies["django_language"] = "en"

    response = client.post(LOGIN, {"username": person.email, "password": "wrong"})

    assert "do not match an account" in response.content.decode()


def test_login_repeated_failures_lock_the_account(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert (
            client.post(LOGIN, {"username": person.email, "password": "wrong"}).status_code == 200
        )

    locked = client.post(LOGIN, {"username": person.email, "password": "wrong"})

    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.content.decode()
    # Even the right password is refused while the lock holds.
    again = client.post(LOGIN, {"username": person.email, "password": PASSWORD})
    assert again.status_code == 429
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_lockout_holds_whatever_the_case_of_the_email(client, person, settings):
    """Six wrong passwords in mixed case lock the one account; the right password in
    another case does not get in, nor unlock it."""
    variants = [
        "sophie.martin@marseille.example",
        "Sophie.Martin@Marseille.Example",
        "SOPHIE.MARTIN@MARSEILLE.EXAMPLE",
        " sophie.martin@MARSEILLE.example ",
    ]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": variants[attempt % 4], "password": "wrong"})

    for variant in variants:
        response = client.post(LOGIN, {"username": variant, "password": PASSWORD})
        assert response.status_code == 429, variant
    assert not client.get(reverse("home")).context["user"].is_authenticated
    assert client.post(LOGIN, {"username": person.email, "password": PASSWORD}).status_code == 429


def test_failures_in_every_case_count_for_one_account(client, person, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        variant = person.email.upper() if attempt % 2 else person.email.title()
        assert client.post(LOGIN, {"username": variant, "password": "wrong"}).status_code == 200

    assert client.post(LOGIN, {"username": person.email, "password": "x"}).status_code == 429


def test_logout_by_post_ends_the_session(client, person):
    client.force_login(person)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_password_reset_sends_a_link_through_the_outbox_that_sets_a_new_password(
    client, person, handed_over, django_capture_on_commit_callbacks
):
    person.language = "en"
    person.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": person.email})

    assert response.status_code == 302
    email = OutboundEmail.objects.get()
    assert (email.recipient, email.language, email.template_key) == (
        person.email,
        "en",
        "password_reset",
    )
    assert handed_over == [[email.pk]]
    assert email_deliver(ids=[email.pk]) == {"sent": 1, "retry": 0, "failed": 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert message.subject == "Reset your password — Marseille trade missions"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Vieux-Port-2027!", "new_password2": "Vieux-Port-2027!"},
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Vieux-Port-2027!")


def test_password_reset_unknown_email_sends_nothing_and_reveals_nothing(client, handed_over):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert OutboundEmail.objects.count() == 0
    assert handed_over == []
