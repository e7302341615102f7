"""Helpers of the integrations tests: batch calls as the published channel app makes them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from integrations.models import IntegrationAction
from orders.models import Order, OrderItem
from orders.services.erp import order_mark_sent
from tests.factories import OrderFactory, OrderItemFactory


def batches_url(channel_id: int, pk: int | None = None) -> str:
    if pk is None:
        return reverse("channel:batch-request-list", kwargs={"channel_id": channel_id})
    return reverse("channel:batch-request-detail", kwargs={"channel_id": channel_id, "pk": pk})


def ias_url(channel_id: int, pk: int | None = None) -> str:
    if pk is None:
        return reverse("channel:integration-action-list", kwargs={"channel_id": channel_id})
    return reverse("channel:integration-action-detail", kwargs={"channel_id": channel_id, "pk": pk})


def updates_url(channel_id: int) -> str:
    return reverse("channel:channel-order-updates", kwargs={"channel_id": channel_id})


def iso(value) -> str:
    """A datetime as the API writes it."""
    return value.isoformat().replace("+00:00", "Z")


class ChannelApp:
    """The calls channel-app makes for one channel, through an API client."""

    def __init__(self, client, channel):
        self.client = client
        self.channel = channel

    def start(self) -> dict:
        response = self.client.post(batches_url(self.channel.pk), {"channel": str(self.channel.pk)}, format="json")
        assert response.status_code == 201, response.content
        return response.json()

    def patch(self, batch: dict, body: dict, expected: int = 200):
        response = self.client.patch(
            batches_url(self.channel.pk, batch["pk"]), {"channel": str(self.channel.pk), **body}, format="json"
        )
        assert response.status_code == expected, response.content
        return response.json()

    def commit(self, batch: dict, objects: list[dict] | None, content_type: str = "order", expected: int = 200):
        return self.patch(batch, {"objects": objects, "status": "commit", "content_type": content_type}, expected)

    def done(self, batch: dict, objects: list[dict], expected: int = 200):
        return self.patch(batch, {"objects": objects, "status": "done"}, expected)

    def start_committed(self, objects: list[dict]) -> dict:
        """Start a batch and commit ``objects`` (orders) in it; the batch, still open."""
        batch = self.start()
        self.commit(batch, objects)
        return batch

    def sync(self, objects: list[dict]) -> dict:
        """One whole run: start a batch, commit ``objects`` (orders), end it done; the batch."""
        batch = self.start_committed(objects)
        self.done(batch, [])
        return batch

    def fail(self, batch: dict, objects: list[dict] | None = None, expected: int = 200):
        return self.patch(batch, {"objects": objects, "status": "fail"}, expected)

    def updates(self, **params) -> list[int]:
        response = self.client.get(updates_url(self.channel.pk), {"limit": 100, "page": 1, **params})
        assert response.status_code == 200, response.content
        return [row["pk"] for row in response.json()["results"]]


def order_object(order: Order, remote_id=None, failed_reason_type=None, version_date=None) -> dict:
    order.refresh_from_db()
    return {
        "pk": order.pk,
        "content_type": "order",
        "version_date": version_date or iso(order.modified_date),
        "remote_id": remote_id,
        "failed_reason_type": failed_reason_type,
    }


def ia_of(obj, channel) -> IntegrationAction | None:
    return IntegrationAction.objects.filter(
        channel=channel, content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).first()


def order_change(order: Order) -> Order:
    """Change an order through a service (it records an event, a Change and a new version)."""
    order.refresh_from_db()
    return order_mark_sent(order=order, is_send=not order.is_send, actor=None)


@pytest.fixture
def app(member_client, channel) -> ChannelApp:
    return ChannelApp(member_client, channel)


@pytest.fixture
def order(channel) -> Order:
    return OrderFactory(channel=channel)


@pytest.fixture
def item(order) -> OrderItem:
    return OrderItemFactory(order=order)
