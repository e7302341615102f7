"""The geography lookups as Akinon's channel-app runs them: exact/iexact names and codes, the
parent filters, ``is_active`` and the ``<channel>_<value>`` integration-mapping fallback. The client
takes a lookup only when exactly one row comes back, so every filter must narrow the list."""

import pytest
from django.contrib.contenttypes.models import ContentType

from channels.models import City, Country, District, IntegrationMapping, IntegrationType, Township
from tests.factories import CityFactory, CountryFactory, DistrictFactory, TownshipFactory
from tests.query_counts import queries_per_full_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(channel):
    """Two countries with look-alike names: every lookup below has a near miss to exclude."""
    tr = CountryFactory(code="tr", name="Türkiye")
    de = CountryFactory(code="de", name="Germany")
    CountryFactory(code="tx", name="Türkiye Cumhuriyeti")
    istanbul = CityFactory(country=tr, name="İstanbul")
    izmir = CityFactory(country=tr, name="Izmir")
    izmir_de = CityFactory(country=de, name="izmir")
    kadikoy = TownshipFactory(city=istanbul, name="Kadıköy")
    kadikoy_izmir = TownshipFactory(city=izmir, name="Kadıköy")
    bornova_de = TownshipFactory(city=izmir_de, name="Bornova")
    moda = DistrictFactory(township=kadikoy, name="Moda")
    moda_izmir = DistrictFactory(township=kadikoy_izmir, name="Moda")
    DistrictFactory(township=kadikoy, name="moda")
    return {
        "tr": tr,
        "de": de,
        "istanbul": istanbul,
        "izmir": izmir,
        "izmir_de": izmir_de,
        "kadikoy": kadikoy,
        "kadikoy_izmir": kadikoy_izmir,
        "bornova_de": bornova_de,
        "moda": moda,
        "moda_izmir": moda_izmir,
    }


def pks(client, channel, path, params) -> list[int]:
    response = client.get(f"/api/v1/channel/{channel.pk}/{path}", params)
    assert response.status_code == 200, response.content
    return [row["pk"] for row in response.json()["results"]]


def map_to(obj, channel, value, integration_type=IntegrationType.SALES_CHANNEL):
    return IntegrationMapping.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        integration_type=integration_type,
        code=f"{channel.pk}_{value}",
    )


# --- countries ---------------------------------------------------------------------------------


def test_countries_code_exact_is_the_stored_code_only(member_client, channel, world):
    assert pks(member_client, channel, "countries/", {"code__exact": "tr", "is_active": "True"}) == [world["tr"].pk]
    assert pks(member_client, channel, "countries/", {"code__exact": "TR", "is_active": "True"}) == []
    assert pks(member_client, channel, "countries/", {"code__exact": "zz", "is_active": "True"}) == []


def test_countries_name_exact(member_client, channel, world):
    assert pks(member_client, channel, "countries/", {"name__exact": "Türkiye", "is_active": "True"}) == [
        world["tr"].pk
    ]
    assert pks(member_client, channel, "countries/", {"name__exact": "türkiye"}) == []
    assert pks(member_client, channel, "countries/", {"name__exact": "Türk"}) == []


def test_countries_a_name_given_as_code_matches_nothing_then_the_name_lookup_finds_it(member_client, channel, world):
    """channel-app sends the marketplace's value as ``code__exact`` first and stops at an HTTP error."""
    assert pks(member_client, channel, "countries/", {"code__exact": "Türkiye", "is_active": "True"}) == []
    assert pks(member_client, channel, "countries/", {"name__exact": "Türkiye", "is_active": "True"}) == [
        world["tr"].pk
    ]


@pytest.mark.parametrize(
    "path, param", [("countries/", "name__exact"), ("cities/", "name__iexact"), ("districts/", "mapping__code__exact")]
)
def test_an_over_long_lookup_value_matches_nothing(member_client, channel, world, path, param):
    assert pks(member_client, channel, path, {param: "x" * 300}) == []


def test_countries_is_active(member_client, channel, world):
    Country.objects.filter(pk=world["de"].pk).update(is_active=False)
    assert pks(member_client, channel, "countries/", {"code__exact": "de", "is_active": "True"}) == []
    # Lists offer active rows only: asking for inactive ones matches nothing.
    assert pks(member_client, channel, "countries/", {"is_active": "False"}) == []
    assert sorted(pks(member_client, channel, "countries/", {"is_active": "True"})) == sorted(
        Country.objects.filter(is_active=True).values_list("pk", flat=True)
    )


def test_countries_mapping_fallback(member_client, channel, world):
    map_to(world["de"], channel, "Almanya")
    map_to(world["tr"], channel, "Almanya", integration_type=IntegrationType.TRENDYOL)
    params = {"mapping__code__exact": f"{channel.pk}_Almanya", "mapping__integration_type": "sales_channel"}
    assert pks(member_client, channel, "countries/", params) == [world["de"].pk]
    assert pks(member_client, channel, "countries/", {**params, "mapping__code__exact": f"{channel.pk}_x"}) == []
    assert pks(member_client, channel, "countries/", {**params, "mapping__integration_type": "n11"}) == []
    assert pks(member_client, channel, "countries/", {"mapping__code__exact": f"{channel.pk}_Almanya"}) == [
        world["tr"].pk,
        world["de"].pk,
    ]


def test_a_mapping_of_another_model_does_not_match(member_client, channel, world):
    map_to(world["istanbul"], channel, "34")
    params = {"mapping__code__exact": f"{channel.pk}_34", "mapping__integration_type": "sales_channel"}
    assert pks(member_client, channel, "countries/", params) == []
    assert pks(member_client, channel, "cities/", params) == [world["istanbul"].pk]


# --- cities ------------------------------------------------------------------------------------


def test_cities_name_iexact_within_the_country(member_client, channel, world):
    query = {"name__iexact": "IZMIR", "country": world["tr"].pk, "is_active": "True"}
    assert pks(member_client, channel, "cities/", query) == [world["izmir"].pk]
    assert pks(member_client, channel, "cities/", {**query, "country": world["de"].pk}) == [world["izmir_de"].pk]
    assert pks(member_client, channel, "cities/", {**query, "name__iexact": "Izmi"}) == []


def test_cities_is_active(member_client, channel, world):
    City.objects.filter(pk=world["izmir"].pk).update(is_active=False)
    query = {"name__iexact": "izmir", "country": world["tr"].pk, "is_active": "True"}
    assert pks(member_client, channel, "cities/", query) == []
    assert pks(member_client, channel, "cities/", {"is_active": "false"}) == []


def test_cities_mapping_fallback_without_a_country(member_client, channel, world):
    map_to(world["izmir_de"], channel, "Izmir")
    params = {"mapping__code__exact": f"{channel.pk}_Izmir", "mapping__integration_type": "sales_channel"}
    assert pks(member_client, channel, "cities/", params) == [world["izmir_de"].pk]
    assert pks(member_client, channel, "cities/", {**params, "mapping__code__exact": "0_Izmir"}) == []


# --- townships ---------------------------------------------------------------------------------


def test_townships_name_iexact_country_and_city(member_client, channel, world):
    query = {"name__iexact": "KADIKÖY", "country": world["tr"].pk, "city": world["istanbul"].pk, "is_active": True}
    # Case folding of non-ASCII letters is the database's; the stored spelling always matches.
    assert pks(member_client, channel, "townships/", {**query, "name__iexact": "kadıköy"}) == [world["kadikoy"].pk]
    assert pks(
        member_client, channel, "townships/", {**query, "city": world["izmir"].pk, "name__iexact": "Kadıköy"}
    ) == [world["kadikoy_izmir"].pk]
    assert pks(member_client, channel, "townships/", {**query, "name__iexact": "Kadı"}) == []


def test_townships_country_is_the_citys_country(member_client, channel, world):
    assert pks(member_client, channel, "townships/", {"country": world["de"].pk}) == [world["bornova_de"].pk]
    assert pks(member_client, channel, "townships/", {"country": world["de"].pk, "city": world["istanbul"].pk}) == []
    assert pks(member_client, channel, "townships/", {"country": 999999}) == []


def test_townships_is_active(member_client, channel, world):
    Township.objects.filter(pk=world["kadikoy"].pk).update(is_active=False)
    assert pks(member_client, channel, "townships/", {"city": world["istanbul"].pk, "is_active": "True"}) == []


def test_townships_mapping_fallback_within_the_city(member_client, channel, world):
    map_to(world["kadikoy"], channel, "Kadikoy")
    params = {"mapping__code__exact": f"{channel.pk}_Kadikoy", "mapping__integration_type": "sales_channel"}
    assert pks(member_client, channel, "townships/", {**params, "city": world["istanbul"].pk, "is_active": True}) == [
        world["kadikoy"].pk
    ]
    assert pks(member_client, channel, "townships/", {**params, "city": world["izmir"].pk}) == []


# --- districts ---------------------------------------------------------------------------------


def test_districts_name_exact_with_country_city_and_township(member_client, channel, world):
    query = {
        "name__exact": "Moda",
        "country": world["tr"].pk,
        "city": world["istanbul"].pk,
        "township": world["kadikoy"].pk,
        "is_active": "True",
    }
    assert pks(member_client, channel, "districts/", query) == [world["moda"].pk]
    assert pks(member_client, channel, "districts/", {**query, "township": world["kadikoy_izmir"].pk}) == []
    assert pks(member_client, channel, "districts/", {**query, "country": world["de"].pk}) == []
    assert pks(member_client, channel, "districts/", {**query, "name__exact": "MODA"}) == []


def test_districts_country(member_client, channel, world):
    expected = list(District.objects.filter(city__country=world["tr"]).order_by("pk").values_list("pk", flat=True))
    assert pks(member_client, channel, "districts/", {"country": world["tr"].pk}) == expected
    assert len(expected) == 3
    assert pks(member_client, channel, "districts/", {"country": world["de"].pk}) == []


def test_districts_is_active(member_client, channel, world):
    District.objects.filter(pk=world["moda"].pk).update(is_active=False)
    query = {"name__exact": "Moda", "township": world["kadikoy"].pk, "is_active": "True"}
    assert pks(member_client, channel, "districts/", query) == []


def test_districts_mapping_fallback_within_city_and_township(member_client, channel, world):
    map_to(world["moda_izmir"], channel, "Moda Mah.")
    params = {
        "mapping__code__exact": f"{channel.pk}_Moda Mah.",
        "mapping__integration_type": "sales_channel",
        "city": world["izmir"].pk,
        "township": world["kadikoy_izmir"].pk,
        "is_active": "True",
    }
    assert pks(member_client, channel, "districts/", params) == [world["moda_izmir"].pk]
    assert pks(member_client, channel, "districts/", {**params, "township": world["kadikoy"].pk}) == []


@pytest.mark.parametrize(
    "path, params",
    [
        ("countries/", {"is_active": "True", "mapping__integration_type": "sales_channel"}),
        ("cities/", {"country": "{tr}", "is_active": "True", "mapping__integration_type": "sales_channel"}),
        ("townships/", {"country": "{tr}", "is_active": "True", "mapping__integration_type": "sales_channel"}),
        ("districts/", {"country": "{tr}", "is_active": "True", "mapping__integration_type": "sales_channel"}),
    ],
)
def test_filtered_geography_queries_do_not_grow_with_page_size(member_client, channel, world, path, params):
    for n in range(15):
        district = DistrictFactory(township=TownshipFactory(city=CityFactory(country=world["tr"])))
        for row in (CountryFactory(code=f"{n:02d}"), district.city, district.township, district):
            map_to(row, channel, f"row-{n}")
    params = {key: value.format(tr=world["tr"].pk) for key, value in params.items()}
    counts = queries_per_full_page(member_client, f"/api/v1/channel/{channel.pk}/{path}", params)
    assert counts[0] == counts[1]
