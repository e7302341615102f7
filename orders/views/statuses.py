"""The status catalogue (beyond Omnitron): codes, names, translations and allowed moves."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.serializers.statuses import OrderStatusSerializer
from orders.statuses import status_catalogue


class OrderStatusListView(APIView):
    """Every order/order-item status with its display names and the statuses it may move to."""

    @extend_schema(
        operation_id="order_statuses_list",
        summary="List the order statuses: codes, names, translations and allowed moves",
        responses={200: OrderStatusSerializer(many=True)},
    )
    def get(self, request):
        return Response(status_catalogue())
