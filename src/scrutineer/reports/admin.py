from django.contrib import admin

from scrutineer.reports import models


@admin.register(models.Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["committee", "period", "meeting_date", "state"]
    list_filter = ["committee", "state"]
