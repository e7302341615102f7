"""The "inserts"/"updates" feeds of products, images, prices and stocks, as channel-app reads them:
first page only, ``limit`` rows, committed rows drop out until they change again."""

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType

from catalog.models import Product, ProductImage, ProductPrice, ProductStock
from catalog.writes import catalog_row_update
from integrations.models import BatchRequest, BatchStatus, Change, IntegrationAction
from tests.factories import (
    PriceListFactory,
    ProductFactory,
    ProductImageFactory,
    ProductPriceFactory,
    ProductStockFactory,
    StockListFactory,
    listed_products,
)
from tests.query_counts import queries_per_full_page

pytestmark = pytest.mark.django_db


def feed(client, channel, path, params=None) -> list[int]:
    response = client.get(f"/api/v1/channel/{channel.pk}/{path}", {"page": 1, **(params or {})})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["next"], body["previous"]) == (None, None)
    return [row["pk"] for row in body["results"]]


def ia_for(channel, row, *, status="success", **fields) -> IntegrationAction:
    """The channel's integration action for ``row``, as a finished batch leaves it."""
    return IntegrationAction.objects.create(
        channel=channel,
        content_type=ContentType.objects.get_for_model(type(row)),
        object_id=row.pk,
        remote_id=f"R-{type(row).__name__}-{row.pk}",
        version_date=row.modified_date,
        status=status,
        **fields,
    )


def batch_commit(channel, rows) -> BatchRequest:
    """What a batch commit does to the rows' integration actions (INTEGRATIONS.md): processing in
    an open batch, synced up to the change that made the committed version."""
    batch = BatchRequest.objects.create(channel=channel, status=BatchStatus.COMMIT)
    for row in rows:
        model = type(row)
        content_type = ContentType.objects.get_for_model(model)
        version = model.objects.get(pk=row.pk).modified_date
        seq = (
            Change.objects.filter(content_type=content_type, object_id=row.pk, version_date__lte=version)
            .order_by("-id")
            .values_list("id", flat=True)
            .first()
            or 0
        )
        IntegrationAction.objects.update_or_create(
            channel=channel,
            content_type=content_type,
            object_id=row.pk,
            defaults={
                "status": "processing",
                "local_batch_id": batch.local_batch_id,
                "version_date": version,
                "synced_seq": seq,
            },
        )
    return batch


def batch_done(batch) -> None:
    IntegrationAction.objects.filter(local_batch_id=batch.local_batch_id).update(status="success")
    BatchRequest.objects.filter(pk=batch.pk).update(status=BatchStatus.DONE)


@pytest.fixture
def catalog_products(channel):
    """Three products in the channel's catalog (priced in its default list, stocked in its default list)."""
    return listed_products(channel, 3, images=True)


# --- products -----------------------------------------------------------------------------------


def test_product_inserts_offer_catalog_products_the_channel_never_sent(member_client, channel, catalog_products):
    first, second, third = catalog_products
    ia_for(channel, second)
    inactive = ProductFactory(is_active=False)
    ProductPriceFactory(price_list=channel.catalog.price_list, product=inactive)
    bundle = ProductFactory(product_type=2)
    ProductPriceFactory(price_list=channel.catalog.price_list, product=bundle)
    ProductPriceFactory(price_list=PriceListFactory(), product=ProductFactory())  # not in this catalog
    ProductFactory()  # priced nowhere

    assert feed(member_client, channel, "products/inserts/", {"product_type": 0, "limit": 10}) == [first.pk, third.pk]
    assert feed(member_client, channel, "products/inserts/", {"limit": 10}) == [first.pk, third.pk, bundle.pk]
    assert feed(member_client, channel, "products/inserts/", {"product_type": 0, "limit": 1}) == [first.pk]


def test_product_inserts_answer_the_product_shape(member_client, channel, catalog_products):
    response = member_client.get(f"/api/v1/channel/{channel.pk}/products/inserts/", {"product_type": 0, "limit": 1})
    row = response.json()["results"][0]
    product = catalog_products[0]
    assert (row["pk"], row["sku"], row["product_type"], row["attributes"]) == (
        product.pk,
        product.sku,
        0,
        {"renk": "SİYAH", "beden": "L"},
    )
    assert response.json()["count"] == 1


def test_product_type_must_be_a_known_type(member_client, channel, catalog_products):
    response = member_client.get(f"/api/v1/channel/{channel.pk}/products/inserts/", {"product_type": "x"})
    assert response.status_code == 400
    assert list(response.json()) == ["product_type"]


def test_product_updates_offer_changed_products_until_committed(member_client, channel, catalog_products):
    first, second, _ = catalog_products
    ia_for(channel, first)
    ia_for(channel, second)
    assert feed(member_client, channel, "products/updates/", {"product_type": 0}) == []

    catalog_row_update(row=second, fields={"name": "Renamed"})
    assert feed(member_client, channel, "products/updates/", {"product_type": 0}) == [second.pk]

    batch = batch_commit(channel, [second])
    assert feed(member_client, channel, "products/updates/", {"product_type": 0}) == []
    batch_done(batch)
    assert feed(member_client, channel, "products/updates/", {"product_type": 0}) == []

    catalog_row_update(row=second, fields={"name": "Renamed again"})
    assert feed(member_client, channel, "products/updates/", {"product_type": 0}) == [second.pk]


def test_a_change_during_an_open_batch_is_offered_once_after_it(member_client, channel, catalog_products):
    product = catalog_products[0]
    ia_for(channel, product)
    catalog_row_update(row=product, fields={"name": "v2"})
    batch = batch_commit(channel, [product])

    catalog_row_update(row=product, fields={"name": "v3"})  # commits while the batch is open
    assert feed(member_client, channel, "products/updates/") == []
    batch_done(batch)
    assert feed(member_client, channel, "products/updates/") == [product.pk]

    batch = batch_commit(channel, [product])
    batch_done(batch)
    assert feed(member_client, channel, "products/updates/") == []


def test_product_updates_leave_out_products_that_left_the_catalog(member_client, channel, catalog_products):
    first, second, _ = catalog_products
    ia_for(channel, first)
    ia_for(channel, second)
    catalog_row_update(row=first, fields={"name": "changed"})
    catalog_row_update(row=second, fields={"is_active": False})
    assert feed(member_client, channel, "products/updates/") == [first.pk]


def test_products_inserts_or_updates_is_the_union(member_client, channel, catalog_products):
    first, second, third = catalog_products
    ia_for(channel, first)
    ia_for(channel, second)
    catalog_row_update(row=first, fields={"name": "changed"})
    assert feed(member_client, channel, "products/inserts_or_updates/", {"product_type": 0}) == [first.pk, third.pk]
    assert feed(member_client, channel, "products/inserts_or_updates/", {"limit": 1}) == [first.pk]


def test_another_channels_integration_actions_do_not_count(member_client, channel, other_channel, catalog_products):
    first, second, third = catalog_products
    ia_for(other_channel, first)
    assert feed(member_client, channel, "products/inserts/") == [first.pk, second.pk, third.pk]
    catalog_row_update(row=first, fields={"name": "changed"})
    assert feed(member_client, channel, "products/updates/") == []


# --- prices and stocks --------------------------------------------------------------------------

LISTS = {
    "price": ("product_prices", ProductPrice, "price_list"),
    "stock": ("product_stocks", ProductStock, "stock_list"),
}
NEW_VALUE = {"price": {"price": "150.00"}, "stock": {"stock": 7}}


@pytest.mark.parametrize("kind", ["price", "stock"])
def test_list_row_inserts_offer_rows_of_sent_products_without_an_action(member_client, channel, catalog_products, kind):
    path, model, list_field = LISTS[kind]
    first, second, third = catalog_products
    rows = [
        model.objects.get(product=p, **{list_field: getattr(channel.catalog, list_field)}) for p in catalog_products
    ]
    ia_for(channel, first)
    ia_for(channel, second)
    ia_for(channel, third, status="error")  # product not sent
    ia_for(channel, rows[1])  # its row already sent
    foreign = {"price": ProductPriceFactory, "stock": ProductStockFactory}[kind](product=first)  # another list

    assert feed(member_client, channel, f"{path}/inserts/", {"limit": 100}) == [rows[0].pk]
    assert foreign.pk not in feed(member_client, channel, f"{path}/inserts/", {"limit": 100})


@pytest.mark.parametrize("kind", ["price", "stock"])
def test_list_row_updates_offer_changed_rows_until_committed(member_client, channel, catalog_products, kind):
    path, model, list_field = LISTS[kind]
    rows = [
        model.objects.get(product=p, **{list_field: getattr(channel.catalog, list_field)}) for p in catalog_products
    ]
    for row in rows:
        ia_for(channel, row)
    catalog_row_update(row=rows[2], fields=NEW_VALUE[kind])
    catalog_row_update(row=rows[0], fields=NEW_VALUE[kind])

    assert feed(member_client, channel, f"{path}/updates/", {"limit": 100}) == [rows[0].pk, rows[2].pk]
    response = member_client.get(f"/api/v1/channel/{channel.pk}/{path}/updates/", {"limit": 1})
    [offered] = response.json()["results"]
    fresh = model.objects.get(pk=rows[0].pk)
    assert (offered["pk"], offered["product"], offered["modified_date"]) == (
        rows[0].pk,
        rows[0].product_id,
        fresh.modified_date.isoformat().replace("+00:00", "Z"),
    )

    batch_done(batch_commit(channel, [rows[0], rows[2]]))
    assert feed(member_client, channel, f"{path}/updates/", {"limit": 100}) == []


# --- extra lists --------------------------------------------------------------------------------

EXTRA = {
    "price": ("extra_product_prices", "price_list", "extra_price_lists", PriceListFactory, ProductPriceFactory),
    "stock": ("extra_product_stocks", "stock_list", "extra_stock_lists", StockListFactory, ProductStockFactory),
}


@pytest.fixture
def extra_rows(channel, catalog_products):
    """For each kind: the channel's extra list and its rows for the catalog products."""
    result = {}
    for kind, (_, _, relation, list_factory, row_factory) in EXTRA.items():
        extra = list_factory()
        getattr(channel.catalog, relation).add(extra)
        result[kind] = (extra, [row_factory(product=p, **{EXTRA[kind][1]: extra}) for p in catalog_products])
    return result


@pytest.mark.parametrize("kind", ["price", "stock"])
def test_extra_list_feeds_offer_that_lists_rows(member_client, channel, catalog_products, extra_rows, kind):
    path, param, _, _, _ = EXTRA[kind]
    extra, rows = extra_rows[kind]
    ia_for(channel, catalog_products[0])
    ia_for(channel, catalog_products[1])
    ia_for(channel, rows[1])
    assert feed(member_client, channel, f"{path}/inserts/", {param: extra.pk, "limit": 100}) == [rows[0].pk]
    catalog_row_update(row=rows[1], fields=NEW_VALUE[kind])
    assert feed(member_client, channel, f"{path}/updates/", {param: extra.pk, "limit": 100}) == [rows[1].pk]
    # The default list's feed does not offer them.
    assert rows[1].pk not in feed(member_client, channel, f"{LISTS[kind][0]}/updates/", {"limit": 100})
    # Without the parameter: the rows of every extra list of the catalog.
    second_extra = EXTRA[kind][3]()
    getattr(channel.catalog, EXTRA[kind][2]).add(second_extra)
    other_row = EXTRA[kind][4](product=catalog_products[0], **{param: second_extra})
    assert feed(member_client, channel, f"{path}/inserts/", {"limit": 100}) == [rows[0].pk, other_row.pk]


@pytest.mark.parametrize("kind", ["price", "stock"])
@pytest.mark.parametrize("mode", ["inserts", "updates"])
def test_extra_list_feeds_refuse_a_list_that_is_not_an_extra_list(member_client, channel, extra_rows, kind, mode):
    path, param, _, list_factory, _ = EXTRA[kind]
    url = f"/api/v1/channel/{channel.pk}/{path}/{mode}/"
    default = getattr(channel.catalog, param)
    not_extra = {"detail": f"Not one of the extra {kind} lists of the channel's catalog.", "code": "not_found"}
    for value, status, body in [
        (default.pk, 404, not_extra),
        (list_factory().pk, 404, not_extra),
        ("x", 400, {param: ["Enter a whole number."]}),
    ]:
        response = member_client.get(url, {} if value is None else {param: value})
        assert (response.status_code, response.json()) == (status, body), value


@pytest.mark.parametrize("kind", ["price", "stock"])
def test_extra_list_lookup_reads_the_channels_lists(member_client, channel, catalog_products, extra_rows, kind):
    path, param, _, list_factory, _ = EXTRA[kind]
    extra, rows = extra_rows[kind]
    product_ids = f"{catalog_products[0].pk},{catalog_products[2].pk}"
    params = {"product__pk__in": product_ids, param: extra.pk, "limit": 2}
    assert feed(member_client, channel, f"{path}/", params) == [rows[0].pk, rows[2].pk]
    model = LISTS[kind][1]
    chosen = [catalog_products[0], catalog_products[2]]
    default = getattr(channel.catalog, param)
    default_rows = list(
        model.objects.filter(**{param: default}, product__in=chosen).order_by("id").values_list("pk", flat=True)
    )
    assert feed(member_client, channel, f"{path}/", {**params, param: default.pk}) == default_rows
    assert feed(member_client, channel, f"{path}/", {"product__pk__in": product_ids}) == sorted(
        [*default_rows, rows[0].pk, rows[2].pk]
    )
    foreign = list_factory()
    {"price": ProductPriceFactory, "stock": ProductStockFactory}[kind](product=catalog_products[0], **{param: foreign})
    assert feed(member_client, channel, f"{path}/", {param: foreign.pk}) == []


# --- images -------------------------------------------------------------------------------------


def test_product_images_lookup_by_ids_and_product(member_client, channel, catalog_products):
    images = [ProductImage.objects.get(product=p) for p in catalog_products]
    second_image = ProductImageFactory(product=catalog_products[0], order=2)
    ids = f"{images[2].pk},{images[0].pk}"
    assert feed(member_client, channel, "product_images/", {"id__in": ids, "limit": 2}) == [images[0].pk, images[2].pk]
    assert feed(member_client, channel, "product_images/", {"product": catalog_products[0].pk}) == [
        images[0].pk,
        second_image.pk,
    ]
    response = member_client.get(f"/api/v1/channel/{channel.pk}/product_images/{images[1].pk}/")
    assert response.json() == {
        "pk": images[1].pk,
        "product": catalog_products[1].pk,
        "url": images[1].url,
        "order": 1,
        "created_date": images[1].created_date.isoformat().replace("+00:00", "Z"),
        "modified_date": images[1].modified_date.isoformat().replace("+00:00", "Z"),
    }


def test_image_feeds(member_client, channel, catalog_products):
    images = [ProductImage.objects.get(product=p) for p in catalog_products]
    ia_for(channel, catalog_products[0])
    ia_for(channel, catalog_products[1])
    ia_for(channel, images[1])
    ProductImageFactory(product=ProductFactory())  # a product outside the catalog
    assert feed(member_client, channel, "product_images/inserts/", {"limit": 100}) == [images[0].pk]
    assert feed(member_client, channel, "product_images/updates/", {"limit": 100}) == []
    catalog_row_update(row=images[1], fields={"url": "https://cdn.example.com/new.jpg"})
    assert feed(member_client, channel, "product_images/updates/", {"limit": 100}) == [images[1].pk]


# --- shared -------------------------------------------------------------------------------------


def test_a_channel_without_a_catalog_is_offered_nothing(member_client, channel, catalog_products):
    channel.catalog = None
    channel.save()
    for path in ["products/inserts/", "product_prices/inserts/", "product_stocks/inserts/", "product_images/inserts/"]:
        assert feed(member_client, channel, path) == [], path


FEED_PATHS = [
    ("products/inserts/", {"product_type": 0}),
    ("products/updates/", {}),
    ("products/inserts_or_updates/", {}),
    ("product_stocks/inserts/", {}),
    ("product_stocks/updates/", {}),
    ("product_prices/inserts/", {}),
    ("product_prices/updates/", {}),
    ("product_images/inserts/", {}),
    ("product_images/updates/", {}),
]


@pytest.mark.parametrize("path, params", FEED_PATHS)
def test_feed_query_count_does_not_grow_with_the_page(member_client, channel, path, params):
    products = listed_products(channel, 12, images=True)
    if path.startswith("products/") and "inserts" not in path:
        for product in products:
            ia_for(channel, product, pending_seq=1)
    elif not path.startswith("products/"):
        for product in products:
            ia_for(channel, product)
        if "updates" in path:
            model = {"product_stocks": ProductStock, "product_prices": ProductPrice, "product_images": ProductImage}[
                path.split("/")[0]
            ]
            for row in model.objects.filter(product__in=products):
                ia_for(channel, row, pending_seq=1)
    counts = queries_per_full_page(member_client, f"/api/v1/channel/{channel.pk}/{path}", params)
    assert counts[0] == counts[1], counts


def test_feeds_are_channel_scoped(member_client, other_channel):
    response = member_client.get(f"/api/v1/channel/{other_channel.pk}/products/inserts/")
    assert response.status_code == 404


def test_feed_rows_are_read_only_through_get(member_client, channel):
    response = member_client.post(f"/api/v1/channel/{channel.pk}/products/inserts/", {}, format="json")
    assert response.status_code == 405
    assert Product.objects.count() == 0


def test_local_batch_of_another_batch_is_not_this_feeds_business(member_client, channel, catalog_products):
    """A row processing in some open batch is left out; released by a failed batch, it is offered again."""
    product = catalog_products[0]
    ia = ia_for(channel, product, status="processing", local_batch_id=uuid.uuid4(), pending_seq=5, synced_seq=1)
    assert feed(member_client, channel, "products/updates/") == []
    IntegrationAction.objects.filter(pk=ia.pk).update(status="success", local_batch_id=None)
    assert feed(member_client, channel, "products/updates/") == [product.pk]
