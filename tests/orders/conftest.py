"""The stock audit that runs after every order test: no item in a final status holds stock."""

import pytest

from orders.models import OrderItem
from orders.statuses import FINAL_STATUSES


def final_items_holding_stock() -> list[tuple[int, str, int]]:
    """(item, status, reservation) of every item in a final status whose reservation is active."""
    return list(
        OrderItem.objects.filter(status__in=FINAL_STATUSES, reservation__released_at__isnull=True)
        .exclude(reservation=None)
        .order_by("pk")
        .values_list("pk", "status", "reservation_id")
    )


@pytest.fixture(autouse=True)
def _no_stock_held_by_final_items(request):
    """After each test that used the database: no active reservation on a cancelled, paid-back
    or refunded item, anywhere (creating, cancelling and the ERP loop must all keep this)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        yield
        return
    transactional = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    assert final_items_holding_stock() == []
