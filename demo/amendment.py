"""The 6.4.2 plan's acts in the demo: an ILLUSTRATIVE approval act and an ILLUSTRATIVE
amendment, so a newcomer sees the plan's acts, a revision and two targets.

Neither act is real: their numbers say "пример", their titles "ПРИМЕР" and they are marked
illustrative. The portal's sources (../shared/seed, ../shared/reference) give the approving
act's title only — "Об утверждении Стратегического плана устойчивого развития города
Хабаровска до 2020 года" — without its number, date or issuer, so the approval act's number
and date here are stand-ins, not the real ones. The amendment rewords measure 2.3 and raises
the 2016 target of indicator 6.4.2-4. A rerun changes nothing.
"""

import datetime
from decimal import Decimal

from activities.models import LegalAct, PlanRevision, Section
from activities.services import ActDetails, plan_import
from indicators.models import Indicator, Target

ACT = ActDetails(
    number="пример-1",
    date=datetime.date(2015, 6, 1),
    title=(
        "ПРИМЕР (не настоящий акт): о внесении изменений в Стратегический план устойчивого "
        "развития города Хабаровска до 2020 года"
    ),
    issuer="Хабаровская городская Дума (пример)",
)
APPROVAL = ActDetails(
    number="пример-0",
    date=datetime.date(2008, 1, 1),
    title=(
        "ПРИМЕР (не настоящий акт; номер и дата подлинного акта в источниках портала не "
        "указаны): об утверждении Стратегического плана устойчивого развития города "
        "Хабаровска до 2020 года"
    ),
    issuer="Хабаровская городская Дума (пример)",
)
OLD = "3. Создание условий для привлечения иностранных инвестиций в экономику города."
NEW = (
    "3. Создание благоприятных условий для привлечения иностранных и межрегиональных "
    "инвестиций в экономику города."
)
RAISED = ("6.4.2-4", 2016, "1.2")  # indicator, year, factor of the original target


def load(stdout):
    section = Section.objects.select_related("plan").filter(number="6.4.2").first()
    if section is None or OLD not in section.plan.source_text:
        stdout.write("Illustrative amendment skipped: the 6.4.2 plan text is absent")
        return
    _approval(section.plan)
    summary = plan_import(
        data=section.plan.source_text.replace(OLD, NEW),
        source_name="пример-изменений.txt",
        plan_title=section.plan.title,
        act=ACT,
    )
    act = LegalAct.objects.get(number=ACT.number, date=ACT.date)
    if not act.illustrative:
        act.illustrative = True
        act.save(update_fields=["illustrative"])
    code, year, factor = RAISED
    original = Target.objects.filter(indicator__code=code, year=year, act__isnull=True).first()
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is not None and original is not None:
        Target.objects.get_or_create(
            indicator=indicator,
            year=year,
            act=act,
            defaults={"value": original.value * Decimal(factor)},
        )
    stdout.write(f"Illustrative amendment: {len(summary.changes)} changes")


def _approval(plan):
    """The illustrative approval act and the plan's approval revision (no changes: the plan is
    as imported)."""
    act, _created = LegalAct.objects.get_or_create(
        kind=LegalAct.Kind.DUMA_DECISION,
        number=APPROVAL.number,
        date=APPROVAL.date,
        defaults={"title": APPROVAL.title, "issuer": APPROVAL.issuer, "illustrative": True},
    )
    PlanRevision.objects.get_or_create(
        plan=plan,
        act=act,
        defaults={"role": PlanRevision.Role.APPROVAL, "effective_date": act.date},
    )
