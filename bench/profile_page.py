"""Where a page's time goes: cProfile over repeated requests, in process, production settings.

    .venv/bin/python bench/profile_page.py ROLE PATH [RUNS] [SORT]

ROLE is staff, official, company or anonymous (the demo's logins); PATH a page of the
portal; the database is the page benchmark's (`make bench-pages` builds it, ten times the
demo data). Prints the time per request, the queries, and the top functions.
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_pages")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/9")
os.environ["DEBUG"] = "false"
os.environ.setdefault("STATIC_ROOT", "/tmp/bench-static")  # noqa: S108 - a bench's scratch

ROLES = {
    "staff": "staff@marseille.example",
    "official": "elu@marseille.example",
    "company": "entreprise@transpare.example",
}


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    role, path = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    sort = sys.argv[4] if len(sys.argv) > 4 else "cumulative"
    client = Client()
    if role != "anonymous":
        from accounts.models import User

        client.force_login(User.objects.get(email=ROLES[role]))
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)
    ):
        client.get(path)
    for _ in range(3):
        client.get(path)
    started = time.perf_counter()
    for _ in range(runs):
        client.get(path)
    per_request = (time.perf_counter() - started) / runs
    size = len(response.content)
    print(f"{path}: {per_request * 1000:.1f} ms, {len(queries)} queries, {size // 1024} KiB")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(runs):
        client.get(path)
    profile.disable()
    pstats.Stats(profile).sort_stats(sort).print_stats(45)


if __name__ == "__main__":
    main()
