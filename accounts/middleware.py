"""The language a logged-in person reads the portal in."""

from django.conf import settings
from django.db import DatabaseError
from django.utils import translation


class SavedLanguageMiddleware:
    """A logged-in user's saved language (``User.language``, the one their emails are
    written in) wins over what their browser asks for (``Accept-Language``); a choice made
    with the language switcher on this browser (the language cookie, which the switcher
    also saves to the user) wins over both. After the authentication and Django's
    ``LocaleMiddleware``, whose choice it replaces."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            user = request.user
            user.is_authenticated  # noqa: B018 - reads the user, from the database
        except DatabaseError:
            # The database away: the view's middleware below answers 503, in the
            # browser's language.
            return self.get_response(request)
        if (
            user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.language in dict(settings.LANGUAGES)
            and user.language != request.LANGUAGE_CODE
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
