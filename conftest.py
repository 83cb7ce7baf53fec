import pytest

# The `browser` and `page` fixtures of browser journeys, for the tests of every app.
pytest_plugins = ["portal.tests.browser"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing is Django's to get right; tests need it fast, not slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff_user(db):
    from accounts.tests.factories import StaffFactory

    return StaffFactory(first_name="Sophie", last_name="Martin")


@pytest.fixture
def official_user(db):
    from accounts.tests.factories import OfficialFactory

    return OfficialFactory(first_name="Didier", last_name="Parakian")


@pytest.fixture
def company_member(db):
    from companies.tests.factories import CompanyMemberFactory

    return CompanyMemberFactory(membership__company__name="Transpare")


@pytest.fixture
def other_company_member(db):
    from companies.tests.factories import CompanyMemberFactory

    return CompanyMemberFactory(membership__company__name="Protecto")


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Production hashes static names after collectstatic; tests never run it."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
