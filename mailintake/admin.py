from django.contrib import admin
from django.http import HttpRequest

from .models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin[InboundMessage]):
    list_display = ("received_at", "from_address", "subject", "outcome", "auto_generated", "complaint")
    list_filter = ("outcome", "auto_generated")
    search_fields = ("message_id", "from_address", "subject")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: InboundMessage | None = None) -> bool:
        return False
