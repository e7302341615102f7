"""``orders/updates/``: the channel's orders changed since they were last sent to the marketplace."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from integrations.selectors import feed_object_count, feed_object_ids
from omnitron.filters import SortFilter
from omnitron.pagination import PageLimitPagination
from omnitron.prepared import PreparedValues
from omnitron.schema import EmptyQueryValuesSchema, ErrorSerializer
from omnitron.viewsets import PAGE_PARAMETERS, ChannelScopedMixin
from orders.models import Order
from orders.selectors.orders import channel_orders
from orders.serializers.create import ORDER_COLUMNS, OrderFlatSerializer, OrderRow, order_flat

# The page's orders as the sort filter reads them without ``sort`` (by id).
_ORDERS = PreparedValues(
    lambda channel_id, ids: (
        channel_orders(channel_id=channel_id).filter(pk__in=ids).order_by("id").values(*ORDER_COLUMNS)
    ),
    kinds=("value", "in"),
)


class ChannelOrderUpdatesView(ChannelScopedMixin, GenericAPIView):
    """Orders of the channel that have an ``order`` integration action, changed (order or item)
    since the version last committed, and not processing in an open batch; by id.

    The selection is the integrations outbox (``integrations.selectors.feed_object_ids``): a
    committed order drops out until it changes again, and a change made while its batch was open
    is offered once after the batch ends.
    """

    serializer_class = OrderFlatSerializer
    schema = EmptyQueryValuesSchema()
    filter_backends = [SortFilter]  # ``sort`` orders the page; the feed always selects by id
    ordering = ["id"]
    ordering_fields = ["id"]
    pagination_class = PageLimitPagination

    def get_queryset(self):
        return Order.objects.none()

    @extend_schema(
        summary="Orders changed since last sent to the channel (channel-app update_orders)",
        parameters=[
            OpenApiParameter(
                "limit", {"type": "integer", "minimum": 1}, description="Page size (default 10, at most 1000)."
            ),
            OpenApiParameter(
                "page", {"type": "integer", "minimum": 1, "maximum": 2**40}, description="Page number (default 1)."
            ),
        ],
        responses={200: OrderFlatSerializer(many=True), 400: ErrorSerializer, 404: ErrorSerializer},
    )
    def get(self, request, *args, **kwargs):
        paginator = self.paginator
        limit = paginator.get_limit(request)
        page = paginator.get_page_number(request)
        ids = feed_object_ids(
            channel_id=self.channel_id, model=Order, mode="updates", limit=limit, offset=(page - 1) * limit
        )
        if request.query_params.keys() <= PAGE_PARAMETERS:  # no sort: by id, the query compiled once
            rows = [OrderRow(row) for row in _ORDERS.values_list(self.channel_id, ids)]
        else:
            orders = self.filter_queryset(channel_orders(channel_id=self.channel_id).filter(pk__in=ids))
            rows = [OrderRow(row) for row in orders.values_list(*ORDER_COLUMNS)] if ids else []
        if len(ids) == limit or page > 1:
            count = feed_object_count(channel_id=self.channel_id, model=Order, mode="updates")
        else:
            count = len(ids)
        url = request.build_absolute_uri()
        next_url = replace_query_param(url, "page", page + 1) if page * limit < count else None
        previous_url = None
        if page > 1:
            previous_url = remove_query_param(url, "page") if page == 2 else replace_query_param(url, "page", page - 1)
        return Response(
            {"count": count, "next": next_url, "previous": previous_url, "results": [order_flat(row) for row in rows]}
        )
