"""The omnisdk example of README.md ("Using Akinon's clients"), run as written."""

import re

import pytest

from tests.clients.conftest import ROOT
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLE = re.compile(r"<!-- omnisdk example: begin -->\n```python\n(.*?)```\n<!-- omnisdk example: end -->", re.S)


def readme_example() -> str:
    found = EXAMPLE.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert found, "README.md has no omnisdk example between its markers"
    return found.group(1)


def test_the_readme_omnisdk_example_runs_as_written(run_code, integrator):
    channel = integrator.channel
    order = OrderFactory(channel=channel, number="MP-1001", status="400")

    output = run_code(readme_example())

    catalog = channel.catalog
    assert output.splitlines() == [
        f"channel {channel.pk} {channel.name} active",
        f"lists {catalog.price_list_id} {catalog.stock_list_id}",
        f"order {order.pk} MP-1001 400",
        f"by number {order.pk}",
    ]
