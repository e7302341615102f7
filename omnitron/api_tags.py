"""The API docs' sections (OpenAPI tags): plain data, read by the settings and the schema generator."""

import re

# The docs' sections, in order (SPECTACULAR_SETTINGS["TAGS"]); each operation is tagged by its path
# below /api/v1 or /api/i1, the first pattern that matches deciding.
API_TAGS = [
    ("Authentication", "Exchange a username and password for a token."),
    ("Channel setup", "What a channel app reads first: the channel, its catalog, the caller, content types."),
    ("Channel order items", "The sales channel's order items: flat, detailed, with integration mappings; updates."),
    ("Channel orders", "Create orders (`create_orders`), list and cancel the channel's orders; an order by number."),
    ("Cancellation requests", "The channel's cancellation and refund requests of order items; their updates feed."),
    ("Customers", "The channel's customers."),
    ("Addresses", "The customers' addresses."),
    ("Catalogue", "Products, images, the channel's prices and stock; their inserts/updates feeds."),
    ("Reference data", "Geography, cargo companies, retail stores, the channel's lists, cancellation reasons."),
    ("Integration orders", "The ERP loop (`/api/i1/`): the order queue, marking sent, cancelling, the audit trail."),
    ("Integration order items", "The ERP loop: item updates, bulk status updates, integration mappings."),
    ("OMS order items", "Order items in the OMS shape."),
    (
        "Channel integrations",
        "The channel-app protocol: batch requests, integration actions, error reports, the change stream.",
    ),
    ("Order statuses", "Codes, names, translations and allowed moves."),
]
TAG_BY_PATH = [
    (re.compile(r"^/auth/"), "Authentication"),
    (re.compile(r"^/(channels|catalogs|active_user|content_types)/"), "Channel setup"),
    (re.compile(r"^/order_number/"), "Channel orders"),
    (re.compile(r"^/channel/\{channel_id\}/order_items/"), "Channel order items"),
    (re.compile(r"^/channel/\{channel_id\}/(orders|create_orders)/"), "Channel orders"),
    (re.compile(r"^/channel/\{channel_id\}/cancellation_requests/"), "Cancellation requests"),
    (re.compile(r"^/channel/\{channel_id\}/order_shipping_infos/"), "Channel orders"),
    (re.compile(r"^/channel/\{channel_id\}/customers/"), "Customers"),
    (re.compile(r"^/channel/\{channel_id\}/addresses/"), "Addresses"),
    (
        re.compile(
            r"^/channel/\{channel_id\}/(products|product_prices|product_stocks|product_images|extra_product_prices|extra_product_stocks)/"
        ),
        "Catalogue",
    ),
    (
        re.compile(r"^/channel/\{channel_id\}/(batch_requests|integration_actions|error_reports|changes)/"),
        "Channel integrations",
    ),
    (re.compile(r"^/channel/\{channel_id\}/"), "Reference data"),
    (re.compile(r"^/orders/"), "Integration orders"),
    (re.compile(r"^/order_items/"), "Integration order items"),
    (re.compile(r"^/oms/"), "OMS order items"),
    (re.compile(r"^/order_statuses/"), "Order statuses"),
]
API_PREFIX = re.compile(r"^/api/(v1|i1)")


def api_tag_for_path(path: str) -> str | None:
    """The tag of an operation on ``path`` (``/api/v1/...`` or ``/api/i1/...``); None if no pattern matches."""
    below = API_PREFIX.sub("", path)
    return next((tag for pattern, tag in TAG_BY_PATH if pattern.match(below)), None)
