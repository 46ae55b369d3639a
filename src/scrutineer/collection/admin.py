from django.contrib import admin

from scrutineer.collection import models


@admin.register(models.Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "value", "numerator", "denominator", "not_measured", "state"]
    list_filter = ["state", "not_measured"]
    search_fields = ["indicator__code", "indicator__name"]
    list_select_related = ["indicator"]
    readonly_fields = ["version", "updated_at"]


@admin.register(models.Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ["service", "period", "position", "state"]
    list_filter = ["service", "state"]
