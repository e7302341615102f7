"""Shared filter plumbing: the ``sort`` parameter and Omnitron-style lookups."""

import copy
import re
from collections.abc import Mapping
from datetime import UTC

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Upper
from django.http import QueryDict
from django_filters.fields import BaseCSVField
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from omnitron.db import BIGINT_MAX


class _SharedFields(dict):
    """A filter form's fields, which validation only reads: each form takes a shallow copy.

    Django deep-copies a form's fields for every instance so that a view may change them; filter
    forms never do, and the copy of a dozen fields cost about a millisecond per request. Not for
    model choice fields, whose querysets would cache their rows across requests.
    """

    def __deepcopy__(self, memo):
        return dict(self)


class _BoundFilters(Mapping):
    """A FilterSet's ``filters``: the declarations, each copied and bound to the filterset when first
    read (a request reads the few it was given, not the dozen declared)."""

    def __init__(self, filterset, model):
        self._filterset = filterset
        self._model = model
        self._declared = type(filterset).base_filters
        self._bound: dict = {}

    def __getitem__(self, name):
        filter_ = self._bound.get(name)
        if filter_ is None:
            declared = self._declared[name]
            filter_ = copy.copy(declared)
            if declared.method is not None:
                filter_.method = declared.method  # a FilterMethod bound to this copy, not to the declaration
            filter_.model = self._model
            filter_.parent = self._filterset
            self._bound[name] = filter_
        return filter_

    def __iter__(self):
        return iter(self._declared)

    def __len__(self):
        return len(self._declared)


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet without its per-request set-up cost.

    Upstream deep-copies every filter and builds a new form class on each request (about 3 ms
    for a dozen filters); here filters are copied shallowly when first read (method filters
    re-bound to the copy) and the form class is built once per FilterSet class. Filters and their form fields
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
        self.filters = _BoundFilters(self, queryset.model)

    @property
    def form(self):
        """The bound form with only the fields the query string gives (and required ones): an
        absent filter cleans to an empty value, which every filter ignores, so its cleaning is
        skipped rather than repeated on every request for each of a dozen filters."""
        form = self.__dict__.get("_form")
        if form is None:
            form = super().form
            if self.is_bound:
                data = self.data
                form.fields = {
                    name: field
                    for name, field in form.fields.items()
                    if field.required or not field.widget.value_omitted_from_data(data, {}, form.add_prefix(name))
                }
        return form

    @classmethod
    def clean_given(cls, data, names) -> dict | None:
        """The values of the filters ``names`` in ``data`` (a QueryDict) cleaned as the bound form cleans
        them, without a form; None when one is not a field of the form, is given twice where it takes
        one value, or does not clean (the form then answers the error, as usual)."""
        fields = cls.form_fields()
        cleaned = {}
        for name in names:
            field = fields.get(name)
            if field is None:
                return None
            if takes_one_value(field) and len(data.getlist(name)) > 1:
                return None
            try:
                cleaned[name] = field.clean(field.widget.value_from_datadict(data, {}, name))
            except forms.ValidationError:
                return None
        return cleaned

    @classmethod
    def form_fields(cls) -> dict:
        """The fields of the filter form, built once per FilterSet class (``get_form_class``)."""
        form_class = cls.__dict__.get("_form_class") or cls(None).get_form_class()
        return form_class.base_fields

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            if not any(isinstance(field, forms.ModelChoiceField) for field in form_class.base_fields.values()):
                form_class.base_fields = _SharedFields(form_class.base_fields)
            cls._form_class = form_class
        return form_class


def takes_one_value(field) -> bool:
    """Whether a filter's form field reads one value of its key (its widget reads every value of a
    repeated key when it ``allow_multiple_selected``, as ``MultipleChoiceFilter``'s does)."""
    return not getattr(field.widget, "allow_multiple_selected", False)


REPEATED_KEY = "Give this parameter once; separate several values with commas where the filter takes a list."


def refuse_repeated_keys(query_params, names) -> None:
    """400 for each of ``names`` given more than once (``?number=a&number=b``): only the last value
    would count, silently."""
    repeated = {name: [REPEATED_KEY] for name in names if len(query_params.getlist(name)) > 1}
    if repeated:
        raise ValidationError(repeated)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, refusing a filter parameter given twice unless its form widget reads
    several values (``allow_multiple_selected``, as ``MultipleChoiceFilter`` does)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            params = request.query_params
            repeated = [name for name in params if len(params.getlist(name)) > 1]
            declared = type(filterset).base_filters
            single = [name for name in repeated if name in declared and takes_one_value(declared[name].field)]
            refuse_repeated_keys(params, single)
        return filterset


class RepeatedKeyWidget(forms.TextInput):
    """Every value of a repeated query key (``status=a&status=b``), empty ones left out."""

    # Tells FilterBackend that a repeated key is meant, not a conflict.
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [value for value in values if value not in (None, "")]


class AnyOfFilter(django_filters.Filter):
    """``key=a`` (exact) or ``key=a&key=b`` (any of them); its form field, read through a
    ``RepeatedKeyWidget``, cleans the values to a list."""

    def filter(self, qs, value):
        if not value:
            return qs
        if len(value) == 1:
            return qs.filter(**{self.field_name: value[0]})
        return qs.filter(**{f"{self.field_name}__in": value})


class SortFilter(OrderingFilter):
    """``?sort=-date_placed,id`` over the view's ``ordering_fields`` allow-list.

    Each term is an allowed field, optionally preceded by one ``-`` (descending); terms are
    separated by commas, without spaces. Anything else (``--id``, ``id,,name``, an unknown field)
    answers 400 naming the terms at fault. The result always ends in ``id`` so pages are stable;
    the view's ``ordering`` is the default, also for an empty ``sort=``.
    """

    ordering_param = "sort"

    def get_ordering(self, request, queryset, view):
        refuse_repeated_keys(request.query_params, [self.ordering_param])
        params = request.query_params.get(self.ordering_param)
        allowed = self.allowed_fields(view)
        if params:
            terms = params.split(",")
            invalid = [term for term in terms if (term[1:] if term.startswith("-") else term) not in allowed]
            if invalid:
                named = ", ".join(f'"{term[:50]}"' for term in invalid)
                raise ValidationError(
                    {
                        self.ordering_param: [
                            f"Unknown sort field(s): {named}. Allowed: {', '.join(sorted(allowed))}, "
                            "each optionally preceded by one '-', separated by commas."
                        ]
                    }
                )
            ordering = terms
        else:
            ordering = list(self.get_default_ordering(view) or [])
        if ordering and not any(term.lstrip("-") in {"id", "pk"} for term in ordering):
            ordering.append("-id" if ordering[-1].startswith("-") else "id")
        return ordering

    @staticmethod
    def allowed_fields(view) -> set[str]:
        return set(getattr(view, "ordering_fields", None) or [])

    @classmethod
    def pattern(cls, allowed) -> str:
        """The regular expression a valid ``sort`` value matches (for the OpenAPI schema)."""
        term = "-?(?:" + "|".join(re.escape(name) for name in sorted(allowed)) + ")"
        return f"^{term}(?:,{term})*$"

    def get_schema_operation_parameters(self, view):
        allowed = sorted(self.allowed_fields(view))
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Comma-separated fields to sort by, `-` for descending (empty: the default "
                "order). Allowed: " + ", ".join(f"`{name}`" for name in allowed),
                "schema": {"type": "string", "pattern": self.pattern(allowed)},
                "allowEmptyValue": True,
            }
        ]


class StrictIntegerField(forms.IntegerField):
    """Decimal digits with an optional leading ``-`` and nothing else.

    Django's IntegerField also takes ``+5``, `` 5 ``, ``5.0`` and non-ASCII digits, which the
    OpenAPI schema (``type: integer``) does not admit.
    """

    DIGITS = re.compile(r"-?[0-9]+")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not self.DIGITS.fullmatch(str(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


class IntegerFilter(django_filters.NumberFilter):
    """An integer column: whole numbers from 0 (pass ``min_value`` for a signed column) to the
    largest bigint; anything else answers 400.

    django-filter's NumberFilter takes decimals and unbounded numbers, which SQLite cannot bind
    (``OverflowError``, a 500) and which never match an integer column anyway. 0 is accepted and
    matches nothing (Omnitron's examples use it).
    """

    field_class = StrictIntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)


# Values one ``field__in`` takes: a page's worth (the largest ``limit``), so ``pk__in`` with
# ``limit`` equal to its length reads every row in one request.
MAX_IN_VALUES = 1000


class ValueListField(BaseCSVField):
    """Comma-separated values, at most ``MAX_IN_VALUES``; an empty item (``1,,2``) is an error
    unless the values are text."""

    def clean(self, value):
        if value and len(value) > MAX_IN_VALUES:
            raise forms.ValidationError(
                "At most %(max)s comma-separated values.", code="max_values", params={"max": MAX_IN_VALUES}
            )
        if value and "" in value and not isinstance(self, forms.CharField):
            raise forms.ValidationError("Empty value in the comma-separated list.", code="empty_value")
        return super().clean(value)


class InFilter(django_filters.BaseInFilter):
    """``field__in=a,b,c``: the base of every list filter (see ``ValueListField``)."""

    base_field_class = ValueListField


class NumberInFilter(InFilter, IntegerFilter):
    """``field__in=1,2,3`` for integer columns."""


class CharInFilter(InFilter, django_filters.CharFilter):
    """``field__in=a,b,c`` for text columns."""


class IdFilter(IntegerFilter):
    """A database id: a whole number from 0 to the largest bigint (0 matches nothing)."""


class IdInFilter(InFilter, IdFilter):
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
    """``true``/``false``, ``True``/``False`` (what Python's ``str(bool)`` sends) or ``1``/``0``;
    anything else is an error. ``VALUES`` is also the parameter's enum in the OpenAPI schema."""

    VALUES = {"true": True, "True": True, "1": True, "false": False, "False": False, "0": False}
    default_error_messages = {"invalid": "Must be true or false."}

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return self.VALUES[value]
        except (KeyError, TypeError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A boolean filter that answers 400 for values it cannot read (django-filter ignores them)."""

    field_class = StrictBooleanField


class UpperExactFilter(django_filters.CharFilter):
    """Case-insensitive equality for any alphabet: ``iexact``, or ``UPPER(column)`` equal to the
    value upper-cased by Python.

    On PostgreSQL both compare ``UPPER(column)`` (an ``Upper`` expression index serves them). On
    SQLite ``iexact`` is a ``LIKE`` that folds only ASCII and ``UPPER`` too, so ``çankaya`` misses
    ``Çankaya`` through ``iexact`` but finds it through the Python-upper-cased value, and
    ``kadıköy`` finds ``Kadıköy`` only through ``iexact``; either one matching is a match.
    """

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        alias = f"_upper_{self.field_name}"
        return qs.alias(**{alias: Upper(self.field_name)}).filter(
            Q(**{f"{self.field_name}__iexact": value}) | Q(**{alias: value.upper()})
        )
