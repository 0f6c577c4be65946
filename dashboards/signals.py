"""Any write to what the dashboards show makes their cache stale (see ``dashboards.cache``).

Why signals and not the services: cache invalidation is a cross-cutting concern. The data
changes through many paths — workflow transitions (submit, approve, return), the indicator,
measure, progress report and partner services, the plan import, reasons for deviation, the
reporting-year lock, the admin, the API, ``loaddata`` — and each would have to remember to
bump the version; one forgotten call is a dashboard that silently lies for ten minutes. A
receiver on the models the dashboards read cannot be forgotten by a new write path.

Bulk writes (``QuerySet.update``, ``bulk_create``) send no signals: code that writes the
dashboards' models in bulk (e.g. ``khv_strategy.datagen``) calls ``bump_data_version`` itself.

Each write bumps the version twice: at once, so later reads in the same transaction (and the
tests, which run in one) see the change; and after the commit, so a request that cached the
not-yet-committed state in between is superseded too.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .cache import bump_data_version


def watched_models():
    """The models whose rows appear in, or are counted by, a dashboard, or that the API serves
    (its answers are cached under the same version, core.api.cache)."""
    from activities.models import (
        Department,
        ExpectedResult,
        Goal,
        Measure,
        ProgressReport,
        ReportingYear,
        Section,
        StrategicPlan,
        Task,
    )
    from indicators.models import Indicator, IndicatorValue, Target
    from partners.models import (
        Agreement,
        Delegation,
        Event,
        Exchange,
        PartnerCity,
        PartnerOrganisation,
    )

    from .models import ReasonForDeviation

    return (
        StrategicPlan,
        Section,
        ExpectedResult,
        Goal,
        Task,
        Department,
        Measure,
        ProgressReport,
        ReportingYear,
        Indicator,
        Target,
        IndicatorValue,
        ReasonForDeviation,
        Agreement,
        Delegation,
        Event,
        Exchange,
        PartnerCity,
        PartnerOrganisation,
    )


def data_changed(**kwargs):
    bump_data_version()
    transaction.on_commit(bump_data_version, using=kwargs.get("using"))


def relation_changed(sender, instance, action, model, **kwargs):
    if action.startswith("post_") and (isinstance(instance, WATCHED) or issubclass(model, WATCHED)):
        data_changed(**kwargs)


WATCHED = ()


def connect():
    global WATCHED
    WATCHED = watched_models()
    for model in WATCHED:
        uid = f"dashboards-cache-{model._meta.label_lower}"
        post_save.connect(data_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(relation_changed, dispatch_uid="dashboards-cache-m2m")
