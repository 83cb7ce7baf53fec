"""The accounts' own pages beside Django's."""

from django.conf import settings
from django.views.i18n import set_language as django_set_language


def set_language(request):
    """Django's language switcher; a logged-in user's choice is also saved as their
    language, the one their emails are written in and their pages open in."""
    response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and user.language != language
    ):
        user.language = language
        user.save(update_fields=["language"])
    return response
