"""A database that does not answer (a restart, a fail-over): a plain 503 page, not a 500.

The test's connection is pointed at a port where nothing listens for one request:
the page must come out without the database (no session, no user, no context
processor that queries).
"""

import contextlib
import logging
import socket

import pytest
from django.db import IntegrityError, connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from portal.middleware import DatabaseUnavailableMiddleware

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_away():
    """``with database_away():`` the database refuses every connection."""

    @contextlib.contextmanager
    def away():
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            nowhere = probe.getsockname()[1]
        port = connection.settings_dict["PORT"]
        connection.close()
        connection.settings_dict["PORT"] = nowhere
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["PORT"] = port

    return away


def test_database_away_signed_in_page_answers_503_in_french(
    client, company_member, database_away, caplog
):
    client.force_login(company_member)

    with database_away(), caplog.at_level(logging.WARNING, logger="portal.middleware"):
        response = client.get(reverse("home"))

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "<title>Service momentanément indisponible — Ville de Marseille</title>" in page
    assert "Le portail ne peut pas joindre sa base de données pour le moment." in page
    assert company_member.email not in page
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        ("WARNING", "Database unavailable: GET / answered 503")
    ]
    # The database is back: so is the page.
    assert client.get(reverse("home")).status_code == 200


def test_database_away_anonymous_page_answers_503_in_english(client, database_away):
    client.cookies["django_language"] = "en"

    with database_away():
        response = client.get(reverse("missions:open"))

    assert response.status_code == 503
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "<title>Service temporarily unavailable — City of Marseille</title>" in page
    assert "The portal cannot reach its database at the moment." in page


def test_database_unavailable_middleware_other_database_error_left_alone():
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())

    answer = middleware.process_exception(RequestFactory().get("/"), IntegrityError("dup"))

    assert answer is None
