"""Figures and achievements in the admin: to look at, with their history, never to edit.

Every change goes through `collection.actions`, which check roles, states and versions
and write the audit trail; an admin form would bypass all of that. Reverting from the
history page is refused for the same reason.
"""

from django.contrib import admin

from scrutineer.catalogue.admin import ReadOnlyHistoryAdmin
from scrutineer.collection import models


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
