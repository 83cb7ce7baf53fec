"""A NUL character in any parameter: a 400 page in the reader's language, nothing saved."""

import pytest
from django.urls import reverse

from missions.models import Mission

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_query_string_is_a_400_not_a_server_error(client, staff_user):
    """It was a 500: the call's page looked the mission up by this slug in PostgreSQL."""
    client.force_login(staff_user)

    response = client.get(reverse("campaigns:campaign_new"), {"mission": "canada\x00"})

    assert response.status_code == 400
    assert "Requête incomprise" in response.content.decode()


def test_a_nul_in_a_posted_field_is_a_400_and_saves_nothing(client, staff_user):
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("missions:create"),
        {"title": "Maroc\x002027", "country": "MA", "cities": "Rabat", "capacity": "5"},
    )

    assert response.status_code == 400
    assert "Request not understood" in response.content.decode()
    assert "Nothing was saved." in response.content.decode()
    assert Mission.objects.count() == 0


def test_a_nul_in_a_field_name_is_a_400(client):
    response = client.post(reverse("login"), {"user\x00name": "a@b.example", "password": "x"})

    assert response.status_code == 400


def test_a_nul_inside_an_uploaded_file_is_left_to_its_reader(client, staff_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff_user)
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("companies:import"),
        {"file": SimpleUploadedFile("list.csv", b"company_name\r\nA\x00B\r\n", "text/csv")},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "This file is not a CSV text file: save it from your spreadsheet as “CSV UTF-8 "
        "(comma delimited)” and try again."
    ]


def test_an_unknown_page_is_the_portal_s_404_in_the_reader_s_language(client):
    response = client.get("/nowhere/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    french = client.get("/nowhere/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Page introuvable" in french
