"""Admin for orders and everything around them.

Orders and items are changed only through the order services (object buttons, bulk actions and
forms that call them), never by saving the model directly.
"""

from orders.admin.cancellation_requests import CancellationRequestAdmin, OrderShippingInfoAdmin
from orders.admin.display import event_value, status_name
from orders.admin.items import OrderItemAdmin, OrderItemAdminForm
from orders.admin.orders import OrderAdmin
from orders.admin.records import OrderEventAdmin

__all__ = [
    "CancellationRequestAdmin",
    "OrderAdmin",
    "OrderEventAdmin",
    "OrderItemAdmin",
    "OrderItemAdminForm",
    "OrderShippingInfoAdmin",
    "event_value",
    "status_name",
]
