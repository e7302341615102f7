"""error_reports/ and error_reports/{kind}/: stored as sent, long bodies kept."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from channels.models import Channel
from integrations.models import BatchRequest, ErrorReport
from tests.database_state import database_state

pytestmark = pytest.mark.django_db


def url(channel_id: int, kind: str | None = None) -> str:
    if kind is None:
        return reverse("channel:error-report-create", kwargs={"channel_id": channel_id})
    return reverse(f"channel:error-report-{kind}", kwargs={"channel_id": channel_id})


def test_a_generic_report_is_stored_with_long_codes_and_bodies(member_client, channel):
    batch_type = ContentType.objects.get_for_model(BatchRequest)
    channel_type = ContentType.objects.get_for_model(Channel)
    long_code = "0f6a2b8e-3c1d-4e5f-8a9b-0c1d2e3f4a5b-Omnitron-" + "GetOrders_" * 20
    body = {
        "action_content_type": batch_type.pk,
        "action_object_id": 12,
        "target_content_type": channel_type.pk,
        "target_object_id": str(channel.pk),
        "obj_modified_date": "2025-05-22 09:53:23",
        "error_code": long_code[:255],
        "error_desc": "GetOrders",
        "raw_request": "GET - https://marketplace/orders - " + "x" * 100_000,
        "raw_response": "Traceback (most recent call last):\n" + "y" * 200_000,
        "is_ok": False,
    }

    response = member_client.post(url(channel.pk), body, format="json")

    assert response.status_code == 201, response.content
    report = ErrorReport.objects.get()
    assert (
        report.channel_id,
        report.kind,
        report.action_content_type_id,
        report.action_object_id,
        report.target_content_type_id,
        report.target_object_id,
        report.obj_modified_date,
        report.error_code,
        report.error_desc,
        report.raw_request,
        report.raw_response,
        report.is_ok,
    ) == (
        channel.pk,
        "generic",
        batch_type.pk,
        12,
        channel_type.pk,
        str(channel.pk),
        "2025-05-22 09:53:23",
        long_code[:255],
        "GetOrders",
        body["raw_request"],
        body["raw_response"],
        False,
    )


def test_an_error_code_beyond_255_characters_is_cut_not_refused(member_client, channel):
    response = member_client.post(url(channel.pk), {"error_code": "E" * 300, "is_ok": True}, format="json")

    assert response.status_code == 201
    assert ErrorReport.objects.get().error_code == "E" * 255


@pytest.mark.parametrize("kind", ["country", "city", "township", "district", "distinct"])
def test_a_per_kind_report_keeps_its_body(member_client, channel, kind):
    body = {
        "type": kind,
        "remote_code": f"{channel.pk}_Istanbul",
        "country_id": 1,
        "integration_type": "sales_channel",
        "err_code": "integrations_200_10_2",
        "err_desc": "City was not found",
    }

    response = member_client.post(url(channel.pk, kind), body, format="json")

    assert response.status_code == 201
    report = ErrorReport.objects.get()
    assert (report.kind, report.body, report.error_code, report.error_desc) == (
        kind,
        body,
        "integrations_200_10_2",
        "City was not found",
    )


def test_an_unknown_kind_is_404_and_a_non_object_body_400(member_client, channel):
    before = database_state()

    unknown = member_client.post(url(channel.pk) + "planet/", {"type": "planet"}, format="json")
    listed = member_client.post(url(channel.pk, "city"), [1, 2], format="json")

    assert unknown.status_code == 404
    assert listed.status_code == 400
    assert listed.json() == {"non_field_errors": ["Expected a JSON object."]}
    assert database_state() == before


def test_an_unknown_content_type_id_is_400(member_client, channel):
    before = database_state()

    response = member_client.post(url(channel.pk), {"action_content_type": 10**9}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["action_content_type"]
    assert database_state() == before
