from django.urls import path

from scrutineer.catalogue import setup_views, views

app_name = "manage"
urlpatterns = [
    path("", views.index, name="index"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/new/", views.indicator_edit, name="indicator-add"),
    path("indicators/<str:code>/", views.indicator_edit, name="indicator-edit"),
    path("targets/roll-forward/", views.roll_forward, name="targets-roll-forward"),
    path("indicators/<str:code>/targets/", views.target_list, name="targets"),
    path("indicators/<str:code>/targets/<period:period>/", views.target_edit, name="target-edit"),
    path("themes/", views.theme_list, name="themes"),
    path("themes/new/", views.theme_edit, name="theme-add"),
    path("themes/<int:pk>/", views.theme_edit, name="theme-edit"),
    path("priorities/new/", views.priority_edit, name="priority-add"),
    path("priorities/<int:pk>/", views.priority_edit, name="priority-edit"),
    path("committees/", views.committee_list, name="committees"),
    path("committees/new/", views.committee_edit, name="committee-add"),
    path("committees/<slug:slug>/", views.committee_edit, name="committee-edit"),
    path("committees/<slug:slug>/history.csv", views.committee_history_csv, name="committee-history"),
    path("committees/<slug:slug>/periods/", views.committee_periods, name="committee-periods"),
    path("status-rules/", views.status_rule_list, name="status-rules"),
    path("status-rules/new/", views.status_rule_edit, name="status-rule-add"),
    path("status-rules/clear/", views.status_rule_clear, name="status-rule-clear"),
    path("status-rules/<int:pk>/", views.status_rule_edit, name="status-rule-edit"),
    path("status-rules/<int:pk>/apply/", views.status_rule_apply, name="status-rule-apply"),
    path("identity/", setup_views.identity, name="identity"),
    path("history/", views.change_history, name="history"),
    path("history.csv", views.change_history_csv, name="history-csv"),
]
