from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), ("Time", {"fields": ["time_zone"]}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, ("Time", {"fields": ["time_zone"]}))
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "time_zone"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "time_zone"]
