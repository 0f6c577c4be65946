from django import template

from core.uploads import stored_file_name

register = template.Library()

# {{ report.evidence_file|file_name }}: "evidence.pdf", not "reports/2026/evidence.pdf".
register.filter("file_name", stored_file_name)
