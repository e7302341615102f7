"""The stock audit that runs after every order test: no item in a final status holds stock."""

import pytest

from tests.orders.create_orders_support import final_items_holding_stock


@pytest.fixture(autouse=True)
def _no_stock_held_by_final_items(request):
    """After each test that used the database: no active reservation on a cancelled, paid-back
    or refunded item, anywhere (creating, cancelling and the ERP loop must all keep this)."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not names & {"db", "transactional_db"}:
        yield
        return
    transactional = "transactional_db" in names or bool(
        marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    assert final_items_holding_stock() == []
