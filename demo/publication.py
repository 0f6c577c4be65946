"""The demo's published annual reports: the two latest years with approved values, published by
the demo administrator, so the public portal (/public/) and open data show figures after
`make run`. Illustrative, like the values."""

from accounts.models import User
from core.workflow import WorkflowState
from dashboards.models import PublishedReport
from indicators.models import IndicatorValue

PUBLISHED_YEARS = 2


def load(stdout):
    publisher = User.objects.filter(username="administrator").first()
    if publisher is None:
        stdout.write("Publication skipped: the demo administrator is absent")
        return
    years = (
        IndicatorValue.objects.filter(state=WorkflowState.APPROVED)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()[:PUBLISHED_YEARS]
    )
    created = 0
    for year in years:
        _report, was_created = PublishedReport.objects.get_or_create(
            year=year, defaults={"published_by": publisher}
        )
        created += was_created
    stdout.write(f"Demo published annual reports: {sorted(years)} ({created} new)")
