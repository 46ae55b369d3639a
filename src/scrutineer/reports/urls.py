from django.urls import path

from scrutineer.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("builds/<int:build_id>/", views.build_detail, name="build"),
    path("builds/<int:build_id>/<str:fmt>", views.build_file, name="build-file"),
    path("<slug:slug>/", views.open_report, name="open"),
    path("<slug:slug>/<period:period>/", views.report_detail, name="detail"),
    path("<slug:slug>/<period:period>/draft/", views.draft_preview, name="draft"),
    path("<slug:slug>/<period:period>/edit/", views.edit_report, name="edit"),
    path("<slug:slug>/<period:period>/publish/", views.publish, name="publish"),
    path("<slug:slug>/<period:period>/build/", views.build_create, name="build-create"),
    path("<slug:slug>/<period:period>/v<int:number>/<str:fmt>", views.version_file, name="version-file"),
]
