"""Shared OpenAPI pieces for the order endpoints: error schema and examples."""

import json
from pathlib import Path
from typing import Any

from drf_spectacular.utils import OpenApiExample

from omnitron.schema import (
    ErrorSerializer,  # noqa: F401  (re-exported for the order views)
    response_example,
)

# Example bodies as JSON files: data, not code, and the tests compare them with the seeds.
EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"


def example_load(name: str) -> Any:
    """The parsed ``orders/examples/<name>.json``."""
    return json.loads((EXAMPLES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def response_examples(name: str) -> list[OpenApiExample]:
    """The response examples of ``orders/examples/<name>.json``: a list of ``{"name", "status", "value"}``."""
    return [response_example(entry["name"], entry["value"], entry["status"]) for entry in example_load(name)]


ERROR_404_EXAMPLE = response_example("Not found", {"detail": "Not found.", "code": "not_found"}, 404)
ERROR_400_EXAMPLE = response_example(
    "Illegal status move", {"status": ["Cannot move from 550 (delivered) to 200 (waiting); allowed: 544, 600."]}, 400
)

ITEM_EXAMPLE = {
    "pk": 1,
    "order": 1,
    "product": 1,
    "price_list": 1,
    "stock_list": 1,
    "status": "400",
    "price_currency": "try",
    "price": "100.00",
    "tax_rate": "18.00",
    "shipping_company": "yurtici",
    "shipment_code": "text",
    "cancel_status": None,
    "is_tradable": True,
    "installment_interest_amount": "1.00",
    "datasource": 1,
    "cancellation_reconciliation": None,
    "reconciliation": None,
    "forced_refund": None,
    "original_stock": None,
    "shipping_option_group": None,
    "extra_field": {},
    "created_date": "2025-05-22T10:22:41.833000Z",
    "modified_date": "2025-05-22T10:22:41.833000Z",
    "attributes": {"key1": "value1"},
    "attributes_kwargs": {"key1": "value1"},
    "localized_attributes": {"name": {"en": "English"}},
    "localized_attributes_kwargs": {},
    "retail_price": "120.00",
    "discount_amount": "0.00",
    "tax_amount": None,
    "tracking_number": None,
    "carrier_shipping_code": None,
    "invoice_number": None,
    "invoice_date": None,
    "e_archive_url": None,
    "parent": None,
    "estimated_delivery_date": None,
    "defined_tracking_url": None,
    "defined_shipping_company": None,
    "image": None,
    "external_status": None,
}


def paginated_example(name: str, result: dict) -> OpenApiExample:
    """A 200 example of a paginated list holding one ``result``."""
    return response_example(name, {"count": 1, "next": None, "previous": None, "results": [result]}, 200)
