"""URL patterns mounted by omnitron/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from orders.views.items import ChannelOrderItemViewSet
from orders.views.lookups import CancellationReasonViewSet
from orders.views.statuses import OrderStatusListView

channel_router = SimpleRouter()
channel_router.register("order_items", ChannelOrderItemViewSet, basename="channel-order-item")
channel_router.register("cancellation_reasons", CancellationReasonViewSet, basename="channel-cancellation-reason")

# Under /api/v1/channel/{channel_id}/.
channel_urlpatterns: list = [*channel_router.urls]

# Under both /api/i1/ and /api/v1/.
integration_urlpatterns: list = []

# Under /api/v1/oms/.
oms_urlpatterns: list = []

# Only under /api/v1/ (beyond Omnitron).
v1_urlpatterns = [
    path("order_statuses/", OrderStatusListView.as_view(), name="order-statuses"),
]
