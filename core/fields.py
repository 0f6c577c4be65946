"""Choice fields whose options come from the cache (filters offering a city's hundreds of
sections or departments on pages that are otherwise served from the cache)."""

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import escape

from core import cache as data_cache


class CachedChoiceIterator(ModelChoiceIterator):
    """The field's (id, label) pairs from the data-version cache, under the data version.

    A dashboard answered from the cache would otherwise still read and build every plan and
    department of the city for its filter on each request; a new or renamed department bumps
    the version and shows at once. Validating a choice still reads the chosen row."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.options()

    def options(self):
        return data_cache.cached("choices", (self.field.cache_name,), self.read)

    def read(self):
        """(id, label) pairs, escaped once here rather than on every rendering."""
        return [
            (escape(obj.pk), escape(self.field.label_from_instance(obj))) for obj in self.queryset
        ]

    def __len__(self):
        return len(self.options()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.options())


class CachedModelChoiceField(forms.ModelChoiceField):
    """`cache_name` names the queryset's options in the cache: one name, one queryset."""

    iterator = CachedChoiceIterator

    def __init__(self, *args, cache_name, **kwargs):
        self.cache_name = cache_name
        super().__init__(*args, **kwargs)


class CachedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A FilterSet's ModelChoiceFilter on a CachedModelChoiceField (pass `cache_name`)."""

    field_class = CachedModelChoiceField
