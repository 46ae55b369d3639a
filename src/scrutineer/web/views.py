from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from scrutineer.catalogue.models import Committee


def home(request: HttpRequest) -> HttpResponse:
    committees = Committee.objects.order_by("name")
    return render(request, "web/home.html", {"committees": committees})
