from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Delivery, Kind


class PreferencesForm(forms.Form):
    """One choice of delivery for each kind of notification."""

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current.get(kind.value, Delivery.PORTAL),
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose how to be told about this.")},
            )

    def choices(self):
        return {kind.value: self.cleaned_data[kind.value] for kind in Kind}
