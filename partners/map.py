"""The partner map (/partners/map/): the cities on a world map drawn in the browser from the
npm world-atlas outline served by this site, and the same cities as a list beside it."""

from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import portal_view
from accounts.roles import require_perm

from . import selectors

# Khabarovsk itself, the centre of the map (city centre, WGS 84).
HOME = {"latitude": 48.4827, "longitude": 135.0838}
WORLD_OUTLINE = "vendor/world-atlas/countries-110m.json"


def _summary(city):
    return _(
        "agreements: %(agreements)s, delegations: %(delegations)s, exchanges: %(exchanges)s, "
        "events: %(events)s, organisations: %(organisations)s"
    ) % {
        "agreements": city.agreement_count,
        "delegations": city.delegation_count,
        "exchanges": city.exchange_count,
        "events": city.event_count,
        "organisations": city.organisation_count,
    }


def _marker(city):
    return {
        "name": city.name_ru,
        "url": city.get_absolute_url(),
        "latitude": float(city.latitude),
        "longitude": float(city.longitude),
        "sister": city.status == city.Status.SISTER,
        "summary": _summary(city),
    }


@portal_view
@require_GET
def city_map(request):
    require_perm(request.user, "partners.view_partnercity")
    cities = list(selectors.city_map())
    data = {
        "world": static(WORLD_OUTLINE),
        "home": {**HOME, "name": _("Khabarovsk")},
        "cities": [_marker(city) for city in cities],
    }
    context = {
        "cities": [(city, _summary(city)) for city in cities],
        "without_coordinates": selectors.cities_without_coordinates(),
        "map_data": data,
    }
    return render(request, "partners/city_map.html", context)
