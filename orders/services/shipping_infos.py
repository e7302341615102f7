"""Order shipping infos: what the channel app reports about an order's shipment."""

from typing import Any

from django.db import transaction

from channels.models import CargoCompany, ShippingCompany
from omnitron.db import BIGINT_MAX
from omnitron.errors import ServiceValidationError
from omnitron.serializers import client_id
from orders.models import Order, OrderShippingInfo
from orders.numbers import OrderNumberInvalid, order_number_normalize

SHIPPING_COMPANY_HELP = (
    "A cargo company's id, the cargo company object read from `cargos/{id}/` (its `pk` decides), "
    "or a shipping-company code (`yurtici`, ...) or a cargo company's `erp_code`."
)


def _cargo_get(pk: int) -> CargoCompany | None:
    """An active cargo company (shared by every channel; an inactive one is not readable)."""
    return CargoCompany.objects.filter(pk=pk, is_active=True).first()


def shipping_company_resolve(value: Any) -> tuple[CargoCompany | None, str] | None:
    """(cargo company or None, shipping-company code) that ``value`` names, or None.

    An id (number or digit string) or an object with ``pk`` names an active cargo
    company; any other text is a shipping-company code, else the ``erp_code`` of exactly one
    active cargo company.
    """
    if isinstance(value, dict):
        value = value.get("pk")
        if client_id(value) is None:
            return None
    pk = client_id(value)
    if pk is not None:
        if not 1 <= pk <= BIGINT_MAX:
            return None
        cargo = _cargo_get(pk)
        return (cargo, cargo.shipping_company) if cargo is not None else None
    if not isinstance(value, str) or not value.strip():
        return None
    code = value.strip()
    if code in ShippingCompany.values:
        return None, code
    cargos = list(CargoCompany.objects.filter(erp_code=code, is_active=True).order_by("pk")[:2])
    if len(cargos) == 1:
        return cargos[0], cargos[0].shipping_company
    return None


def _normalized(number: str) -> str:
    try:
        return order_number_normalize(number)
    except OrderNumberInvalid:
        return number


@transaction.atomic
def order_shipping_info_create(
    *, channel_id: int, order_id: int, order_number: str | None, shipping_company: Any, is_send: bool
) -> OrderShippingInfo:
    """Record a shipping info for an order of the channel. Raises ServiceValidationError (nothing
    written) for an order outside the channel, an ``order_number`` that is not the order's, or a
    shipping company that names no active cargo company or shipping-company code."""
    order = Order.objects.filter(pk=order_id, channel_id=channel_id).only("id", "number").first()
    errors: dict[str, list[str]] = {}
    if order is None:
        errors["order"] = [f'Invalid pk "{order_id}" - object does not exist.']
    elif order_number is not None and _normalized(order_number) != order.number:
        errors["order_number"] = [f"Must be the number of the order ({order.number}); got {order_number[:128]}."]
    resolved = shipping_company_resolve(shipping_company)
    if resolved is None:
        errors["shipping_company"] = [
            f"No active cargo company or shipping company matches {str(shipping_company)[:100]!r}. "
            + SHIPPING_COMPANY_HELP
        ]
    if errors or resolved is None:
        raise ServiceValidationError(errors)
    cargo, code = resolved
    info = OrderShippingInfo(order=order, cargo_company=cargo, shipping_company=code, is_send=is_send)
    info.save()
    return info
