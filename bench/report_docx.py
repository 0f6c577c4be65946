"""How long the annual report's Word document takes at a data scale (issue 17: under 3 s cold at
scale 10), through the real view: cold (the cache emptied: the selector and the document are
built) and warm (the bytes come from the cache), with the selector alone and the XLSX file beside
it for comparison. Nothing is written but a bench user (kept for the next run).

Run against a database filled by ``generate_data --scale 10`` (bench/run.py makes khv_bench_s10):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/khv_bench_s10 \
        .venv/bin/python bench/report_docx.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khv_strategy.settings.base")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from activities.models import Section  # noqa: E402
from dashboards import selectors  # noqa: E402
from indicators.models import Indicator  # noqa: E402

YEAR = 2015
RUNS = 3


def bench_user():
    from django.contrib.auth.models import Group

    user, _created = User.objects.get_or_create(username="bench-docx")
    user.groups.add(Group.objects.get_or_create(name=Role.ADMINISTRATOR)[0])
    return user


def timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def main():
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(bench_user())
    word = reverse("dashboards:annual_report_docx", args=[YEAR])
    xlsx = reverse("dashboards:annual_report_xlsx", args=[YEAR])
    rows = []
    for name, url in (("Word", word), ("XLSX", xlsx)):
        cold, warm, size = [], [], 0
        for _ in range(RUNS):
            cache.clear()
            seconds, response = timed(lambda url=url: client.get(url))
            assert response.status_code == 200, response.status_code
            cold.append(seconds)
            size = len(response.content)
            seconds, response = timed(lambda url=url: client.get(url))
            warm.append(seconds)
        rows.append((name, statistics.median(cold), statistics.median(warm), size))
    selector = statistics.median(
        timed(lambda: selectors.annual_report(year=YEAR))[0] for _ in range(RUNS)
    )
    print(
        f"scale: {Section.objects.count()} sections, {Indicator.objects.count()} indicators; "
        f"report year {YEAR}; median of {RUNS}"
    )
    print("| file | cold, s | warm, s | size, KB |")
    print("|---|---|---|---|")
    for name, cold, warm, size in rows:
        print(f"| {name} | {cold:.2f} | {warm:.3f} | {size / 1024:.0f} |")
    print(f"| selector alone | {selector:.2f} | – | – |")
    verdict = "met" if rows[0][1] < 3 else "NOT met"
    print(f"target: Word report cold under 3 s — {verdict} ({rows[0][1]:.2f} s)")


if __name__ == "__main__":
    with override_settings(ALLOWED_HOSTS=["127.0.0.1"]):
        main()
