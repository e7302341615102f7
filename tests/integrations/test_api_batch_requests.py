"""batch_requests/: every transition the published channel-app issues (CLIENTS.md §2.5) and its
effect on integration actions."""

import uuid

import pytest

from integrations.models import BatchRequest, IntegrationAction
from tests.database_state import database_state
from tests.factories import OrderFactory, OrderItemFactory
from tests.integrations.conftest import batches_url, ia_of, iso, order_change, order_object

pytestmark = pytest.mark.django_db

DONE_REFUSAL = {"detail": "The batch request is done; it cannot change any more.", "code": "batch_request_status_100_1"}


def ia_state(ia: IntegrationAction) -> tuple:
    ia.refresh_from_db()
    return (ia.status, ia.remote_id, ia.local_batch_id, ia.version_date, ia.failed_reason_type)


def test_create_starts_an_initialized_batch_without_objects(app, channel):
    batch = app.start()

    stored = BatchRequest.objects.get()
    assert batch == {
        "pk": stored.pk,
        "id": stored.pk,
        "channel": channel.pk,
        "local_batch_id": str(stored.local_batch_id),
        "remote_batch_id": None,
        "content_type": None,
        "status": "initialized",
        "objects": None,
        "log_file": None,
        "created_date": iso(stored.created_date),
        "modified_date": iso(stored.modified_date),
    }
    assert isinstance(uuid.UUID(batch["local_batch_id"]), uuid.UUID)


def test_create_refuses_another_channel_in_the_body(app, channel, other_channel):
    before = database_state()

    response = app.client.post(batches_url(channel.pk), {"channel": other_channel.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"channel": [f"Must be the channel of the URL ({channel.pk}); got {other_channel.pk}."]}
    assert database_state() == before


def test_commit_marks_each_object_processing_with_its_version_and_remote_id(app, channel, order, item):
    batch = app.start()
    objects = [
        order_object(order, remote_id="TY-1"),
        {"pk": item.pk, "content_type": "orderitem", "version_date": iso(item.modified_date), "remote_id": 77},
    ]

    answer = app.commit(batch, objects)

    assert (answer["status"], answer["content_type"], answer["objects"]) == ("commit", "order", objects)
    local = uuid.UUID(batch["local_batch_id"])
    assert ia_state(ia_of(order, channel)) == ("processing", "TY-1", local, order.modified_date, None)
    assert ia_state(ia_of(item, channel)) == ("processing", "77", local, item.modified_date, None)


def test_commit_with_a_null_remote_id_keeps_the_stored_one(app, channel, order):
    app.sync([order_object(order, remote_id="TY-1")])
    second = app.start()

    app.commit(second, [order_object(order, remote_id=None)])

    assert ia_state(ia_of(order, channel))[:3] == ("processing", "TY-1", uuid.UUID(second["local_batch_id"]))


def test_commit_of_a_failed_object_marks_it_error_at_once(app, channel, order):
    batch = app.start()

    app.commit(batch, [order_object(order, remote_id="TY-1", failed_reason_type="mapping")])

    assert ia_state(ia_of(order, channel))[0::4] == ("error", "mapping")


def test_a_second_commit_adds_objects_and_keeps_the_first(app, channel):
    first_order, second_order = OrderFactory(channel=channel), OrderFactory(channel=channel)
    batch = app.start_committed([order_object(first_order, remote_id="A")])

    answer = app.commit(batch, [order_object(second_order, remote_id="B")])

    assert [row["pk"] for row in answer["objects"]] == [first_order.pk, second_order.pk]
    assert [ia_state(ia_of(o, channel))[:2] for o in (first_order, second_order)] == [
        ("processing", "A"),
        ("processing", "B"),
    ]


def test_commit_without_objects_only_sets_status_and_content_type(app):
    batch = app.start()

    answer = app.commit(batch, None, content_type="product")

    assert (answer["status"], answer["content_type"], answer["objects"]) == ("commit", "product", None)
    assert IntegrationAction.objects.count() == 0


def test_initialized_to_done_with_no_objects(app):
    batch = app.start()

    answer = app.done(batch, [])

    assert (answer["status"], answer["objects"]) == ("done", [])
    assert IntegrationAction.objects.count() == 0


def test_initialized_to_fail(app):
    batch = app.start()

    assert app.fail(batch)["status"] == "fail"


def test_sent_to_remote_and_ongoing_store_the_remote_batch_and_keep_objects_processing(app, channel, order):
    batch = app.start_committed([order_object(order, remote_id="TY-1")])

    sent = app.patch(batch, {"remote_batch_id": "REMOTE-9", "status": "sent_to_remote"})
    ongoing = app.patch(batch, {"status": "ongoing"})

    assert (sent["status"], sent["remote_batch_id"]) == ("sent_to_remote", "REMOTE-9")
    assert (ongoing["status"], ongoing["remote_batch_id"]) == ("ongoing", "REMOTE-9")
    assert ia_state(ia_of(order, channel))[0] == "processing"


@pytest.mark.parametrize("via", [[], ["sent_to_remote"], ["sent_to_remote", "ongoing"], ["ongoing"]])
def test_done_marks_processing_objects_success_and_applies_each_outcome(app, channel, via):
    ok, failed, untouched = (OrderFactory(channel=channel) for _ in range(3))
    batch = app.start_committed([order_object(o, remote_id=f"R{o.pk}") for o in (ok, failed, untouched)])
    for status in via:
        app.patch(batch, {"status": status})

    app.done(
        batch,
        [
            order_object(ok, remote_id="NEW-OK"),
            order_object(failed, failed_reason_type="remote"),
            order_object(ok, remote_id=None),  # a repeated pk (CreateOrders re-appends)
        ],
    )

    assert ia_state(ia_of(ok, channel))[:2] == ("success", "NEW-OK")
    assert ia_state(ia_of(failed, channel))[0::4] == ("error", "remote")
    assert ia_state(ia_of(untouched, channel))[:2] == ("success", f"R{untouched.pk}")


def test_fail_restores_the_previous_state_and_new_actions_become_never_synced(app, channel):
    synced, fresh = OrderFactory(channel=channel), OrderFactory(channel=channel)
    app.sync([order_object(synced, remote_id="S")])
    before = ia_state(ia_of(synced, channel))
    order_change(synced)
    second = app.start_committed([order_object(synced), order_object(fresh, remote_id="F")])

    answer = app.fail(second, [order_object(fresh, failed_reason_type="channel_app")])

    assert answer["status"] == "fail"
    assert ia_state(ia_of(synced, channel)) == before
    assert ia_state(ia_of(fresh, channel)) == (None, "F", None, None, "channel_app")
    assert app.updates() == [synced.pk]


@pytest.mark.parametrize("start", ["commit", "sent_to_remote", "ongoing"])
def test_a_batch_in_flight_may_go_back_to_commit(app, channel, order, start):
    other = OrderFactory(channel=channel)
    batch = app.start_committed([order_object(order, remote_id="A")])
    if start != "commit":
        app.patch(batch, {"status": start})

    answer = app.commit(batch, [order_object(other, remote_id="B")])

    assert answer["status"] == "commit"
    assert [ia_state(ia_of(o, channel))[0] for o in (order, other)] == ["processing", "processing"]


@pytest.mark.parametrize("start", ["sent_to_remote", "ongoing"])
def test_a_batch_in_flight_may_fail(app, channel, order, start):
    batch = app.start_committed([order_object(order, remote_id="A")])
    app.patch(batch, {"status": start})

    assert app.fail(batch)["status"] == "fail"
    assert ia_state(ia_of(order, channel))[0] is None


def test_a_failed_batch_may_commit_fail_again_and_end_done(app, channel):
    early, late = OrderFactory(channel=channel), OrderFactory(channel=channel)
    batch = app.start_committed([order_object(early, remote_id="E")])
    app.fail(batch)  # a helper command failed (cargo not found)
    app.fail(batch)

    app.commit(batch, [order_object(late, remote_id="L")])
    app.fail(batch)
    app.commit(batch, [order_object(late, remote_id="L")])
    answer = app.done(batch, [order_object(early, remote_id="E"), order_object(late, remote_id="L")])

    assert answer["status"] == "done"
    assert [ia_state(ia_of(o, channel))[:2] for o in (early, late)] == [("success", "E"), ("success", "L")]


def test_a_failed_batch_may_end_done_with_no_objects(app):
    batch = app.start()
    app.fail(batch)

    assert app.done(batch, [])["status"] == "done"


@pytest.mark.parametrize(
    "body",
    [
        {"status": "done", "objects": []},
        {"status": "commit", "objects": None, "content_type": "order"},
        {"status": "fail", "objects": None},
        {"status": "sent_to_remote", "remote_batch_id": "X"},
        {"remote_batch_id": "X"},
    ],
)
def test_any_change_to_a_done_batch_is_406_and_changes_nothing(app, channel, order, body):
    batch = app.sync([order_object(order, remote_id="A")])
    before = database_state()

    answer = app.patch(batch, body, expected=406)

    assert answer == DONE_REFUSAL
    assert database_state() == before


@pytest.mark.parametrize("start", ["commit", "sent_to_remote", "fail"])
def test_a_batch_cannot_go_back_to_initialized(app, order, start):
    batch = app.start_committed([order_object(order)])
    if start != "commit":
        app.patch(batch, {"status": start})
    before = database_state()

    answer = app.patch(batch, {"status": "initialized"}, expected=400)

    assert answer == {
        "detail": f"A batch request cannot go back to initialized (it is {start}).",
        "code": "batch_request_invalid_transition",
        "status": start,
    }
    assert database_state() == before


def test_unknown_content_type_and_bad_objects_are_400_and_change_nothing(app, order):
    batch = app.start()
    before = database_state()

    unknown = app.commit(batch, [order_object(order)], content_type="nosuchmodel", expected=400)
    bad_pk = app.commit(batch, [{"pk": "x1", "content_type": "order"}], expected=400)
    bad_date = app.commit(batch, [{"pk": order.pk, "version_date": "yesterday"}], expected=400)

    assert unknown == {
        "content_type": ["Unknown content type 'nosuchmodel'; send a model name such as order or product."]
    }
    assert bad_pk == {"objects": {"0": {"pk": ["A valid integer id is required."]}}}
    assert list(bad_date["objects"]["0"]) == ["version_date"]
    assert database_state() == before


def test_an_object_without_content_type_takes_the_batch_one(app, channel, order):
    batch = app.start()

    app.commit(batch, [{"pk": order.pk, "version_date": iso(order.modified_date), "remote_id": "A"}])

    assert ia_state(ia_of(order, channel))[:2] == ("processing", "A")


def test_the_list_takes_repeated_status_keys_content_type_and_channel(app, channel):
    sent, ongoing, other_type, done = (app.start() for _ in range(4))
    for batch, status, content_type in (
        (sent, "sent_to_remote", "order"),
        (ongoing, "ongoing", "order"),
        (other_type, "ongoing", "product"),
        (done, "done", "order"),
    ):
        app.commit(batch, None, content_type=content_type)
        app.patch(batch, {"status": status})

    response = app.client.get(
        batches_url(channel.pk)
        + f"?status=sent_to_remote&status=ongoing&content_type=order&channel={channel.pk}&page=1"
    )

    assert response.status_code == 200
    assert [(row["pk"], row["status"]) for row in response.json()["results"]] == [
        (ongoing["pk"], "ongoing"),
        (sent["pk"], "sent_to_remote"),
    ]


def test_a_detail_answers_the_batch(app, channel):
    batch = app.start()

    response = app.client.get(batches_url(channel.pk, batch["pk"]))

    assert response.status_code == 200
    assert response.json() == batch


def test_the_order_items_of_a_commit_get_their_own_actions(app, channel, order):
    items = [OrderItemFactory(order=order) for _ in range(2)]
    batch = app.start()
    objects = [order_object(order, remote_id="O")] + [
        {"pk": i.pk, "content_type": "orderitem", "version_date": iso(i.modified_date), "remote_id": f"L{i.pk}"}
        for i in items
    ]

    app.commit(batch, objects)
    app.done(batch, objects)

    assert [ia_state(ia_of(i, channel))[:2] for i in items] == [("success", f"L{i.pk}") for i in items]
