from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from scrutineer.changes import VersionedAdmin
from scrutineer.reports import models


@admin.register(models.Report)
class ReportAdmin(VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["committee", "period", "meeting_date", "state"]
    list_filter = ["committee", "state"]
    readonly_fields = ["version", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by, obj.updated_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)
