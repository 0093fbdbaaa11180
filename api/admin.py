from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User

from .models import ApiToken
from .tokens import issue_token, revoke_token


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    fields = ("user", "name", "prefix", "created_at", "created_by", "last_used_at", "revoked_at", "revoked_by")
    readonly_fields = ("prefix", "created_at", "created_by", "last_used_at", "revoked_at", "revoked_by")
    actions = ("revoke",)

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> tuple[str, ...]:
        # A token's owner and name are fixed once issued; revoke and issue a new one instead.
        if obj is not None:
            return (*self.readonly_fields, "user", "name")
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        # Revoked tokens stay, as the record of who could use the API when.
        return False

    def save_model(self, request: HttpRequest, obj: ApiToken, form: object, change: bool) -> None:
        if change:
            return
        by: User = request.user  # type: ignore[assignment]
        token, raw = issue_token(user=obj.user, name=obj.name, by=by)
        obj.pk = token.pk
        obj.refresh_from_db()
        self.message_user(
            request,
            _("Token issued. Copy it now, it will not be shown again: %(token)s") % {"token": raw},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: object) -> None:
        by: User = request.user  # type: ignore[assignment]
        count = sum(revoke_token(token=token, by=by) for token in queryset)  # type: ignore[attr-defined]
        self.message_user(
            request, ngettext("%(count)s token revoked.", "%(count)s tokens revoked.", count) % {"count": count}
        )
