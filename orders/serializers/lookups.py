"""Serializers of the order lookups."""

from rest_framework import serializers

from orders.models import CancellationReason


class CancellationReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = CancellationReason
        fields = ["pk", "name", "cancellation_type", "is_active", "sort_order", "created_date", "modified_date"]
