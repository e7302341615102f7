"""The full-sync walk (bench/walk.py): both ways see every item once, and the summary says so."""

import pytest

from bench import walk
from orders.models import OrderItem
from tests.factories import OrderFactory, OrderItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def getter(member_client):
    def get(path: str):
        response = member_client.get(path)
        return response.status_code, response.content

    return get


@pytest.fixture
def seven_items(channel, other_channel):
    orders = [OrderFactory(channel=channel) for _ in range(3)]
    OrderItemFactory(order=OrderFactory(channel=other_channel))
    return [OrderItemFactory(order=orders[index % 3]) for index in range(7)]


def test_both_walks_return_every_item_of_the_channel_once_in_id_order(getter, channel, seven_items):
    # When the channel's items are walked three at a time both ways
    path = f"/api/v1/channel/{channel.pk}/order_items/"
    walks = walk.walk_both(getter, path, limit=3, repeats=2)
    # Then both saw the same seven items in id order, on three pages (3 + 3 + 1)
    expected = list(OrderItem.objects.filter(channel=channel).order_by("id").values_list("id", flat=True))
    assert walks["page"].ids == walks["cursor"].ids == expected
    assert [walks["page"].rows, walks["cursor"].rows] == [[3, 3, 1], [3, 3, 1]]
    # And the last full page is the second one: page=2, or the cursor after the third item
    assert walks["page"].last_full_path == f"{path}?limit=3&page=2"
    assert walks["cursor"].last_full_path.startswith(f"{path}?cursor=") and walks["cursor"].paths[0] == (
        f"{path}?cursor=&limit=3"
    )
    assert all(result.first_ms > 0 and result.last_ms > 0 for result in walks.values())


def test_the_report_section_states_pages_rows_and_whether_the_ids_agree(getter, channel, seven_items):
    walks = walk.walk_both(getter, f"/api/v1/channel/{channel.pk}/order_items/", limit=3, repeats=1)
    walks["cursor"].first_ms, walks["cursor"].last_ms = 10.0, 11.0
    walks["page"].first_ms, walks["page"].last_ms = 10.0, 30.0
    lines = walk.report_lines(walks, list_path="/x/", limit=3, repeats=1)
    cursor_row = next(line for line in lines if line.startswith("| cursor |"))
    page_row = next(line for line in lines if line.startswith("| page |"))
    assert cursor_row.split(" | ")[1:3] == ["3", "7"]
    assert cursor_row.endswith("| 10.0 | 11.0 | 1.10× | yes |")
    assert page_row.endswith("| 10.0 | 30.0 | 3.00× | — |")
    assert any("the same 7 ids (each once, in id order)" in line for line in lines)


def test_a_walk_stops_with_the_failing_page_on_an_error(getter, channel, seven_items):
    with pytest.raises(RuntimeError, match="answered 400"):
        walk.walk(getter, f"/api/v1/channel/{channel.pk}/order_items/?cursor=bogus", "cursor")


def test_the_stream_walk_reads_every_change_of_the_channel_once(getter, channel, other_channel):
    from integrations.models import Change
    from tests.integrations.conftest import order_change

    # Given five changes on the channel and one on another channel
    for order in [OrderFactory(channel=channel) for _ in range(5)] + [OrderFactory(channel=other_channel)]:
        order_change(order)
    path = f"/api/v1/channel/{channel.pk}/changes/"
    # When the stream is read two at a time from its start
    result = walk.walk_stream(getter, path, limit=2, repeats=1)
    # Then it saw the channel's five changes once, in stream order, on three pages (2 + 2 + 1)
    expected = list(Change.objects.filter(channel=channel).order_by("txid", "id").values_list("id", flat=True))
    assert len(expected) == 5
    assert result.ids == expected
    assert result.rows == [2, 2, 1]
    assert result.paths[0] == f"{path}?after=&limit=2"
    assert result.last_full_path == result.paths[1] and result.last_full_path.startswith(f"{path}?after=")
    lines = walk.stream_lines(result, stream_path=path, limit=2, repeats=1)
    assert lines[6].startswith("| 3 | 5 | ")
    assert "The walk returned 5 changes (each once, in stream order)." in lines
