"""PDFs made once per distinct HTML, never older than it (core.pdf)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from core import pdf

HTML = "<html><body><h1>Agenda</h1><p>{}</p></body></html>"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def renders(monkeypatch):
    """The HTML WeasyPrint is asked to lay out, in order (it still does the work)."""
    made = []
    weasyprint = pdf._weasyprint()

    class Counting:
        __version__ = weasyprint.__version__

        @staticmethod
        def HTML(*, string, base_url):
            made.append(string)
            return weasyprint.HTML(string=string, base_url=base_url)

    monkeypatch.setattr(pdf, "_weasyprint", lambda: Counting)
    return made


def _get(html, **headers):
    request = RequestFactory().get("/agenda.pdf", headers=headers)
    return pdf.pdf_response(request, html, filename="agenda.pdf", unavailable="No PDF.")


def test_same_html_is_laid_out_once_and_served_the_same(renders):
    first = _get(HTML.format("10:00 Hydro-Québec"))
    second = _get(HTML.format("10:00 Hydro-Québec"))

    assert renders == [HTML.format("10:00 Hydro-Québec")]
    assert first.content.startswith(b"%PDF")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert first["Content-Disposition"] == 'attachment; filename="agenda.pdf"'
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]


def test_changed_html_makes_a_new_pdf_at_once(renders):
    before = _get(HTML.format("10:00 Hydro-Québec"))
    after = _get(HTML.format("11:30 Hydro-Québec"))

    assert len(renders) == 2
    assert after["ETag"] != before["ETag"]
    assert after.content != before.content


def test_etag_of_the_same_html_answers_not_modified(renders):
    etag = _get(HTML.format("A"))["ETag"]

    again = _get(HTML.format("A"), if_none_match=etag)
    changed = _get(HTML.format("B"), if_none_match=etag)

    assert again.status_code == 304
    assert again.content == b""
    assert changed.status_code == 200
    assert changed.content.startswith(b"%PDF")


def test_without_pango_answers_503_in_plain_text(monkeypatch):
    def missing():
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf, "_weasyprint", missing)

    response = _get(HTML.format("A"))

    assert response.status_code == 503
    assert response.content == b"No PDF."
    assert response["Content-Type"] == "text/plain; charset=utf-8"
