"""An email's HTML shown in a page of the portal, under the portal's policy.

Emails carry their styles inline (mail clients drop style sheets), and the preview's
sandboxed iframe (``srcdoc``) inherits the Content-Security-Policy of the page around
it, whose style-src refuses inline styles. The page allows exactly the email's own: the
hash of each of its style attributes and ``<style>`` elements, with 'unsafe-hashes' (the
keyword that lets hashes match attributes). No other inline style, and no script at all.
"""

import base64
import hashlib
from html.parser import HTMLParser

from csp.constants import UNSAFE_HASHES


class _InlineStyles(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.styles: set[str] = set()
        self._element: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.styles.update(value for name, value in attrs if name == "style" and value is not None)
        if tag == "style":
            self._element = []

    def handle_data(self, data):
        if self._element is not None:
            self._element.append(data)

    def handle_endtag(self, tag):
        if tag == "style" and self._element is not None:
            self.styles.add("".join(self._element))
            self._element = None


def _source(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def email_style_sources(html: str) -> list[str]:
    """The style-src sources that allow the inline styles of ``html``, and only them;
    none when it has none."""
    parser = _InlineStyles()
    # As the browser's parser does before anything else.
    parser.feed(html.replace("\r\n", "\n").replace("\r", "\n"))
    parser.close()
    if not parser.styles:
        return []
    return [UNSAFE_HASHES, *sorted(_source(style) for style in parser.styles)]


def allow_email_styles(response, html: str):
    """Let the page ``response`` show the email ``html`` with its own styles."""
    sources = email_style_sources(html)
    if sources:
        # What csp.decorators.csp_update does, for sources known once the page is built.
        response._csp_update = {"style-src": sources}
    return response
