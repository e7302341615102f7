"""Admin for API tokens: created through the token service, the key shown once, revocable; each
user's page lists their tokens with their last use."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q
from django.utils import timezone

from omnitron.models import APIToken, TokenKind
from omnitron.tokens import login_token_idle_since, token_create, token_is_idle, token_revoke


def token_state(token: APIToken, *, idle_since) -> str:
    if token.revoked_at:
        return "revoked"
    if token.is_expired:
        return "expired"
    if token_is_idle(token, idle_since=idle_since):
        return "idle"
    return "active"


class TokenStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("idle", "Idle"), ("expired", "Expired"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        now = timezone.now()
        idle_since = login_token_idle_since()
        idle = (
            Q(kind=TokenKind.LOGIN)
            & (Q(last_used_at__lt=idle_since) | Q(last_used_at__isnull=True, created_date__lt=idle_since))
            if idle_since
            else Q(pk__in=[])
        )
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True).exclude(expires_at__lte=now).exclude(idle)
        if self.value() == "idle":
            return queryset.filter(idle, revoked_at__isnull=True).exclude(expires_at__lte=now)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    list_display = ["key_prefix", "name", "kind", "user", "state", "created_date", "expires_at", "last_used_at"]
    list_filter = [TokenStateFilter, "kind"]
    search_fields = ["=key_prefix", "name", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["kind", "key_prefix", "created_date", "last_used_at", "revoked_at"]
    actions = ["revoke_tokens"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "expires_at"]
        return ["user", "name", "kind", "key_prefix", "expires_at", "created_date", "last_used_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", *self.readonly_fields]

    @admin.display(description="state")
    def state(self, obj: APIToken) -> str:
        return token_state(obj, idle_since=login_token_idle_since())

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


class APITokenInline(admin.TabularInline):
    """A user's tokens, newest first, with their last use; created and revoked on the token pages."""

    model = APIToken
    readonly_fields = (
        "key_prefix",
        "name",
        "kind",
        "state",
        "created_date",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    fields = readonly_fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-id"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="state")
    def state(self, obj: APIToken) -> str:
        return token_state(obj, idle_since=login_token_idle_since())


# django.contrib.auth registers the user admin first (it comes earlier in INSTALLED_APPS).
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserWithTokensAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, APITokenInline]
