"""The catalogue in the admin, for administrators.

Indicators and targets are shown with their history but never edited here: they change
on the performance officers' pages (`/manage/`), through `catalogue.actions`, which ask
for a reason and refuse stale edits. An admin form would bypass both.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from scrutineer.catalogue import models
from scrutineer.changes import VersionedAdmin


class ViewOnly:
    """Shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(ViewOnly, SimpleHistoryAdmin):
    """To look at, with history; changes go through the actions and their pages."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("This changes through Scrutineer's own pages, not the admin.")
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["__str__", "job_title", "service", "is_councillor", "user"]
    list_filter = ["is_councillor", "service"]
    search_fields = ["name", "job_title", "email"]


@admin.register(models.Directorate, models.Group)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "head"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.ServiceTeam)
class ServiceTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "team_leader", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Portfolio)
class PortfolioAdmin(admin.ModelAdmin):
    list_display = ["name", "holder"]


@admin.register(models.CorporateObjective)
class OrderedAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]


@admin.register(models.Priority)
class PriorityAdmin(VersionedAdmin, admin.ModelAdmin):
    list_display = ["name", "position"]
    readonly_fields = ["version"]


@admin.register(models.Theme)
class ThemeAdmin(VersionedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "position"]
    list_filter = ["priority"]
    readonly_fields = ["version"]


@admin.register(models.Committee)
class CommitteeAdmin(VersionedAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "portfolio", "table_as_appendix"]
    filter_horizontal = ["services", "indicators", "corporate_objectives"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["version"]


class TargetInline(ViewOnly, admin.TabularInline):
    model = models.Target
    extra = 0


@admin.register(models.Indicator)
class IndicatorAdmin(ReadOnlyHistoryAdmin):
    list_display = ["code", "name", "measure_kind", "polarity", "frequency", "service", "active"]
    list_filter = ["active", "measure_kind", "polarity", "frequency", "service", "theme"]
    search_fields = ["code", "name"]
    list_select_related = ["service"]
    inlines = [TargetInline]
