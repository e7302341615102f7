"""Cargos as channel-app reads them: every page (``page=1``, then ``page+1`` while ``next`` is
set), then the row whose ``erp_code`` equals the channel's cargo code exactly."""

import pytest

from tests.factories import CargoCompanyFactory

pytestmark = pytest.mark.django_db


def test_all_pages_then_the_exact_erp_code(member_client, channel):
    cargos = [CargoCompanyFactory(name=f"Cargo {n:02d}", erp_code=f"cargo-{n:02d}") for n in range(12)]
    CargoCompanyFactory(name="Cargo old", erp_code="cargo-07-old", is_active=False)
    rows, page = [], 1
    while True:
        body = member_client.get(f"/api/v1/channel/{channel.pk}/cargos/", {"page": page}).json()
        rows.extend(body["results"])
        if not body["next"]:
            break
        page += 1
    assert page == 2
    assert [(row["pk"], row["erp_code"]) for row in rows] == [(cargo.pk, cargo.erp_code) for cargo in cargos]
    assert [row["pk"] for row in rows if row["erp_code"] == "cargo-07"] == [cargos[7].pk]
    assert [row["pk"] for row in rows if row["erp_code"] == "CARGO-07"] == []
