from django import forms
from django.utils.translation import gettext_lazy as _

MAX_PLAN_TEXT_SIZE = 2 * 1024 * 1024


class PlanImportForm(forms.Form):
    file = forms.FileField(
        label=_("Plan text file"),
        help_text=_("The official text of the plan or of some of its sections, as .txt."),
    )
    plan_title = forms.CharField(
        label=_("Plan title"),
        max_length=500,
        required=False,
        help_text=_("Leave empty to use the title of the act from the text."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PLAN_TEXT_SIZE:
            raise forms.ValidationError(
                _("The file is too large (%(size)s MB); a plan text is at most 2 MB."),
                params={"size": round(upload.size / 1024 / 1024, 1)},
            )
        return upload
