"""A fake marketplace for the channel-app flows: a small JSON API on 127.0.0.1 the tests start.

The channel side (``marketplace.py``, run by channel-app in ``.venv-clients``) talks to it over
HTTP as a channel app talks to its marketplace: it pulls new orders, order-line updates,
cancellations and cancellation requests from it, and pushes order, stock, price and
cancellation-request updates to it. A test says what the marketplace has to hand out and how it
answers, and afterwards reads every request it received (``received``).

Routes (``Authorization: Bearer <token>`` required, the token being the channel conf's):

    GET  /orders/                       new orders            -> [{"order": {...}, "order_items": [...]}]
    GET  /order-lines/updates/          line updates          -> [{"remote_id", "status", ...}]
    GET  /cancels/                      cancelled orders      -> [{"order", "cancel_items", "reasons"}]
    GET  /cancellation-requests/        cancellation requests -> [{"order_item", "reason", ...}]
    POST /orders/updates/               [{"id", ...}, ...]    -> [{"number": id, "remote_id": id, "status", "message"}]
    POST /cancellation-requests/update/ {request}             -> {"remote_id", "status", "sku", "message"}
    POST /stocks/, /prices/             [{"sku", ...}, ...]   -> [{"sku", "remote_id", "status", "message"}]
"""

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.db import connections

TOKEN = "marketplace-token"  # a throwaway credential the channel conf carries
SUCCESS, FAIL = "SUCCESS", "FAIL"


@dataclass
class Received:
    method: str
    path: str
    body: Any


@dataclass
class FakeMarketplace:
    """What the marketplace hands out, how it answers, and what it was sent."""

    url: str = ""
    orders: list[dict] = field(default_factory=list)
    line_updates: list[dict] = field(default_factory=list)
    cancels: list[dict] = field(default_factory=list)
    cancellation_requests: list[dict] = field(default_factory=list)
    # Marketplace order id / SKU / cancellation request id -> its refusal message (others are accepted).
    refusals: dict[str, str] = field(default_factory=dict)
    # Called (in the server thread, with the test database reachable) with each pushed body
    # before the marketplace answers: a change that lands while the channel app's batch is open.
    on_push: Callable[[str, Any], None] | None = None
    received: list[Received] = field(default_factory=list)

    def pushed(self, path: str) -> list[Any]:
        return [entry.body for entry in self.received if entry.method == "POST" and entry.path == path]

    def answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        if method == "GET":
            feeds = {
                "/orders/": self.orders,
                "/order-lines/updates/": self.line_updates,
                "/cancels/": self.cancels,
                "/cancellation-requests/": self.cancellation_requests,
            }
            return (200, feeds[path]) if path in feeds else (404, {"detail": "not found"})
        if self.on_push is not None:
            self.on_push(path, body)
        if path == "/orders/updates/":
            # The marketplace names an order by its own id (the order's remote id in Omnitron).
            return 200, [self._verdict(row["id"], "number", row["id"]) for row in body]
        if path in ("/stocks/", "/prices/"):
            return 200, [self._verdict(row["sku"], "sku", row["remote_id"] or f"MP-{row['sku']}") for row in body]
        if path == "/cancellation-requests/update/":
            refused = body["remote_id"] in self.refusals
            return 200, {
                "remote_id": body["remote_id"],
                "sku": body["order_item"],
                "status": FAIL if refused else SUCCESS,
                "message": self.refusals.get(body["remote_id"], ""),
            }
        return 404, {"detail": "not found"}

    def _verdict(self, key: str, key_name: str, remote_id: str) -> dict:
        if key in self.refusals:
            return {key_name: key, "remote_id": None, "status": FAIL, "message": self.refusals[key]}
        return {key_name: key, "remote_id": remote_id, "status": SUCCESS, "message": ""}


def _handler(marketplace: FakeMarketplace, shared_connections: dict) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            path = self.path.split("?", 1)[0]
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                status, answer = 401, {"detail": "bad token"}
            else:
                marketplace.received.append(Received(method=method, path=path, body=body))
                # The test database as the live server sees it (one shared in-memory SQLite
                # connection, or this thread's own PostgreSQL connection, closed afterwards).
                for alias, conn in shared_connections.items():
                    connections[alias] = conn
                try:
                    status, answer = marketplace.answer(method, path, body)
                finally:
                    for conn in connections.all(initialized_only=True):
                        if conn.alias not in shared_connections:
                            conn.close()
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self):
            self._serve("GET")

        def do_POST(self):
            self._serve("POST")

    return Handler


def fake_marketplace_serve(host: str) -> tuple[FakeMarketplace, Callable[[], None]]:
    """Start a fake marketplace on ``host`` (a free port); the marketplace and its stop function."""
    shared = {conn.alias: conn for conn in connections.all() if conn.vendor == "sqlite" and conn.is_in_memory_db()}
    marketplace = FakeMarketplace()
    server = ThreadingHTTPServer((host, 0), _handler(marketplace, shared))
    server.daemon_threads = True
    marketplace.url = f"http://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)

    return marketplace, stop
