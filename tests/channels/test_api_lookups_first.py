"""The lookups a channel app reads before anything else: the channel, its catalog and lists, the
caller, content types, an order by number, retail stores."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from channels.models import Channel
from channels.selectors import API_CONTENT_TYPE_APPS
from tests.conftest import client_for
from tests.database_state import database_state
from tests.factories import (
    CatalogFactory,
    ChannelFactory,
    ChannelMembershipFactory,
    OrderFactory,
    OrderItemFactory,
    PriceListFactory,
    RetailStoreFactory,
    StockListFactory,
    UserFactory,
)
from tests.query_counts import CaptureQueriesContext

pytestmark = pytest.mark.django_db

CONF = {"server": "https://marketplace.example.com/", "token": "T-1", "nested": {"api_key": "K", "region": "tr"}}
NOT_FOUND = {"detail": "Not found.", "code": "not_found"}


@pytest.fixture
def conf_channel(channel) -> Channel:
    channel.conf = CONF
    channel.save(update_fields=["conf"])
    return channel


def grant(user, *codenames: str) -> None:
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


# --- channels/{id}/ -----------------------------------------------------------------------------


def test_a_member_reads_the_channel_with_secret_keys_left_out(member_client, conf_channel):
    response = member_client.get(f"/api/v1/channels/{conf_channel.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "pk": conf_channel.pk,
        "id": conf_channel.pk,
        "name": conf_channel.name,
        "channel_type": "web",
        "is_active": True,
        "conf": {"server": "https://marketplace.example.com/", "nested": {"region": "tr"}},
        "catalog": conf_channel.catalog_id,
        "category_tree": None,
        "schema": {},
        "created_date": conf_channel.created_date.isoformat().replace("+00:00", "Z"),
        "modified_date": conf_channel.modified_date.isoformat().replace("+00:00", "Z"),
    }


def test_the_integration_user_with_view_channel_conf_reads_the_whole_conf(member, member_client, conf_channel):
    grant(member, "view_channel_conf")

    response = member_client.get(f"/api/v1/channels/{conf_channel.pk}/")

    assert response.json()["conf"] == CONF


def test_staff_without_the_permission_get_the_redacted_conf(conf_channel):
    staff = UserFactory(is_staff=True)

    response = client_for(staff).get(f"/api/v1/channels/{conf_channel.pk}/")

    assert response.status_code == 200
    assert response.json()["conf"] == {"server": "https://marketplace.example.com/", "nested": {"region": "tr"}}


def test_a_superuser_reads_the_whole_conf(staff_client, conf_channel):
    assert staff_client.get(f"/api/v1/channels/{conf_channel.pk}/").json()["conf"] == CONF


def test_patch_sets_the_category_tree_and_the_schema(member_client, channel):

    first = member_client.patch(f"/api/v1/channels/{channel.pk}/", {"category_tree": 3}, format="json")
    second = member_client.patch(
        f"/api/v1/channels/{channel.pk}/", {"schema": {"k": {"required": True}}}, format="json"
    )

    assert first.status_code == 200 and first.json()["category_tree"] == 3
    assert second.status_code == 200 and second.json()["schema"] == {"k": {"required": True}}
    channel.refresh_from_db()
    assert (channel.category_tree, channel.schema) == (3, {"k": {"required": True}})


def test_patch_needs_change_channel(readonly_member_client, channel):
    before = database_state()

    response = readonly_member_client.patch(f"/api/v1/channels/{channel.pk}/", {"category_tree": 3}, format="json")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "You do not have permission to perform this action.",
        "code": "permission_denied",
    }
    assert database_state() == before


@pytest.mark.parametrize(
    "body, errors",
    [
        ({"schema": []}, {"schema": ["Expected a JSON object."]}),
        ({"category_tree": "x"}, {"category_tree": ["A valid integer is required."]}),
        ({"category_tree": 0}, {"category_tree": ["Ensure this value is greater than or equal to 1."]}),
        ({"name": "Renamed"}, {"name": ["Unknown field."]}),
    ],
)
def test_patch_refuses_bad_input_and_changes_nothing(member_client, channel, body, errors):
    before = database_state()

    response = member_client.patch(
        f"/api/v1/channels/{channel.pk}/", body, format="json", HTTP_PREFER="handling=strict"
    )

    assert response.status_code == 400
    assert response.json() == errors
    assert database_state() == before


@pytest.mark.parametrize(
    "raw, status, code",
    [
        (b'{"schema": ', 400, "parse_error"),
        (b"[1, 2]", 400, None),
        (b'{"schema": {"a": NaN}}', 400, "parse_error"),
    ],
)
def test_patch_refuses_a_broken_body_and_changes_nothing(member_client, channel, raw, status, code):
    before = database_state()

    response = member_client.patch(f"/api/v1/channels/{channel.pk}/", data=raw, content_type="application/json")

    assert response.status_code == status
    assert response.json().get("code") == code
    assert database_state() == before


def test_channels_of_others_and_missing_ones_are_404(member_client, other_channel):
    assert member_client.get(f"/api/v1/channels/{other_channel.pk}/").json() == NOT_FOUND
    assert member_client.get("/api/v1/channels/999999999/").status_code == 404
    assert member_client.get("/api/v1/channels/abc/").status_code == 404


def test_a_channel_read_takes_a_fixed_number_of_queries(member_client, channel):
    member_client.get(f"/api/v1/channels/{channel.pk}/")
    with CaptureQueriesContext(connection) as queries:
        response = member_client.get(f"/api/v1/channels/{channel.pk}/")

    assert response.status_code == 200
    # token, memberships, the channel, the user's permissions (one statement, for conf)
    assert len(queries) == 4


# --- catalogs/{id}/ ------------------------------------------------------------------------------


def test_a_member_reads_the_catalog_of_their_channel(member_client, channel):
    extra_price, extra_stock = PriceListFactory(), StockListFactory()
    catalog = channel.catalog
    catalog.extra_price_lists.add(extra_price)
    catalog.extra_stock_lists.add(extra_stock)

    response = member_client.get(f"/api/v1/catalogs/{catalog.pk}/")

    assert response.status_code == 200
    body = response.json()
    del body["created_date"], body["modified_date"]
    assert body == {
        "pk": catalog.pk,
        "id": catalog.pk,
        "name": catalog.name,
        "price_list": catalog.price_list_id,
        "stock_list": catalog.stock_list_id,
        "extra_price_lists": [extra_price.pk],
        "extra_stock_lists": [extra_stock.pk],
    }


def test_a_catalog_no_channel_of_the_member_uses_is_404(member_client, other_channel):
    unused = CatalogFactory()

    assert member_client.get(f"/api/v1/catalogs/{other_channel.catalog_id}/").json() == NOT_FOUND
    assert member_client.get(f"/api/v1/catalogs/{unused.pk}/").status_code == 404


def test_staff_read_any_catalog(staff_client):
    unused = CatalogFactory()

    assert staff_client.get(f"/api/v1/catalogs/{unused.pk}/").json()["pk"] == unused.pk


# --- channel/{id}/price_lists/ and stock_lists/ ----------------------------------------------------


def test_price_and_stock_lists_are_the_catalogs_default_and_extra_lists(member_client, channel):
    extra_price, extra_stock = PriceListFactory(), StockListFactory()
    PriceListFactory(), StockListFactory()  # lists no catalog of the channel names
    channel.catalog.extra_price_lists.add(extra_price)
    channel.catalog.extra_stock_lists.add(extra_stock)

    prices = member_client.get(f"/api/v1/channel/{channel.pk}/price_lists/").json()
    stocks = member_client.get(f"/api/v1/channel/{channel.pk}/stock_lists/").json()

    assert [row["pk"] for row in prices["results"]] == sorted([channel.catalog.price_list_id, extra_price.pk])
    assert [row["pk"] for row in stocks["results"]] == sorted([channel.catalog.stock_list_id, extra_stock.pk])
    assert set(prices["results"][0]) == {
        "pk", "id", "name", "code", "currency", "is_auto_sync", "created_date", "modified_date"
    }  # fmt: skip


def test_a_channel_without_a_catalog_lists_no_price_or_stock_lists(member, member_client):
    bare = ChannelFactory(catalog=None)
    ChannelMembershipFactory(channel=bare, user=member)

    assert member_client.get(f"/api/v1/channel/{bare.pk}/price_lists/").json()["results"] == []
    assert member_client.get(f"/api/v1/channel/{bare.pk}/stock_lists/").json()["results"] == []


def test_product_prices_and_stocks_follow_the_catalog_lists(member_client, channel):
    from tests.factories import ProductPriceFactory, ProductStockFactory

    price = ProductPriceFactory(price_list=channel.catalog.price_list)
    stock = ProductStockFactory(stock_list=channel.catalog.stock_list)
    ProductPriceFactory(), ProductStockFactory()

    prices = member_client.get(f"/api/v1/channel/{channel.pk}/product_prices/").json()
    stocks = member_client.get(f"/api/v1/channel/{channel.pk}/product_stocks/").json()

    assert [row["pk"] for row in prices["results"]] == [price.pk]
    assert [row["pk"] for row in stocks["results"]] == [stock.pk]


# --- active_user/ ---------------------------------------------------------------------------------


def test_active_user_is_the_caller(member, member_client):
    response = member_client.get("/api/v1/active_user/")

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("pk", "id", "username", "email", "is_staff", "is_superuser")} == {
        "pk": member.pk,
        "id": member.pk,
        "username": member.username,
        "email": member.email,
        "is_staff": False,
        "is_superuser": False,
    }
    assert set(body) == {
        "pk", "id", "username", "email", "first_name", "last_name", "is_active", "is_staff", "is_superuser",
        "date_joined", "last_login",
    }  # fmt: skip


def test_active_user_without_a_token_is_a_json_401(anon_client):
    response = anon_client.get("/api/v1/active_user/")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_authenticated"


def test_active_user_with_a_bad_token_is_a_json_401(anon_client):
    anon_client.credentials(HTTP_AUTHORIZATION="Token nope")

    response = anon_client.get("/api/v1/active_user/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


# --- content_types/ ---------------------------------------------------------------------------------

LOOKED_UP = ["channel", "order", "orderitem", "product", "productprice", "productstock", "productimage"]


@pytest.mark.parametrize("model", LOOKED_UP)
def test_content_types_find_exactly_one_row_per_model_the_clients_look_up(member_client, model):
    expected = ContentType.objects.get(app_label__in=API_CONTENT_TYPE_APPS, model=model)

    response = member_client.get("/api/v1/content_types/", {"model": model, "page": 1})

    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [{"id": expected.pk, "app_label": expected.app_label, "model": model}],
    }


def test_model_names_are_unique_across_the_content_type_listing(member_client):
    response = member_client.get("/api/v1/content_types/", {"limit": 1000})

    models = [row["model"] for row in response.json()["results"]]
    assert len(models) == len(set(models)) == response.json()["count"]
    assert {"user", "permission", "apitoken", "session"}.isdisjoint(models)


def test_an_unknown_model_finds_nothing(member_client):
    response = member_client.get("/api/v1/content_types/", {"model": "nosuchmodel"})

    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_content_types_list_in_a_fixed_number_of_queries(member_client):
    member_client.get("/api/v1/content_types/", {"limit": 1})
    with CaptureQueriesContext(connection) as few:
        member_client.get("/api/v1/content_types/", {"limit": 1})
    with CaptureQueriesContext(connection) as many:
        response = member_client.get("/api/v1/content_types/", {"limit": 10})

    assert len(response.json()["results"]) == 10
    assert len(few) == len(many)


# --- order_number/{number}/ -----------------------------------------------------------------------


def test_an_order_by_number_in_the_channel_order_shape(member_client, channel):
    order = OrderFactory(channel=channel, number="WEB-1001")

    response = member_client.get("/api/v1/order_number/WEB-1001/")
    listed = member_client.get(f"/api/v1/channel/{channel.pk}/orders/", {"number": "WEB-1001"}).json()

    assert response.status_code == 200
    assert response.json() == listed["results"][0]
    assert response.json()["pk"] == order.pk


def test_an_order_number_of_another_channel_is_404(member_client, other_channel):
    OrderFactory(channel=other_channel, number="THEIRS-1")

    assert member_client.get("/api/v1/order_number/THEIRS-1/").json() == NOT_FOUND
    assert member_client.get("/api/v1/order_number/NOPE/").json() == NOT_FOUND


def test_a_number_in_several_of_the_callers_channels_is_409_with_their_pks(member, member_client, channel):
    second = ChannelFactory()
    ChannelMembershipFactory(channel=second, user=member)
    first_order = OrderFactory(channel=channel, number="TWICE")
    second_order = OrderFactory(channel=second, number="TWICE")

    response = member_client.get("/api/v1/order_number/TWICE/")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Order number TWICE exists in several of your channels.",
        "code": "order_number_ambiguous",
        "pks": [first_order.pk, second_order.pk],
    }


# --- order_number in the item representation --------------------------------------------------------


def test_order_items_carry_their_orders_number_flat_detailed_and_detail(member_client, channel):
    item = OrderItemFactory(order=OrderFactory(channel=channel, number="N-77"))
    base = f"/api/v1/channel/{channel.pk}/order_items/"

    flat = member_client.get(base).json()["results"][0]
    detailed = member_client.get(base + "detailed/").json()["results"][0]
    detail = member_client.get(f"{base}{item.pk}/").json()

    assert flat["order_number"] == detailed["order_number"] == detail["order_number"] == "N-77"
    assert list(flat)[:3] == ["pk", "order", "order_number"]


# --- retail_stores/ -----------------------------------------------------------------------------------


def test_retail_stores_by_erp_code_find_exactly_one(member_client, channel):
    store = RetailStoreFactory(erp_code="KADIKOY-1")
    RetailStoreFactory(erp_code="KADIKOY-10")
    RetailStoreFactory(erp_code="BESIKTAS-1", is_active=False)

    response = member_client.get(f"/api/v1/channel/{channel.pk}/retail_stores/", {"erp_code": "KADIKOY-1"})

    assert [row["pk"] for row in response.json()["results"]] == [store.pk]
    assert response.json()["results"][0]["name"] == store.name


def test_inactive_retail_stores_are_not_listed(member_client, channel):
    RetailStoreFactory(erp_code="CLOSED", is_active=False)

    response = member_client.get(f"/api/v1/channel/{channel.pk}/retail_stores/", {"erp_code": "CLOSED"})

    assert response.json()["count"] == 0


def test_retail_stores_of_a_channel_the_caller_is_not_in_are_404(member_client, other_channel):
    store = RetailStoreFactory()

    assert member_client.get(f"/api/v1/channel/{other_channel.pk}/retail_stores/").json() == NOT_FOUND
    assert member_client.get(f"/api/v1/channel/{other_channel.pk}/retail_stores/{store.pk}/").status_code == 404


@pytest.mark.parametrize("path", ["retail_stores", "price_lists", "stock_lists"])
def test_channel_lookup_lists_take_as_many_queries_for_one_row_as_for_many(member_client, channel, path):
    for _ in range(4):
        RetailStoreFactory()
        channel.catalog.extra_price_lists.add(PriceListFactory())
        channel.catalog.extra_stock_lists.add(StockListFactory())
    url = f"/api/v1/channel/{channel.pk}/{path}/"
    member_client.get(url, {"limit": 1})
    with CaptureQueriesContext(connection) as one:
        member_client.get(url, {"limit": 1})
    with CaptureQueriesContext(connection) as three:
        response = member_client.get(url, {"limit": 3})

    assert len(response.json()["results"]) == 3
    assert len(one) == len(three)


def test_a_catalog_read_takes_a_fixed_number_of_queries(member_client, channel):
    for _ in range(3):
        channel.catalog.extra_price_lists.add(PriceListFactory())
    url = f"/api/v1/catalogs/{channel.catalog_id}/"
    member_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = member_client.get(url)

    assert len(response.json()["extra_price_lists"]) == 3
    # token, memberships, the catalog, its extra price lists, its extra stock lists
    assert len(queries) == 5


@pytest.mark.parametrize(
    "url, query, status, body",
    [
        ("/api/v1/order_number/" + "9" * 300 + "/", {}, 404, NOT_FOUND),
        ("/api/v1/order_number/' OR '1'='1/", {}, 404, NOT_FOUND),
        ("/api/v1/order_number/%C4%B0%F0%9F%98%80/", {}, 404, NOT_FOUND),
        ("/api/v1/catalogs/abc/", {}, 404, NOT_FOUND),
        ("/api/v1/catalogs/99999999999999999999/", {}, 404, NOT_FOUND),
        ("/api/v1/channels/0/", {}, 404, NOT_FOUND),
        (
            "/api/v1/content_types/",
            {"model": "m" * 101},
            400,
            {"model": ["Ensure this value has at most 100 characters (it has 101)."]},
        ),
        (
            "/api/v1/content_types/",
            {"model": "' OR '1'='1"},
            200,
            {"count": 0, "next": None, "previous": None, "results": []},
        ),
        (
            "/api/v1/channel/{channel}/retail_stores/",
            {"erp_code": "x" * 129},
            400,
            {"erp_code": ["Ensure this value has at most 128 characters (it has 129)."]},
        ),
        (
            "/api/v1/channel/{channel}/retail_stores/",
            {"limit": "0"},
            400,
            {"limit": ["Ensure this value is greater than or equal to 1."]},
        ),
        (
            "/api/v1/channel/{channel}/price_lists/",
            {"page": "9"},
            404,
            {"detail": "Invalid page.", "code": "not_found"},
        ),
    ],
)
def test_the_new_routes_answer_bad_input_with_an_exact_json_4xx(member_client, channel, url, query, status, body):
    before = database_state()

    response = member_client.get(url.format(channel=channel.pk), query)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == body
    assert database_state() == before
