"""simple_history's HistoricalRecords, recording a many-to-many change made from either side.

A partner record keeps the history of its `measures`. When the set is changed from the
measure's side (``measure.partner_cities.add(city)``), simple_history 3.13 writes a history
row of the *measure* with the partner model's options, which fails on the measure's
``updated_at`` (excluded from the partner histories): the change could not be saved at all.
Here a change from the other side records each partner row whose set changed, as if it had
been made from that row.
"""

from simple_history import models as simple_history


class HistoricalRecords(simple_history.HistoricalRecords):
    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        pending = f"_history_{self.cls._meta.label_lower}_{attr}_cleared"
        if action == "pre_clear":
            # After the clear the rows that lost `instance` cannot be found any more.
            related = self.cls._default_manager.filter(**{attr: instance})
            setattr(instance, pending, list(related.values_list("pk", flat=True)))
            return None
        if action == "post_clear":
            pk_set = getattr(instance, pending, [])
            setattr(instance, pending, [])
        elif action not in ("post_add", "post_remove"):
            return None
        for row in self.cls._default_manager.filter(pk__in=pk_set or ()):
            super().m2m_changed(row, action, attr, pk_set, False, **kwargs)
        return None
