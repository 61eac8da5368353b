from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Time", {"fields": ["time_zone"]}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, ("Time", {"fields": ["time_zone"]}))
    list_display = [*DjangoUserAdmin.list_display, "time_zone"]
    list_filter = [*DjangoUserAdmin.list_filter, "time_zone"]
