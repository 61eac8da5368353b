from django.contrib import admin

from scraper.models import ScrapeRun, ScrapeSchedule


@admin.register(ScrapeRun)
class ScrapeRunAdmin(admin.ModelAdmin):
    """Runs as the pipeline recorded them: counts and times are read-only (the streams write them)."""

    list_display = [
        "id",
        "owner",
        "url",
        "trigger",
        "status",
        "rows_seen",
        "rows_sent",
        "rows_stored",
        "rows_rejected",
        "page_errors",
        "created_at",
    ]
    list_filter = ["status", "trigger", "created_at"]
    search_fields = ["url", "owner__username", "failure"]
    list_select_related = ["owner"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "owner",
        "url",
        "trigger",
        "status",
        "failure",
        "final_url",
        "page_bytes",
        "created_at",
        "started_at",
        "sent_at",
        "finished_at",
        "rows_seen",
        "rows_sent",
        "rows_unsent",
        "rows_stored",
        "rows_rejected",
        "page_errors",
    ]

    def has_add_permission(self, request):
        return False  # a run is started from /scraper/, the API or `manage.py scrape`

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScrapeSchedule)
class ScrapeScheduleAdmin(admin.ModelAdmin):
    """Each user's schedule; the slot and the last outcome are the command's to write."""

    list_display = [
        "owner",
        "url",
        "every_minutes",
        "enabled",
        "next_due_at",
        "last_fired_at",
        "last_outcome",
    ]
    list_filter = ["enabled", "every_minutes"]
    search_fields = ["url", "owner__username"]
    list_select_related = ["owner"]
    readonly_fields = ["owner", "next_due_at", "last_fired_at", "last_run", "last_outcome", "updated_at"]

    def has_add_permission(self, request):
        return False
