"""Median time of API list pages, serializer path vs fast path (values_list), against the bare
`.values()` + JsonResponse baseline (bench/baseline_urls.py), with the Django test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khv_bench_s10 \\
        .venv/bin/python bench/fast_list_timing.py [--repeat 30]

Signs in with an API token of the first administrator of the database; the token (and
anything else the requests write) is rolled back at the end. Not a load test: one process,
no network; see bench/run.py for that.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khv_strategy.settings.base")
os.environ.setdefault("DJANGO_API_RATE_CLIENT", "1000000/minute")  # time the view, not 429s
# The work of a list, not the answers' cache (core.api.cache): what a miss costs.
os.environ.setdefault("API_CACHE_SECONDS", "0")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.tokens import api_token_issue  # noqa: E402

try:
    from core.api.viewsets import ValuesListMixin  # noqa: E402
except ImportError:  # before the fast list: both columns are the serializer's path

    class ValuesListMixin:
        fast_list = True


URLS = [
    "/api/v1/measures/",
    "/api/v1/agreements/",
    "/api/v1/delegations/",
    "/api/v1/indicators/",
    "/api/v1/indicator-values/",
    "/api/v1/reports/",
]
BASELINE = "/bench/values/"


def median_ms(client, url, repeat, headers):
    for _warm_up in range(3):
        assert client.get(url, headers=headers).status_code == 200, url
    times = []
    for _n in range(repeat):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url, headers=headers)
    return statistics.median(times), len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="ANALYZE the tables first, inside the transaction that is rolled back (the bench "
        "server runs without autovacuum, so a fresh database has no planner statistics)",
    )
    arguments = parser.parse_args()
    setup_test_environment()
    client = Client()
    with override_settings(ROOT_URLCONF="bench.baseline_urls"), transaction.atomic():
        if arguments.analyze:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        user = User.objects.filter(groups__name="administrator").first()
        _token, key = api_token_issue(user=user, name="fast list timing")
        headers = {"Authorization": f"Token {key}"}
        base_ms, base_queries = median_ms(client, BASELINE, arguments.repeat, {})
        print(f"{'URL':28} {'slow ms':>8} {'fast ms':>8} {'queries':>8} {'fast/base':>10}")
        print(f"{BASELINE:28} {'':>8} {base_ms:8.2f} {base_queries:>8} {1:>10.2f}")
        for url in URLS:
            ValuesListMixin.fast_list = False
            slow_ms, slow_queries = median_ms(client, url, arguments.repeat, headers)
            ValuesListMixin.fast_list = True
            fast_ms, fast_queries = median_ms(client, url, arguments.repeat, headers)
            ratio = base_ms / fast_ms  # requests/s relative to the baseline's
            print(
                f"{url:28} {slow_ms:8.2f} {fast_ms:8.2f} {slow_queries:>3}->{fast_queries:<4}"
                f" {ratio:>10.2f}"
            )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
