from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("reports/", include("scrutineer.reports.urls")),
    path("", include("scrutineer.web.urls")),
]
