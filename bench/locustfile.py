"""The load of `make bench` (bench/pages.py writes the plan and runs locust on this file).

BENCH_LOAD_PLAN names a JSON list of [cookie, [paths]]: one per role ("" for nobody).
Each simulated user takes the roles in turn and, without think time, requests one of that
role's pages after another, chosen at random.
"""

import itertools
import json
import os
import random

from locust import FastHttpUser, constant, task

PLAN = json.loads(open(os.environ["BENCH_LOAD_PLAN"]).read())  # noqa: SIM115
_ROLES = itertools.cycle(PLAN)


class Visitor(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.cookie, self.paths = next(_ROLES)

    @task
    def page(self):
        path = random.choice(self.paths)  # noqa: S311 - a load, not a secret
        headers = {"Cookie": self.cookie} if self.cookie else {}
        # One name for all: the aggregated figures are what the bench reads.
        with self.client.get(path, headers=headers, name="page", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{path}: {r.status_code}")
