"""The workflow tells (core.workflow.item_transitioned); this app listens, so neither the
engine nor the items' apps import it."""

from django.dispatch import receiver
from django.utils.translation import override

from core.workflow import item_transitioned

from . import services


@receiver(item_transitioned)
def tell_about_transition(sender, *, item, by, action, **kwargs):
    with override("ru"):
        if action == "return":
            services.item_returned(item, by=by)
        elif action == "submit":
            services.item_submitted(item, by=by)
