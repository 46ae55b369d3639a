from django.urls import path

from scrutineer.reports import views
from scrutineer.security.csp import serves_report_html

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("builds/<int:build_id>/", views.build_detail, name="build"),
    # These four answer with a committee report's own HTML, stylesheet inside.
    path("preview/layout/", serves_report_html(views.layout_preview), name="layout-preview"),
    path("builds/<int:build_id>/<str:fmt>", serves_report_html(views.build_file), name="build-file"),
    path("<slug:slug>/", views.open_report, name="open"),
    path("<slug:slug>/<period:period>/", views.report_detail, name="detail"),
    path("<slug:slug>/<period:period>/draft/", serves_report_html(views.draft_preview), name="draft"),
    path("<slug:slug>/<period:period>/edit/", views.edit_report, name="edit"),
    path("<slug:slug>/<period:period>/publish/", views.publish, name="publish"),
    path("<slug:slug>/<period:period>/build/", views.build_create, name="build-create"),
    path(
        "<slug:slug>/<period:period>/v<int:number>/<str:fmt>",
        serves_report_html(views.version_file),
        name="version-file",
    ),
]
