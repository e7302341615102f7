"""Schema of the status catalogue."""

from rest_framework import serializers


class StatusTranslationSerializer(serializers.Serializer):
    name = serializers.CharField()


class StatusTranslationsSerializer(serializers.Serializer):
    def get_fields(self):
        return {"en-us": StatusTranslationSerializer(), "tr-tr": StatusTranslationSerializer()}


class OrderStatusSerializer(serializers.Serializer):
    code = serializers.CharField(help_text='Numeric code as a string, e.g. "400".')
    name = serializers.CharField(help_text="snake_case name, accepted on input as well as the code.")
    label = serializers.CharField()
    translations = StatusTranslationsSerializer()
    is_final = serializers.BooleanField()
    allowed_next = serializers.ListField(child=serializers.CharField())
