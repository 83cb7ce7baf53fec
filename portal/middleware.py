"""What every answer needs, whichever app it comes from."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A view that meets the database away (a restart, a fail-over) answers a plain
    503 page, "try again in a moment", instead of a server error.

    The page is rendered without the database: no request context (so no context
    processor, no session, no user), only the language the request asked for.
    Other database errors are bugs and stay server errors.
    """

    RETRY_AFTER_SECONDS = 10

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning(
            "Database unavailable: %s %s answered 503",
            request.method,
            request.path,
            exc_info=exception,
        )
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        # Told above, with its cause: django.request need not log it a second time.
        response._has_been_logged = True
        return response
