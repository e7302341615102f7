"""URL patterns mounted by omnitron/urls.py."""

from django.urls import path

from orders.views.statuses import OrderStatusListView

# Under /api/v1/channel/{channel_id}/.
channel_urlpatterns: list = []

# Under both /api/i1/ and /api/v1/.
integration_urlpatterns: list = []

# Under /api/v1/oms/.
oms_urlpatterns: list = []

# Only under /api/v1/ (beyond Omnitron).
v1_urlpatterns = [
    path("order_statuses/", OrderStatusListView.as_view(), name="order-statuses"),
]
