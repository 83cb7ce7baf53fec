"""Crawl the demo as each role, on whatever database the environment names, and print
what was found as JSON: ``python -m portal.tests.crawl_demo`` (see test_reachability)."""

import json
import os
import sys

import django

DEMO_LOGINS = {
    "staff": "staff@marseille.example",
    "official": "elu@marseille.example",
    "company": "entreprise@transpare.example",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from portal.tests.crawling import crawl

    setup_test_environment()  # the test client's host, locmem emails
    found = {}
    for role, email in DEMO_LOGINS.items():
        client = Client()
        client.force_login(User.objects.get(email=email), backend="portal.backends.PortalBackend")
        result = crawl(client)
        found[role] = {"kinds": sorted(result.kinds), "broken": result.broken}
    json.dump(found, sys.stdout)


if __name__ == "__main__":
    main()
