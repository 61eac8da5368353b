from django.contrib import admin

from routines.models import Routine, RoutineDay, RoutineItem


class RoutineItemInline(admin.TabularInline):
    model = RoutineItem
    extra = 1
    fields = ["position", "text"]
    ordering = ["position", "id"]


@admin.register(Routine)
class RoutineAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "position", "item_count", "updated_at"]
    list_filter = ["owner"]
    search_fields = ["name", "description", "owner__username", "items__text"]
    list_select_related = ["owner"]
    autocomplete_fields = ["owner"]
    inlines = [RoutineItemInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_item_count=Count("items", distinct=True))

    @admin.display(description="items", ordering="_item_count")
    def item_count(self, obj):
        return obj._item_count


@admin.register(RoutineDay)
class RoutineDayAdmin(admin.ModelAdmin):
    """The archive written by the DynamoDB stream; read-only here so it never disagrees with it."""

    list_display = ["routine", "date", "done_count", "total", "version", "updated_at"]
    list_filter = ["routine__owner", "date"]
    search_fields = ["routine__name", "routine__owner__username"]
    list_select_related = ["routine", "routine__owner"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
