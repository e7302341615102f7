"""Serializers of the channels app."""

from rest_framework import serializers

from channels.models import CargoCompany, City, Country, District, Township


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["pk", "name", "code", "is_active", "created_date", "modified_date"]


class CitySerializer(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ["pk", "name", "country", "is_active", "created_date", "modified_date"]


class TownshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Township
        fields = ["pk", "name", "city", "is_active", "created_date", "modified_date"]


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["pk", "name", "city", "township", "postcode", "is_active", "created_date", "modified_date"]


class CargoCompanySerializer(serializers.ModelSerializer):
    class Meta:
        model = CargoCompany
        fields = ["pk", "name", "erp_code", "shipping_company", "is_active", "created_date", "modified_date"]
