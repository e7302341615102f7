"""What the write endpoints can change, to prove that a refused request changed nothing."""

from typing import Any

from catalog.models import StockReservation
from channels.models import Address, Customer, IntegrationMapping
from integrations.models import BatchRequest, Change, ErrorReport, IntegrationAction
from orders.models import (
    CancellationPlan,
    CancellationRequest,
    IdempotencyKey,
    Order,
    OrderEvent,
    OrderItem,
    OrderShippingInfo,
)

COUNTED = (
    Order,
    OrderItem,
    OrderEvent,
    StockReservation,
    Customer,
    Address,
    CancellationPlan,
    IntegrationMapping,
    IdempotencyKey,
    BatchRequest,
    IntegrationAction,
    ErrorReport,
    Change,
    CancellationRequest,
    OrderShippingInfo,
)
TIMESTAMPED = (Order, OrderItem, Customer, Address, BatchRequest, IntegrationAction, CancellationRequest)


def database_state() -> dict[str, Any]:
    """Row counts of everything a write can add, and every changeable row's ``modified_date``."""
    return {
        "counts": {model.__name__: model._default_manager.count() for model in COUNTED},
        "modified": {
            model.__name__: list(model._default_manager.order_by("pk").values_list("pk", "modified_date"))
            for model in TIMESTAMPED
        },
    }


def stored_row(obj) -> dict[str, Any]:
    """The row of ``obj`` as the database holds it now (column: value)."""
    return dict(type(obj).objects.filter(pk=obj.pk).values().get())
