from django.contrib import admin

from prices.models import OutboxEmail, PriceAlert, PriceDrop, PriceFetch, PriceReport, Subscription


@admin.register(PriceReport)
class PriceReportAdmin(admin.ModelAdmin):
    """The weekly reports as fetched (read-only: fetch_prices writes them)."""

    list_display = ["week", "region", "price", "fetched_at"]
    list_filter = ["region"]
    date_hierarchy = "week"
    readonly_fields = ["week", "region", "price", "fetched_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PriceFetch)
class PriceFetchAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "started_at",
        "status",
        "backfill",
        "rows_received",
        "reports_created",
        "reports_revised",
        "values_skipped",
        "hot_items_written",
    ]
    list_filter = ["status"]
    search_fields = ["failure"]

    def has_add_permission(self, request):
        return False  # a fetch is `manage.py fetch_prices` or the weekly schedule

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Subscriptions; remove them from /prices/ or the API so the SNS subscription goes too."""

    list_display = ["email", "owner", "min_drop_cents", "target_price", "confirmed_at", "created_at"]
    search_fields = ["email", "owner__username"]
    list_select_related = ["owner"]
    readonly_fields = [
        "owner",
        "email",
        "regions",
        "min_drop_cents",
        "target_price",
        "sns_subscription_arn",
        "confirmed_at",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PriceDrop)
class PriceDropAdmin(admin.ModelAdmin):
    list_display = ["week", "region", "previous_price", "price", "recorded_at"]
    list_filter = ["region"]
    date_hierarchy = "week"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PriceAlert)
class PriceAlertAdmin(admin.ModelAdmin):
    list_display = ["week", "subscription", "sent_at", "sns_message_id"]
    date_hierarchy = "week"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["received_at", "to", "owner", "subject"]
    search_fields = ["to", "subject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
