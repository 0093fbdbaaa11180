"""The access log in the admin, read-only: nobody changes or removes an entry."""

from django.contrib import admin
from django.http import HttpRequest

from .models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin[AccessLog]):
    list_display = ("at", "user", "complaint", "action")
    list_filter = ("action",)
    list_select_related = ("user", "complaint")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AccessLog | None = None) -> bool:
        return False
