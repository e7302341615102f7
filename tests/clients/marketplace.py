"""The channel side of a channel app for a (fake) marketplace: channel-app's ``CHANNEL_MODULE``.

A channel app implements the marketplace end of every flow as channel commands
(``ChannelCommandInterface``: ``get_data`` -> ``validated_data`` -> ``transform_data`` ->
``send_request`` -> ``normalize_response``) registered in its ``ChannelIntegration.actions``;
channel-app's services (``OrderService``, ``StockService``, ``PriceService``) call them by
key. This module does exactly that for the fake marketplace of ``fake_marketplace.py``: each
command subclasses the template command of channel-app for its key and replaces the mocked
request with an HTTP call to the marketplace (URL and token from the channel's ``conf``, the
session from channel-app's own ``ChannelIntegration``). Nothing of channel-app is patched.

Run inside ``.venv-clients`` (``CHANNEL_MODULE=marketplace``); only the standard library and
the clients' own packages are imported.
"""

from dataclasses import asdict

from channel_app.channel.commands.orders import orders as template
from channel_app.channel.commands.product_prices import SendInsertedPrices as TemplateSendInsertedPrices
from channel_app.channel.commands.product_prices import SendUpdatedPrices as TemplateSendUpdatedPrices
from channel_app.channel.commands.product_stocks import SendInsertedStocks as TemplateSendInsertedStocks
from channel_app.channel.commands.product_stocks import SendUpdatedStocks as TemplateSendUpdatedStocks
from channel_app.channel.integration import ChannelIntegration as TemplateChannelIntegration
from channel_app.core.data import BatchRequestResponseDto, CancellationRequestDto, CancelOrderDto
from channel_app.omnitron.constants import ResponseStatus

TIMEOUT = 10  # seconds per marketplace call


class MarketplaceCall:
    """The marketplace API as the channel's conf describes it (``marketplace_url``, ``token``)."""

    def marketplace(self, method: str, path: str, body=None):
        conf = self.integration.channel.conf
        response = self.session.request(
            method,
            f"{conf['marketplace_url']}{path}",
            json=body,
            headers={"Authorization": f"Bearer {conf['token']}"},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        return response.json()


# --- marketplace -> Omnitron ------------------------------------------------------------------------


class GetOrders(MarketplaceCall, template.GetOrders):
    """New marketplace orders; channel-app's normalisation into ChannelCreateOrderDto is kept."""

    def send_request(self, transformed_data):
        return self.marketplace("GET", "/orders/")


class GetUpdatedOrderItems(MarketplaceCall, template.GetUpdatedOrderItems):
    """Line updates (status, invoice, tracking) keyed by the marketplace line id."""

    def send_request(self, transformed_data):
        return self.marketplace("GET", "/order-lines/updates/")


class GetCancelledOrders(MarketplaceCall, template.GetCancelledOrders):
    """Orders (or lines) the marketplace cancelled: ``{order, cancel_items, reasons}``."""

    def send_request(self, transformed_data):
        return self.marketplace("GET", "/cancels/")

    def normalize_response(self, data, validated_data, transformed_data, response):
        # OrderService.fetch_and_create_cancel takes one ErrorReportDto per cancel (the template
        # yields create_report's list, which the service cannot post).
        report = self.create_report(response)[0]
        for row in response:
            yield (
                CancelOrderDto(order=row["order"], cancel_items=row["cancel_items"], reasons=row["reasons"]),
                report,
                data,
            )


class GetCancellationRequests(MarketplaceCall, template.GetCancellationRequests):
    """Cancellation/refund requests customers opened on the marketplace."""

    def send_request(self, transformed_data):
        return self.marketplace("GET", "/cancellation-requests/")

    def normalize_response(self, data, validated_data, transformed_data, response):
        # The template builds the DTO without its required ``description``; a channel app fills it.
        report = self.create_report(response)
        for row in response:
            dto = CancellationRequestDto(
                order_item=row["order_item"],
                reason=row["reason"],
                remote_id=row["remote_id"],
                description=row["description"],
                cancellation_type=row["cancellation_type"],
            )
            yield dto, report, data


# --- Omnitron -> marketplace ------------------------------------------------------------------------


class SendUpdatedOrders(MarketplaceCall, template.SendUpdatedOrders):
    """Omnitron's changed orders pushed to the marketplace, which names them by its order id."""

    def transform_data(self, data):
        return [
            {
                "id": order.extra_field["id"],
                "number": order.number,
                "status": order.status,
                "lines": [
                    {"id": item.extra_field["id"], "status": item.status}
                    for item in getattr(order, "orderitem_set", [])
                ],
            }
            for order in data
        ]

    def send_request(self, transformed_data):
        return self.marketplace("POST", "/orders/updates/", transformed_data)


class UpdateCancellationRequest(MarketplaceCall, template.UpdateCancellationRequest):
    """A cancellation request's Omnitron state pushed to the marketplace."""

    def transform_data(self, data):
        return asdict(data)

    def send_request(self, transformed_data):
        return self.marketplace("POST", "/cancellation-requests/update/", transformed_data)

    def normalize_response(self, data, validated_data, transformed_data, response):
        # OrderService.update_cancellation_requests reads a falsy answer as a remote failure.
        report = self.create_report(response)
        if response["status"] != ResponseStatus.success:
            return None, report, data
        answer = BatchRequestResponseDto(
            status=response["status"], remote_id=response["remote_id"], sku=response["sku"], message=response["message"]
        )
        return answer, report, data


class StockPush(MarketplaceCall):
    def transform_data(self, data):
        return [{"sku": row.product.sku, "stock": row.stock, "remote_id": row.remote_id} for row in data]

    def send_request(self, transformed_data):
        return self.marketplace("POST", "/stocks/", transformed_data)


class PricePush(MarketplaceCall):
    def transform_data(self, data):
        return [{"sku": row.product.sku, "price": str(row.price), "remote_id": row.remote_id} for row in data]

    def send_request(self, transformed_data):
        return self.marketplace("POST", "/prices/", transformed_data)


class SendUpdatedStocks(StockPush, TemplateSendUpdatedStocks):
    pass


class SendInsertedStocks(StockPush, TemplateSendInsertedStocks):
    pass


class SendUpdatedPrices(PricePush, TemplateSendUpdatedPrices):
    pass


class SendInsertedPrices(PricePush, TemplateSendInsertedPrices):
    pass


class ChannelIntegration(TemplateChannelIntegration):
    """channel-app's ChannelIntegration with the marketplace's commands under the template's keys."""

    actions = {
        **TemplateChannelIntegration.actions,
        "get_orders": GetOrders,
        "get_updated_order_items": GetUpdatedOrderItems,
        "get_cancelled_orders": GetCancelledOrders,
        "get_cancellation_requests": GetCancellationRequests,
        "send_updated_orders": SendUpdatedOrders,
        "update_cancellation_request": UpdateCancellationRequest,
        "send_updated_stocks": SendUpdatedStocks,
        "send_inserted_stocks": SendInsertedStocks,
        "send_updated_prices": SendUpdatedPrices,
        "send_inserted_prices": SendInsertedPrices,
    }
