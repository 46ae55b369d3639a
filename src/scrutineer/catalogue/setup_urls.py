"""The first-run page and the council's logo (the identity page is under /manage/)."""

from django.urls import path

from scrutineer.catalogue import setup_views

app_name = "setup"
urlpatterns = [
    path("setup/", setup_views.first_run, name="first-run"),
    path("site/logo/<str:digest>/", setup_views.logo, name="logo"),
]
