"""Pages kept for as long as nothing they show can have changed.

A page of the portal is a function of the code and its settings, the data in PostgreSQL,
the request (who asks, in which language, for which address, with which cookies and
session) and the time. Each of these is in the key a page is kept under:

- the data as a PostgreSQL snapshot (``pg_current_snapshot()``, read with the request's
  user by ``portal.backends``, before the view reads anything). A snapshot is the list of
  transactions whose writes a reader sees: two equal snapshots see the same data, and any
  write committed since, by any process (a page, Celery, the admin, SQL by hand), makes
  another. So a kept page is never older than the data of the moment it is asked for;
  nothing has to be told when the data changes, and no write can forget to say so;
- the code, its settings and its environment as a fingerprint made at start-up (and
  made again when a test changes a setting);
- the user, the language, the whole address with its query, every cookie (the session's,
  the CSRF token's) and the session's content as it was read;
- the minute: a page that compares a date with now (a deadline, "today") is at most a
  minute late, as it would be on a screen left open.

A page is kept only when it could not have been different for another request with the
same key: an answer 200 of a GET by a logged-in user, not streamed, that sets no cookie,
leaves the session and the database as they were (a view that writes is run every time)
and shows no one-off message; what it adds to the security policy (an email preview's
styles) is kept with it. Only on PostgreSQL, outside any transaction (a test's
transaction hides its own writes from the snapshot). A browser that reloads without its
cache (``Cache-Control: no-cache``) gets the page made anew.

Kept pages live in the default cache (Redis when ``CACHE_URL`` names it) for
``KEEP_SECONDS`` at most; a write leaves the old ones unused until then.
"""

import hashlib
import importlib.metadata
import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError, connection
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone

KEEP_SECONDS = 600
# A page larger than this is made each time rather than copied through the cache.
LARGEST_KEPT = 2 * 1024 * 1024
KEPT_TYPES = ("text/html", "text/csv", "text/calendar", "application/pdf")
# The statements that only read: anything else run by a view (a write, a lock taken to
# write) means its page is not kept.
READING = ("SELECT", "EXECUTE")
# The attributes of a response through which a view changes django-csp's policy.
CSP = "_csp"
# The request headers after which the view itself must answer.
ASKS_THE_VIEW = ("If-None-Match", "If-Modified-Since", "Range")

_fingerprint: str | None = None


def code_fingerprint() -> str:
    """The portal's files, the installed packages, the interpreter and the environment:
    a deployment or a configuration change is a new fingerprint."""
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.sha256()
        base = Path(settings.BASE_DIR)
        for root, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
            for name in sorted(files):
                if name.endswith((".py", ".html", ".txt", ".mo", ".css", ".js", ".json")):
                    stat = (Path(root) / name).stat()
                    digest.update(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
        packages = sorted(
            f"{dist.metadata['Name']}=={dist.version}"
            for dist in importlib.metadata.distributions()
        )
        digest.update("\n".join([sys.version, *packages]).encode())
        digest.update(repr(sorted(os.environ.items())).encode())
        _fingerprint = digest.hexdigest()[:16]
    return _fingerprint


@receiver(setting_changed)
def _settings_changed(**kwargs):
    global _fingerprint
    _fingerprint = None


class PageCacheMiddleware:
    """See the module. After the session, the user, the language and the messages."""

    def __init__(self, get_response):
        self.get_response = get_response
        code_fingerprint()  # at start-up, not in the first page's time

    def __call__(self, request):
        key = self.key_of(request)
        if key is None:
            return self.get_response(request)
        if "no-cache" not in request.headers.get("Cache-Control", "") + request.headers.get(
            "Pragma", ""
        ):
            kept = cache.get(key)
            if kept is not None:
                return self.response_of(request, kept)
        csrf_secret = request.META.get("CSRF_COOKIE")
        statements = []
        with connection.execute_wrapper(_noting(statements)):
            response = self.get_response(request)
        if self.keepable(request, response, statements, csrf_secret):
            cache.set(key, self.kept_of(request, response), KEEP_SECONDS)
        return response

    @staticmethod
    def key_of(request) -> str | None:
        """The page's key, or None when it is not to be kept or looked for."""
        if (
            request.method != "GET"
            or connection.vendor != "postgresql"
            or connection.in_atomic_block
            or any(header in request.headers for header in ASKS_THE_VIEW)
        ):
            return None
        try:
            # The user, read (with the snapshot) on first use.
            user = request.user
            snapshot = getattr(user, "data_snapshot", None)
            messages = getattr(request, "_messages", None)
            if not user.is_authenticated or snapshot is None or (messages and len(messages)):
                return None
        except (OperationalError, InterfaceError):
            # The database is away: the view meets it too and answers as it does then.
            return None
        session = request.session
        parts = [
            code_fingerprint(),
            connection.settings_dict["HOST"] or "",
            str(connection.settings_dict["PORT"] or ""),
            connection.settings_dict["NAME"],
            snapshot,
            timezone.now().strftime("%Y%m%d%H%M"),
            str(user.pk),
            request.LANGUAGE_CODE,
            request.build_absolute_uri(),
            request.headers.get("Cookie", ""),
            repr(sorted(session.items(), key=lambda item: item[0])),
        ]
        return "page:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()

    @staticmethod
    def keepable(request, response, statements, csrf_secret) -> bool:
        """``csrf_secret``: the CSRF cookie's before the view (a page that made one, for a
        browser without it, is not kept: its form's token is of a secret the key lacks)."""
        content_type = response.get("Content-Type", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and content_type.startswith(KEPT_TYPES)
            and len(response.content) <= LARGEST_KEPT
            and not request.session.modified
            and request.META.get("CSRF_COOKIE") == csrf_secret
            and all(_reads(sql) for sql in statements)
        )

    @staticmethod
    def kept_of(request, response) -> tuple:
        # Whether the page asked for the CSRF token, which sends its cookie again (a new
        # expiry): so does the kept page.
        csrf_used = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
        # What the page adds to the security policy (an email's own styles, by hash), read
        # by django-csp's middleware on the way out.
        policy = {name: value for name, value in vars(response).items() if name.startswith(CSP)}
        return (response.content, list(response.headers.items()), csrf_used, policy)

    @staticmethod
    def response_of(request, kept) -> HttpResponse:
        content, headers, csrf_used, policy = kept
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        for name, value in policy.items():
            setattr(response, name, value)
        if csrf_used and "CSRF_COOKIE" in request.META:
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
        return response


def _reads(sql: str) -> bool:
    # A union's parts are in brackets.
    return sql.lstrip("( \t\n").upper().startswith(READING)


def _noting(statements: list):
    def wrapper(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    return wrapper
