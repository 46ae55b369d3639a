from django.contrib import admin
from django.urls import include, path, register_converter

from scrutineer.catalogue.organisation_views import WelcomeView, welcome_done
from scrutineer.web.converters import PeriodConverter

# `<period:period>` in any address: a period key such as 2020-21-Q1, given to views as a Period.
register_converter(PeriodConverter, "period")

urlpatterns = [
    path("admin/", admin.site.urls),
    # An invitation's link to choose a password (catalogue.organisation.invite_person).
    path("accounts/welcome/<uidb64>/<token>/", WelcomeView.as_view(), name="welcome"),
    path("accounts/welcome/done/", welcome_done, name="welcome-done"),
    path("accounts/", include("scrutineer.security.urls")),
    path("reports/", include("scrutineer.reports.urls")),
    path("manage/", include("scrutineer.catalogue.urls")),
    # The first-run page and the council's logo (catalogue/setup_views.py).
    path("", include("scrutineer.catalogue.setup_urls")),
    path("", include("scrutineer.exchange.urls")),
    path("", include("scrutineer.web.urls")),
    path("", include("scrutineer.collection.urls")),
]
