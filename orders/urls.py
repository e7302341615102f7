"""URL patterns mounted by omnitron/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from orders.views.cancellation_requests import CancellationRequestViewSet, OrderShippingInfoViewSet
from orders.views.create_orders import CreateOrdersView
from orders.views.i1 import ChannelOrderViewSet, OrderByNumberView, OrderI1ViewSet, OrderItemI1ViewSet
from orders.views.items import ChannelOrderItemViewSet
from orders.views.lookups import CancellationReasonViewSet
from orders.views.oms import OmsOrderItemViewSet
from orders.views.statuses import OrderStatusListView
from orders.views.updates import ChannelOrderUpdatesView

channel_router = SimpleRouter()
channel_router.register("order_items", ChannelOrderItemViewSet, basename="channel-order-item")
channel_router.register("cancellation_reasons", CancellationReasonViewSet, basename="channel-cancellation-reason")
channel_router.register("orders", ChannelOrderViewSet, basename="channel-order")
channel_router.register("cancellation_requests", CancellationRequestViewSet, basename="cancellation-request")
channel_router.register("order_shipping_infos", OrderShippingInfoViewSet, basename="order-shipping-info")

integration_router = SimpleRouter()
integration_router.register("orders", OrderI1ViewSet, basename="order")
integration_router.register("order_items", OrderItemI1ViewSet, basename="order-item")

# Under /api/v1/channel/{channel_id}/.
channel_urlpatterns: list = [
    path("orders/updates/", ChannelOrderUpdatesView.as_view(), name="channel-order-updates"),
    *channel_router.urls,
]

# create_orders (seed 003).
channel_urlpatterns += [
    path("create_orders/", CreateOrdersView.as_view(), name="create-orders"),
]

# Under both /api/i1/ and /api/v1/.
integration_urlpatterns: list = [*integration_router.urls]

# Under /api/v1/oms/.
oms_urlpatterns: list = [
    path("order_items/", OmsOrderItemViewSet.as_view({"get": "list"}), name="order-item-list"),
    path(
        "order_items/list-simple/",
        OmsOrderItemViewSet.as_view({"get": "list_simple"}),
        name="order-item-list-simple",
    ),
    path("order_items/<int:pk>/", OmsOrderItemViewSet.as_view({"get": "retrieve"}), name="order-item-detail"),
]

# Only under /api/v1/ (beyond Omnitron).
v1_urlpatterns = [
    path("order_statuses/", OrderStatusListView.as_view(), name="order-statuses"),
    path("order_number/<str:number>/", OrderByNumberView.as_view(), name="order-number-detail"),
]
