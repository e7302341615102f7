"""The framework internals the code relies on, pinned: each test names the module that leans on one
and fails with a message saying what changed, so an upgrade of Django, DRF, django-filter,
drf-spectacular or gunicorn that moves one fails here first, not as a wrong answer elsewhere.

ARCHITECTURE.md lists them; a new use of a private attribute or method gets its test here.
"""

import copy
import inspect

import django_filters
import pytest
from django import forms
from django.contrib.auth import backends
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql import psycopg_any
from django.db.models import Count, JSONField
from django.db.models.sql.compiler import SQLCompiler
from django.http import QueryDict
from django.test import RequestFactory
from django.utils.functional import cached_property
from django_filters.fields import BaseCSVField
from django_filters.filters import FilterMethod
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.widgets import DateRangeWidget, RangeWidget
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from gunicorn.workers.sync import SyncWorker
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.fields import SkipField
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView, set_rollback

from channels.models import Channel
from omnitron.filters import FilterSet, InFilter, ValueListField, _SharedFields
from omnitron.serializers import CopiedFieldsMixin, field_copy
from tests.factories import ChannelFactory, UserFactory


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


# --- Django ORM: omnitron/prepared.py, orders/services/create.py, omnitron/pagination.py, omnitron/db.py


@pytest.mark.django_db
def test_query_compiler_gives_sql_with_placeholders_params_select_and_converters():
    queryset = Channel.objects.filter(pk__in=[-7001]).exclude(name="x").values("id", "name", "conf")
    compiler = queryset.query.get_compiler(using="default")
    assert isinstance(compiler, SQLCompiler), (
        "Query.get_compiler(using=) no longer returns an SQLCompiler (prepared.py)"
    )
    sql, params = compiler.as_sql()
    assert sql.count("%s") == len(params) == 2, "SQLCompiler.as_sql() no longer gives %s placeholders (prepared.py)"
    assert [str(param) for param in params] == ["-7001", "x"], "as_sql() params are not the filter values in order"
    assert compiler.col_count == 3, "SQLCompiler.col_count is not set by as_sql() (prepared.py reads it)"
    fields = [column[0] for column in compiler.select[: compiler.col_count]]
    assert [field.target.name for field in fields] == ["id", "name", "conf"], "SQLCompiler.select changed shape"
    converters = compiler.get_converters(fields)
    assert 2 in converters, "get_converters() no longer converts the JSON column by position (prepared.py)"
    assert parameters(SQLCompiler.apply_converters) == ["self", "rows", "converters"]
    assert parameters(queryset.query.get_compiler)[:2] == ["using", "connection"], (
        "Query.get_compiler(using=, connection=) changed (prepared.py, orders/services/create.py)"
    )


@pytest.mark.django_db
def test_json_columns_convert_through_from_db_value_and_reach_it_as_text_on_postgresql():
    compiler = Channel.objects.values("conf").query.get_compiler(using="default")
    compiler.as_sql()
    (functions, _expression) = compiler.get_converters([compiler.select[0][0]])[0]
    assert [getattr(function, "__func__", None) for function in functions] == [JSONField.from_db_value], (
        "A JSONField column no longer converts through JSONField.from_db_value alone (omnitron/prepared.py drops it)"
    )
    if connection.vendor == "postgresql":
        assert psycopg_any.is_psycopg3 is False, "psycopg_any.is_psycopg3 moved (omnitron/prepared.py reads it)"
        with connection.cursor() as cursor:
            cursor.execute("""SELECT '{"a": 1}'::jsonb""")
            assert cursor.fetchone() == ('{"a": 1}',), (
                "Django's psycopg2 connection no longer reads jsonb as text (omnitron/prepared.py decodes it)"
            )


@pytest.mark.django_db
def test_query_names_its_values_columns_as_prepared_reads_them():
    query = Channel.objects.values("id", "name").query
    names = list(query.selected) if query.selected else [*query.extra_select, *query.values_select]
    assert names == ["id", "name"], "Query.selected / values_select no longer name the values() columns (prepared.py)"
    annotated = Channel.objects.values("id").annotate(n=Count("id")).query
    assert "n" in (annotated.selected or annotated.annotation_select), "Query.annotation_select changed (prepared.py)"


@pytest.mark.django_db
def test_query_sql_with_params_is_the_count_key_pagination_hashes():
    sql, params = Channel.objects.filter(name="a").query.sql_with_params()
    assert isinstance(sql, str) and tuple(params) == ("a",), "Query.sql_with_params() changed (omnitron/pagination.py)"


@pytest.mark.django_db
def test_model_state_marks_a_saved_row_as_rows_insert_sets_it():
    channel = ChannelFactory()
    assert channel._state.adding is False and channel._state.db == connection.alias, (
        "Model._state.adding/db no longer describe a saved row (omnitron/db.py rows_insert sets them)"
    )
    fresh = Channel(name="new")
    assert fresh._state.adding is True and fresh._state.db is None


# --- Django auth and forms: omnitron/backends.py, omnitron/filters.py -----------------------------


@pytest.mark.django_db
def test_model_backend_caches_permissions_on_perm_cache_and_has_perm_reads_them():
    user = UserFactory()
    backends.ModelBackend().get_all_permissions(user)
    assert hasattr(user, "_perm_cache"), "ModelBackend no longer caches on user._perm_cache (omnitron/backends.py)"

    class Granting(backends.ModelBackend):
        def get_all_permissions(self, user_obj, obj=None):
            return {"orders.change_order"}

    assert Granting().has_perm(user, "orders.change_order"), (
        "ModelBackend.has_perm no longer goes through get_all_permissions (omnitron/backends.py overrides only that)"
    )


def test_form_deep_copies_base_fields_so_shared_fields_are_shared():
    class Form(forms.Form):
        name = forms.CharField()

    assert Form().fields["name"] is not Form.base_fields["name"], "forms copy base_fields per instance no more"
    Form.base_fields = _SharedFields(Form.base_fields)
    assert Form().fields["name"] is Form.base_fields["name"], (
        "BaseForm.__init__ no longer deep-copies base_fields (omnitron.filters._SharedFields relies on __deepcopy__)"
    )


# --- django-filter: omnitron/filters.py, omnitron/unknown_input.py ------------------------------


def _channel_filter(base: type) -> type:
    """The same FilterSet on django-filter's base and on ours."""

    class ChannelFilter(base):
        name = django_filters.CharFilter()
        named = django_filters.CharFilter(method="filter_named")

        class Meta:
            model = Channel
            fields: list[str] = []

        def filter_named(self, queryset, name, value):
            return queryset

    return ChannelFilter


_ChannelFilter = _channel_filter(django_filters.FilterSet)
_OurChannelFilter = _channel_filter(FilterSet)


@pytest.mark.django_db
def test_filterset_init_sets_exactly_what_our_init_sets():
    assert parameters(django_filters.FilterSet.__init__) == ["self", "data", "queryset", "request", "prefix"], (
        "FilterSet.__init__'s signature changed: omnitron.filters.FilterSet replaces it"
    )
    request = RequestFactory().get("/")
    upstream = _ChannelFilter(QueryDict("name=a"), Channel.objects.all(), request=request, prefix="p")
    ours = _OurChannelFilter(QueryDict("name=a"), Channel.objects.all(), request=request, prefix="p")
    assert set(vars(ours)) == set(vars(upstream)), (
        "django-filter's FilterSet.__init__ sets other attributes now; omnitron.filters.FilterSet must set the same"
    )
    assert _OurChannelFilter._meta.model is Channel, "FilterSet._meta.model moved (omnitron.filters.FilterSet)"
    for filterset in (upstream, ours):
        assert all(filter_.parent is filterset and filter_.model is Channel for filter_ in filterset.filters.values())
    assert ours.qs.count() == upstream.qs.count() == 0


def test_setting_method_on_a_copied_filter_binds_a_filter_method_to_the_copy():
    declared = _OurChannelFilter.base_filters["named"]
    clone = copy.copy(declared)
    assert clone.filter.f is declared, "copy.copy no longer keeps the declaration's FilterMethod"
    clone.method = declared.method
    assert isinstance(clone.filter, FilterMethod) and clone.filter.f is clone, (
        "Filter.method's setter no longer re-binds FilterMethod (omnitron.filters.FilterSet re-sets it on each copy)"
    )


def test_form_class_is_built_from_the_filters_alone():
    assert inspect.getsource(django_filters.FilterSet.get_form_class).count("self.filters") == 1, (
        "FilterSet.get_form_class reads more than self.filters; omnitron.filters.FilterSet caches it per class"
    )
    first = _OurChannelFilter(QueryDict("name=a")).form
    second = _OurChannelFilter(QueryDict("named=b")).form
    assert type(first) is type(second) and list(type(first).base_fields) == ["name", "named"]
    # The bound form keeps the fields the query gives (omnitron.filters.FilterSet.form).
    assert (list(first.fields), list(second.fields)) == (["name"], ["named"])


def test_filterset_form_is_built_once_into_form_and_widgets_tell_an_omitted_value():
    filterset = _ChannelFilter(QueryDict("name=a"))
    form = filterset.form
    assert vars(filterset)["_form"] is form and filterset.form is form, (
        "django-filter's FilterSet.form no longer caches the form in _form (omnitron.filters.FilterSet.form reads it)"
    )
    data = QueryDict("created_after=2026-01-01&id=1")
    assert DateRangeWidget().value_omitted_from_data(data, {}, "created") is False
    assert DateRangeWidget().value_omitted_from_data(data, {}, "modified") is True
    assert forms.TextInput().value_omitted_from_data(data, {}, "id") is False
    assert forms.TextInput().value_omitted_from_data(data, {}, "name") is True, (
        "Widget.value_omitted_from_data changed (omnitron.filters.FilterSet.form drops the omitted fields)"
    )


def test_in_filter_builds_its_field_from_base_field_class():
    field = InFilter(field_name="id").field
    assert isinstance(field, ValueListField) and isinstance(field, BaseCSVField), (
        "BaseInFilter no longer builds its field from base_field_class (omnitron.filters.InFilter)"
    )
    assert field.clean(["1", "2"]) == ["1", "2"]


def test_backend_get_filterset_and_the_widget_markers_the_filter_plumbing_reads():
    assert parameters(DjangoFilterBackend.get_filterset) == ["self", "request", "queryset", "view"], (
        "DjangoFilterBackend.get_filterset changed (omnitron.filters.FilterBackend)"
    )
    widget = django_filters.MultipleChoiceFilter(choices=[]).field.widget
    assert widget.allow_multiple_selected is True, (
        "Django's multiple-select widgets lost allow_multiple_selected (omnitron.filters.FilterBackend reads it)"
    )
    assert (RangeWidget.suffixes, DateRangeWidget.suffixes) == (["min", "max"], ["after", "before"]), (
        "range widgets' suffixes changed (omnitron.unknown_input reads them as parameter names)"
    )


# --- DRF: omnitron/serializers.py, omnitron/unknown_input.py, omnitron/throttling.py ------------


class _Entry(serializers.Serializer):
    price = serializers.IntegerField()


class _Copied(CopiedFieldsMixin, serializers.Serializer):
    name = serializers.CharField()
    entries = _Entry(many=True)


def test_serializer_declared_fields_and_cached_fields():
    assert list(_Copied._declared_fields) == ["name", "entries"], (
        "SerializerMetaclass no longer sets _declared_fields (omnitron.serializers.CopiedFieldsMixin reads it)"
    )
    assert isinstance(inspect.getattr_static(serializers.Serializer, "fields"), cached_property), (
        "Serializer.fields is no longer a cached_property in __dict__ (omnitron.serializers.field_copy pops it)"
    )
    serializer = _Copied(data={"name": "a", "entries": [{"price": 1}]})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == {"name": "a", "entries": [{"price": 1}]}
    assert "fields" in serializer.__dict__
    assert serializer.fields["name"] is not _Copied._declared_fields["name"]


def test_a_field_copy_binds_like_a_deep_copy():
    declared = _Copied._declared_fields["entries"]
    assert declared.child.parent is declared and declared.child.field_name == "", (
        "ListSerializer no longer binds its child at construction (field_copy re-parents the child's copy)"
    )
    clone = field_copy(declared)
    assert not hasattr(serializers.Field, "__slots__"), "DRF fields use __slots__ now (field_copy copies __dict__)"
    clone.bind(field_name="entries", parent=_Copied())
    assert (clone.field_name, clone.source) == ("entries", "entries"), "Field.bind no longer sets field_name/source"
    assert clone.child.parent is clone and clone.child is not declared.child
    assert declared.field_name is None, "binding the copy changed the declaration"


def test_list_serializer_errors_are_keyed_by_index():
    class Entries(serializers.Serializer):
        items = _Entry(many=True)

    serializer = Entries(data={"items": [{"price": 1}, {"price": "x"}]})
    assert not serializer.is_valid()
    assert list(serializer.errors["items"]) == [1], (
        "ListSerializer errors are no longer a dict keyed by index (omnitron.serializers.IndexedListSerializer "
        "turns that dict into the list Omnitron clients read)"
    )


def test_primary_key_related_field_error_keys():
    messages = serializers.PrimaryKeyRelatedField.default_error_messages
    assert "{data_type}" in messages["incorrect_type"] and "{pk_value}" in messages["does_not_exist"], (
        "PrimaryKeyRelatedField's error keys changed (omnitron.serializers.IdRelatedField fails with them)"
    )


def test_skip_field_from_validate_empty_values_leaves_the_field_out():
    class Skipping(serializers.Field):
        def validate_empty_values(self, data):
            if data == "":
                raise SkipField()
            return super().validate_empty_values(data)

        def to_internal_value(self, data):
            return data

    class Body(serializers.Serializer):
        status = Skipping(required=False)

    serializer = Body(data={"status": ""})
    assert serializer.is_valid() and serializer.validated_data == {}, (
        "SkipField raised in validate_empty_values no longer leaves the field out (orders/serializers/fields.py)"
    )


def test_a_serializer_validates_each_field_by_its_own_run_validation_of_the_value_under_its_name():
    class Body(serializers.Serializer):
        price = serializers.DecimalField(max_digits=5, decimal_places=2)
        note = serializers.CharField(required=False)

    declared = Body._declared_fields["price"]
    assert declared.source is None and declared.field_name is None, (
        "a declared field is bound at declaration now (PresentFieldsValidator tells renamed fields by source)"
    )
    calls: list = []
    original = serializers.DecimalField.run_validation

    def recorded(self, data=serializers.empty):
        calls.append(data)
        return original(self, data)

    serializers.DecimalField.run_validation = recorded
    try:
        serializer = Body(data={"price": "1.5"})
        assert serializer.is_valid(), serializer.errors
    finally:
        serializers.DecimalField.run_validation = original
    assert calls == ["1.5"] and serializer.validated_data == {"price": declared.run_validation("1.5")}, (
        "Serializer.to_internal_value no longer validates a field with run_validation(data[field_name]) "
        "(omnitron.serializers.PresentFieldsValidator runs it the same way)"
    )
    hooks = {name for cls in serializers.Serializer.__mro__ for name in vars(cls) if name.startswith("validat")}
    assert hooks == {"validate", "validators", "validate_empty_values", "validated_data"}, (
        f"Serializer has other validation hooks now ({sorted(hooks)}; PresentFieldsValidator refuses the known ones)"
    )


def test_plain_field_conversions_return_the_value_itself_for_its_type():
    from orders.models import Order

    fields = {
        name: Order._meta.get_field(name) for name in ("number", "notes", "installment_count", "is_send", "channel")
    }
    for name, value in [
        ("number", "N-1"),
        ("notes", ""),
        ("installment_count", 2**40),
        ("is_send", False),
        ("channel", 7),
    ]:
        assert fields[name].get_db_prep_save(value, connection) is value, (
            f"{type(fields[name]).__name__}.get_db_prep_save no longer returns a {type(value).__name__} as it is "
            "(omnitron.db.rows_insert passes such values on unconverted)"
        )
    for name, field in fields.items():
        assert field.get_db_prep_save(None, connection) is None, name


def test_postgresql_health_check_is_is_usable_once_per_request():
    from django.db.backends.postgresql.base import DatabaseWrapper

    check = inspect.getsource(BaseDatabaseWrapper.close_if_health_check_failed)
    assert "self.is_usable()" in check and "health_check_done" in check, (
        "Django's health check no longer calls is_usable() once per request (omnitron.postgresql overrides it)"
    )
    assert 'execute("SELECT 1")' in inspect.getsource(DatabaseWrapper.is_usable), (
        "Django's PostgreSQL is_usable no longer runs SELECT 1 (omnitron.postgresql falls back to it)"
    )


def test_request_wraps_the_http_request_as_underscore_request():
    http_request = RequestFactory().get("/")
    assert Request(http_request)._request is http_request, (
        "rest_framework.request.Request._request moved (omnitron.throttling stores the quota on the HttpRequest)"
    )


def test_as_view_marks_the_view_function_with_its_class_initkwargs_and_actions():
    class Plain(APIView):
        def get(self, request):
            return None

    class Set(viewsets.GenericViewSet):
        @action(detail=True, methods=["get"], ordering_fields=["id"])
        def events(self, request, pk=None):
            return None

    plain = Plain.as_view(throttle_classes=[])
    assert plain.cls is Plain and plain.initkwargs == {"throttle_classes": []}, "APIView.as_view() markers changed"
    viewset = Set.as_view({"get": "events"})
    assert viewset.cls is Set and viewset.actions == {"get": "events"}, (
        "ViewSetMixin.as_view() no longer sets cls/actions (omnitron.viewsets, omnitron.unknown_input read them)"
    )
    assert Set.events.detail is True and Set.events.kwargs["ordering_fields"] == ["id"], (
        "@action no longer sets detail/kwargs on the handler (omnitron.unknown_input reads them)"
    )


def test_drf_utilities_the_plumbing_imports():
    assert replace_query_param("/x/?page=1", "page", 2) == "/x/?page=2", "rest_framework.utils.urls changed"
    assert remove_query_param("/x/?page=1&limit=5", "page") == "/x/?limit=5"
    assert parameters(set_rollback) == [], "rest_framework.views.set_rollback changed (omnitron.exceptions)"


# --- drf-spectacular: omnitron/schema.py --------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("_map_serializer_field", ["self", "field", "direction", "bypass_extensions"]),
        ("_get_pagination_parameters", ["self"]),
        ("_get_request_for_media_type", ["self", "serializer", "direction"]),
        ("_is_list_view", ["self", "serializer"]),
        ("get_override_parameters", ["self"]),
    ],
)
def test_auto_schema_private_methods_omnitron_schema_overrides_or_calls(method, expected):
    assert parameters(getattr(AutoSchema, method)) == expected, (
        f"drf-spectacular's AutoSchema.{method} changed; omnitron.schema.OmnitronAutoSchema (or "
        "omnitron.unknown_input) overrides or calls it"
    )


def test_force_instance_instantiates_a_serializer_class():
    assert isinstance(force_instance(_Entry), _Entry), "drf_spectacular.plumbing.force_instance changed"
    entry = _Entry()
    assert force_instance(entry) is entry


# --- gunicorn: omnitron/gunicorn_worker.py ------------------------------------------------------


def test_sync_worker_handle_error_signature():
    assert parameters(SyncWorker.handle_error) == ["self", "req", "client", "addr", "exc"], (
        "gunicorn's SyncWorker.handle_error changed (omnitron.gunicorn_worker.JsonErrorSyncWorker overrides it)"
    )
