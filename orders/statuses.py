"""The order/order-item status catalogue: codes, names, display names and allowed moves.

One table, used by validation (``check_transition``), the order-status rule
(``order_status_from_items``), the OMS ``state`` object and ``GET /api/v1/order_statuses/``.
"""

from dataclasses import dataclass

from django.db import models


class OrderStatus(models.TextChoices):
    """Stored and emitted as the numeric code string."""

    CANCELLATION_WAITING = "50", "Cancellation Waiting"
    CANCELED = "100", "Cancelled"
    WAITING = "200", "Waiting"
    PAYMENT_WAITING = "300", "Payment Waiting"
    CONFIRMATION_WAITING = "350", "Confirmation Waiting"
    APPROVED = "400", "Approved"
    PREPARING = "450", "Preparing"
    SHIPPED = "500", "Shipped"
    SHIPPED_AND_INFORMED = "510", "Shipped and Informed"
    READY_FOR_PICKUP = "520", "Ready for Pickup"
    ATTEMPTED_DELIVERY = "540", "Attempted to Delivery"
    REVIEW_STARTED = "544", "Review Started"  # return parcel arrived, inspection started
    REVIEW_WAITING = "545", "Review Waiting"
    WAITING_FOR_PAYMENT = "546", "Waiting for Payment"  # return accepted, refund payment pending
    PAID = "547", "Paid"  # return refunded to the customer
    DELIVERED = "550", "Delivered"
    REFUNDED = "600", "Refunded"


@dataclass(frozen=True)
class StatusInfo:
    code: str
    name: str
    en: str
    tr: str


S = OrderStatus
STATUS_INFO: dict[str, StatusInfo] = {
    info.code: info
    for info in (
        StatusInfo(S.CANCELLATION_WAITING, "cancellation_waiting", "Cancellation Waiting", "İptal Bekliyor"),
        StatusInfo(S.CANCELED, "canceled", "Cancelled", "İptal Edildi"),
        StatusInfo(S.WAITING, "waiting", "Waiting", "Bekliyor"),
        StatusInfo(S.PAYMENT_WAITING, "payment_waiting", "Payment Waiting", "Ödeme Bekleniyor"),
        StatusInfo(S.CONFIRMATION_WAITING, "confirmation_waiting", "Confirmation Waiting", "Onay Bekleniyor"),
        StatusInfo(S.APPROVED, "approved", "Approved", "Onaylandı"),
        StatusInfo(S.PREPARING, "preparing", "Preparing", "Hazırlanıyor"),
        StatusInfo(S.SHIPPED, "shipped", "Shipped", "Kargoya Verildi"),
        StatusInfo(
            S.SHIPPED_AND_INFORMED, "shipped_and_informed", "Shipped and Informed", "Kargoya Verildi ve Bilgilendirildi"
        ),
        StatusInfo(S.READY_FOR_PICKUP, "ready_for_pickup", "Ready for Pickup", "Teslim Alınmaya Hazır"),
        StatusInfo(S.ATTEMPTED_DELIVERY, "attempted_delivery", "Attempted to Delivery", "Teslimat Denendi"),
        StatusInfo(S.REVIEW_STARTED, "review_started", "Review Started", "İnceleme Başladı"),
        StatusInfo(S.REVIEW_WAITING, "review_waiting", "Review Waiting", "İnceleme Bekleniyor"),
        StatusInfo(S.WAITING_FOR_PAYMENT, "waiting_for_payment", "Waiting for Payment", "Ödeme İçin Bekliyor"),
        StatusInfo(S.PAID, "paid", "Paid", "Ödendi"),
        StatusInfo(S.DELIVERED, "delivered", "Delivered", "Teslim Edildi"),
        StatusInfo(S.REFUNDED, "refunded", "Refunded", "İade Edildi"),
    )
}

# Input spellings: the code, the snake_case name, and the British spelling of "canceled".
STATUS_ALIASES: dict[str, str] = {
    **{code: code for code in STATUS_INFO},
    **{info.name: code for code, info in STATUS_INFO.items()},
    "cancelled": S.CANCELED,
}

FORWARD_CHAIN = [
    S.WAITING,
    S.PAYMENT_WAITING,
    S.CONFIRMATION_WAITING,
    S.APPROVED,
    S.PREPARING,
    S.SHIPPED,
    S.SHIPPED_AND_INFORMED,
    S.READY_FOR_PICKUP,
    S.ATTEMPTED_DELIVERY,
    S.DELIVERED,
]
FINAL_STATUSES = frozenset({S.CANCELED, S.PAID, S.REFUNDED})
# Statuses that no longer count for the order's status (see order_status_from_items).
CLOSED_STATUSES = frozenset({S.CANCELED, S.REFUNDED})


def _build_transitions() -> dict[str, frozenset[str]]:
    moves: dict[str, set[str]] = {code: set() for code in STATUS_INFO}
    # Forward along the chain, skipping allowed.
    for i, source in enumerate(FORWARD_CHAIN):
        moves[source].update(FORWARD_CHAIN[i + 1 :])
    # A new delivery attempt.
    moves[S.ATTEMPTED_DELIVERY].update({S.SHIPPED, S.READY_FOR_PICKUP})
    # The return review chain.
    moves[S.DELIVERED].add(S.REVIEW_STARTED)
    moves[S.REVIEW_STARTED].update({S.REVIEW_WAITING, S.DELIVERED, S.REFUNDED})
    moves[S.REVIEW_WAITING].update({S.WAITING_FOR_PAYMENT, S.DELIVERED, S.REFUNDED})
    moves[S.WAITING_FOR_PAYMENT].add(S.PAID)
    for code in STATUS_INFO:
        if code in FINAL_STATUSES:
            continue
        if int(code) < 500:
            # Cancellation requests and cancellations before shipping.
            if code != S.CANCELLATION_WAITING:
                moves[code].add(S.CANCELLATION_WAITING)
            moves[code].add(S.CANCELED)
        else:
            moves[code].add(S.REFUNDED)
    # From 50: to 100, or back to the status before the request (added per item, see below).
    moves[S.CANCELLATION_WAITING] = {S.CANCELED}
    for final in FINAL_STATUSES:
        moves[final] = set()
    return {code: frozenset(targets) for code, targets in moves.items()}


TRANSITIONS: dict[str, frozenset[str]] = _build_transitions()


# The one wording of a refused status spelling; ``%(value)s`` is the value as sent (forms format it
# from params, so a "%" in the value is safe).
UNKNOWN_STATUS_MESSAGE = 'Unknown status "%(value)s"; use a code such as "400" or a name such as "approved".'


def unknown_status_message(value: object) -> str:
    """The refusal of ``value`` as a status, worded as everywhere else."""
    return UNKNOWN_STATUS_MESSAGE % {"value": value}


def parse_status(value: object) -> str | None:
    """Return the status code for a code or name (``"400"``, ``400``, ``"approved"``), else None."""
    if isinstance(value, bool) or value is None:
        return None
    return STATUS_ALIASES.get(str(value).strip().lower())


def status_label(code: str) -> str:
    """``"550 (delivered)"``, as used in error messages."""
    return f"{code} ({STATUS_INFO[code].name})"


def allowed_transitions(current: str, *, before_cancellation: str | None = None) -> list[str]:
    """Codes ``current`` may move to, sorted by number.

    ``before_cancellation`` is the status an item had before it entered 50; a rejected
    cancellation request returns it there.
    """
    targets = set(TRANSITIONS[current])
    if current == S.CANCELLATION_WAITING and before_cancellation and before_cancellation in STATUS_INFO:
        targets.add(before_cancellation)
    return sorted(targets, key=int)


def transition_error(current: str, target: str, *, before_cancellation: str | None = None) -> str | None:
    """The message refusing ``current`` → ``target``, or None when the move is allowed.

    Setting the current status again is a no-op and allowed.
    """
    if current == target:
        return None
    allowed = allowed_transitions(current, before_cancellation=before_cancellation)
    if target in allowed:
        return None
    allowed_text = ", ".join(allowed) if allowed else "none (final status)"
    return f"Cannot move from {status_label(current)} to {status_label(target)}; allowed: {allowed_text}."


def order_status_from_items(item_statuses: list[str]) -> str | None:
    """The order's status from its items' statuses (None when it has no items).

    The lowest code among items that are not 100/600; if every item is 100, 100; if every item
    is 100 or 600 (some 600), 600.
    """
    if not item_statuses:
        return None
    open_codes = [code for code in item_statuses if code not in CLOSED_STATUSES]
    if open_codes:
        return min(open_codes, key=int)
    if all(code == S.CANCELED for code in item_statuses):
        return S.CANCELED
    return S.REFUNDED


def status_catalogue() -> list[dict]:
    """Every status with its names, translations and allowed next statuses (for the API)."""
    return [
        {
            "code": code,
            "name": info.name,
            "label": info.en,
            "translations": {"en-us": {"name": info.en}, "tr-tr": {"name": info.tr}},
            "is_final": code in FINAL_STATUSES,
            "allowed_next": allowed_transitions(code),
        }
        for code, info in sorted(STATUS_INFO.items(), key=lambda pair: int(pair[0]))
    ]
