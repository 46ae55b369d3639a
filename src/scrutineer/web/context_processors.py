"""What every page's header needs to know about the user, worked out only if it is shown."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from scrutineer.catalogue.access import is_performance_officer
from scrutineer.catalogue.models import site_identity


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {
        "is_performance_officer": SimpleLazyObject(lambda: is_performance_officer(request.user)),
        # The council's name and logo in the header (one query, only if the page shows it).
        "site": SimpleLazyObject(site_identity),
    }
