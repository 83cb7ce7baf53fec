"""Every page of every role, timed against the minimal page, at ten times the demo data.

Run with `make bench`. On its own PostgreSQL database (`portal_bench_pages`, made anew):
migrate, `seed_demo`, then ten times the data (bench/grow.py). Serves the portal as in
production: gunicorn with 3 sync workers, DEBUG off, static files collected.

1. Crawl. Logs in as each role (staff, elected official, company member) and follows every
   link of the portal from the role's home page, breadth first (up to 40 pages of a kind).
   Each URL is a page kind by the view it resolves to; the three largest pages found of
   each kind (the most rows) are its samples.
2. Server time. Each sample is requested again and again, each time right after the minimal
   page (the login page: no query), so both share the machine's state of the moment. A page
   kind's figure is its median, as a ratio to the minimal page's median: as served (a page
   is kept while nothing it shows has changed, core/page_cache.py), the goal; and, printed
   beside it, made anew (asked with ``Cache-Control: no-cache``), as after a write.
3. Load. locust, 50 users without think time: first the minimal page alone, then a mix of
   the three roles' pages (every sample of every kind, the roles in turn); req/s, the 50th,
   95th and 99th percentiles and the errors of each.

Exits 1 when a goal is missed: an HTML page over 3 times the minimal page, a download over 6
times, the mix under a third of the minimal page's req/s, or any error.
"""

from __future__ import annotations

import collections
import html.parser
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE = os.environ.get("BENCH_PAGES_DATABASE", "portal_bench_pages")
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8791"))
FACTOR = int(os.environ.get("BENCH_FACTOR", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
ROUNDS_ANEW = int(os.environ.get("BENCH_ROUNDS_ANEW", "5"))
SAMPLES = 3
CRAWL_PER_KIND = 40
LOAD_USERS = 50
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "20"))
MINIMAL = "/accounts/login/"
HTML_GOAL, DOWNLOAD_GOAL, LOAD_GOAL = 3.0, 6.0, 1 / 3
ROLES = {
    "staff": "staff@marseille.example",
    "official": "elu@marseille.example",
    "company": "entreprise@transpare.example",
}
# Not pages of a role: the admin, logging out, changing language, files.
SKIP = ("/admin/", "/accounts/logout/", "/i18n/", "/static/", "/media/")

SERVER_ENV = {
    "DATABASE_URL": DATABASE_URL,
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/9",
    "CACHE_URL": "redis://127.0.0.1:6379/10",
    "DEBUG": "false",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    "LOG_LEVEL": "WARNING",
    # The load logs in nobody: the lock-out of wrong passwords stays as in production.
}


def run(*args: str, env: dict | None = None) -> None:
    subprocess.run(  # noqa: S603 - the bench's own commands
        args, check=True, cwd=BASE_DIR, env={**os.environ, **SERVER_ENV, **(env or {})}
    )


def build_database() -> dict:
    run("dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE)
    run("createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE)
    run(str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v0")
    run(str(BIN / "python"), "manage.py", "seed_demo")
    # Nothing made from an earlier run's data is kept.
    run(
        str(BIN / "python"),
        "-c",
        "import django; django.setup(); from django.core.cache import cache; cache.clear()",
    )
    code = (
        "import django, json, sys; django.setup(); sys.path.insert(0, 'bench'); "
        f"from grow import grow; print(json.dumps(grow({FACTOR})))"
    )
    result = subprocess.run(  # noqa: S603 - the bench's own commands
        [str(BIN / "python"), "-c", code],
        check=True,
        cwd=BASE_DIR,
        env={**os.environ, **SERVER_ENV},
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


class Server:
    """gunicorn as `make web` runs it, on the bench database."""

    def __init__(self, static_root: str):
        self.env = {**os.environ, **SERVER_ENV, "STATIC_ROOT": static_root}
        self.process = None

    def __enter__(self):
        subprocess.run(  # noqa: S603 - the bench's own commands
            [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
            check=True,
            cwd=BASE_DIR,
            env=self.env,
        )
        self.process = subprocess.Popen(  # noqa: S603 - the bench's own commands
            [
                str(BIN / "gunicorn"),
                "portal.wsgi",
                "--bind",
                f"{HOST}:{PORT}",
                "--workers",
                "3",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=self.env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(MINIMAL)[0] == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def get(path: str, cookie: str = "", anew: bool = False) -> tuple[int, dict, bytes, float]:
    """One GET on a fresh connection (gunicorn's sync workers close each one): status,
    headers, body and the seconds from sending to the last byte. ``anew``: as a browser
    reloading without its cache, which makes the portal make the page again."""
    connection = http.client.HTTPConnection(HOST, PORT, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    if anew:
        headers["Cache-Control"] = "no-cache"
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body, elapsed


def cookies_of(headers: list[tuple[str, str]]) -> dict[str, str]:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            jar[key.strip()] = val.strip()
    return jar


def log_in(email: str, password: str) -> str:
    """The Cookie header of a session logged in through the login form."""
    connection = http.client.HTTPConnection(HOST, PORT, timeout=60)
    connection.request("GET", MINIMAL)
    response = connection.getresponse()
    body = response.read().decode()
    jar = cookies_of(response.getheaders())
    connection.close()
    token = body.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": email, "password": password}
    )
    connection = http.client.HTTPConnection(HOST, PORT, timeout=60)
    connection.request(
        "POST",
        MINIMAL,
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            "Referer": f"http://{HOST}:{PORT}{MINIMAL}",
        },
    )
    response = connection.getresponse()
    response.read()
    jar.update(cookies_of(response.getheaders()))
    connection.close()
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"{email} could not log in ({response.status})")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def page_kind(path: str) -> str | None:
    from django.urls import Resolver404, resolve

    try:
        return resolve(urllib.parse.urlsplit(path).path).view_name
    except Resolver404:
        return None


def crawl(role: str, cookie: str, limit: int = 3000) -> dict[str, list[str]]:
    """Every page kind the role reaches by links from its home page, with its samples."""
    kinds: dict[str, list] = collections.defaultdict(list)
    seen, queue = {"/"}, collections.deque(["/"])
    source = {"/": "nowhere"}
    while queue and len(seen) < limit:
        path = queue.popleft()
        status, headers, body, _ = get(path, cookie)
        kind = page_kind(path)
        if status in (301, 302) and headers["location"].startswith("/"):
            if headers["location"] not in seen:
                seen.add(headers["location"])
                source[headers["location"]] = path
                queue.append(headers["location"])
            continue
        if status != 200:
            print(f"  {role}: {path} answers {status}, linked from {source[path]}")
            continue
        if len(kinds[kind]) < CRAWL_PER_KIND:
            kinds[kind].append((len(body), path))
        if not headers.get("content-type", "").startswith("text/html"):
            continue
        parser = Links()
        parser.feed(body.decode())
        for href in parser.hrefs:
            url = urllib.parse.urlsplit(urllib.parse.urljoin(path, href))
            if url.scheme not in ("", "http") or (url.netloc and url.netloc != f"{HOST}:{PORT}"):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target in seen or url.path.startswith(SKIP):
                continue
            kind = page_kind(target)
            # Enough of a kind is enough to find its heaviest pages.
            if kind is None or len(kinds.get(kind, ())) >= CRAWL_PER_KIND:
                continue
            seen.add(target)
            source[target] = path
            queue.append(target)
    # The samples of a kind: its largest pages (the most rows, the most work).
    return {kind: [path for _, path in sorted(found)[-SAMPLES:]] for kind, found in kinds.items()}


def time_pages(plan: list[tuple[str, str, str, str]]) -> tuple[list[float], dict, dict]:
    """(role, kind, path, cookie) requested ROUNDS times as served, each after the minimal
    page, and ROUNDS_ANEW times made anew: the minimal page's times, and by (role, kind)
    the times as served (with whether it is a download) and made anew."""
    minimal, times, downloads = [], collections.defaultdict(list), set()
    anew = collections.defaultdict(list)
    for round_number in range(ROUNDS):
        order = plan[:]
        random.shuffle(order)
        for role, kind, path, cookie in order:
            minimal.append(get(MINIMAL)[3])
            status, headers, _, elapsed = get(path, cookie)
            if status != 200:
                raise RuntimeError(f"{role}: {path} answered {status}")
            times[role, kind].append(elapsed)
            if not headers.get("content-type", "").startswith("text/html"):
                downloads.add((role, kind))
            if round_number < ROUNDS_ANEW:
                anew[role, kind].append(get(path, cookie, anew=True)[3])
    return minimal, {key: (value, key in downloads) for key, value in times.items()}, anew


def load(plan: list, name: str, workdir: str) -> dict:
    """locust, headless, LOAD_USERS users for LOAD_SECONDS: its aggregated figures."""
    plan_file = Path(workdir) / f"{name}.json"
    plan_file.write_text(json.dumps(plan))
    prefix = Path(workdir) / name
    subprocess.run(  # noqa: S603 - the bench's own commands
        [
            str(BIN / "locust"),
            "-f",
            str(BASE_DIR / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(LOAD_USERS),
            "--spawn-rate",
            str(LOAD_USERS),
            "--run-time",
            f"{LOAD_SECONDS}s",
            "--host",
            f"http://{HOST}:{PORT}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        check=False,
        cwd=BASE_DIR,
        env={**os.environ, "BENCH_LOAD_PLAN": str(plan_file)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import csv

    with open(f"{prefix}_stats.csv", newline="") as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return {
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
    }


def main() -> int:
    sys.path.insert(0, str(BASE_DIR))
    os.environ.update(SERVER_ENV)
    import django

    django.setup()

    print(f"bench: ten times the demo data on {DATABASE} (factor {FACTOR})")
    print("  " + ", ".join(f"{n} {what}" for what, n in build_database().items()))
    workdir = tempfile.mkdtemp(prefix="bench-pages-")
    failures = []
    try:
        with Server(str(Path(workdir) / "static")):
            cookies = {role: log_in(email, "Marseille-2019") for role, email in ROLES.items()}
            plan = []
            for role, cookie in cookies.items():
                for kind, paths in sorted(crawl(role, cookie).items()):
                    plan += [(role, kind, path, cookie) for path in paths]
            kinds = len({(role, kind) for role, kind, _, _ in plan})
            print(f"crawled: {kinds} page kinds, {len(plan)} samples; {ROUNDS} rounds each")
            minimal, times, anew = time_pages(plan)
            base = statistics.median(minimal)
            print(f"\nminimal page {MINIMAL}: median {base * 1000:.1f} ms")
            print(
                "served: as the portal answers (a page kept while nothing it shows has"
                " changed, core/page_cache.py);\nmade anew: the first answer after a write,"
                " asked with Cache-Control: no-cache\n"
            )
            print(
                f"{'role':9} {'page':42} {'served':>9} {'ratio':>6}  goal    "
                f" {'made anew':>9} {'ratio':>6}  largest sample"
            )
            rows = []
            for (role, kind), (values, download) in times.items():
                ratio = statistics.median(values) / base
                goal = DOWNLOAD_GOAL if download else HTML_GOAL
                rows.append((ratio, role, kind, statistics.median(values), goal))
            example = {(role, kind): path for role, kind, path, _ in plan}
            for ratio, role, kind, median, goal in sorted(rows, reverse=True):
                mark = "ok" if ratio <= goal else "MISSED"
                made = statistics.median(anew[role, kind])
                print(
                    f"{role:9} {kind:42} {median * 1000:7.1f}ms {ratio:5.1f}x"
                    f"  ≤{goal:.0f}x {mark:6} {made * 1000:7.1f}ms {made / base:5.1f}x"
                    f"  {example[role, kind]}"
                )
                if ratio > goal:
                    failures.append(
                        f"{role} {kind}: {ratio:.1f}x the minimal page (goal {goal:.0f}x)"
                    )

            minimal_load = load([["", [MINIMAL]]], "minimal", workdir)
            by_role = collections.defaultdict(list)
            for _role, _, path, cookie in plan:
                by_role[cookie].append(path)
            mix_load = load([[cookie, paths] for cookie, paths in by_role.items()], "mix", workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\nload: {LOAD_USERS} users without think time, {LOAD_SECONDS} s each")
    print(f"{'':12} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'requests':>9} {'errors':>7}")
    for name, figures in (("minimal", minimal_load), ("roles' mix", mix_load)):
        print(
            f"{name:12} {figures['rps']:7.1f} {figures['p50']:4.0f}ms {figures['p95']:4.0f}ms "
            f"{figures['p99']:4.0f}ms {figures['requests']:9d} {figures['errors']:7d}"
        )
    share = mix_load["rps"] / minimal_load["rps"]
    print(f"mix / minimal throughput: {share:.2f} (goal ≥ {LOAD_GOAL:.2f})")
    if share < LOAD_GOAL:
        failures.append(f"the mix serves {share:.2f} of the minimal page's req/s")
    for name, figures in (("minimal", minimal_load), ("mix", mix_load)):
        if figures["errors"] or not figures["requests"]:
            failures.append(f"load {name}: {figures['errors']} errors in {figures['requests']}")
    if failures:
        print("\nGOALS MISSED:\n  " + "\n  ".join(failures))
        return 1
    print("\nevery goal met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
