"""/api/v1/channel/{channel_id}/customers/: list with filters, create, retrieve, update."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from channels.models import Customer
from tests.channel_urls import channel_url
from tests.database_state import stored_row
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

CUSTOMER_KEYS = [
    "pk",
    "channel",
    "email",
    "first_name",
    "last_name",
    "phone_number",
    "channel_code",
    "erp_code",
    "is_active",
    "email_allowed",
    "sms_allowed",
    "call_allowed",
    "gender",
    "date_of_birth",
    "date_joined",
    "attributes",
    "extra_field",
    "created_date",
    "modified_date",
]


# --- List -----------------------------------------------------------------------------------------


def test_customers_lists_only_the_channels_customers_in_id_order(member_client, channel, other_channel):
    # Given two customers here and one in another channel
    first, second = CustomerFactory(channel=channel), CustomerFactory(channel=channel)
    CustomerFactory(channel=other_channel)

    # When the list is read
    response = member_client.get(channel_url(channel.pk, "customers"))

    # Then only this channel's customers appear, in the customer shape
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (2, None, None)
    assert [row["pk"] for row in body["results"]] == [first.pk, second.pk]
    assert list(body["results"][0]) == CUSTOMER_KEYS
    assert body["results"][0]["email"] == first.email
    assert body["results"][0]["channel"] == channel.pk


@pytest.mark.parametrize(
    "query, expected",
    [
        ("email=b@example.com", ["b"]),
        ("email__exact=b@example.com", ["b"]),
        ("email__in=a@example.com,c@example.com", ["a", "c"]),
        ("phone_number=0555", ["a", "b"]),
        ("phone_number__in=0999", ["c"]),
        ("channel_code=code-c", ["c"]),
        ("channel_code__exact=code-a", ["a"]),
        ("channel_code__in=code-a,code-b", ["a", "b"]),
        ("is_active=false", ["c"]),
        ("sort=-email", ["c", "b", "a"]),
    ],
)
def test_customers_filters(member_client, channel, query, expected):
    # Given three customers a, b, c
    for name, phone, active in (("a", "0555", True), ("b", "0555", True), ("c", "0999", False)):
        CustomerFactory(
            channel=channel,
            email=f"{name}@example.com",
            phone_number=phone,
            channel_code=f"code-{name}",
            is_active=active,
        )

    # When filtered
    response = member_client.get(f"{channel_url(channel.pk, 'customers')}?{query}")

    # Then exactly the matching customers come back
    assert response.status_code == 200
    assert [row["email"][0] for row in response.json()["results"]] == expected


@pytest.mark.parametrize(
    "query, param",
    [("pk__in=1,x", "pk__in"), ("created_date__gte=yesterday", "created_date__gte"), ("is_active=maybe", "is_active")],
)
def test_customers_refuses_invalid_filter_values_naming_the_parameter(member_client, channel, query, param):
    response = member_client.get(f"{channel_url(channel.pk, 'customers')}?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [param]


def test_customers_list_query_count_does_not_grow_with_the_page_size(member_client, channel):
    CustomerFactory.create_batch(30, channel=channel)
    member_client.get(channel_url(channel.pk, "customers"))  # records the token's last use
    with CaptureQueriesContext(connection) as small:
        assert len(member_client.get(f"{channel_url(channel.pk, 'customers')}?limit=2").json()["results"]) == 2
    with CaptureQueriesContext(connection) as large:
        assert len(member_client.get(f"{channel_url(channel.pk, 'customers')}?limit=25").json()["results"]) == 25
    assert len(large.captured_queries) == len(small.captured_queries)


def test_customers_of_a_foreign_channel_answer_404(member_client, other_channel):
    customer = CustomerFactory(channel=other_channel)
    assert member_client.get(channel_url(other_channel.pk, "customers")).status_code == 404
    assert member_client.get(channel_url(other_channel.pk, "customers", customer.pk)).status_code == 404


# --- Create ---------------------------------------------------------------------------------------


def test_customers_create_takes_the_channel_from_the_url(member_client, channel):
    # Given a new customer whose body sends the channel back (another channel's id is a 400, see
    # tests/test_tenant_isolation.py)
    body = {
        "email": "new@example.com",
        "first_name": "Ali",
        "last_name": "Veli",
        "channel_code": "C-1",
        "phone_number": "05551112233",
        "attributes": {"tier": "gold"},
        "channel": channel.pk,
    }

    # When it is created
    response = member_client.post(channel_url(channel.pk, "customers"), body, format="json")

    # Then it belongs to the URL's channel, with the fields sent and the defaults
    assert response.status_code == 201, response.json()
    data = response.json()
    customer = Customer.objects.get(pk=data["pk"])
    assert (customer.channel_id, customer.email, customer.channel_code, customer.attributes) == (
        channel.pk,
        "new@example.com",
        "C-1",
        {"tier": "gold"},
    )
    assert (customer.is_active, customer.email_allowed, customer.extra_field) == (True, False, {})
    assert list(data) == CUSTOMER_KEYS
    assert (data["channel"], data["first_name"]) == (channel.pk, "Ali")


def test_customers_create_refuses_a_channel_code_already_used_in_the_channel(member_client, channel):
    existing = CustomerFactory(channel=channel, channel_code="C-2")
    count = Customer.objects.count()
    response = member_client.post(
        channel_url(channel.pk, "customers"), {"email": "x@example.com", "channel_code": "C-2"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "channel_code": [f"A customer with this channel_code already exists in the channel (pk {existing.pk})."]
    }
    assert Customer.objects.count() == count


def test_customers_create_allows_the_same_channel_code_in_another_channel(member_client, channel, other_channel):
    CustomerFactory(channel=other_channel, channel_code="C-3")
    response = member_client.post(
        channel_url(channel.pk, "customers"), {"email": "x@example.com", "channel_code": "C-3"}, format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "body, errors",
    [
        ({}, {"email": ["This field is required."]}),
        ({"email": "not-an-email"}, {"email": ["Enter a valid email address."]}),
        ({"email": "a@example.com", "extra_field": [1]}, {"extra_field": ["Expected a JSON object."]}),
    ],
)
def test_customers_create_refuses_invalid_input(member_client, channel, body, errors):
    count = Customer.objects.count()
    response = member_client.post(channel_url(channel.pk, "customers"), body, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert Customer.objects.count() == count


def test_customers_writes_need_the_model_permissions(readonly_member_client, anon_client, channel):
    customer = CustomerFactory(channel=channel)
    before = stored_row(customer)
    assert (
        readonly_member_client.post(channel_url(channel.pk, "customers"), {"email": "a@example.com"}).status_code == 403
    )
    assert (
        readonly_member_client.patch(channel_url(channel.pk, "customers", customer.pk), {"first_name": "X"}).status_code
        == 403
    )
    assert anon_client.get(channel_url(channel.pk, "customers")).status_code == 401
    assert Customer.objects.count() == 1
    assert stored_row(customer) == before


# --- Retrieve and update --------------------------------------------------------------------------------


def test_customers_retrieve(member_client, channel):
    customer = CustomerFactory(channel=channel, email="r@example.com")
    response = member_client.get(channel_url(channel.pk, "customers", customer.pk))
    assert response.status_code == 200
    assert (response.json()["pk"], response.json()["email"]) == (customer.pk, "r@example.com")


def test_customers_patch_changes_only_what_is_sent(member_client, channel):
    # Given a customer
    customer = CustomerFactory(channel=channel, first_name="Ayşe", phone_number="0555")

    # When its first name is patched
    response = member_client.patch(
        channel_url(channel.pk, "customers", customer.pk), {"first_name": "Fatma"}, format="json"
    )

    # Then only that changed
    assert response.status_code == 200, response.json()
    customer.refresh_from_db()
    assert (customer.first_name, customer.phone_number) == ("Fatma", "0555")
    assert response.json()["first_name"] == "Fatma"


def test_customers_put_replaces_the_writable_fields(member_client, channel):
    customer = CustomerFactory(channel=channel, first_name="Ayşe")
    response = member_client.put(
        channel_url(channel.pk, "customers", customer.pk),
        {"email": "put@example.com", "channel_code": "P-1"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    customer.refresh_from_db()
    assert (customer.email, customer.channel_code, customer.first_name) == ("put@example.com", "P-1", "Ayşe")


def test_customers_put_without_required_fields_is_refused_and_changes_nothing(member_client, channel):
    customer = CustomerFactory(channel=channel)
    before = stored_row(customer)
    response = member_client.put(channel_url(channel.pk, "customers", customer.pk), {"first_name": "X"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"email": ["This field is required."]}
    assert stored_row(customer) == before


def test_customers_update_refuses_a_channel_code_taken_in_the_channel(member_client, channel):
    taken = CustomerFactory(channel=channel, channel_code="T-1")
    customer = CustomerFactory(channel=channel, channel_code="T-2")
    before = stored_row(customer)
    response = member_client.patch(
        channel_url(channel.pk, "customers", customer.pk), {"channel_code": "T-1"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "channel_code": [f"A customer with this channel_code already exists in the channel (pk {taken.pk})."]
    }
    assert stored_row(customer) == before


def test_customers_of_another_channel_cannot_be_updated_through_this_one(member_client, channel, other_channel):
    foreign = CustomerFactory(channel=other_channel)
    before = stored_row(foreign)
    response = member_client.patch(channel_url(channel.pk, "customers", foreign.pk), {"first_name": "X"}, format="json")
    assert response.status_code == 404
    assert stored_row(foreign) == before
