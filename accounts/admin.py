from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (None, {"fields": ("job_title",)}))
