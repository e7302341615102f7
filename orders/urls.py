"""URL patterns mounted by omnitron/urls.py."""

from django.urls import path

from orders.views.oms import OmsOrderItemViewSet
from orders.views.statuses import OrderStatusListView

# Under /api/v1/channel/{channel_id}/.
channel_urlpatterns: list = []

# Under both /api/i1/ and /api/v1/.
integration_urlpatterns: list = []

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
]
