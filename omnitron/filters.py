"""Shared filter plumbing: the ``sort`` parameter and Omnitron-style lookups."""

import django_filters
from django import forms
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter


class SortFilter(OrderingFilter):
    """``?sort=-date_placed,id`` over the view's ``ordering_fields`` allow-list.

    Unknown fields answer 400 (never silently ignored). The result always ends in ``id`` so
    pages are stable; the view's ``ordering`` is the default.
    """

    ordering_param = "sort"

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        allowed = set(getattr(view, "ordering_fields", None) or [])
        if params:
            terms = [term.strip() for term in params.split(",") if term.strip()]
            invalid = [term for term in terms if term.lstrip("-") not in allowed]
            if invalid or not terms:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            f"Unknown sort field(s): {', '.join(invalid) or params}. "
                            f"Allowed: {', '.join(sorted(allowed))}."
                        ]
                    }
                )
            ordering = terms
        else:
            ordering = list(self.get_default_ordering(view) or [])
        if ordering and not any(term.lstrip("-") in {"id", "pk"} for term in ordering):
            ordering.append("-id" if ordering[-1].startswith("-") else "id")
        return ordering

    def get_schema_operation_parameters(self, view):
        allowed = sorted(getattr(view, "ordering_fields", None) or [])
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Comma-separated fields to sort by, `-` for descending. Allowed: "
                + ", ".join(f"`{name}`" for name in allowed),
                "schema": {"type": "string"},
            }
        ]


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """``field__in=a,b,c`` for text columns."""


MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    """A database id: a whole number from 1 to the largest bigint."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class IdFilter(django_filters.NumberFilter):
    field_class = IdField


class IdInFilter(django_filters.BaseInFilter, IdFilter):
    """``field__in=1,2,3`` for ids."""


def add_datetime_range_filters(filterset_class, *field_names: str) -> None:
    """Add ``<field>__gt/gte/lt/lte`` ISO 8601 filters for each field to a FilterSet class."""
    for name in field_names:
        for lookup in ("gt", "gte", "lt", "lte"):
            filter_name = f"{name}__{lookup}"
            instance = django_filters.IsoDateTimeFilter(field_name=name, lookup_expr=lookup)
            filterset_class.base_filters[filter_name] = instance


# ``field__in=1,2,3`` for integer id columns.
NumberInFilter = IdInFilter


class StrictBooleanField(forms.Field):
    """``true/false``, ``True/False``, ``1/0``; anything else is an error, never silently ignored."""

    TRUE = {"true", "1", "yes"}
    FALSE = {"false", "0", "no"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("Use true or false.")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField
