from django.urls import path

from scrutineer.exchange import views

app_name = "exchange"
urlpatterns = [
    path("data/", views.index, name="index"),
    path("data/import/", views.upload, name="upload"),
    path("data/imports/<int:run_id>/", views.run_detail, name="run"),
    path("data/imports/<int:run_id>/confirm/", views.confirm, name="confirm"),
    path("data/template.<str:fmt>", views.template, name="template"),
    path("data/export/", views.export, name="export"),
    path("data/benchmarks/", views.benchmark_upload, name="benchmarks"),
    # Open data: anyone, no sign-in; one address per committee and period.
    path("open-data/", views.open_data_index, name="open-data"),
    path("open-data/<slug:slug>/<period:period>.<str:fmt>", views.open_data_file, name="open-data-file"),
    path(
        "open-data/<slug:slug>/<period:period>/metadata.json",
        views.open_data_file,
        {"fmt": "metadata.json"},
        name="open-data-metadata",
    ),
]
