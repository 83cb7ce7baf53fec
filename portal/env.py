"""Reading the portal's configuration from the environment.

Each parser raises ``ConfigError`` with a one-line message that names the
variable at fault; ``portal.settings`` turns it into a clean exit.
"""

from pathlib import Path
from urllib.parse import SplitResult, urlsplit

import dj_database_url


class ConfigError(Exception):
    """A configuration variable is missing or malformed."""


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}

DATABASE_SCHEMES = {"postgres", "postgresql", "pgsql", "sqlite"}
BROKER_SCHEMES = {"redis", "rediss", "amqp", "amqps"}


def env_bool(environ, name: str, *, default: bool) -> bool:
    raw = environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be true or false (got {raw!r}).")


def env_int(environ, name: str, *, default: int, minimum: int | None = None) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number (got {raw!r}).") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum} (got {raw!r}).")
    return value


def outbox_lease_from_env(environ, *, email_timeout: int) -> int:
    """OUTBOX_LEASE_SECONDS: a batch's hold on its emails, renewed every 5 s.

    After a renewal it must leave room for one email's SMTP conversation (two
    EMAIL_TIMEOUT waits and 5 s, see ``notifications.services._Lease``): at least
    twice EMAIL_TIMEOUT and 10. The default, 60, grows with EMAIL_TIMEOUT if need be.
    """
    minimum = 2 * email_timeout + 10
    raw = environ.get("OUTBOX_LEASE_SECONDS")
    lease = env_int(environ, "OUTBOX_LEASE_SECONDS", default=max(60, minimum))
    if lease < minimum:
        raise ConfigError(
            f"OUTBOX_LEASE_SECONDS must be at least {minimum}, twice EMAIL_TIMEOUT and 10 "
            f"(got {raw!r})."
        )
    return lease


def env_list(environ, name: str, *, default: list[str]) -> list[str]:
    raw = environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_env(environ, *, base_dir: Path) -> dict:
    """DATABASE_URL (PostgreSQL or SQLite), or SQLite in the project folder."""
    raw = environ.get("DATABASE_URL", "").strip()
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(base_dir / "db.sqlite3"),
        }
    parts = _split(raw, "DATABASE_URL")
    if parts.scheme not in DATABASE_SCHEMES:
        raise ConfigError(
            "DATABASE_URL must start with postgres:// (or sqlite:///), "
            f"got {_redact(raw)!r}."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ConfigError(f"DATABASE_URL is malformed: {error}") from None
    if not config.get("NAME") or config["NAME"] == ":memory:":
        raise ConfigError(
            f"DATABASE_URL names no database, got {_redact(raw)!r} "
            "(expected postgres://USER@HOST:PORT/NAME)."
        )
    if parts.scheme != "sqlite" and not config.get("HOST"):
        raise ConfigError(f"DATABASE_URL names no host, got {_redact(raw)!r}.")
    return config


def broker_from_env(environ) -> str | None:
    """CELERY_BROKER_URL (Redis), or None: tasks then run eagerly in-process."""
    raw = environ.get("CELERY_BROKER_URL", "").strip()
    if not raw:
        return None
    parts = _split(raw, "CELERY_BROKER_URL")
    if parts.scheme not in BROKER_SCHEMES:
        raise ConfigError(
            f"CELERY_BROKER_URL must start with redis:// (or amqp://), got {_redact(raw)!r}."
        )
    if not parts.hostname:
        raise ConfigError(f"CELERY_BROKER_URL names no host, got {_redact(raw)!r}.")
    return raw


def cache_from_env(environ) -> dict:
    """CACHE_URL (Redis): the cache every process shares; else each process's own memory."""
    raw = environ.get("CACHE_URL", "").strip()
    if not raw:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    parts = _split(raw, "CACHE_URL")
    if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
        raise ConfigError(f"CACHE_URL must be a redis:// URL with a host, got {_redact(raw)!r}.")
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": raw}


def _split(url: str, name: str) -> SplitResult:
    """The URL's parts, port checked; a ConfigError naming the variable if unreadable."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ConfigError(f"{name} is not a URL, got {_redact(url)!r}.") from None
    try:
        parts.port  # noqa: B018 - reading it raises ValueError on a bad port
    except ValueError:
        raise ConfigError(f"{name} has a bad port, got {_redact(url)!r}.") from None
    return parts


def _redact(url: str) -> str:
    """The URL without its password, fit to be printed."""
    scheme, separator, rest = url.partition("://")
    if not separator or "@" not in rest:
        return url
    credentials, _, location = rest.rpartition("@")
    user, colon, _password = credentials.partition(":")
    return f"{scheme}://{user}{':***' if colon else ''}@{location}"
