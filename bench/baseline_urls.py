"""The portal's URLs plus two baselines that show what a request costs without the portal.

- /bench/json/: a fixed JSON dict, no database: the floor of the stack (gunicorn, middleware).
- /bench/values/: the first 50 indicators as ``.values()`` in a JsonResponse: one query, no
  serializer, no pagination count; what an indicator list of the API could cost at best.
"""

from django.http import JsonResponse
from django.urls import path

from indicators.models import Indicator
from khv_strategy.urls import urlpatterns as portal_urlpatterns

FIXED = {"status": "ok", "items": [{"id": n, "name": f"item {n}"} for n in range(10)]}
# The indicator's own columns, as an API list would serialize them.
INDICATOR_FIELDS = [
    "id", "code", "name", "description", "unit", "direction", "baseline_value", "baseline_year",
    "expected_result", "department", "source", "computation", "accumulation",
]  # fmt: skip


def bare_json(request):
    return JsonResponse(FIXED)


def bare_values(request):
    rows = list(Indicator.objects.order_by("id").values(*INDICATOR_FIELDS)[:50])
    return JsonResponse({"count": len(rows), "results": rows})


urlpatterns = [
    path("bench/json/", bare_json, name="bench_json"),
    path("bench/values/", bare_values, name="bench_values"),
    *portal_urlpatterns,
]
