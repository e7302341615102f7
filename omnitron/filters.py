"""Shared filter plumbing: the ``sort`` parameter and Omnitron-style lookups."""

import copy
from datetime import UTC

import django_filters
from django import forms
from django.http import QueryDict
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter


class _SharedFields(dict):
    """A filter form's fields, which validation only reads: each form takes a shallow copy.

    Django deep-copies a form's fields for every instance so that a view may change them; filter
    forms never do, and the copy of a dozen fields cost about a millisecond per request. Not for
    model choice fields, whose querysets would cache their rows across requests.
    """

    def __deepcopy__(self, memo):
        return dict(self)


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet without its per-request set-up cost.

    Upstream deep-copies every filter and builds a new form class on each request (about 3 ms
    for a dozen filters); here filters are copied shallowly (method filters re-bound to the
    copy) and the form class is built once per FilterSet class. Filters and their form fields
    are declarations that no request mutates, and so are the form's fields (``_SharedFields``).
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, declared in self.base_filters.items():
            filter_ = copy.copy(declared)
            if declared.method is not None:
                filter_.method = declared.method  # a FilterMethod bound to this copy, not to the declaration
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            if not any(isinstance(field, forms.ModelChoiceField) for field in form_class.base_fields.values()):
                form_class.base_fields = _SharedFields(form_class.base_fields)
            cls._form_class = form_class
        return form_class


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


BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


class IntegerFilter(django_filters.NumberFilter):
    """An integer column (ids): whole numbers within the 64-bit range, anything else answers 400.

    django-filter's NumberFilter takes decimals and unbounded numbers, which SQLite cannot bind
    (``OverflowError``, a 500) and which never match an integer column anyway.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", BIGINT_MIN)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)


class NumberInFilter(django_filters.BaseInFilter, IntegerFilter):
    """``field__in=1,2,3`` for integer columns."""


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """``field__in=a,b,c`` for text columns."""


class IdFilter(IntegerFilter):
    """A database id: a whole number from 1 to the largest bigint."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)


class IdInFilter(django_filters.BaseInFilter, IdFilter):
    """``field__in=1,2,3`` for ids."""


class UTCIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 datetime, converted to UTC.

    PostgreSQL refuses UTC offsets beyond ±15:59 that Python accepts (a 500 or a vague 400), and
    an offset can push year 1 or 9999 out of range: both answer "Enter a valid date/time."
    """

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None or parsed.tzinfo is None:
            return parsed
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class UTCIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCIsoDateTimeField


def add_datetime_range_filters(filterset_class, *field_names: str) -> None:
    """Add ``<field>__gt/gte/lt/lte`` ISO 8601 filters for each field to a FilterSet class."""
    for name in field_names:
        for lookup in ("gt", "gte", "lt", "lte"):
            filter_name = f"{name}__{lookup}"
            instance = UTCIsoDateTimeFilter(field_name=name, lookup_expr=lookup)
            filterset_class.base_filters[filter_name] = instance


class StrictBooleanField(forms.Field):
    """``true``/``false`` (also ``1``/``0``, ``yes``/``no``, any case); anything else is an error."""

    TRUE_VALUES = frozenset({"true", "1", "yes"})
    FALSE_VALUES = frozenset({"false", "0", "no"})
    default_error_messages = {"invalid": "Must be true or false."}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE_VALUES:
            return True
        if text in self.FALSE_VALUES:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A boolean filter that answers 400 for values it cannot read (django-filter ignores them)."""

    field_class = StrictBooleanField
