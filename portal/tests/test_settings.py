"""Reading the configuration from the environment.

Unit tests of ``portal.env``, then the real thing: ``manage.py`` started in a
subprocess with a given environment, as an operator would start it.
"""

import contextlib
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from portal.env import (
    ConfigError,
    broker_from_env,
    cache_from_env,
    database_from_env,
    env_bool,
    env_int,
    env_list,
    outbox_lease_from_env,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
BASE_DIR = Path("/srv/portal")

# What settings.py reads; each subprocess starts from none of them.
SETTINGS_VARIABLES = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "HTTPS",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "EMAIL_BACKEND",
    "AXES_FAILURE_LIMIT",
    "STATIC_ROOT",
    "EMAIL_TIMEOUT",
    "OUTBOX_LEASE_SECONDS",
    "OUTBOX_REQUEUE_SECONDS",
    "OUTBOX_DB_RETRY_MAX_SECONDS",
    "CACHE_URL",
    # Set by the root conftest for Playwright; check --deploy rightly refuses it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


# database_from_env -------------------------------------------------------------


def test_database_from_env_unset_uses_sqlite_in_base_dir():
    assert database_from_env({}, base_dir=BASE_DIR) == {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "/srv/portal/db.sqlite3",
    }


def test_database_from_env_blank_uses_sqlite_in_base_dir():
    config = database_from_env({"DATABASE_URL": "  "}, base_dir=BASE_DIR)

    assert config == {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/portal/db.sqlite3"}


def test_database_from_env_postgres_url_parsed():
    environ = {"DATABASE_URL": "postgres://portal:s3cret@db.internal:5433/missions"}

    config = database_from_env(environ, base_dir=BASE_DIR)

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "missions"
    assert config["HOST"] == "db.internal"
    assert config["PORT"] == 5433
    assert config["USER"] == "portal"
    assert config["PASSWORD"] == "s3cret"
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


def test_database_from_env_postgres_url_without_port_parsed():
    environ = {"DATABASE_URL": "postgresql://postgres@127.0.0.1/portal"}

    config = database_from_env(environ, base_dir=BASE_DIR)

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["HOST"], config["PORT"]) == ("portal", "127.0.0.1", "")


def test_database_from_env_sqlite_url_parsed():
    environ = {"DATABASE_URL": "sqlite:////srv/portal/portal.sqlite3"}

    config = database_from_env(environ, base_dir=BASE_DIR)

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/srv/portal/portal.sqlite3"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "mysql://x/y",
            "DATABASE_URL must start with postgres:// (or sqlite:///), got 'mysql://x/y'.",
        ),
        (
            "not a url",
            "DATABASE_URL must start with postgres:// (or sqlite:///), got 'not a url'.",
        ),
        (
            "postgres://",
            "DATABASE_URL names no database, got 'postgres://' "
            "(expected postgres://USER@HOST:PORT/NAME).",
        ),
        ("postgres:///portal", "DATABASE_URL names no host, got 'postgres:///portal'."),
    ],
    ids=["mysql", "not-a-url", "no-name", "no-host"],
)
def test_database_from_env_malformed_raises_config_error(url, message):
    with pytest.raises(ConfigError) as error:
        database_from_env({"DATABASE_URL": url}, base_dir=BASE_DIR)

    assert str(error.value) == message


@pytest.mark.parametrize(
    "url", ["postgres://u@h:notaport/db", "postgres://u@h:99999/db"], ids=["word", "too-big"]
)
def test_database_from_env_bad_port_raises_config_error(url):
    with pytest.raises(ConfigError) as error:
        database_from_env({"DATABASE_URL": url}, base_dir=BASE_DIR)

    assert str(error.value).startswith("DATABASE_URL ")


@pytest.mark.parametrize(
    "url",
    [
        "mysql://portal:s3cret@db.internal/missions",
        "postgres://portal:s3cret@db.internal",
        "postgres://portal:s3cret@db.internal:notaport/missions",
        "postgres://portal:s3cret@/missions",
    ],
    ids=["scheme", "no-name", "bad-port", "no-host"],
)
def test_database_from_env_malformed_password_redacted(url):
    with pytest.raises(ConfigError) as error:
        database_from_env({"DATABASE_URL": url}, base_dir=BASE_DIR)

    assert str(error.value).startswith("DATABASE_URL ")
    assert "s3cret" not in str(error.value)


def test_database_from_env_scheme_message_shows_redacted_url():
    with pytest.raises(ConfigError) as error:
        database_from_env(
            {"DATABASE_URL": "mysql://portal:s3cret@db.internal/missions"}, base_dir=BASE_DIR
        )

    assert str(error.value) == (
        "DATABASE_URL must start with postgres:// (or sqlite:///), "
        "got 'mysql://portal:***@db.internal/missions'."
    )


def test_database_from_env_invalid_ipv6_host_raises_config_error():
    with pytest.raises(ConfigError) as error:
        database_from_env({"DATABASE_URL": "postgres://u:s3cret@[db/portal"}, base_dir=BASE_DIR)

    assert "s3cret" not in str(error.value)


# broker_from_env ---------------------------------------------------------------


def test_broker_from_env_unset_none():
    assert broker_from_env({}) is None


def test_broker_from_env_blank_none():
    assert broker_from_env({"CELERY_BROKER_URL": " "}) is None


@pytest.mark.parametrize(
    "url",
    ["redis://127.0.0.1:6379/0", "rediss://:s3cret@cache.internal:6380/2", "amqp://mq.internal//"],
)
def test_broker_from_env_url_returned_as_is(url):
    assert broker_from_env({"CELERY_BROKER_URL": url}) == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://nowhere",
            "CELERY_BROKER_URL must start with redis:// (or amqp://), got 'http://nowhere'.",
        ),
        ("http://x", "CELERY_BROKER_URL must start with redis:// (or amqp://), got 'http://x'."),
        ("redis://", "CELERY_BROKER_URL names no host, got 'redis://'."),
        (
            "redis://127.0.0.1:notaport/0",
            "CELERY_BROKER_URL has a bad port, got 'redis://127.0.0.1:notaport/0'.",
        ),
        (
            "redis://127.0.0.1:99999/0",
            "CELERY_BROKER_URL has a bad port, got 'redis://127.0.0.1:99999/0'.",
        ),
    ],
    ids=["http-nowhere", "http-x", "no-host", "word-port", "port-too-big"],
)
def test_broker_from_env_malformed_raises_config_error(url, message):
    with pytest.raises(ConfigError) as error:
        broker_from_env({"CELERY_BROKER_URL": url})

    assert str(error.value) == message


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://worker:s3cret@cache.internal/0",
            "CELERY_BROKER_URL must start with redis:// (or amqp://), "
            "got 'http://worker:***@cache.internal/0'.",
        ),
        (
            "redis://worker:s3cret@cache.internal:notaport/0",
            "CELERY_BROKER_URL has a bad port, "
            "got 'redis://worker:***@cache.internal:notaport/0'.",
        ),
        (
            "redis://:s3cret@:6379/0",
            "CELERY_BROKER_URL names no host, got 'redis://:***@:6379/0'.",
        ),
    ],
    ids=["scheme", "bad-port", "no-host"],
)
def test_broker_from_env_malformed_password_redacted(url, message):
    with pytest.raises(ConfigError) as error:
        broker_from_env({"CELERY_BROKER_URL": url})

    assert str(error.value) == message


def test_broker_from_env_invalid_ipv6_host_password_redacted():
    with pytest.raises(ConfigError) as error:
        broker_from_env({"CELERY_BROKER_URL": "redis://worker:s3cret@[cache/0"})

    assert "s3cret" not in str(error.value)


# env_bool, env_int, env_list ---------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", " yes ", "on"])
def test_env_bool_true_words_true(raw):
    assert env_bool({"DEBUG": raw}, "DEBUG", default=False) is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "no", "off", ""])
def test_env_bool_false_words_false(raw):
    assert env_bool({"DEBUG": raw}, "DEBUG", default=True) is False


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_unset_default(default):
    assert env_bool({}, "DEBUG", default=default) is default


@pytest.mark.parametrize("raw", ["maybe", "2", "oui"])
def test_env_bool_other_word_raises_config_error(raw):
    with pytest.raises(ConfigError) as error:
        env_bool({"HTTPS": raw}, "HTTPS", default=False)

    assert str(error.value) == f"HTTPS must be true or false (got {raw!r})."


@pytest.mark.parametrize(("raw", "value"), [("587", 587), (" 25 ", 25), ("-1", -1), ("0", 0)])
def test_env_int_whole_number_parsed(raw, value):
    assert env_int({"EMAIL_PORT": raw}, "EMAIL_PORT", default=25) == value


@pytest.mark.parametrize("environ", [{}, {"EMAIL_PORT": ""}, {"EMAIL_PORT": "  "}])
def test_env_int_unset_or_blank_default(environ):
    assert env_int(environ, "EMAIL_PORT", default=25) == 25


@pytest.mark.parametrize("raw", ["five", "2.5", "25x"])
def test_env_int_not_whole_number_raises_config_error(raw):
    with pytest.raises(ConfigError) as error:
        env_int({"EMAIL_PORT": raw}, "EMAIL_PORT", default=25)

    assert str(error.value) == f"EMAIL_PORT must be a whole number (got {raw!r})."


@pytest.mark.parametrize("raw", ["1", "120"])
def test_env_int_at_least_minimum_parsed(raw):
    assert env_int(
        {"OUTBOX_REQUEUE_SECONDS": raw}, "OUTBOX_REQUEUE_SECONDS", default=120, minimum=1
    ) == int(raw)


@pytest.mark.parametrize("raw", ["0", "-5"])
def test_env_int_below_minimum_raises_config_error(raw):
    with pytest.raises(ConfigError) as error:
        env_int({"OUTBOX_REQUEUE_SECONDS": raw}, "OUTBOX_REQUEUE_SECONDS", default=120, minimum=1)

    assert str(error.value) == f"OUTBOX_REQUEUE_SECONDS must be at least 1 (got {raw!r})."


@pytest.mark.parametrize(
    ("environ", "email_timeout", "lease"),
    [
        ({}, 20, 60),
        ({}, 30, 70),
        ({"OUTBOX_LEASE_SECONDS": "50"}, 20, 50),
        ({"OUTBOX_LEASE_SECONDS": " 300 "}, 20, 300),
    ],
    ids=["default", "default-longer-timeout", "shortest", "long"],
)
def test_outbox_lease_from_env_parsed(environ, email_timeout, lease):
    assert outbox_lease_from_env(environ, email_timeout=email_timeout) == lease


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("49", "OUTBOX_LEASE_SECONDS must be at least 50, twice EMAIL_TIMEOUT and 10 (got '49')."),
        ("sixty", "OUTBOX_LEASE_SECONDS must be a whole number (got 'sixty')."),
    ],
    ids=["too-short", "word"],
)
def test_outbox_lease_from_env_malformed_raises_config_error(raw, message):
    with pytest.raises(ConfigError) as error:
        outbox_lease_from_env({"OUTBOX_LEASE_SECONDS": raw}, email_timeout=20)

    assert str(error.value) == message


def test_env_list_comma_separated_stripped():
    environ = {"ALLOWED_HOSTS": " missions.marseille.fr, ,www.missions.marseille.fr ,"}

    hosts = env_list(environ, "ALLOWED_HOSTS", default=["localhost"])

    assert hosts == ["missions.marseille.fr", "www.missions.marseille.fr"]


def test_env_list_unset_default():
    assert env_list({}, "ALLOWED_HOSTS", default=["127.0.0.1", "localhost"]) == [
        "127.0.0.1",
        "localhost",
    ]


def test_env_list_empty_empty():
    assert env_list({"CSRF_TRUSTED_ORIGINS": ""}, "CSRF_TRUSTED_ORIGINS", default=["x"]) == []


# Starting the project with a given environment -------------------------------------


def _environ(**variables):
    """os.environ without any portal setting, plus the given ones."""
    environ = {name: value for name, value in os.environ.items() if name not in SETTINGS_VARIABLES}
    environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    environ.update(variables)
    return environ


def _run(args, **variables):
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=_environ(**variables),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://x/y"),
        ("DATABASE_URL", "postgres://"),
        ("DATABASE_URL", "postgres://u@h:notaport/db"),
        ("CELERY_BROKER_URL", "http://nowhere"),
        ("CELERY_BROKER_URL", "redis://"),
        ("DEBUG", "maybe"),
        ("EMAIL_PORT", "smtp"),
        ("EMAIL_TIMEOUT", "0"),
        ("OUTBOX_LEASE_SECONDS", "sixty"),
        ("OUTBOX_LEASE_SECONDS", "30"),
        ("OUTBOX_REQUEUE_SECONDS", "2m"),
        ("OUTBOX_REQUEUE_SECONDS", "0"),
        ("OUTBOX_DB_RETRY_MAX_SECONDS", "1.5"),
    ],
)
def test_manage_check_malformed_variable_exits_with_one_line(variable, value):
    result = _run(["manage.py", "check"], **{variable: value})

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Configuration error: {variable} ")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_manage_check_malformed_database_url_password_not_printed():
    result = _run(["manage.py", "check"], DATABASE_URL="mysql://portal:hunter2@db/missions")

    assert result.returncode == 1
    assert result.stderr == (
        "Configuration error: DATABASE_URL must start with postgres:// (or sqlite:///), "
        "got 'mysql://portal:***@db/missions'.\n"
    )


def test_manage_check_malformed_axes_failure_limit_exits_with_one_line():
    result = _run(["manage.py", "check"], AXES_FAILURE_LIMIT="five")

    assert result.returncode == 1
    assert result.stderr.startswith("Configuration error: AXES_FAILURE_LIMIT ")
    assert "Traceback" not in result.stderr


OUTBOX_PROBE = (
    "import django; django.setup(); "
    "from django.conf import settings; from notifications.tasks import send_emails; "
    "print(settings.EMAIL_TIMEOUT, settings.OUTBOX_LEASE_SECONDS, "
    "settings.OUTBOX_REQUEUE_SECONDS, settings.OUTBOX_DB_RETRY_MAX_SECONDS, "
    "send_emails.retry_backoff_max)"
)


def test_outbox_delays_unset_defaults():
    result = _run(["-c", OUTBOX_PROBE])

    assert result.returncode == 0, result.stderr
    assert result.stdout == "20 60 120 16 16\n"


def test_outbox_delays_read_from_the_environment():
    result = _run(
        ["-c", OUTBOX_PROBE],
        EMAIL_TIMEOUT="30",
        OUTBOX_LEASE_SECONDS="90",
        OUTBOX_REQUEUE_SECONDS="45",
        OUTBOX_DB_RETRY_MAX_SECONDS="8",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == "30 90 45 8 8\n"


def test_manage_check_embedded_defaults_pass():
    result = _run(["manage.py", "check"])

    assert result.returncode == 0, result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_manage_check_real_stack_urls_pass():
    result = _run(
        ["manage.py", "check"],
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal_settings_check",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"


CELERY_PROBE = (
    "import django; django.setup(); "
    "from django.conf import settings; from portal.celery import app; "
    "print(settings.CELERY_TASK_ALWAYS_EAGER, app.conf.task_always_eager, app.conf.broker_url)"
)


def test_celery_without_broker_runs_tasks_eagerly():
    result = _run(["-c", CELERY_PROBE])

    assert result.returncode == 0, result.stderr
    assert result.stdout == "True True memory://\n"


def test_celery_with_broker_queues_tasks():
    result = _run(["-c", CELERY_PROBE], CELERY_BROKER_URL="redis://127.0.0.1:6379/0")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "False False redis://127.0.0.1:6379/0\n"


# Serving static files, before and after collectstatic ----------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SERVERS = {
    "runserver": lambda port: ["manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
    "gunicorn": lambda port: ["-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}"],
}


class Server:
    """A portal started in a subprocess as an operator starts it; what it logged once
    stopped."""

    def __init__(self, url: str):
        self.url = url
        self.log = ""

    def get(self, path: str):
        """(status, headers, body) of a GET, whatever the status."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:  # noqa: S310
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()


@contextlib.contextmanager
def _serving(server: str, **variables):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, *SERVERS[server](port)],
        cwd=PROJECT_ROOT,
        env=_environ(**variables),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    running = Server(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{server} did not start:\n{process.communicate()[0]}")
            time.sleep(0.2)
        yield running
    finally:
        process.terminate()
        running.log = process.communicate(timeout=30)[0]


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """A STATIC_ROOT after `collectstatic`, as the Procfile's release step leaves it."""
    root = tmp_path_factory.mktemp("collected")
    result = _run(["manage.py", "collectstatic", "--noinput"], STATIC_ROOT=str(root))
    assert result.returncode == 0, result.stderr
    assert (root / "staticfiles.json").exists()
    return root


@pytest.mark.parametrize("server", SERVERS)
def test_start_without_collectstatic_serves_pages_and_static_files(server, tmp_path):
    # A fresh clone: DEBUG unset (false), nothing collected.
    environ = {
        "STATIC_ROOT": str(tmp_path / "staticfiles"),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }

    with _serving(server, **environ) as portal:
        status, _headers, body = portal.get("/accounts/login/")
        css = portal.get("/static/css/portal.css")

    assert status == 200, portal.log
    assert '<link rel="stylesheet" href="/static/css/portal.css">' in body
    assert css[0] == 200
    assert css[1]["Content-Type"].startswith("text/css")
    assert css[2] == (PROJECT_ROOT / "static" / "css" / "portal.css").read_text()
    assert portal.log.count("run python manage.py collectstatic") == 1


def test_start_after_collectstatic_serves_hashed_static_files(collected_static, tmp_path):
    environ = {
        "STATIC_ROOT": str(collected_static),
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }

    with _serving("gunicorn", **environ) as portal:
        status, _headers, body = portal.get("/accounts/login/")
        hashed = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', body)
        css = portal.get(hashed.group(1)) if hashed else (None, {}, "")

    assert status == 200, portal.log
    assert hashed is not None, body
    assert css[0] == 200
    assert "immutable" in css[1]["Cache-Control"]
    assert "collectstatic" not in portal.log


DEPLOY_CHECK = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "missions.marseille.fr",
    "HTTPS": "true",
}


def test_manage_check_deploy_production_settings_pass(collected_static):
    result = _run(
        DEPLOY_CHECK,
        SECRET_KEY=secrets.token_urlsafe(45)[:60],
        STATIC_ROOT=str(collected_static),
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_manage_check_deploy_development_key_fails():
    result = _run(DEPLOY_CHECK, **PRODUCTION)

    assert result.returncode == 1
    assert "security.W009" in result.stderr
    assert "Traceback" not in result.stderr


def test_manage_check_deploy_without_https_fails():
    result = _run(
        DEPLOY_CHECK, SECRET_KEY=secrets.token_urlsafe(45)[:60], **{**PRODUCTION, "HTTPS": "false"}
    )

    assert result.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_manage_check_deploy_debug_fails():
    result = _run(
        DEPLOY_CHECK, SECRET_KEY=secrets.token_urlsafe(45)[:60], **{**PRODUCTION, "DEBUG": "true"}
    )

    assert result.returncode == 1
    assert "security.W018" in result.stderr


def test_manage_check_deploy_without_collectstatic_warns(tmp_path):
    result = _run(
        DEPLOY_CHECK,
        SECRET_KEY=secrets.token_urlsafe(45)[:60],
        STATIC_ROOT=str(tmp_path),
        **PRODUCTION,
    )

    assert result.returncode == 1
    assert (
        f"?: (portal.W001) The static files are not collected: no manifest at "
        f"{tmp_path}/staticfiles.json.\n"
        "\tHINT: Run python manage.py collectstatic (the Procfile's release step does); until "
        "then the files are served unhashed and uncompressed.\n"
    ) in result.stderr
    assert "System check identified 1 issue (0 silenced)." in result.stderr


def test_manage_check_without_collectstatic_pass(tmp_path):
    # Only --deploy says it: `check`, migrate and runserver go on.
    result = _run(["manage.py", "check"], STATIC_ROOT=str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_cache_from_env_unset_is_each_process_memory():
    assert cache_from_env({}) == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


def test_cache_from_env_redis_shared():
    assert cache_from_env({"CACHE_URL": "redis://127.0.0.1:6379/4"}) == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/4",
    }


SESSION_PROBE = "import django; django.setup(); from django.conf import settings; "
SESSION_PROBE += "print(settings.SESSION_ENGINE.rsplit('.', 1)[1])"


@pytest.mark.parametrize(
    ("cache_url", "engine"), [("", "db"), ("  ", "db"), ("redis://127.0.0.1:6379/4", "cached_db")]
)
def test_sessions_read_from_the_cache_only_when_every_process_shares_it(cache_url, engine):
    result = _run(["-c", SESSION_PROBE], CACHE_URL=cache_url)

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{engine}\n"


@pytest.mark.parametrize("url", ["memcached://cache:11211", "redis://", "redis://:x@h:bad/0"])
def test_cache_from_env_not_redis_raises_config_error_naming_it(url):
    with pytest.raises(ConfigError, match="CACHE_URL"):
        cache_from_env({"CACHE_URL": url})
