"""What the order admin pages show (status names, event values, refusals, search warnings)."""

import json
from functools import wraps

from django.contrib import admin, messages
from django.http import Http404

from omnitron.admin_utils import ReadOnlyAdminMixin
from omnitron.errors import ServiceError, ServiceValidationError
from orders.models import CancelStatus, EventType, OrderEvent
from orders.selectors.admin import SearchResult
from orders.statuses import STATUS_INFO

STATUS_FIELDS = frozenset({"status", "status_before_cancellation"})


def status_name(code: str | None) -> str:
    """``"Approved (400)"``: the name an operator reads, with the code integrators use."""
    if code is None:
        return "-"
    info = STATUS_INFO.get(code)
    return f"{info.en} ({code})" if info else str(code)


def event_value(field: str | None, value) -> str:
    """An event's old or new value as text: status and cancel-status names, yes/no for booleans."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field in STATUS_FIELDS and isinstance(value, str):
        return status_name(value)
    if field == "cancel_status" and value in CancelStatus.values:
        return CancelStatus(value).label
    if isinstance(value, dict):
        return ", ".join(f"{key}: {event_value(key, inner)}" for key, inner in value.items())
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def event_change(event: OrderEvent) -> str:
    """``"status: Approved (400) → Shipped (500)"``, or the value alone for events without a field
    (an order's creation records its status, a release the reservation's id)."""
    if event.event_type == EventType.RESERVATION_RELEASED:
        return f"reservation {event.new_value}"
    if event.field is None:
        return event_value("status" if event.event_type == EventType.CREATED else None, event.new_value)
    new = event_value(event.field, event.new_value)
    return f"{event.field}: {event_value(event.field, event.old_value)} → {new}"


def service_error_text(exc: ServiceError) -> str:
    """A service's refusal as one line for the admin."""
    if isinstance(exc, ServiceValidationError) and isinstance(exc.errors, dict):
        return " ".join(str(message) for messages in exc.errors.values() for message in messages)
    return exc.detail


def numeric_pk_only(view):
    """404 for an object URL whose ``pk`` is not a number, instead of a database error."""

    @wraps(view)
    def checked(request, *args, pk, **kwargs):
        if not pk.isdigit():
            raise Http404
        return view(request, *args, pk=pk, **kwargs)

    return checked


def report_search(model_admin: admin.ModelAdmin, request, result: SearchResult):
    """Changelist search answer; warns when the matching ids were cut short."""
    if result.truncated:
        model_admin.message_user(request, result.truncated, level=messages.WARNING)
    return result.queryset, False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Rows listed under an admin page in id order, with their ``related_rows`` joined."""

    extra = 0
    related_rows: tuple[str, ...] = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request).order_by("id")
        # select_related() without names would follow every foreign key.
        return queryset.select_related(*self.related_rows) if self.related_rows else queryset
