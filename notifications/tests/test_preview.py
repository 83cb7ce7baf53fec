"""The email's own inline styles, allowed by hash on the pages that preview it."""

import base64
import hashlib

from notifications.preview import email_style_sources


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_email_style_sources_each_distinct_style_attribute_hashed_once():
    html = (
        '<body style="margin:0;"><p style="color:#00468c;">Bonjour</p>'
        '<p style="color:#00468c;">Hello</p><a href="/" style="font-family:&quot;A&quot;">x</a>'
        "</body>"
    )

    sources = email_style_sources(html)

    # Attribute values as the browser reads them: character references decoded.
    assert sources == [
        "'unsafe-hashes'",
        *sorted([_hash("margin:0;"), _hash("color:#00468c;"), _hash('font-family:"A"')]),
    ]


def test_email_style_sources_style_element_text_hashed():
    html = "<head><style>\r\np { color: #212529; }\r\n</style></head><body><p>x</p></body>"

    # The browser reads line ends as \n, whatever the template was saved with.
    assert email_style_sources(html) == ["'unsafe-hashes'", _hash("\np { color: #212529; }\n")]


def test_email_style_sources_without_inline_style_empty():
    assert email_style_sources("<body><p class='x'>Bonjour</p></body>") == []


def test_email_style_sources_empty_html_empty():
    assert email_style_sources("") == []
