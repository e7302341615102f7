"""Reads for the admin: changelist searches that stay index-backed at millions of rows, and the
items a cancellation may name.

A term matches order numbers and customer e-mails and names by case-insensitive prefix
(``UPPER(column) LIKE 'TERM%'``, a range scan on the ``text_pattern_ops`` indexes of
``orders/migrations/0002`` and ``channels/migrations/0002``). Each step resolves the ids of what
matched, at most ``SEARCH_ID_LIMIT`` of them and without sorting them, so every statement reads a
bounded range of an index; the changelist then filters by primary key. Filtering by the prefix
itself under the changelist's ``ORDER BY id DESC LIMIT 50`` would let PostgreSQL walk the primary
key hoping to meet matches early, which for numbers correlated with ids means reading most of the
table. When more than ``SEARCH_ID_LIMIT`` rows match, the caller is told so.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from channels.selectors import customer_search
from orders.models import Order, OrderItem
from orders.numbers import order_number_clean
from orders.services.cancellation import OPEN_CANCEL_STATUSES
from orders.statuses import FINAL_STATUSES, OrderStatus

# Also bounds the changelist's ``id IN (...)`` list, whose planning time grows with its length.
SEARCH_ID_LIMIT = 1000


@dataclass(frozen=True)
class SearchResult:
    queryset: QuerySet
    # Set when the matches were cut at SEARCH_ID_LIMIT: what to tell the operator.
    truncated: str | None = None


def _first_ids(queryset: QuerySet) -> tuple[list[int], bool]:
    """Up to SEARCH_ID_LIMIT primary keys, in whatever order the index gives them, and whether there were more."""
    ids = list(queryset.order_by().values_list("pk", flat=True)[: SEARCH_ID_LIMIT + 1])
    return ids[:SEARCH_ID_LIMIT], len(ids) > SEARCH_ID_LIMIT


def _note(truncated: dict[str, int], term: str) -> str | None:
    if not truncated:
        return None
    counts = " and ".join(f"{limit} {what}" for what, limit in truncated.items())
    return f"More than {counts} match “{term}”; the first found are shown. Type more of it to narrow the search."


def order_ids_by_number_prefix(term: str) -> tuple[list[int], bool]:
    """Ids of orders whose number starts with ``term`` (case-insensitive), and whether there were more."""
    return _first_ids(Order.objects.filter(number__istartswith=order_number_clean(term)))


def order_search(queryset: QuerySet[Order], term: str) -> SearchResult:
    """Orders whose number starts with ``term``, or whose customer's e-mail or name does."""
    term = term.strip()
    if not term:
        return SearchResult(queryset)
    truncated: dict[str, int] = {}
    order_ids, more = order_ids_by_number_prefix(term)
    customer_ids, more_customers = _first_ids(customer_search(term))
    if more_customers:
        truncated["customers"] = SEARCH_ID_LIMIT
    if customer_ids:
        customer_order_ids, more_of_customers = _first_ids(Order.objects.filter(customer_id__in=customer_ids))
        order_ids += customer_order_ids
        more = more or more_of_customers
    if more:
        truncated["orders"] = SEARCH_ID_LIMIT
    return SearchResult(queryset.filter(pk__in=sorted(set(order_ids))), _note(truncated, term))


def by_order_search(queryset: QuerySet, term: str, *, also: QuerySet | None = None) -> SearchResult:
    """Rows of ``queryset`` (which has an ``order_id``) belonging to orders whose number starts with
    ``term``, or among ``also`` (a queryset of the same model, e.g. by an exact code)."""
    term = term.strip()
    if not term:
        return SearchResult(queryset)
    truncated: dict[str, int] = {}
    order_ids, more = order_ids_by_number_prefix(term)
    if more:
        truncated["orders"] = SEARCH_ID_LIMIT
    rows = queryset.model._meta.verbose_name_plural
    ids: list[int] = []
    if order_ids:
        ids, more = _first_ids(queryset.model.objects.filter(order_id__in=order_ids))
        if more:
            truncated[rows] = SEARCH_ID_LIMIT
    if also is not None:
        also_ids, more = _first_ids(also)
        ids += also_ids
        if more:
            truncated[rows] = SEARCH_ID_LIMIT
    return SearchResult(queryset.filter(pk__in=sorted(set(ids))), _note(truncated, term))


def order_items_cancellable(*, order_id: int) -> QuerySet[OrderItem]:
    """The order's items that a cancellation may still name: not final, not already waiting for one
    (``order_cancel`` decides; this only narrows the choices offered)."""
    return (
        OrderItem.objects.filter(order_id=order_id)
        .exclude(status__in=[*FINAL_STATUSES, OrderStatus.CANCELLATION_WAITING])
        .exclude(cancel_status__in=OPEN_CANCEL_STATUSES)
        .select_related("product")
        .order_by("id")
    )
