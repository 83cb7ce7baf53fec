"""PDFs from HTML (WeasyPrint), each made once per distinct HTML.

A PDF is a function of the HTML it is made from (the print templates carry their styles
and fetch nothing): the HTML's digest names it. Each request still renders the HTML from
the data of the moment, which is cheap; only a digest never seen before pays for WeasyPrint
(tens to hundreds of milliseconds). So a PDF is never older than its data, and nothing has
to be told when the data changes. The digest is the response's ETag: a browser asking
again with it gets 304 Not Modified.

The PDFs are kept in the default cache (Redis when CACHE_URL names it, see the README).
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

# A week: a PDF not asked for in that time is made again on the next request.
KEEP_SECONDS = 7 * 24 * 3600


def _weasyprint():
    # Imported on first use: WeasyPrint parses its stylesheets on import, and Pango, which
    # it needs, may be missing on a machine (see the README).
    import weasyprint

    return weasyprint


def pdf_response(request, html: str, *, filename: str, unavailable: str) -> HttpResponse:
    """The PDF of ``html`` as a download named ``filename``; ``unavailable`` is the
    plain-text answer (503) when WeasyPrint cannot run on this machine."""
    try:
        weasyprint = _weasyprint()
    except (ImportError, OSError):
        logger.error("WeasyPrint cannot load Pango: PDFs are unavailable.")
        return HttpResponse(unavailable, status=503, content_type="text/plain; charset=utf-8")
    digest = hashlib.sha256(f"{weasyprint.__version__}\n{html}".encode()).hexdigest()
    etag = f'"{digest[:32]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        key = f"pdf:{digest}"
        pdf = cache.get(key)
        if pdf is None:
            # A local folder as base URL: nothing is ever fetched from the network.
            base_url = str(settings.BASE_DIR / "static")
            pdf = weasyprint.HTML(string=html, base_url=base_url).write_pdf()
            cache.set(key, pdf, KEEP_SECONDS)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    # Each person's own document: no shared cache keeps it; browsers ask again each time.
    patch_cache_control(response, private=True, no_cache=True)
    return response
