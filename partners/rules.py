"""Who may do what with partner records; autodiscovered by rules.apps.AutodiscoverRulesConfig.

Anyone on the staff reads every record. Editors (and heads) add records for their own
department, and change or delete only their department's records; administrators do everything.
"""

import rules

from accounts.roles import can_edit_department_data, is_administrator, is_editor, is_staff_member

MODEL_NAMES = [
    "partnercity",
    "partnerorganisation",
    "agreement",
    "delegation",
    "exchange",
    "event",
]

can_add_records = is_administrator | is_editor

for model_name in MODEL_NAMES:
    rules.add_perm(f"partners.view_{model_name}", is_staff_member)
    rules.add_perm(f"partners.add_{model_name}", can_add_records)
    rules.add_perm(f"partners.change_{model_name}", can_edit_department_data)
    rules.add_perm(f"partners.delete_{model_name}", can_edit_department_data)

# Spreadsheet import creates records for the importing user's department.
rules.add_perm("partners.import_records", can_add_records)
# Linking partner records to a measure is an edit of the measure's department data.
rules.add_perm("partners.link_measure", can_edit_department_data)
