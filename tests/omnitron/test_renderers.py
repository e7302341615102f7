"""The JSON renderer: numbers a JSON field may hold come back as they were read."""

import pytest

from omnitron.renderers import dumps
from tests.factories import CustomerFactory


def test_integers_beyond_64_bits_are_written_as_the_floats_they_were_read_as():
    assert dumps({"a": 10**30, "b": [-(2**64)], "c": 2**64 - 1, "d": True}) == (
        b'{"a":1e+30,"b":[-1.8446744073709552e+19],"c":18446744073709551615,"d":true}'
    )


@pytest.mark.django_db
def test_a_huge_number_in_a_json_field_reads_back_on_every_database(member_client, channel):
    # Given a customer whose attributes hold numbers beyond 64 bits (jsonb gives 1e30 back as an integer)
    customer = CustomerFactory(channel=channel)
    url = f"/api/v1/channel/{channel.pk}/customers/{customer.pk}/"

    # When they are stored and read back
    patched = member_client.patch(url, {"attributes": {"big": 1e30, "max": 2**64 - 1}}, format="json")
    read = member_client.get(url)

    # Then both answers carry them
    assert patched.status_code == read.status_code == 200
    assert read.json()["attributes"] == {"big": 1e30, "max": 2**64 - 1}
