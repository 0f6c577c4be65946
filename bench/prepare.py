"""Child of bench/run.py, run once per scale with that scale's DATABASE_URL and bench settings.

Creates the bench user (an administrator, so every page is allowed) with a fresh session and
API token, picks the target URLs (ids from the first generated plan), and counts the SQL
queries of each URL with the Django test client: a first request on an empty cache ("cold"),
then a second one, as under load (its answer or figures may come from the cache). Writes JSON
to the file named by the first argument:

    {"cookie": "sessionid=…", "token": "…", "targets": [{"name", "path", "auth", "kind",
     "status", "queries", "cold_queries"}, …]}
"""

import json
import logging
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import ApiToken, Role, User  # noqa: E402
from accounts.tokens import api_token_issue  # noqa: E402
from activities.models import Section, StrategicPlan  # noqa: E402
from dashboards.models import PublishedReport  # noqa: E402
from demo import datagen  # noqa: E402
from indicators.models import Indicator  # noqa: E402
from khv_strategy.api.router import router  # noqa: E402

BENCH_USERNAME = "bench-administrator"
REPORT_YEAR = datagen.YEARS[-1]
# A word of the generated texts, found in every kind of record: the search's worst case.
SEARCH_QUERY = urlencode({"q": "сотрудничество"})
# The other searches of bench/2026-12-04-search-results.md: a typo of a name, a rare word
# (the plans' legal acts), a record's code (its trigrams are in thousands of names), one letter.
OTHER_SEARCHES = [
    ("typo", "Харбн"),
    ("rare word", "постановление"),
    ("code", "G1-007-15"),
    ("one letter", "я"),
]


def bench_user():
    user, _ = User.objects.get_or_create(
        username=BENCH_USERNAME,
        defaults={"first_name": "Бенчмарк", "last_name": "Администратор"},
    )
    user.set_unusable_password()
    user.save()
    user.groups.set([Group.objects.get_or_create(name=Role.ADMINISTRATOR)[0]])
    return user


def targets(seed):
    plan = StrategicPlan.objects.get(title=datagen.plan_title(seed, 1))
    section = Section.objects.filter(plan=plan).order_by("position").first()
    indicator = (
        Indicator.objects.filter(
            expected_result__section__plan=plan, source=Indicator.Source.MANUAL
        )
        .order_by("id")
        .first()
    )
    # (name, path, auth, kind)
    section_dashboard = reverse("dashboards:section_dashboard", args=[section.pk])
    section_page = reverse("activities:section_detail", args=[section.pk])
    report = reverse("dashboards:annual_report_xlsx", args=[REPORT_YEAR])
    word = reverse("dashboards:annual_report_docx", args=[REPORT_YEAR])
    public_indicator = reverse("public:indicator", args=[indicator.pk])
    series = reverse("indicator-series", args=[indicator.pk])
    return [
        ("home dashboard", reverse("home"), "session", "page"),
        ("section dashboard", section_dashboard, "session", "page"),
        ("section page", section_page, "session", "page"),
        ("indicator list", reverse("indicators:indicator_list"), "session", "page"),
        ("agreements list", reverse("partners:agreement_list"), "session", "page"),
        # Every kind of record (full-text and trigram): a word of the generated plans' texts.
        ("search", f"{reverse('search:search')}?{SEARCH_QUERY}", "session", "page"),
        *(
            (
                f"search, {what}",
                f"{reverse('search:search')}?{urlencode({'q': q})}",
                "session",
                "page",
            )
            for what, q in OTHER_SEARCHES
        ),
        ("XLSX report", report, "session", "page"),
        ("Word report", word, "session", "page"),
        # The public portal, anonymous (the report year is published by main()).
        ("public home", reverse("public:home"), "none", "public"),
        ("public indicator", public_indicator, "none", "public"),
        ("API indicator series", series, "token", "api"),
        # Every list endpoint of the API, first page (50 rows).
        *(
            (f"API {basename}", reverse(f"{basename}-list"), "token", "api")
            for _prefix, _viewset, basename in router.registry
        ),
        ("baseline: bare JSON", reverse("bench_json"), "none", "baseline"),
        ("baseline: .values()", reverse("bench_values"), "none", "baseline"),
    ]


def main(output, seed):
    logging.disable(logging.WARNING)  # the request log of each counted request is noise here
    user = bench_user()
    ApiToken.objects.filter(user=user).delete()
    _, key = api_token_issue(user=user, name="bench")
    PublishedReport.objects.get_or_create(year=REPORT_YEAR, defaults={"published_by": user})
    session_client = Client(SERVER_NAME="127.0.0.1")
    session_client.force_login(user)
    cookie_name = settings.SESSION_COOKIE_NAME
    clients = {
        "session": session_client,
        "token": Client(SERVER_NAME="127.0.0.1", HTTP_AUTHORIZATION=f"Token {key}"),
        "none": Client(SERVER_NAME="127.0.0.1"),
    }
    rows = []
    for name, path, auth, kind in targets(seed):
        client = clients[auth]
        cache.clear()  # the first request computes everything
        with CaptureQueriesContext(connection) as cold:
            client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        rows.append(
            {
                "name": name,
                "path": path,
                "auth": auth,
                "kind": kind,
                "status": response.status_code,
                "queries": len(queries),
                "cold_queries": len(cold),
            }
        )
    result = {
        "cookie": f"{cookie_name}={session_client.cookies[cookie_name].value}",
        "token": key,
        "targets": rows,
    }
    Path(output).write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1)
