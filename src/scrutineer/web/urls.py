from django.urls import path

from scrutineer.web import achievements, dashboards, views, work

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("my-work/", work.my_work, name="my-work"),
    path("approvals/", work.approvals, name="approvals"),
    path("approvals/approve/", work.approve_many, name="approve-many"),
    path("approvals/<int:pk>/", work.review_value, name="review"),
    path("committees/<slug:slug>/", dashboards.committee_dashboard, name="committee"),
    path("indicators/<str:code>/", dashboards.indicator_page, name="indicator"),
    path("indicators/<str:code>/history.csv", dashboards.indicator_history_csv, name="indicator-history"),
    path("indicators/<str:code>/<period:period>/", work.enter_value, name="enter"),
    path("services/<slug:slug>/", dashboards.service_dashboard, name="service"),
    path("themes/<int:pk>/", dashboards.theme_dashboard, name="theme"),
    path(
        "services/<slug:slug>/achievements/<period:period>/",
        achievements.service_achievements,
        name="achievements",
    ),
    path(
        "services/<slug:slug>/achievements/<period:period>/approve/",
        achievements.approve,
        name="achievements-approve",
    ),
    path(
        "services/<slug:slug>/achievements/<period:period>/new/",
        achievements.edit_achievement,
        name="achievement-add",
    ),
    path(
        "services/<slug:slug>/achievements/<period:period>/<int:position>/",
        achievements.edit_achievement,
        name="achievement-edit",
    ),
]
