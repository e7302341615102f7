"""The shape layer: columns, the compiled builder, derived shapes and the generated serializer."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from rest_framework import serializers

from omnitron.shape_serializers import shape_serializer
from omnitron.shapes import INTEGER, JSON, MONEY, RATE, Field, Shape, blank_to_none, nested

REF = Shape("TestRef", [Field("id", INTEGER), Field("name")])
ITEM = Shape(
    "TestItem",
    [
        Field("pk", INTEGER, column="id"),
        Field("price", MONEY),
        Field("tax_rate", RATE),
        Field("image", null=True, format=blank_to_none),
        Field("net", MONEY, value=lambda row, _: row["price"] - row["discount"], reads=("price", "discount")),
        nested("ref", REF, lookup="refs", column="ref_id", null=True),
        nested("tags", REF, lookup="tags", column="id", many=True),
        Field("extra", JSON),
    ],
    doc="A test item.",
)
ROW = {
    "id": 7,
    "price": Decimal("10.5"),
    "tax_rate": Decimal("8.1250"),
    "image": "",
    "discount": Decimal("0.5"),
    "ref_id": 3,
    "extra": {},
}


def test_a_shape_reads_each_column_once_in_declaration_order():
    assert ITEM.columns == ("id", "price", "tax_rate", "image", "discount", "ref_id", "extra")
    assert ITEM.keys == ("pk", "price", "tax_rate", "image", "net", "ref", "tags", "extra")


def test_the_builder_formats_computes_and_looks_up_in_key_order():
    context = SimpleNamespace(refs={3: {"id": 3, "name": "three"}}, tags={})
    assert list(ITEM.build(ROW, context).items()) == [
        ("pk", 7),
        ("price", "10.50"),
        ("tax_rate", "8.125"),
        ("image", None),
        ("net", Decimal("10.0")),  # a value function's result is used as returned, unformatted
        ("ref", {"id": 3, "name": "three"}),
        ("tags", []),
        ("extra", {}),
    ]
    assert ITEM.build({**ROW, "ref_id": 4}, context)["ref"] is None


def test_a_key_declared_twice_or_a_replacement_for_no_field_is_refused():
    with pytest.raises(ValueError, match="a key is declared twice"):
        Shape("Twice", [Field("a"), Field("a", INTEGER)])
    with pytest.raises(ValueError, match=r"no field \['nope'\] to replace"):
        ITEM.derive("Other", replace_fields=[Field("nope")])


def test_a_derived_shape_replaces_fields_in_place_and_adds_at_the_end():
    derived = ITEM.derive("TestItemMore", replace_fields=[Field("price", INTEGER, column="id")], add=[Field("more")])
    assert derived.keys == (*ITEM.keys, "more")
    assert derived.build({**ROW, "more": "x"}, SimpleNamespace(refs={}, tags={}))["price"] == 7
    assert derived.doc == "A test item."


def test_the_generated_serializer_documents_kinds_nulls_and_nesting():
    serializer_class = shape_serializer(ITEM)
    fields = serializer_class().fields
    assert serializer_class.__name__ == "TestItemSerializer"
    assert shape_serializer(ITEM) is serializer_class
    assert list(fields) == list(ITEM.keys)
    assert type(fields["pk"]) is serializers.IntegerField and fields["pk"].source == "id"
    assert fields["image"].allow_null is True and fields["price"].allow_null is False
    assert type(fields["ref"]).__name__ == "TestRefSerializer" and fields["ref"].allow_null is True
    assert isinstance(fields["tags"], serializers.ListSerializer)


def test_a_shape_read_from_other_columns_is_documented_as_the_original():
    city = REF.reading({"id": "city_id", "name": "city__name"})
    assert city.columns == ("city_id", "city__name")
    assert city.build({"city_id": 1, "city__name": "İstanbul"}) == {"id": 1, "name": "İstanbul"}
    assert shape_serializer(city) is shape_serializer(REF)


def test_a_subclass_narrows_a_generated_serializer_with_meta_fields():
    class Narrow(shape_serializer(REF)):
        class Meta:
            fields = ["name"]

    assert list(Narrow().fields) == ["name"]
