from django.urls import path

from scrutineer.collection import views

app_name = "collection"
urlpatterns = [
    path("my-work/", views.my_work, name="my-work"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/approve/", views.approve_many, name="approve-many"),
    path("approvals/<int:pk>/", views.review_value, name="review"),
    path("indicators/<str:code>/<period:period>/", views.enter_value, name="enter"),
    path("indicators/<str:code>/<period:period>/correct/", views.correct, name="correct"),
    path(
        "indicators/<str:code>/<period:period>/corrective-actions/new/",
        views.corrective_action_add,
        name="corrective-action-add",
    ),
    path("indicators/<str:code>/comments-required/", views.comment_rule, name="comment-rule"),
    path("corrective-actions/<int:pk>/", views.corrective_action_update, name="corrective-action"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/schedule/", views.schedule, name="schedule"),
    path("rounds/<period:period>/", views.round_page, name="round"),
    path("rounds/<period:period>/close/", views.close_round_page, name="round-close"),
    path("overdue/", views.overdue, name="overdue"),
    path("overdue.csv", views.overdue_download, name="overdue-csv"),
    path(
        "services/<slug:slug>/achievements/<period:period>/",
        views.service_achievements,
        name="achievements",
    ),
    path(
        "services/<slug:slug>/achievements/<period:period>/approve/",
        views.approve,
        name="achievements-approve",
    ),
    path(
        "services/<slug:slug>/achievements/<period:period>/new/",
        views.edit_achievement,
        name="achievement-add",
    ),
    path(
        "services/<slug:slug>/achievements/<period:period>/<int:position>/",
        views.edit_achievement,
        name="achievement-edit",
    ),
]
