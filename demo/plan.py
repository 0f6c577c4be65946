"""Demo departments and the responsibility for the measures of section 6.4.2.

The department names and assignments are illustrative, not taken from the plan text.
"""

import datetime

from activities.models import Department, Measure

DEPARTMENTS = [
    ("Управление международных и межрегиональных связей", "УМиМС"),
    ("Управление экономического развития и инвестиций", "УЭРИ"),
    ("Управление образования", "УО"),
    ("Управление социальной политики", "УСП"),
]

# (group, number) of a 6.4.2 measure → short name of the responsible department, status
MEASURE_OWNERS = {
    (1, 1): ("УЭРИ", Measure.Status.IN_PROGRESS),
    (1, 2): ("УЭРИ", Measure.Status.DONE),
    (1, 3): ("УО", Measure.Status.IN_PROGRESS),
    (1, 4): ("УМиМС", Measure.Status.IN_PROGRESS),
    (2, 1): ("УМиМС", Measure.Status.IN_PROGRESS),
    (2, 2): ("УСП", Measure.Status.IN_PROGRESS),
    (2, 3): ("УЭРИ", Measure.Status.PLANNED),
}


def load(stdout):
    departments = {}
    for name, short_name in DEPARTMENTS:
        department, _ = Department.objects.get_or_create(
            name=name, defaults={"short_name": short_name}
        )
        departments[short_name] = department
    # Only fill in what an official has not set already, so a rerun never overwrites edits.
    for measure in Measure.objects.filter(section__number="6.4.2", department__isnull=True):
        owner = MEASURE_OWNERS.get((measure.group, measure.number))
        if owner is None:
            continue
        short_name, status = owner
        measure.department = departments[short_name]
        measure.status = status
        measure.period_start, measure.period_end = 2008, 2020
        measure.deadline = datetime.date(2020, 12, 31)
        measure.save()
    stdout.write(f"Departments: {len(departments)}")
