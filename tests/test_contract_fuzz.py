"""Contract fuzzing: every operation of the service's own OpenAPI schema, driven by schemathesis.

Requests are generated from the schema (valid and invalid ones), sent in-process through the WSGI
application as a member of a channel that holds real rows, and every response must: not be a 5xx,
have a status code the schema documents, match the documented body schema and content type. A
request the schema calls invalid must be refused (4xx), and on reads a request it calls valid must
be accepted, so the schema and the server's validation cannot drift apart.

Path ids hit real rows of the member's channel part of the time and random numbers otherwise.
``make test`` runs ``FUZZ_EXAMPLES`` (default 25) derandomized examples per operation;
``make fuzz`` runs many more with a random seed.
"""

import os
import re
from collections import Counter

import orjson
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from catalog.models import ProductPrice
from channels.models import IntegrationMapping, IntegrationType
from omnitron.renderers import dumps
from omnitron.tokens import token_create
from tests.factories import (
    CancellationReasonFactory,
    CancellationRequestFactory,
    OrderFactory,
    OrderItemFactory,
    ProductStockFactory,
)
from tests.orders.create_orders_support import world_for

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
# Derandomized by default so CI is reproducible; make fuzz sets FUZZ_RANDOM=1 to explore.
FUZZ_RANDOM = os.environ.get("FUZZ_RANDOM") == "1"
# Schemathesis's coverage phase adds hundreds of boundary-value cases per operation on top of
# FUZZ_EXAMPLES: too slow for every CI run, so make fuzz turns it on.
FUZZ_COVERAGE = os.environ.get("FUZZ_COVERAGE") == "1"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    # A request the schema calls invalid (a parameter out of its type, bounds, enum or pattern) is refused.
    negative_data_rejection,
]
# Reads also accept every request the schema calls valid. Writes are left out of this check: a
# schema-valid body may still name rows that do not exist (a 400 by design), and the login refuses
# unknown credentials with 400, as Omnitron does.
READ_CHECKS = [*CHECKS, positive_data_acceptance]

OPENAPI = orjson.loads(dumps(SchemaGenerator().get_schema(request=None, public=True)))
schema = schemathesis.openapi.from_dict(OPENAPI)
schema.config.phases.coverage.enabled = FUZZ_COVERAGE
# Every request carries the member's token (below): a generated missing or broken Authorization
# header would be judged as negative data that was never sent.
schema.config.generation.update(with_security_parameters=False)
APP = WSGIHandler()

# Requests sent per operation, reported at the end of the run (tests/conftest.py).
REQUESTS: Counter = Counter()


def requests_summary() -> str:
    return (
        f"contract fuzz: {sum(REQUESTS.values())} requests over {len(REQUESTS)} operations "
        f"(FUZZ_EXAMPLES={FUZZ_EXAMPLES}, random seed: {FUZZ_RANDOM}, coverage phase: {FUZZ_COVERAGE})"
    )


# Real ids of the fuzzed channel's rows, filled per test by the ``fuzz_world`` fixture.
REAL_IDS: dict[str, list[int]] = {}

# Which kind of row a path's ``{id}`` names, by the path segment before it.
ID_KINDS = {
    "orders": "order",
    "order_items": "order_item",
    "customers": "customer",
    "addresses": "address",
    "products": "product",
    "product_prices": "product_price",
    "product_stocks": "product_stock",
    "countries": "country",
    "cities": "city",
    "townships": "township",
    "districts": "district",
    "cargos": "cargo",
    "cancellation_reasons": "cancellation_reason",
    "cancellation_requests": "cancellation_request",
}
ID_SEGMENT = re.compile(r"/([a-z_]+)/\{id\}/")


def _real_or_generated(kind: str, generated):
    """A strategy choosing one of the real ids of ``kind`` or the generated value."""
    return st.one_of(st.just(generated), st.sampled_from(REAL_IDS[kind])) if REAL_IDS.get(kind) else st.just(generated)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Point ``channel_id`` and ``id`` at real rows of the member's channel part of the time."""
    if not path_parameters:
        return st.just(path_parameters)
    strategies = {name: st.just(value) for name, value in path_parameters.items()}
    if "channel_id" in path_parameters:
        strategies["channel_id"] = _real_or_generated("channel", path_parameters["channel_id"])
    if "id" in path_parameters:
        match = ID_SEGMENT.search(context.operation.path)
        kind = ID_KINDS.get(match.group(1)) if match else None
        if kind:
            strategies["id"] = _real_or_generated(kind, path_parameters["id"])
    # A value that is not an id (negative data) is sent as generated, so it is what the check judges.
    for name, value in path_parameters.items():
        if not isinstance(value, int) or isinstance(value, bool):
            strategies[name] = st.just(value)
    return st.fixed_dictionaries(strategies)


@pytest.fixture
def in_process_requests():
    """Keep Django from closing the test transaction's connection at the end of each request
    (what Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(member, channel, other_channel):
    """The member's channel with a customer, addresses, priced and stocked products, orders and
    items, an integration mapping; another channel with rows of its own."""
    world = world_for(channel)
    order = OrderFactory(channel=channel, customer=world.customer, shipping_address=world.address)
    items = [OrderItemFactory(order=order, product=world.product) for _ in range(2)]
    IntegrationMapping.objects.create(
        content_object=items[0], integration_type=IntegrationType.EXTERNAL_COMPANY, code="ERP-1"
    )
    reason = CancellationReasonFactory()
    cancellation_request = CancellationRequestFactory(order_item=items[0], reason=reason)
    foreign_item = OrderItemFactory(order__channel=other_channel)
    ProductStockFactory(stock_list=other_channel.catalog.stock_list, product=foreign_item.product)
    district = world.address.district
    REAL_IDS.clear()
    REAL_IDS.update(
        channel=[channel.pk],
        order=[order.pk, world.parent_item.order_id],
        order_item=[item.pk for item in items] + [world.parent_item.pk],
        customer=[world.customer.pk],
        address=[world.address.pk, world.billing_address.pk],
        product=[world.product.pk],
        product_price=list(ProductPrice.objects.filter(product=world.product).values_list("pk", flat=True)),
        product_stock=[world.stock.pk],
        country=[district.city.country_id],
        city=[district.city_id],
        township=[district.township_id],
        district=[district.pk],
        cargo=[world.cargo_company.pk],
        cancellation_reason=[reason.pk],
        cancellation_request=[cancellation_request.pk],
    )
    yield world
    REAL_IDS.clear()


@pytest.fixture
def member_token(member) -> str:
    _, key = token_create(user=member, name="fuzz")
    return key


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=not FUZZ_RANDOM,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_honours_its_contract(case, fuzz_world, member_token, in_process_requests):
    # Each example starts from the same rows: its writes are undone, and on PostgreSQL a
    # statement refused by the database (answered 400) does not abort the test's transaction
    # for the next example, as it would not abort anything in autocommit production.
    savepoint = transaction.savepoint()
    REQUESTS[f"{case.operation.method.upper()} {case.operation.path}"] += 1
    try:
        checks = READ_CHECKS if case.operation.method.upper() == "GET" else CHECKS
        case.call_and_validate(app=APP, headers={"Authorization": f"Token {member_token}"}, checks=checks)
    finally:
        transaction.savepoint_rollback(savepoint)
