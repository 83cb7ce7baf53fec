import os

import pytest
from hypothesis import HealthCheck, settings

# The `browser` and `page` fixtures of browser journeys, for the tests of every app.
pytest_plugins = ["portal.tests.browser"]

# Tests that explore inputs (Hypothesis). "ci", the default, keeps the whole suite within
# its time; HYPOTHESIS_PROFILE=long explores more (see README, "Security").
settings.register_profile(
    "ci",
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "100")),
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "2000")),
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


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


# Handing over without a broker ----------------------------------------------------


@pytest.fixture
def handed_over():
    """Service tests: what the outbox hands to the broker, recorded instead of published.

    A list of the batches of ids, in order. ``handed_over.broker_down = True`` makes
    the publication fail as a refused connection would.
    """
    from kombu.exceptions import OperationalError

    from campaigns.tasks import write_campaign
    from notifications.tasks import send_emails

    class Recorder(list):
        broker_down = False
        campaigns: list

    batches = Recorder()
    batches.campaigns = []
    tasks = [send_emails._get_current_object(), write_campaign._get_current_object()]

    def publisher(into):
        def apply_async(args=None, kwargs=None, **options):
            if batches.broker_down:
                raise OperationalError("Error 111 connecting to 127.0.0.1. Connection refused.")
            into.append(args[0])

        return apply_async

    tasks[0].apply_async = publisher(batches)
    tasks[1].apply_async = publisher(batches.campaigns)
    try:
        yield batches
    finally:
        for task in tasks:
            del task.apply_async
