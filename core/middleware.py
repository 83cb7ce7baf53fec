"""Middleware the whole portal relies on."""

from django.core.exceptions import BadRequest


class RefuseNulCharactersMiddleware:
    """A request whose parameters hold a NUL character answers 400, before any view.

    PostgreSQL holds no NUL in text: such a value in a query, a form field read by hand
    or a lookup would end in a server error, wherever the view forgot to check. No
    browser sends one from a form (the HTML parser replaces it), so refusing the whole
    request costs nobody anything. Uploaded files are not looked at: their readers
    decide (``core.csv_files``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request.GET) or (request.method == "POST" and _holds_nul(request.POST)):
            raise BadRequest("A parameter holds a NUL character.")
        return self.get_response(request)


def _holds_nul(params) -> bool:
    for key in params:
        if "\x00" in key or any("\x00" in value for value in params.getlist(key)):
            return True
    return False
