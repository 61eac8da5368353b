from django.contrib import admin
from django.utils.html import format_html_join

from tracker import order_stages
from tracker.models import SandboxText, StatusChange, TrackedOrder


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ("seen_at", "previous", "stage")
    readonly_fields = ("seen_at", "previous", "stage")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TrackedOrder)
class TrackedOrderAdmin(admin.ModelAdmin):
    """Orders as the poll recorded them. The token is never shown (only whether one is stored), nor
    the whole phone number in the list."""

    list_display = [
        "id",
        "owner",
        "cart_id",
        "name",
        "tracking",
        "stage",
        "phone_masked",
        "failed_polls",
        "texts_sent",
        "started_at",
    ]
    list_filter = ["tracking", "stage", "started_at"]
    search_fields = ["cart_id", "owner__username", "last_error"]
    list_select_related = ["owner"]
    date_hierarchy = "started_at"
    exclude = ["token_ciphertext"]
    readonly_fields = [
        "owner",
        "tracker_url",
        "cart_id",
        "name",
        "phone",
        "texted_stages",
        "token_stored",
        "tracking",
        "stage",
        "stage_at",
        "failed_polls",
        "last_error",
        "last_polled_at",
        "polls",
        "texts_pending",
        "texts_sent",
        "started_at",
        "ended_at",
        "timeline",
    ]
    inlines = [StatusChangeInline]

    @admin.display(description="Phone")
    def phone_masked(self, obj):
        return order_stages.mask_phone(obj.phone)

    @admin.display(description="Token", boolean=True)
    def token_stored(self, obj):
        return obj.has_token

    @admin.display(description="Stages")
    def timeline(self, obj):
        return format_html_join(", ", "{} ({})", ((c.label, c.seen_at) for c in obj.changes.all())) or "-"

    def has_add_permission(self, request):
        return False  # orders are added at /tracker/ or POST /api/orders/ (the token is encrypted there)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SandboxText)
class SandboxTextAdmin(admin.ModelAdmin):
    """What the sandbox's Twilio stand-in received (laptop stages)."""

    list_display = ["sid", "to", "body", "received_at"]
    readonly_fields = ["sid", "account_sid", "to", "from_number", "body", "received_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
