"""/api/v1/channel/{id}/cancellation_requests/: list, create, retrieve, PATCH/PUT, reject, updates."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from integrations.models import Change, IntegrationAction, IntegrationStatus
from omnitron.tokens import token_create
from orders.models import CancellationRequest
from orders.services import cancellation_requests as service
from tests.database_state import database_state
from tests.factories import CancellationReasonFactory, CancellationRequestFactory, OrderItemFactory
from tests.orders.test_api_write_races import send_at_once
from tests.query_counts import queries_per_full_page

pytestmark = pytest.mark.django_db


def base(channel) -> str:
    return f"/api/v1/channel/{channel.pk}/cancellation_requests/"


def shape(cr: CancellationRequest) -> dict:
    cr.refresh_from_db()
    return {
        "id": cr.pk,
        "pk": cr.pk,
        "order_item": cr.order_item_id,
        "reason": cr.reason_id,
        "description": cr.description,
        "cancellation_type": cr.cancellation_type,
        "status": cr.status,
        "iban": cr.iban,
        "holder_name": cr.holder_name,
        "easy_return": cr.easy_return,
        "quantity": cr.quantity,
        "fully_refund_as_loyalty_money": cr.fully_refund_as_loyalty_money,
        "remote_id": cr.remote_id,
        "uuid": str(cr.uuid),
        "created_date": cr.created_date.isoformat().replace("+00:00", "Z"),
        "modified_date": cr.modified_date.isoformat().replace("+00:00", "Z"),
    }


def changes_of(cr) -> list[tuple]:
    content_type = ContentType.objects.get_for_model(CancellationRequest)
    return list(
        Change.objects.filter(content_type=content_type, object_id=cr.pk)
        .order_by("id")
        .values_list("kind", "channel_id", "version_date")
    )


@pytest.fixture
def item(channel):
    return OrderItemFactory(order__channel=channel)


@pytest.fixture
def reason(db):
    return CancellationReasonFactory()


@pytest.fixture
def cr(item, reason):
    return CancellationRequestFactory(order_item=item, reason=reason, remote_id="MP-1")


# --- Create ---------------------------------------------------------------------------------------


def test_create_takes_the_channel_apps_body_with_ids_as_strings_and_records_a_change(
    member_client, channel, item, reason
):
    body = {
        "order_item": str(item.pk),
        "reason": str(reason.pk),
        "remote_id": "MP-CANCEL-1",
        "description": "Changed my mind",
        "cancellation_type": "refund",
    }

    response = member_client.post(base(channel), body, format="json")

    assert response.status_code == 201, response.content
    created = CancellationRequest.objects.get()
    assert response.json() == shape(created)
    assert (created.channel_id, created.order_item_id, created.reason_id, created.status, created.quantity) == (
        channel.pk,
        item.pk,
        reason.pk,
        "waiting",
        1,
    )
    assert (created.remote_id, created.description, created.cancellation_type) == (
        "MP-CANCEL-1",
        "Changed my mind",
        "refund",
    )
    assert changes_of(created) == [("created", channel.pk, created.modified_date)]


def test_create_defaults_to_cancel_and_stores_a_null_description_as_empty(member_client, channel, item, reason):
    response = member_client.post(
        base(channel), {"order_item": item.pk, "reason": reason.pk, "description": None}, format="json"
    )

    assert response.status_code == 201, response.content
    assert (response.json()["cancellation_type"], response.json()["description"], response.json()["remote_id"]) == (
        "cancel",
        "",
        None,
    )


def test_create_with_a_remote_id_sent_again_for_the_same_item_returns_that_request_unchanged(
    member_client, channel, cr
):
    before, changes = database_state(), Change.objects.count()

    response = member_client.post(
        base(channel),
        {"order_item": cr.order_item_id, "reason": cr.reason_id, "remote_id": "MP-1", "description": "again"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json() == shape(cr)
    assert (database_state(), Change.objects.count()) == (before, changes)


def create_refused(client, channel, body) -> dict:
    """POST ``body`` as a new request: a 400 that writes nothing (no row, no change); its errors."""
    before, changes = database_state(), Change.objects.count()

    response = client.post(base(channel), body, format="json")

    assert response.status_code == 400
    assert (database_state(), Change.objects.count()) == (before, changes)
    return response.json()


def test_create_refuses_a_remote_id_the_channel_has_for_another_item(member_client, channel, cr, reason):
    other_item = OrderItemFactory(order__channel=channel)

    errors = create_refused(
        member_client, channel, {"order_item": other_item.pk, "reason": reason.pk, "remote_id": "MP-1"}
    )

    assert errors == {
        "remote_id": [f"A cancellation request with this remote_id already exists in this channel (id {cr.pk})."]
    }


def test_the_same_remote_id_in_another_channel_is_another_request(member_client, channel, other_channel, reason):
    CancellationRequestFactory(order_item=OrderItemFactory(order__channel=other_channel), remote_id="MP-9")
    item = OrderItemFactory(order__channel=channel)

    response = member_client.post(
        base(channel), {"order_item": item.pk, "reason": reason.pk, "remote_id": "MP-9"}, format="json"
    )

    assert response.status_code == 201
    assert CancellationRequest.objects.filter(remote_id="MP-9").count() == 2


def test_create_refuses_an_item_of_another_channel_and_an_inactive_reason_writing_nothing(
    member_client, channel, other_channel
):
    foreign_item = OrderItemFactory(order__channel=other_channel)
    inactive = CancellationReasonFactory(is_active=False)

    errors = create_refused(
        member_client, channel, {"order_item": foreign_item.pk, "reason": inactive.pk, "remote_id": "X"}
    )

    assert errors == {
        "order_item": [f'Invalid pk "{foreign_item.pk}" - object does not exist.'],
        "reason": [f'Invalid pk "{inactive.pk}" - object does not exist.'],
    }


@pytest.mark.parametrize(
    "body, errors",
    [
        ({"order_item": "1a", "reason": 1}, {"order_item": ["Incorrect type. Expected pk value, received str."]}),
        ({"order_item": True, "reason": 1}, {"order_item": ["Incorrect type. Expected pk value, received bool."]}),
        ({"order_item": 1.5, "reason": 1}, {"order_item": ["Incorrect type. Expected pk value, received float."]}),
        ({"order_item": 1, "reason": 0}, {"reason": ['Invalid pk "0" - object does not exist.']}),
        ({"reason": 1}, {"order_item": ["This field is required."]}),
        (
            {"order_item": 1, "reason": 1, "cancellation_type": "swap"},
            {"cancellation_type": ['"swap" is not a valid choice.']},
        ),
        (
            {"order_item": 1, "reason": 1, "quantity": 2},
            {"quantity": ["Ensure this value is less than or equal to 1."]},
        ),
    ],
)
def test_create_refuses_bad_shapes_writing_nothing(member_client, channel, body, errors):
    assert create_refused(member_client, channel, body) == errors


def test_create_needs_the_add_permission(readonly_member_client, channel, item, reason):
    before = database_state()

    response = readonly_member_client.post(base(channel), {"order_item": item.pk, "reason": reason.pk}, format="json")

    assert response.status_code == 403
    assert database_state() == before


# --- List and retrieve ----------------------------------------------------------------------------


def test_list_shows_the_channels_requests_with_id_and_pk(member_client, channel, other_channel, cr):
    CancellationRequestFactory(order_item=OrderItemFactory(order__channel=other_channel))

    response = member_client.get(base(channel), {"page": 1, "limit": 50})

    assert response.status_code == 200
    assert response.json() == {"count": 1, "next": None, "previous": None, "results": [shape(cr)]}


def test_list_filters(member_client, channel, item, reason):
    waiting = CancellationRequestFactory(order_item=item, reason=reason, remote_id="A")
    approved = CancellationRequestFactory(order_item=item, status="approved", cancellation_type="refund", remote_id="B")
    other_item = OrderItemFactory(order__channel=channel)
    confirmed = CancellationRequestFactory(order_item=other_item, status="confirmed", remote_id="C")
    CancellationRequest.objects.filter(pk=waiting.pk).update(modified_date=timezone.now() - timedelta(days=2))

    def ids(params):
        response = member_client.get(base(channel), params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids({"status": "approved"}) == [approved.pk]
    assert ids([("status", "approved"), ("status", "confirmed")]) == [approved.pk, confirmed.pk]
    assert ids({"cancellation_type": "refund"}) == [approved.pk]
    assert ids({"order_item": other_item.pk}) == [confirmed.pk]
    assert ids({"order_item__in": f"{item.pk},{other_item.pk}"}) == [waiting.pk, approved.pk, confirmed.pk]
    assert ids({"remote_id": "B"}) == [approved.pk]
    assert ids({"pk__in": f"{waiting.pk},{confirmed.pk}"}) == [waiting.pk, confirmed.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids({"modified_date__gt": since}) == [approved.pk, confirmed.pk]
    assert ids({"modified_date__lte": since}) == [waiting.pk]
    assert ids({"sort": "-id"}) == [confirmed.pk, approved.pk, waiting.pk]


@pytest.mark.parametrize(
    "params, errors",
    [
        ({"status": "open"}, {"status": ["Unknown status 'open'; one of: " + ", ".join(
            ["waiting", "confirmed", "waiting_approval", "approved", "rejected", "completed"]
        ) + "."]}),
        ({"cancellation_type": "swap"}, {"cancellation_type": [
            "Select a valid choice. swap is not one of the available choices."
        ]}),
        ({"order_item": "x"}, {"order_item": ["Enter a whole number."]}),
    ],
)  # fmt: skip
def test_list_refuses_bad_filters(member_client, channel, params, errors):
    response = member_client.get(base(channel), params)

    assert response.status_code == 400
    assert response.json() == errors


def test_list_query_count_does_not_grow_with_the_page(member_client, channel):
    for _ in range(12):
        CancellationRequestFactory(order_item=OrderItemFactory(order__channel=channel))

    first, second = queries_per_full_page(member_client, base(channel), {})

    assert first == second


def test_retrieve_answers_the_request_and_404_for_another_channels(member_client, channel, other_channel, cr):
    foreign = CancellationRequestFactory(order_item=OrderItemFactory(order__channel=other_channel))

    assert member_client.get(f"{base(channel)}{cr.pk}/").json() == shape(cr)
    response = member_client.get(f"{base(channel)}{foreign.pk}/")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found.", "code": "not_found"})


# --- PATCH / PUT ----------------------------------------------------------------------------------


def test_patch_changes_fields_moves_modified_date_on_and_records_a_change(member_client, channel, cr):
    before = CancellationRequest.objects.get(pk=cr.pk).modified_date
    new_reason = CancellationReasonFactory()

    response = member_client.patch(
        f"{base(channel)}{cr.pk}/",
        {"status": "approved", "reason": str(new_reason.pk), "iban": "TR000000000000000000000001"},
        format="json",
    )

    assert response.status_code == 200, response.content
    stored = CancellationRequest.objects.get(pk=cr.pk)
    assert response.json() == shape(stored)
    assert (stored.status, stored.reason_id, stored.iban) == ("approved", new_reason.pk, "TR000000000000000000000001")
    assert stored.modified_date > before
    assert changes_of(cr) == [("changed", channel.pk, stored.modified_date)]


def test_put_takes_the_whole_object_read_back(member_client, channel, cr):
    body = {**member_client.get(f"{base(channel)}{cr.pk}/").json(), "status": "confirmed"}

    response = member_client.put(f"{base(channel)}{cr.pk}/", body, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "confirmed"
    assert len(changes_of(cr)) == 1


def test_patch_with_the_stored_values_writes_no_new_version(member_client, channel, cr):
    body = member_client.get(f"{base(channel)}{cr.pk}/").json()
    before = database_state()

    response = member_client.patch(f"{base(channel)}{cr.pk}/", body, format="json")

    assert response.status_code == 200
    assert response.json() == body
    assert (database_state(), changes_of(cr)) == (before, [])


def test_versions_stay_distinct_when_the_clock_does_not_move(member_client, channel, cr, monkeypatch):
    frozen = CancellationRequest.objects.get(pk=cr.pk).modified_date
    monkeypatch.setattr(service.timezone, "now", lambda: frozen)

    member_client.patch(f"{base(channel)}{cr.pk}/", {"status": "confirmed"}, format="json")
    member_client.patch(f"{base(channel)}{cr.pk}/", {"status": "approved"}, format="json")

    assert [version for _, _, version in changes_of(cr)] == [
        frozen + timedelta(microseconds=1),
        frozen + timedelta(microseconds=2),
    ]
    assert CancellationRequest.objects.get(pk=cr.pk).modified_date == frozen + timedelta(microseconds=2)


@pytest.mark.parametrize(
    "body, errors",
    [
        ({"order_item": 10**9}, lambda cr: {"order_item": [f"This field cannot be changed (stored value: {cr.order_item_id})."]}),
        ({"pk": 10**9}, lambda cr: {"pk": [f"This field cannot be changed (stored value: {cr.pk})."]}),
        ({"reason": 10**9}, lambda cr: {"reason": [f'Invalid pk "{10**9}" - object does not exist.']}),
        ({"status": "closed"}, lambda cr: {"status": ['"closed" is not a valid choice.']}),
    ],
)  # fmt: skip
def test_patch_refusals_change_nothing(member_client, channel, cr, body, errors):
    before = database_state()

    response = member_client.patch(f"{base(channel)}{cr.pk}/", body, format="json")

    assert response.status_code == 400
    assert response.json() == errors(cr)
    assert (database_state(), changes_of(cr)) == (before, [])


def test_patch_refuses_a_remote_id_taken_in_the_channel(member_client, channel, cr):
    other = CancellationRequestFactory(order_item=OrderItemFactory(order__channel=channel), remote_id="MP-2")
    before = database_state()

    response = member_client.patch(f"{base(channel)}{other.pk}/", {"remote_id": "MP-1"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "remote_id": [f"A cancellation request with this remote_id already exists in this channel (id {cr.pk})."]
    }
    assert (database_state(), changes_of(other)) == (before, [])


@pytest.mark.parametrize("final", ["rejected", "completed"])
def test_a_final_request_no_longer_changes(member_client, channel, item, final):
    cr = CancellationRequestFactory(order_item=item, status=final)
    before = database_state()

    response = member_client.patch(f"{base(channel)}{cr.pk}/", {"status": "approved"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"status": [f"The request is {final}: it no longer changes."]}
    assert (database_state(), changes_of(cr)) == (before, [])


def test_patch_of_another_channels_request_is_404_and_changes_nothing(member_client, channel, other_channel):
    foreign = CancellationRequestFactory(order_item=OrderItemFactory(order__channel=other_channel))
    before = database_state()

    response = member_client.patch(f"{base(channel)}{foreign.pk}/", {"status": "approved"}, format="json")

    assert response.status_code == 404
    assert database_state() == before


# --- Reject ---------------------------------------------------------------------------------------


def test_reject_rejects_once_and_again_changes_nothing(member_client, channel, cr):
    response = member_client.post(f"{base(channel)}{cr.pk}/reject/", {}, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == shape(cr)
    assert response.json()["status"] == "rejected"
    assert [kind for kind, _, _ in changes_of(cr)] == ["changed"]
    before = database_state()

    again = member_client.post(f"{base(channel)}{cr.pk}/reject/", format="json")

    assert (again.status_code, again.json()) == (200, response.json())
    assert (database_state(), len(changes_of(cr))) == (before, 1)


def test_reject_refuses_a_completed_request(member_client, channel, item):
    cr = CancellationRequestFactory(order_item=item, status="completed")
    before = database_state()

    response = member_client.post(f"{base(channel)}{cr.pk}/reject/", format="json")

    assert response.status_code == 400
    assert response.json() == {"status": ["The request is completed: it can no longer be rejected."]}
    assert (database_state(), changes_of(cr)) == (before, [])


def test_reject_needs_the_change_permission(readonly_member_client, channel, cr):
    before = database_state()

    response = readonly_member_client.post(f"{base(channel)}{cr.pk}/reject/", format="json")

    assert response.status_code == 403
    assert database_state() == before


# --- The updates feed -----------------------------------------------------------------------------


def ia_for(cr, *, channel=None, **fields) -> IntegrationAction:
    """The channel app's integration action of ``cr``, in sync with its latest change."""
    latest = Change.objects.filter(object_id=cr.pk, content_type__model="cancellationrequest").order_by("-id").first()
    seq = latest.id if latest else 0
    return IntegrationAction.objects.create(
        channel=channel or cr.channel,
        content_type=ContentType.objects.get_for_model(CancellationRequest),
        object_id=cr.pk,
        remote_id=cr.remote_id,
        version_date=cr.modified_date,
        status=IntegrationStatus.SUCCESS,
        synced_seq=seq,
        pending_seq=seq,
        **fields,
    )


def updates(client, channel, **params) -> dict:
    response = client.get(f"{base(channel)}updates/", {"page": 1, "limit": 50, **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_updates_offer_requests_changed_since_their_integration_action_was_synced(member_client, channel, cr):
    never_sent = CancellationRequestFactory(order_item=OrderItemFactory(order__channel=channel))
    ia_for(cr)
    assert updates(member_client, channel) == {"count": 0, "next": None, "previous": None, "results": []}

    member_client.patch(f"{base(channel)}{cr.pk}/", {"status": "approved"}, format="json")

    assert updates(member_client, channel) == {"count": 1, "next": None, "previous": None, "results": [shape(cr)]}
    member_client.patch(f"{base(channel)}{never_sent.pk}/", {"status": "approved"}, format="json")
    assert [row["id"] for row in updates(member_client, channel)["results"]] == [cr.pk]


def test_updates_leave_out_requests_processing_in_an_open_batch(member_client, channel, cr):
    ia_for(cr, local_batch_id="6f1c2a3b-0000-4000-8000-000000000001")
    IntegrationAction.objects.filter(object_id=cr.pk).update(status=IntegrationStatus.PROCESSING)

    member_client.patch(f"{base(channel)}{cr.pk}/", {"status": "approved"}, format="json")

    assert updates(member_client, channel)["count"] == 0


def test_updates_of_another_channels_integration_action_are_not_offered(member_client, channel, other_channel, cr):
    ia_for(cr, channel=other_channel)

    member_client.patch(f"{base(channel)}{cr.pk}/", {"status": "approved"}, format="json")

    assert updates(member_client, channel)["count"] == 0


def test_updates_are_paged_for_a_client_that_reads_every_page(member_client, channel):
    requests = [CancellationRequestFactory(order_item=OrderItemFactory(order__channel=channel)) for _ in range(3)]
    for cr in requests:
        ia_for(cr)
        member_client.post(f"{base(channel)}{cr.pk}/reject/", format="json")

    first = updates(member_client, channel, limit=2)
    second = updates(member_client, channel, limit=2, page=2)

    assert (first["count"], [row["id"] for row in first["results"]]) == (3, [requests[0].pk, requests[1].pk])
    assert first["next"] is not None
    assert (second["next"], [row["id"] for row in second["results"]]) == (None, [requests[2].pk])


def test_updates_query_count_does_not_grow_with_the_page(member_client, channel):
    for _ in range(13):
        cr = CancellationRequestFactory(order_item=OrderItemFactory(order__channel=channel))
        ia_for(cr)
        member_client.post(f"{base(channel)}{cr.pk}/reject/", format="json")

    first, second = queries_per_full_page(member_client, f"{base(channel)}updates/", {})

    assert first == second


# --- Races (PostgreSQL) ---------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_changes_of_one_request_each_get_their_own_version(channel, member):
    cr = CancellationRequestFactory(order_item=OrderItemFactory(order__channel=channel))
    _, key = token_create(user=member, name="races")
    path = f"{base(channel)}{cr.pk}/"

    responses = send_at_once(
        key,
        [
            ("patch", path, {"description": "first"}),
            ("patch", path, {"iban": "TR1"}),
            ("patch", path, {"status": "approved"}),
        ],
    )

    assert sorted(response.status_code for response in responses) == [200, 200, 200]
    versions = [version for _, _, version in changes_of(cr)]
    assert len(versions) == 3
    assert versions == sorted(set(versions))
    stored = CancellationRequest.objects.get(pk=cr.pk)
    assert (stored.description, stored.iban, stored.status, stored.modified_date) == (
        "first",
        "TR1",
        "approved",
        versions[-1],
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_creates_with_one_remote_id_for_two_items_make_one_request(channel, member):
    reason = CancellationReasonFactory()
    items = [OrderItemFactory(order__channel=channel) for _ in range(2)]
    _, key = token_create(user=member, name="races")

    responses = send_at_once(
        key,
        [
            ("post", base(channel), {"order_item": item.pk, "reason": reason.pk, "remote_id": "MP-RACE"})
            for item in items
        ],
    )

    assert sorted(response.status_code for response in responses) == [201, 400]
    stored = CancellationRequest.objects.get(remote_id="MP-RACE")
    refused = next(response for response in responses if response.status_code == 400)
    assert refused.json() == {
        "remote_id": [f"A cancellation request with this remote_id already exists in this channel (id {stored.pk})."]
    }
    assert len(changes_of(stored)) == 1
