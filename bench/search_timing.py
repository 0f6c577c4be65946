"""Time of /search/ per query with the Django test client, in one process, and EXPLAIN
(ANALYZE, BUFFERS) of each statement that searches (issue 19, bench/2026-12-04-search-results.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khv_searchbench \\
        .venv/bin/python bench/search_timing.py [--repeat 20] [--role administrator|editor|viewer]
        [--explain] [--query сотрудничество --query Харбн ...] [--kind agreement]

The data: ``manage.py generate_data --scale 10 --seed 1`` (what bench/run.py loads). Signs in
as the first active user of the role (an editor sees the pending reports of his department
only: the visibility rule is part of the query). Each query: 3 warm-up requests, then
``--repeat`` timed ones; p50, min and max in ms, the number of SQL statements, and the time
PostgreSQL spent in the statements that search (their sum, from EXPLAIN ANALYZE when asked).
Not a load test: one process, no network, the cache of the process is warm; see bench/run.py.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khv_strategy.settings.base")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import Role, User  # noqa: E402

# A word of every kind's generated texts (thousands of rows each), a typo of a name, a word
# of few rows, a short query, a word no row has.
QUERIES = ["сотрудничество", "Харбн", "концепция", "G1-007-15", "я", "ор", "абракадабра"]


def user_of(role):
    group = Group.objects.get(name=role)
    return User.objects.filter(groups=group, is_active=True).order_by("pk").first()


def explain(sql, settings):
    """The plan of ``sql`` under the SET LOCALs that preceded it in the request."""
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(setting)
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def searching(statements):
    """(label, sql, settings in force) of each statement of the search."""
    settings = []
    for statement in statements:
        sql = statement["sql"]
        if sql.startswith("SET LOCAL"):
            settings.append(sql)
        elif sql.startswith("RESET"):
            settings = []
        elif "search_document" in sql:
            label = (
                "candidates"
                if "UNION" in sql and "LIMIT" in sql and sql.startswith("(")
                else (re.search(r'FROM "(\w+)"', sql).group(1))
            )
            yield label, sql, list(settings)


def execution_ms(plan):
    return float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))


def measure(client, url, repeat):
    for _warm_up in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    for _n in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    hits = response.content.decode().count('class="mb-2 search-hit"')
    return times, queries.captured_queries, hits


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--role", default=Role.ADMINISTRATOR)
    parser.add_argument("--query", action="append", help="(repeatable) default: QUERIES")
    parser.add_argument("--kind", default="", help="one kind's page (?kind=…)")
    parser.add_argument("--explain", action="store_true", help="print each search statement's plan")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the request log of every request
    setup_test_environment()
    client = Client()
    user = user_of(args.role)
    client.force_login(user)
    print(f"database {connection.settings_dict['NAME']}, role {args.role} ({user.username})")
    print("| query | p50 ms | min ms | max ms | SQL statements | search SQL ms (EXPLAIN) | hits |")
    print("|---|---|---|---|---|---|---|")
    plans = []
    for text in args.query or QUERIES:
        params = {"q": text, **({"kind": args.kind} if args.kind else {})}
        url = reverse("search:search") + "?" + "&".join(f"{k}={v}" for k, v in params.items())
        times, statements, hits = measure(client, url, args.repeat)
        searched = list(searching(statements))
        explained = [explain(sql, settings) for _label, sql, settings in searched]
        sql_ms = sum(execution_ms(plan) for plan in explained)
        plans.append((text, searched, explained))
        print(
            f"| `{text}` | {statistics.median(times):.1f} | {min(times):.1f} | {max(times):.1f} "
            f"| {len(statements)} ({len(searched)} search) | {sql_ms:.1f} | {hits} |"
        )
    print("\nPer statement (EXPLAIN ANALYZE execution ms):")
    for text, searched, explained in plans:
        times = ", ".join(
            f"{label} {execution_ms(plan):.1f}"
            for (label, _sql, _settings), plan in zip(searched, explained, strict=True)
        )
        print(f"- `{text}`: {times}")
    if args.explain:
        for text, searched, explained in plans:
            print(f"\n## {text}")
            for (label, sql, settings), plan in zip(searched, explained, strict=True):
                print(f"\n### {label} {' '.join(settings)}\n```sql\n{sql}\n```\n```\n{plan}\n```")


if __name__ == "__main__":
    main()
