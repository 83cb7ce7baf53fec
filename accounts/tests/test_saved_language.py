"""A logged-in person reads the portal in their saved language, whatever their browser
asks for; switching the language saves it, for their pages and their emails."""

import pytest
from django.urls import reverse

from accounts.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_the_saved_language_wins_over_the_browsers(client):
    client.force_login(StaffFactory(language="en"))

    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")

    assert _lang(page) == "en"
    assert page["Content-Language"] == "en"


def test_anonymous_visitors_get_their_browsers_language(client):
    assert _lang(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")) == "en"
    assert _lang(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr")) == "fr"


def test_switching_saves_the_language_and_the_switch_wins_on_this_browser(client):
    user = StaffFactory(language="fr")
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    user.refresh_from_db()
    assert user.language == "en"  # the emails follow
    assert _lang(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr")) == "en"
    # On a browser where the switch was used, the switch wins, even against the saved one.
    user.language = "fr"
    user.save(update_fields=["language"])
    assert _lang(client.get(reverse("home"))) == "en"


def test_a_bad_language_changes_nothing(client):
    user = StaffFactory(language="fr")
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    user.refresh_from_db()
    assert user.language == "fr"
