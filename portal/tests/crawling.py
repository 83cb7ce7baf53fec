"""Follow a role's links from its home page, as a person clicking would.

Every ``<a href>`` of every HTML page is followed (redirects too), each address once and
at most ``per_kind`` addresses of a page kind (a URL name): enough to meet every kind
of page a role has without opening all 40 companies' seven pages. What the crawl finds:
the page kinds reached, and every link that answered an error, with the page that
carried it.
"""

import collections
import dataclasses
import html.parser
import urllib.parse

from django.urls import Resolver404, resolve

# Not pages one opens: the administration (Django's own), the files it serves, and what
# only a form posts to.
SKIPPED = ("/admin/", "/static/", "/accounts/logout/", "/i18n/")


@dataclasses.dataclass
class Crawl:
    kinds: set[str] = dataclasses.field(default_factory=set)
    # (status, address, the page that linked to it)
    broken: list[tuple[int, str, str]] = dataclasses.field(default_factory=list)
    pages: int = 0


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.hrefs.append(href)


def page_kind(path: str) -> str | None:
    try:
        return resolve(urllib.parse.urlsplit(path).path).view_name
    except Resolver404:
        return None


def crawl(client, start: str = "/", per_kind: int = 12, read=None, **headers) -> Crawl:
    """``read(address, html)``, when given, sees every HTML page reached."""
    found = Crawl()
    seen_paths = {urllib.parse.urlsplit(start).path}
    opened = collections.Counter()
    queue = collections.deque([(start, "—")])
    while queue:
        address, source = queue.popleft()
        response = client.get(address, **headers)
        found.pages += 1
        if response.status_code >= 400:
            found.broken.append((response.status_code, address, source))
            continue
        kind = page_kind(address)
        found.kinds.add(kind)
        if response.status_code in (301, 302, 303):
            links = [response["Location"]]
        elif "text/html" in response["Content-Type"]:
            page = response.content.decode()
            if read is not None:
                read(address, page)
            parser = _Links()
            parser.feed(page)
            links = parser.hrefs
        else:
            continue
        for href in links:
            target = urllib.parse.urlsplit(urllib.parse.urljoin(address, href))
            if target.scheme not in ("", "http", "https"):
                continue  # mailto:, tel:
            if target.netloc not in ("", "testserver") or target.path in seen_paths:
                continue
            if target.path.startswith(SKIPPED):
                continue
            kind = page_kind(target.path)
            if kind is None:
                found.broken.append((404, target.path, address))
                continue
            if opened[kind] >= per_kind:
                continue
            opened[kind] += 1
            seen_paths.add(target.path)
            queue.append((target.path + (f"?{target.query}" if target.query else ""), address))
    return found
