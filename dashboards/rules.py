"""Who may write the annual report's notes; checked against the indicator (its department).

Reading the dashboards and the report is the portal's own permission (``accounts.view_portal``),
checked by ``portal_view``.
"""

import rules
from django.db.models import Exists, OuterRef

from accounts.roles import can_approve_department_data, is_administrator, is_head

# The head of the indicator's department, or an administrator, explains a deviation.
rules.add_perm("dashboards.write_reason_for_deviation", can_approve_department_data)

# A year's annual report leaves the portal (public portal, open data) when a head or an
# administrator publishes it; the same people withdraw it.
rules.add_perm("dashboards.publish_report", is_administrator | is_head)


def sections_answered_by(user):
    """Ids of the sections the user's department answers for (a measure or an indicator of
    theirs is in them); one query, kept on the user object for the request."""
    if not hasattr(user, "_sections_answered"):
        from activities.models import Measure, Section
        from indicators.models import Indicator

        department = user.department_id
        measures = Measure.objects.filter(section=OuterRef("pk"), department_id=department)
        indicators = Indicator.objects.filter(
            expected_result__section=OuterRef("pk"), department_id=department
        )
        answered = Section.objects.filter(Exists(measures) | Exists(indicators))
        user._sections_answered = set(answered.values_list("pk", flat=True))
    return user._sections_answered


@rules.predicate
def answers_for_section(user, section):
    if section is None or user.department_id is None:
        return False
    return section.pk in sections_answered_by(user)


# A head whose department answers for part of the section (a measure or an indicator), or an
# administrator, writes the section's proposals for a year.
rules.add_perm(
    "dashboards.write_section_proposals", is_administrator | (is_head & answers_for_section)
)
