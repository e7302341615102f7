"""/api/v1/channel/{channel_id}/addresses/: list with filters, create, retrieve, update, and the
``hash_data`` rule for identical addresses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from channels.models import Address
from channels.services import ADDRESS_HASH_FIELDS, address_hash
from tests.channel_urls import channel_url
from tests.database_state import stored_row
from tests.factories import AddressFactory, CityFactory, CustomerFactory, DistrictFactory

pytestmark = pytest.mark.django_db

ADDRESS_KEYS = [
    "pk",
    "channel",
    "customer",
    "title",
    "email",
    "phone_number",
    "first_name",
    "last_name",
    "country",
    "city",
    "township",
    "district",
    "line",
    "postcode",
    "notes",
    "company_name",
    "tax_office",
    "tax_no",
    "e_bill_taxpayer",
    "identity_number",
    "is_active",
    "extra_field",
    "hash_data",
    "created_date",
    "modified_date",
]


@pytest.fixture
def customer(channel):
    return CustomerFactory(channel=channel)


@pytest.fixture
def district(db):
    return DistrictFactory()


def new_address(customer, district, **overrides) -> dict:
    return {
        "customer": customer.pk,
        "title": "Home",
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "email": "ayse@example.com",
        "phone_number": "05550000000",
        "country": district.city.country_id,
        "city": district.city_id,
        "township": district.township_id,
        "district": district.pk,
        "line": "Atatürk Cd. No: 1",
        "postcode": "34000",
        **overrides,
    }


# --- Create ---------------------------------------------------------------------------------------


def test_addresses_create_stores_the_address_with_its_hash(member_client, channel, customer, district):
    # Given a new address for a customer of the channel
    body = new_address(customer, district)

    # When it is created
    response = member_client.post(channel_url(channel.pk, "addresses"), body, format="json")

    # Then it is stored in the channel, with the hash of its content
    assert response.status_code == 201, response.json()
    data = response.json()
    address = Address.objects.get(pk=data["pk"])
    assert (address.channel_id, address.customer_id, address.line, address.district_id) == (
        channel.pk,
        customer.pk,
        "Atatürk Cd. No: 1",
        district.pk,
    )
    expected_hash = address_hash(
        customer_id=customer.pk, values={name: getattr(address, name) for name in ADDRESS_HASH_FIELDS}
    )
    assert address.hash_data == expected_hash
    assert list(data) == ADDRESS_KEYS
    assert (data["hash_data"], data["channel"], data["country"]) == (
        expected_hash,
        channel.pk,
        district.city.country_id,
    )


def test_addresses_create_stores_a_null_title_as_blank(member_client, channel, customer, district):
    # channel-app's AddressDto sends "title": null for an address that has none
    response = member_client.post(
        channel_url(channel.pk, "addresses"), new_address(customer, district, title=None), format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["title"] == ""
    assert Address.objects.get(pk=response.json()["pk"]).title == ""


def test_addresses_create_refuses_an_identical_address_with_its_hash_data(member_client, channel, customer, district):
    # Given an address of the customer
    first = member_client.post(
        channel_url(channel.pk, "addresses"), new_address(customer, district), format="json"
    ).json()
    count = Address.objects.count()

    # When the same address is sent again, differing only in case and spacing
    twin = new_address(customer, district, line="  ATATÜRK cd.   No: 1 ", first_name="ayşe")
    response = member_client.post(channel_url(channel.pk, "addresses"), twin, format="json")

    # Then it is refused with the existing address's hash_data, and nothing was written
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": (
            f"hash_data:{first['hash_data']} An identical address already exists for this customer (pk {first['pk']})."
        ),
        "hash_data": [first["hash_data"]],
    }
    assert Address.objects.count() == count

    # And the hash read as channel-app reads it (first word, after "hash_data:") finds exactly that address
    token = response.json()["non_field_errors"].split()[0].split(":")
    assert token == ["hash_data", first["hash_data"]]
    found = member_client.get(channel_url(channel.pk, "addresses"), {"hash_data": token[1]}).json()
    assert [row["pk"] for row in found["results"]] == [first["pk"]]


def test_addresses_the_same_address_for_another_customer_is_not_a_duplicate(member_client, channel, customer, district):
    other = CustomerFactory(channel=channel)
    assert (
        member_client.post(
            channel_url(channel.pk, "addresses"), new_address(customer, district), format="json"
        ).status_code
        == 201
    )
    response = member_client.post(channel_url(channel.pk, "addresses"), new_address(other, district), format="json")
    assert response.status_code == 201


@pytest.mark.parametrize(
    "change, errors",
    [
        (lambda b, other_city: b.update(city=other_city.pk), "city_and_below"),
        (lambda b, other_city: b.update(country=987654), {"country": ['Invalid pk "987654" - object does not exist.']}),
        (lambda b, other_city: b.pop("line"), {"line": ["This field is required."]}),
        (lambda b, other_city: b.update(extra_field="x"), {"extra_field": ["Expected a JSON object."]}),
    ],
)
def test_addresses_create_refuses_invalid_geography_and_fields(
    member_client, channel, customer, district, change, errors
):
    # Given an address spoiled in one way (a city of another country, an unknown country, ...)
    body = new_address(customer, district)
    other_city = CityFactory(country__code="de", country__name="Germany")
    change(body, other_city)
    count = Address.objects.count()

    # When it is sent
    response = member_client.post(channel_url(channel.pk, "addresses"), body, format="json")

    # Then it is refused and nothing is written
    assert response.status_code == 400
    if errors == "city_and_below":
        errors = {
            "city": ["The city is not in the given country."],
            "township": ["The township is not in the given city."],
            "district": ["The district is not in the given city."],
        }
    assert response.json() == errors
    assert Address.objects.count() == count


def test_addresses_create_refuses_a_customer_of_another_channel(member_client, channel, other_channel, district):
    foreign = CustomerFactory(channel=other_channel)
    response = member_client.post(channel_url(channel.pk, "addresses"), new_address(foreign, district), format="json")
    assert response.status_code == 400
    assert response.json() == {"customer": [f'Invalid pk "{foreign.pk}" - object does not exist.']}
    assert Address.objects.count() == 0


def test_addresses_writes_need_the_model_permissions(readonly_member_client, channel, customer, district):
    address = AddressFactory(customer=customer)
    before = stored_row(address)
    response = readonly_member_client.post(
        channel_url(channel.pk, "addresses"), new_address(customer, district), format="json"
    )
    assert response.status_code == 403
    response = readonly_member_client.patch(
        channel_url(channel.pk, "addresses", address.pk), {"line": "x"}, format="json"
    )
    assert response.status_code == 403
    assert Address.objects.count() == 1
    assert stored_row(address) == before


# --- List and retrieve ----------------------------------------------------------------------------


def test_addresses_list_filters_by_customer_hash_and_pk(member_client, channel, other_channel, customer):
    # Given two addresses of one customer, one of another customer, and one in another channel
    first, second = AddressFactory(customer=customer), AddressFactory(customer=customer)
    third = AddressFactory(customer=CustomerFactory(channel=channel))
    AddressFactory(customer=CustomerFactory(channel=other_channel))
    base = channel_url(channel.pk, "addresses")

    def pks(query: str) -> list[int]:
        response = member_client.get(f"{base}?{query}")
        assert response.status_code == 200, response.json()
        return [row["pk"] for row in response.json()["results"]]

    # Then each filter narrows the channel's addresses
    assert pks("") == [first.pk, second.pk, third.pk]
    assert pks(f"customer={customer.pk}") == [first.pk, second.pk]
    assert pks(f"customer__in={third.customer_id}") == [third.pk]
    assert pks(f"hash_data={second.hash_data}") == [second.pk]
    assert pks(f"hash_data__in={first.hash_data},{third.hash_data}") == [first.pk, third.pk]
    assert pks(f"pk__in={first.pk},{third.pk}") == [first.pk, third.pk]
    assert pks("sort=-id") == [third.pk, second.pk, first.pk]


@pytest.mark.parametrize("query", ["customer=x", "customer=99999999999999999999999", "pk__in=1.5", "sort=line"])
def test_addresses_list_refuses_unreadable_filters(member_client, channel, query):
    response = member_client.get(f"{channel_url(channel.pk, 'addresses')}?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [query.split("=")[0]]


def test_addresses_list_query_count_does_not_grow_with_the_page_size(member_client, channel, customer):
    for _ in range(30):
        AddressFactory(customer=customer)
    member_client.get(channel_url(channel.pk, "addresses"))  # records the token's last use
    with CaptureQueriesContext(connection) as small:
        assert len(member_client.get(f"{channel_url(channel.pk, 'addresses')}?limit=2").json()["results"]) == 2
    with CaptureQueriesContext(connection) as large:
        assert len(member_client.get(f"{channel_url(channel.pk, 'addresses')}?limit=25").json()["results"]) == 25
    assert len(large.captured_queries) == len(small.captured_queries)


def test_addresses_of_another_channel_answer_404(member_client, channel, other_channel):
    foreign = AddressFactory(customer=CustomerFactory(channel=other_channel))
    before = stored_row(foreign)
    assert member_client.get(channel_url(channel.pk, "addresses", foreign.pk)).status_code == 404
    assert (
        member_client.patch(channel_url(channel.pk, "addresses", foreign.pk), {"line": "x"}, format="json").status_code
        == 404
    )
    assert member_client.get(channel_url(other_channel.pk, "addresses", foreign.pk)).status_code == 404
    assert stored_row(foreign) == before


# --- Update -----------------------------------------------------------------------------------------------


def test_addresses_patch_changes_the_fields_and_the_hash(member_client, channel, customer):
    # Given an address
    address = AddressFactory(customer=customer, line="Old street 1")
    old_hash = address.hash_data

    # When its line is patched
    response = member_client.patch(
        channel_url(channel.pk, "addresses", address.pk), {"line": "New street 2"}, format="json"
    )

    # Then the line and the hash changed, nothing else
    assert response.status_code == 200, response.json()
    address.refresh_from_db()
    assert address.line == "New street 2"
    assert address.hash_data != old_hash
    assert response.json()["hash_data"] == address.hash_data
    assert (address.customer_id, address.title) == (customer.pk, "Home")


def test_addresses_put_replaces_the_address(member_client, channel, customer, district):
    address = AddressFactory(customer=customer)
    body = new_address(customer, district, line="Put street 3", title="Office")
    body.pop("customer")
    response = member_client.put(channel_url(channel.pk, "addresses", address.pk), body, format="json")
    assert response.status_code == 200, response.json()
    address.refresh_from_db()
    assert (address.line, address.title, address.district_id) == ("Put street 3", "Office", district.pk)


def test_addresses_update_refuses_becoming_identical_to_a_sibling(member_client, channel, customer):
    # Given two addresses of one customer
    first = AddressFactory(customer=customer, line="Street 1")
    second = AddressFactory(customer=customer, line="Street 2", district=first.district)
    before = stored_row(second)

    # When the second is changed to equal the first
    response = member_client.patch(channel_url(channel.pk, "addresses", second.pk), {"line": "Street 1"}, format="json")

    # Then it is refused with the first's hash_data, and the second is unchanged
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": (
            f"hash_data:{first.hash_data} An identical address already exists for this customer (pk {first.pk})."
        ),
        "hash_data": [first.hash_data],
    }
    assert stored_row(second) == before


def test_addresses_cannot_move_to_another_customer(member_client, channel, customer):
    address = AddressFactory(customer=customer)
    other = CustomerFactory(channel=channel)
    before = stored_row(address)
    response = member_client.patch(
        channel_url(channel.pk, "addresses", address.pk), {"customer": other.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"customer": ["An address cannot move to another customer."]}
    assert stored_row(address) == before
