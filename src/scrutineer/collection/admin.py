"""Figures and achievements in the admin: to look at, with their history, never to edit.

Every change goes through `collection.actions`, which check roles, states and versions
and write the audit trail; an admin form would bypass all of that. Reverting from the
history page is refused for the same reason.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from scrutineer.collection import models


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("Figures change through Scrutineer's collection pages, not the admin.")
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(models.Value)
class ValueAdmin(ReadOnlyHistoryAdmin):
    list_display = ["indicator", "period", "value", "numerator", "denominator", "not_measured", "state"]
    list_filter = ["state", "not_measured"]
    search_fields = ["indicator__code", "indicator__name"]
    list_select_related = ["indicator"]


@admin.register(models.Achievement)
class AchievementAdmin(ReadOnlyHistoryAdmin):
    list_display = ["service", "period", "position", "state"]
    list_filter = ["service", "state"]
