from django.urls import path

from scrutineer.web import dashboards, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("committees/<slug:slug>/", dashboards.committee_dashboard, name="committee"),
    path("indicators/<str:code>/", dashboards.indicator_page, name="indicator"),
]
