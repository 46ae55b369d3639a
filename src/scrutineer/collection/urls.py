from django.urls import path

from scrutineer.collection import views

app_name = "collection"
urlpatterns = [
    path("my-work/", views.my_work, name="my-work"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/approve/", views.approve_many, name="approve-many"),
    path("approvals/<int:pk>/", views.review_value, name="review"),
    path("indicators/<str:code>/<period:period>/", views.enter_value, name="enter"),
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
