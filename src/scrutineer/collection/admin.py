"""Figures, achievements and the collection cycle in the admin: to look at, with their
history, never to edit.

Every change goes through `collection.actions`, which check roles, states and versions
and write the audit trail; an admin form would bypass all of that. Reverting from the
history page is refused for the same reason.
"""

from django.contrib import admin

from scrutineer.catalogue.admin import ReadOnlyHistoryAdmin, ViewOnly
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


@admin.register(models.CollectionRound)
class CollectionRoundAdmin(ReadOnlyHistoryAdmin):
    list_display = ["period", "state", "opens_on", "due_on", "approvals_due_on", "closed_at"]
    list_filter = ["state", "frequency"]


@admin.register(models.RoundSchedule)
class RoundScheduleAdmin(ReadOnlyHistoryAdmin):
    list_display = ["frequency", "open_day", "due_day", "approvals_day", "active"]


@admin.register(models.CorrectiveAction)
class CorrectiveActionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["indicator", "period", "owner", "due_on", "state"]
    list_filter = ["state"]
    list_select_related = ["indicator", "owner"]


@admin.register(models.Reminder)
class ReminderAdmin(ViewOnly, admin.ModelAdmin):
    """The outbox: every reminder claimed, and whether it was sent."""

    list_display = ["round", "step", "address", "items", "status", "sent_at"]
    list_filter = ["step", "status"]
    search_fields = ["address"]


@admin.register(models.Restatement)
class RestatementAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["value", "state", "requested_at", "restated_at"]
    list_filter = ["state"]
