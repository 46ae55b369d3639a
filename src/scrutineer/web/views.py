from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from scrutineer.catalogue.access import roles_of, visible_committees, visible_services, visible_themes


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {
            "committees": visible_committees(request.user).order_by("name"),
            # Those with indicators: an officer's list need not show services not yet set up.
            "services": visible_services(request.user).filter(indicators__isnull=False).distinct(),
            "themes": visible_themes(request.user)
            .filter(indicators__isnull=False)
            .distinct()
            .select_related("priority"),
            "roles": sorted(r.label for r in roles_of(request.user)),
        },
    )
