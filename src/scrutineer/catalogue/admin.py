"""The catalogue in the admin, for administrators.

Indicators, targets and status rules are shown with their history but never edited
here: they change on the performance officers' pages (`/manage/`), through
`catalogue.actions`, which ask for a reason and refuse stale edits. An admin form would
bypass both.

Everything else here keeps a change history too (its "History" button): who changed
what and when, users' groups and staff, superuser and active flags included. A save with
its many-to-many fields (a committee's members, a user's groups) is one history row.
History is for reading: reverting from it is switched off, so every change is made, and
recorded, as a change.
"""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from scrutineer.catalogue import models
from scrutineer.catalogue.history import hold_history, write_history
from scrutineer.changes import VersionedAdmin, record_change


class ViewOnly:
    """Shown, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(SimpleHistoryAdmin):
    """With its history to read, never to revert from; a change here says it was made here."""

    refused_revert = "Change it on its form instead: history is kept for reading, not for reverting."

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied(self.refused_revert)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        record_change(obj, request.user, "Changed in the admin" if change else "Added in the admin")

    def delete_model(self, request, obj):
        obj._history_user, obj._change_reason = request.user, "Deleted in the admin"
        super().delete_model(request, obj)


class OneHistoryRow:
    """Mix into a `HistoryAdmin` for a model with many-to-many fields in its history: the
    save and the changes to those fields make one history row."""

    def save_model(self, request, obj, form, change):
        hold_history(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        write_history(form.instance)


class ReadOnlyHistoryAdmin(ViewOnly, HistoryAdmin):
    """To look at, with history; changes go through the actions and their pages."""

    refused_revert = "This changes through Scrutineer's own pages, not the admin."


@admin.register(models.Person)
class PersonAdmin(VersionedAdmin, HistoryAdmin):
    list_display = ["__str__", "job_title", "service", "is_councillor", "active", "user"]
    list_filter = ["is_councillor", "active", "service"]
    readonly_fields = ["version"]
    search_fields = ["name", "job_title", "email"]


@admin.register(models.Directorate, models.Group)
class OrganisationAdmin(VersionedAdmin, HistoryAdmin):
    list_display = ["name", "slug", "head"]
    readonly_fields = ["version"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.ServiceTeam)
class ServiceTeamAdmin(VersionedAdmin, HistoryAdmin):
    list_display = ["name", "group", "team_leader", "position"]
    readonly_fields = ["version"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Portfolio)
class PortfolioAdmin(VersionedAdmin, HistoryAdmin):
    list_display = ["name", "holder"]
    readonly_fields = ["version"]


@admin.register(models.CorporateObjective)
class OrderedAdmin(VersionedAdmin, HistoryAdmin):
    list_display = ["name", "position"]
    readonly_fields = ["version"]


@admin.register(models.Priority)
class PriorityAdmin(VersionedAdmin, HistoryAdmin):
    list_display = ["name", "position"]
    readonly_fields = ["version"]


@admin.register(models.Theme)
class ThemeAdmin(VersionedAdmin, HistoryAdmin):
    list_display = ["__str__", "position", "status_rule"]
    list_filter = ["priority"]
    # A theme's status rule changes on the status rules page, with a preview and a reason.
    readonly_fields = ["status_rule", "version"]


@admin.register(models.Committee)
class CommitteeAdmin(OneHistoryRow, VersionedAdmin, HistoryAdmin):
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


@admin.register(models.StatusRuleDefinition, models.SiteDefaults)
class StatusRuleAdmin(ReadOnlyHistoryAdmin):
    """Status rules are written, previewed and applied on `/manage/status-rules/`."""


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(OneHistoryRow, HistoryAdmin, auth_admin.UserAdmin):
    """Django's user admin, with the history of each user's groups and flags."""
