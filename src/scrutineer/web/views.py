from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from scrutineer.web.access import roles_of, visible_committees


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {
            "committees": visible_committees(request.user).order_by("name"),
            "roles": sorted(r.label for r in roles_of(request.user)),
        },
    )
