"""Admin for API tokens: created through the token service, the key shown once, revocable."""

from django.contrib import admin, messages
from django.utils import timezone

from omnitron.models import APIToken
from omnitron.tokens import token_create, token_revoke


class TokenStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True).exclude(expires_at__lte=now)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    list_display = ["key_prefix", "name", "user", "state", "created_date", "expires_at", "last_used_at"]
    list_filter = [TokenStateFilter]
    search_fields = ["=key_prefix", "name", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["key_prefix", "created_date", "last_used_at", "revoked_at"]
    actions = ["revoke_tokens"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "expires_at"]
        return ["user", "name", "key_prefix", "expires_at", "created_date", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", *self.readonly_fields]

    @admin.display(description="state")
    def state(self, obj: APIToken) -> str:
        if obj.revoked_at:
            return "revoked"
        if obj.is_expired:
            return "expired"
        return "active"

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "expires_at", "modified_date"])
            return
        token, key = token_create(user=obj.user, name=obj.name, expires_at=obj.expires_at)
        obj.pk = token.pk
        obj.key_prefix = token.key_prefix
        obj.digest = token.digest
        obj.created_date = token.created_date
        self.message_user(
            request,
            f"Token created. Copy the key now, it is not stored and will not be shown again: {key}",
            level=messages.WARNING,
        )

    @admin.action(description="Revoke selected tokens", permissions=["change"])
    def revoke_tokens(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(token=token)
            count += 1
        self.message_user(request, f"Revoked {count} token(s).")
