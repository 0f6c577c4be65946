"""The full pull of indicator values (issue 14): the bulk export against PostgreSQL's own
COPY and a plain psycopg fetch + json.dumps of the same rows, in the same run; and the
first, middle and last page of the sync cursor.

Called by bench/run.py for each scale while its gunicorn serves (``measure``), or alone:

    .venv/bin/python bench/full_pull.py [--scale 10] [--seed 1]     (make bench-pull)

which prepares the scale's database as run.py does, issues a token for an administrator (who
sees every row, as COPY does), serves with gunicorn and prints the table.

- COPY of the same rows: ``COPY (SELECT …) TO STDOUT (FORMAT CSV, HEADER)`` of the SELECT the
  export runs — the same rows with the same 24 columns (the value's own and the analysts'
  indicator code and unit, section, plan and people's names, through the list's joins,
  visibility and ordering; bench/export_statements.py compiles it in the scale's settings),
  read to the end: the physical floor of the export's bytes, which the ≤ 3 × target is
  judged against;
- COPY of the base table: the same COPY of the value table's own 15 columns, no join — shown
  beside it, for scale (a file 2.6 times smaller than the export's);
- fetch + json.dumps: the same SELECT through psycopg, all rows, dumped as JSON;
- export cold: ``/api/v1/indicator-values/export.csv/?ordering=id`` read to the end right after
  a write (a value's row updated, the data version bumped); warm: the same again; NDJSON warm;
- cursor pages (500 rows, ordered by updated_at then id): the first, the middle and the last,
  each asked after a bump of the data version, so that the API cache does not answer.
Each figure is the median of REPEATS runs.
"""

import argparse
import json
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

REPEATS = 5
COLUMNS = (
    "id, indicator_id, year, quarter, value, evidence_file, evidence_url, comment, state, "
    "author_id, reviewer_id, reviewed_at, review_comment, created_at, updated_at"
)
SELECT = f"SELECT {COLUMNS} FROM indicators_indicatorvalue ORDER BY id"
BASE = "COPY of the base table (its 15 columns, no join) TO STDOUT CSV"
UNFORMATTED = "COPY of the same rows (the export's SELECT, unformatted) TO STDOUT CSV"
VERSION_KEY = "khv:1:data:version"  # core.cache.VERSION_KEY under the production key prefix


def timed(function, repeats=REPEATS, before=None):
    times = []
    for _ in range(repeats):
        if before:
            before()
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def copy_csv(dsn, statement=f"COPY ({SELECT}) TO STDOUT (FORMAT CSV, HEADER)"):
    with psycopg.connect(dsn) as connection, connection.cursor() as cursor:
        size = 0
        with cursor.copy(statement) as copy:
            for block in copy:
                size += len(block)
    return size


def fetch_json(dsn, select=SELECT):
    with psycopg.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute(select)
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return len(json.dumps(rows, default=str))


def http_read(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    size = 0
    with urllib.request.urlopen(request, timeout=600) as answer:
        while block := answer.read(1 << 16):
            size += len(block)
    return size


def http_json(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(request, timeout=600) as answer:
        return json.loads(answer.read())


def write_one_value(dsn):
    """A write, as an editor's would be: one value's row changed; the API cache made stale."""
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(
            "UPDATE indicators_indicatorvalue SET updated_at = now() "
            "WHERE id = (SELECT min(id) FROM indicators_indicatorvalue)"
        )


def bumper(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)

    def bump():
        if client.exists(VERSION_KEY):
            client.incr(VERSION_KEY)

    return bump


def cursor_pages(base, token):
    """The URLs of every cursor page, first to last."""
    url = f"{base}/api/v1/indicator-values/?pagination=cursor&page_size=500"
    urls = []
    while url:
        urls.append(url)
        url = http_json(url, token)["next"]
    return urls


def measure(port, token, dsn, redis_url, statements):
    """The rows of the full-pull table, each {"name", "ms", "bytes"}; `statements` are the
    export's SELECT and its COPY (bench/export_statements.py)."""
    unformatted, select = statements["unformatted"], statements["select"]
    base = f"http://127.0.0.1:{port}"
    bump = bumper(redis_url)
    export = f"{base}/api/v1/indicator-values/export.csv/?ordering=id"
    ndjson = f"{base}/api/v1/indicator-values/export.ndjson/?ordering=id"
    rows_count = fetch_count(dsn)
    http_read(export, token)  # both workers' code paths loaded
    http_read(export, token)

    def cold_write():
        write_one_value(dsn)
        bump()

    results = [
        {"name": BASE, "ms": timed(lambda: copy_csv(dsn)),
         "bytes": copy_csv(dsn)},
        {"name": UNFORMATTED, "ms": timed(lambda: copy_csv(dsn, unformatted)),
         "bytes": copy_csv(dsn, unformatted)},
        {"name": "psycopg fetch + json.dumps of the same rows",
         "ms": timed(lambda: fetch_json(dsn, select)), "bytes": fetch_json(dsn, select)},
        {"name": "export.csv, cold (after a write)",
         "ms": timed(lambda: http_read(export, token), before=cold_write),
         "bytes": http_read(export, token)},
        {"name": "export.csv, warm", "ms": timed(lambda: http_read(export, token)),
         "bytes": http_read(export, token)},
        {"name": "export.ndjson, warm", "ms": timed(lambda: http_read(ndjson, token)),
         "bytes": http_read(ndjson, token)},
    ]  # fmt: skip
    pages = cursor_pages(base, token)
    for label, url in (
        ("first", pages[0]),
        ("middle", pages[len(pages) // 2]),
        ("last", pages[-1]),
    ):
        results.append(
            {
                "name": f"cursor page, {label} of {len(pages)} (500 rows)",
                "ms": timed(lambda url=url: http_read(url, token), before=bump),
                "bytes": http_read(url, token),
            }
        )
    for row in results:
        row["rows"] = rows_count
    return results


def fetch_count(dsn):
    with psycopg.connect(dsn) as connection:
        return connection.execute("SELECT count(*) FROM indicators_indicatorvalue").fetchone()[0]


def report(results, scale):
    named = {row["name"]: row for row in results}
    base = named[BASE]["ms"]
    floor = named[UNFORMATTED]["ms"]
    lines = [
        f"### Full pull of indicator values, scale {scale} ({results[0]['rows']} rows; "
        f"median of {REPEATS})",
        "",
        "| what | ms | × COPY of the same rows | × COPY of the base table | MB |",
        "|---|---|---|---|---|",
    ]
    for row in results:
        lines.append(
            f"| {row['name']} | {row['ms']:.1f} | {row['ms'] / floor:.2f} | "
            f"{row['ms'] / base:.2f} | {row['bytes'] / 1e6:.2f} |"
        )
    cold = named["export.csv, cold (after a write)"]["ms"]
    first = next(row["ms"] for row in results if "cursor page, first" in row["name"])
    last = next(row["ms"] for row in results if "cursor page, last" in row["name"])
    lines += [
        "",
        f"- {'✅' if cold <= 3 * floor else '❌'} full pull through the export, cold: "
        f"{cold / floor:.2f} × COPY of the same rows (≤ 3)",
        f"- (for scale) the export, cold: {cold / base:.2f} × COPY of the base table's 15 "
        f"columns, whose file is {named[BASE]['bytes'] / 1e6:.2f} MB "
        f"against the export's {named['export.csv, cold (after a write)']['bytes'] / 1e6:.2f}",
        f"- {'✅' if last <= 1.5 * first else '❌'} last cursor page ÷ first: "
        f"{last / first:.2f} (≤ 1.5)",
        "",
    ]
    return "\n".join(lines)


def export_statements(env, username="bench-pull"):
    """The export's statements as `username` (an administrator) would be served them, compiled
    in the scale's settings (bench/export_statements.py)."""
    import subprocess

    output = subprocess.run(
        [sys.executable, "bench/export_statements.py", username], env=env,
        cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(output.stdout.strip().splitlines()[-1])


def issue_token(env):
    """An administrator's API token in the scale's database (the child process's settings)."""
    code = (
        "import django; django.setup();"
        "from accounts.models import Role, User;"
        "from django.contrib.auth.models import Group;"
        "from accounts.tokens import api_token_issue;"
        "user, _ = User.objects.get_or_create(username='bench-pull',"
        " defaults={'is_superuser': True});"
        "user.groups.add(Group.objects.get_or_create(name=Role.ADMINISTRATOR)[0]);"
        "print(api_token_issue(user=user, name='full pull')[1])"
    )
    import subprocess

    output = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=Path(__file__).resolve().parent.parent,
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return output.stdout.strip().splitlines()[-1]


def main():
    from bench import run

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url", help="the scale's database (default: khv_bench_s<scale>, as run.py)"
    )
    args = parser.parse_args()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": "bench-full-pull-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_DEBUG": "0",
        "DJANGO_API_RATE_CLIENT": "1000000/minute",
        "DJANGO_LOG_FORMAT": "json",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"),
        "DATABASE_URL": args.database_url or run.database_url(args.scale),
    }
    run.prepare_database(args.scale, args.seed, env)
    token = issue_token(env)
    statements = export_statements(env)
    port = run.free_port()
    with open(Path(os.environ.get("TMPDIR", "/tmp")) / "khv-full-pull.log", "w") as log_file:
        server = run.start_server(env, port, log_file)
        try:
            results = measure(port, token, env["DATABASE_URL"], env["REDIS_URL"], statements)
        finally:
            run.stop_server(server)
    print(report(results, args.scale))


if __name__ == "__main__":
    main()
