from django.contrib import admin

from countries.models import FetchAttempt, FetchRequest


class FetchAttemptInline(admin.TabularInline):
    model = FetchAttempt
    extra = 0
    can_delete = False
    fields = ["started_at", "success", "duration_ms", "upstream_status", "error", "receive_count"]
    readonly_fields = ["started_at", "success", "duration_ms", "upstream_status", "error", "receive_count"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FetchRequest)
class FetchRequestAdmin(admin.ModelAdmin):
    """Fetch requests as the worker recorded them (read-only: they are made at /fetch-data/)."""

    list_display = ["id", "code", "owner", "trigger", "status", "created_at", "finished_at"]
    list_filter = ["status", "trigger", "created_at"]
    search_fields = ["code", "owner__username", "failure"]
    list_select_related = ["owner"]
    date_hierarchy = "created_at"
    inlines = [FetchAttemptInline]
    readonly_fields = [
        "code",
        "owner",
        "trigger",
        "status",
        "failure",
        "send_error",
        "send_attempts",
        "created_at",
        "queued_at",
        "claimed_at",
        "finished_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FetchAttempt)
class FetchAttemptAdmin(admin.ModelAdmin):
    list_display = ["id", "code", "started_at", "success", "duration_ms", "upstream_status", "error"]
    list_filter = ["success", "code"]
    search_fields = ["code", "error"]
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in FetchAttempt._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
