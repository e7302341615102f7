"""The benchmark's naive anchor: the benchmarked reads as a typical team writes them with DRF.

``ModelViewSet`` + nested ``ModelSerializer`` + ``PageNumberPagination`` (``?page=&limit=``, with
its ``COUNT(*)`` first) + ``DjangoFilterBackend`` over the same models and filters, DRF's own JSON
renderer, and the ``select_related``/``prefetch_related`` that DRF's documentation recommends (so
no N+1: the anchor is what a competent team ships, not a strawman). Authentication is the
service's token scheme, so the same token works against all three servers.

Never served by the product: this module is its own URLconf (``bench/naive_settings.py``) and
``bench/naive_wsgi.py`` its WSGI entry point, started only by ``bench/run.py`` under gunicorn::

    DATABASE_URL=postgres://... gunicorn -c gunicorn.conf.py bench.naive_wsgi:application

Paths (the app's): ``/api/v1/channel/{id}/order_items/`` and ``.../detailed/`` (``status``,
``modified_date__gte``), ``/api/i1/orders/`` (``number``, ``is_send``, ``status``),
``/api/v1/oms/order_items/`` (``order_number``), and ``/health/``.
"""

import django_filters
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer

from catalog.models import PriceList, Product, ProductImage, StockList
from channels.models import Address, Channel, Customer
from omnitron.authentication import HashedTokenAuthentication
from orders.models import Order, OrderItem

# --- Serializers ------------------------------------------------------------------------------


class ProductImageSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductImage
        fields = ["id", "url", "order"]


class ProductSerializer(serializers.ModelSerializer):
    productimage_set = ProductImageSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = "__all__"


class PriceListSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceList
        fields = "__all__"


class StockListSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockList
        fields = "__all__"


class OrderBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ["id", "number", "status", "date_placed", "currency", "amount", "customer"]


class OrderItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = "__all__"


class OrderItemDetailedSerializer(serializers.ModelSerializer):
    order = OrderBriefSerializer(read_only=True)
    product = ProductSerializer(read_only=True)
    price_list = PriceListSerializer(read_only=True)
    stock_list = StockListSerializer(read_only=True)

    class Meta:
        model = OrderItem
        fields = "__all__"


class CustomerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = "__all__"


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Address
        fields = "__all__"


class OrderItemInOrderSerializer(serializers.ModelSerializer):
    product = ProductSerializer(read_only=True)

    class Meta:
        model = OrderItem
        fields = "__all__"


class OrderSerializer(serializers.ModelSerializer):
    orderitem_set = OrderItemInOrderSerializer(many=True, read_only=True)
    customer = CustomerSerializer(read_only=True)
    shipping_address = AddressSerializer(read_only=True)
    billing_address = AddressSerializer(read_only=True)

    class Meta:
        model = Order
        fields = "__all__"


# --- Filters ----------------------------------------------------------------------------------


class OrderItemFilter(django_filters.FilterSet):
    class Meta:
        model = OrderItem
        fields = {"status": ["exact"], "modified_date": ["gte", "lte"]}


class OrderFilter(django_filters.FilterSet):
    class Meta:
        model = Order
        fields = {"number": ["exact"], "is_send": ["exact"], "status": ["exact"]}


class OmsOrderItemFilter(django_filters.FilterSet):
    order_number = django_filters.CharFilter(field_name="order__number")

    class Meta:
        model = OrderItem
        fields = ["status"]


# --- Views ------------------------------------------------------------------------------------


class LimitPagination(PageNumberPagination):
    page_size = 10
    page_size_query_param = "limit"
    max_page_size = 1000


class NaiveViewSet(viewsets.ModelViewSet):
    authentication_classes = [HashedTokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [JSONRenderer]
    pagination_class = LimitPagination
    filter_backends = [DjangoFilterBackend]

    def user_channels(self):
        return Channel.objects.filter(memberships__user=self.request.user)


IMAGES = Prefetch("product__productimage_set", queryset=ProductImage.objects.order_by("order", "id"))


class ChannelOrderItemViewSet(NaiveViewSet):
    serializer_class = OrderItemSerializer
    filterset_class = OrderItemFilter

    def get_queryset(self):
        channel = get_object_or_404(self.user_channels(), pk=self.kwargs["channel_id"])
        queryset = OrderItem.objects.filter(channel=channel).order_by("id")
        if self.action == "detailed":
            queryset = queryset.select_related("order", "product", "price_list", "stock_list").prefetch_related(IMAGES)
        return queryset

    def get_serializer_class(self):
        if self.action == "detailed":
            return OrderItemDetailedSerializer
        return OrderItemSerializer

    @action(detail=False)
    def detailed(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)


class OrderViewSet(NaiveViewSet):
    serializer_class = OrderSerializer
    filterset_class = OrderFilter

    def get_queryset(self):
        items = OrderItem.objects.select_related("product").prefetch_related(IMAGES).order_by("id")
        return (
            Order.objects.filter(channel__in=self.user_channels())
            .select_related("customer", "shipping_address", "billing_address")
            .prefetch_related(Prefetch("orderitem_set", queryset=items))
            .order_by("id")
        )


class OmsOrderItemViewSet(NaiveViewSet):
    serializer_class = OrderItemDetailedSerializer
    filterset_class = OmsOrderItemFilter

    def get_queryset(self):
        return (
            OrderItem.objects.filter(channel__in=self.user_channels())
            .select_related("order", "product", "price_list", "stock_list")
            .prefetch_related(IMAGES)
            .order_by("id")
        )


def health(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("health/", health),
    path("api/v1/channel/<int:channel_id>/order_items/", ChannelOrderItemViewSet.as_view({"get": "list"})),
    path(
        "api/v1/channel/<int:channel_id>/order_items/detailed/",
        ChannelOrderItemViewSet.as_view({"get": "detailed"}),
    ),
    path("api/i1/orders/", OrderViewSet.as_view({"get": "list"})),
    path("api/v1/oms/order_items/", OmsOrderItemViewSet.as_view({"get": "list"})),
]
