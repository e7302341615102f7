"""Writing a planned order: the rows ``orders.services.create.order_create`` inserts, one statement each.

Each function runs inside the caller's transaction and writes a fixed number of statements,
whatever the number of items.
"""

from django.db import IntegrityError

from omnitron.db import rows_insert
from orders.exceptions import OrderNumberExistsError
from orders.models import EventType, Order, OrderEvent, OrderItem
from orders.services.create.plan import OrderPlan
from orders.services.events import order_event_build


def order_insert(plan: OrderPlan) -> Order:
    """INSERT the order; a duplicate (channel, number) raises OrderNumberExistsError.

    The unique constraint decides (``ON CONFLICT DO NOTHING``): a concurrent insert of the same
    number waits for the first transaction and skips the row once it commits, so two orders with
    one number can never both exist.
    """
    order = Order(**plan.order_fields)
    rows_insert([order], unless_exists=("channel", "number"))
    if order.pk is not None:
        return order
    existing = (
        Order.objects.filter(channel_id=order.channel_id, number=order.number).values_list("pk", flat=True).first()
    )
    if existing is None:  # the conflicting order was deleted in the meantime
        raise IntegrityError(f"order {order.number!r} of channel {order.channel_id} conflicted with a deleted one")
    raise OrderNumberExistsError(number=order.number, pk=existing)


def order_items_build(order: Order, plan: OrderPlan, reservations: dict[tuple[int, int], list[int]]) -> list[OrderItem]:
    """One unsaved OrderItem per unit, in request order, each with its own reservation when there is one."""
    pools = {key: iter(ids) for key, ids in reservations.items()}
    items = []
    for item_plan in plan.items:
        pool = pools.get(item_plan.stock_key) if item_plan.reserves else None
        for _ in range(item_plan.quantity):
            reservation_id = next(pool, None) if pool is not None else None
            items.append(OrderItem(order=order, reservation_id=reservation_id, **item_plan.fields))
    return items


def order_items_insert(
    order: Order, plan: OrderPlan, reservations: dict[tuple[int, int], list[int]]
) -> list[OrderItem]:
    """INSERT the order's unit rows (one statement); they refer to their ``reservations``."""
    return rows_insert(order_items_build(order, plan, reservations))


def created_event(*, order: Order, items: list[OrderItem], actor) -> OrderEvent:
    return order_event_build(
        order=order,
        event_type=EventType.CREATED,
        new={"number": order.number, "status": order.status, "items": len(items)},
        actor=actor,
    )


def oversold_events(*, order: Order, items: list[OrderItem], oversold: list[dict], plan: OrderPlan, actor):
    """One ``oversold`` event per short product, on its first unit."""
    events = []
    product_by_sku = {sku: pk for pk, sku in plan.skus.items()}
    for entry in oversold:
        key = (entry["stock_list"], product_by_sku.get(entry["sku"]))
        first_item = next((item for item in items if (item.stock_list_id, item.product_id) == key), None)
        events.append(
            order_event_build(
                order=order,
                item=first_item,
                event_type=EventType.OVERSOLD,
                field="stock",
                new=entry,
                actor=actor,
                note=f"{entry['requested']} unit(s) of {entry['sku']} ordered with {entry['available']} available.",
            )
        )
    return events
