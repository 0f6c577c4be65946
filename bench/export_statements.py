"""The SQL of the indicator values' bulk export, compiled in-process (issue 14): printed as
JSON for bench/full_pull.py, which measures the export against the COPY of the same rows.

- ``export``: the statement export.csv runs (core.api.copy_export), every cell formatted;
- ``unformatted``: ``COPY (<the same SELECT: the list's rows and columns, its joins, filters,
  ordering and visibility>) TO STDOUT CSV`` — what reading the columns the API serves costs
  before any formatting (the physical floor of the export);
- ``select``: that SELECT alone, for the psycopg fetch + json.dumps of the same rows.

    DJANGO_SETTINGS_MODULE=… DATABASE_URL=… .venv/bin/python bench/export_statements.py USERNAME
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PATH = "/api/v1/indicator-values/export.csv/?ordering=id"


def statements(username, path=PATH):
    from django.contrib.auth import get_user_model
    from django.db import connections
    from rest_framework.test import APIRequestFactory

    from core.api import copy_export
    from khv_strategy.api.router import router

    viewset = next(v for _p, v, basename in router.registry if basename == "indicatorvalue")
    view = viewset(action_map={"get": "export_csv"}, args=(), kwargs={}, format_kwarg=None)
    request = view.initialize_request(APIRequestFactory().get(path, SERVER_NAME="127.0.0.1"))
    request.user = get_user_model().objects.get(username=username)
    view.request = request
    view.headers = {}
    queryset = view.export_queryset()
    columns, zone = view.copy_plan(request)
    line = copy_export.csv_line(columns, "plain")
    export, using = copy_export.copy_statement(queryset, line, columns)
    plain = queryset.prefetch_related(None).values_list(*view.fast_list_spec().columns)
    sql, params = plain.query.get_compiler(using=plain.db).as_sql()
    select = connections[using].ops.compose_sql(sql, params)
    unformatted = f"COPY ({select}) TO STDOUT (FORMAT CSV, HEADER)"
    return {"export": export, "unformatted": unformatted, "select": select, "zone": zone}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(statements(sys.argv[1])))
