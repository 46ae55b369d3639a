from django.urls import path

from scrutineer.web import dashboards, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("committees/<slug:slug>/", dashboards.committee_dashboard, name="committee"),
    path("indicators/<str:code>/", dashboards.indicator_page, name="indicator"),
    path("indicators/<str:code>/history.csv", dashboards.indicator_history_csv, name="indicator-history"),
    path("services/<slug:slug>/", dashboards.service_dashboard, name="service"),
    path("themes/<int:pk>/", dashboards.theme_dashboard, name="theme"),
]
