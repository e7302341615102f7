"""Admin helpers: changelists that stay fast on tables with millions of rows, read-only pages."""

from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html


class BigTableAdminMixin:
    """No second full-table COUNT for "x of y", and a modest page size."""

    show_full_result_count = False
    list_per_page = 50


class ReadOnlyAdminMixin:
    """Viewable in the admin; written only by services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def exact_search(
    queryset: QuerySet, term: str, *, fields: tuple[str, ...] = (), related: dict | None = None
) -> QuerySet:
    """Filter by exact matches on indexed columns, each ORed.

    ``fields`` are direct columns; ``related`` maps a local foreign-key column to a queryset of
    the related model whose ids are resolved first, so PostgreSQL can combine plain index scans
    (a join inside an OR would defeat them).
    """
    term = term.strip()
    if not term:
        return queryset
    condition = Q()
    for name in fields:
        condition |= Q(**{name: term})
    for column, related_qs in (related or {}).items():
        ids = list(related_qs.values_list("pk", flat=True)[:1000])
        if ids:
            condition |= Q(**{f"{column}__in": ids})
    if not condition:
        return queryset.none()
    return queryset.filter(condition)


def change_link(model: type[Model], pk, text) -> str:
    """A link to the admin change page of ``model`` ``pk``, without loading the object."""
    if pk is None:
        return "-"
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[pk])
    return format_html('<a href="{}">{}</a>', url, text)
