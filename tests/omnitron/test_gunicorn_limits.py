"""gunicorn's own refusals are JSON, and its request-line limit fits the largest documented filter:
``pk__in`` with 1,000 ids (``MAX_IN_VALUES``) of up to 7 digits on the longest list path.

Runs the project's gunicorn configuration on 127.0.0.1; the requests need no database rows (an
anonymous call is refused by the application with 401), so a scratch SQLite file serves /health/.
"""

import json
import socket

import pytest

from bench.server import start_server, stop_server
from bench.soak import local_port
from omnitron.filters import MAX_IN_VALUES

LONGEST_LIST = "/api/v1/channel/1/order_items/detailed_integration/"
LIMIT_REQUEST_LINE = 8190


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('gunicorn')}/db.sqlite3",
        "DJANGO_SETTINGS_MODULE": "omnitron.settings",
        "DJANGO_LOG_LEVEL": "CRITICAL",
    }
    port = local_port()
    process = start_server(env, port, 1)
    try:
        yield port
    finally:
        stop_server(process)


def exchange(port: int, raw: bytes) -> tuple[int, dict, bytes]:
    """Send raw bytes, read the whole answer (the server closes); (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in header_lines)}
    return int(status_line.split()[1]), headers, body


def get(port: int, target: str, extra_headers: str = "") -> tuple[int, dict, bytes]:
    request = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra_headers}Connection: close\r\n\r\n"
    return exchange(port, request.encode("latin-1"))


def ids_query(count: int, digits: int) -> str:
    return "pk__in=" + ",".join(str(10 ** (digits - 1) + n) for n in range(count))


def test_the_largest_documented_id_list_reaches_the_application(port):
    target = f"{LONGEST_LIST}?{ids_query(MAX_IN_VALUES, 7)}&limit=1000"
    assert 8000 < len(f"GET {target} HTTP/1.1") <= LIMIT_REQUEST_LINE

    status, headers, body = get(port, target)

    assert status == 401
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}


def test_a_request_line_over_the_limit_answers_414_json(port):
    target = f"{LONGEST_LIST}?{ids_query(MAX_IN_VALUES, 9)}"
    assert len(f"GET {target} HTTP/1.1") > LIMIT_REQUEST_LINE

    status, headers, body = get(port, target)

    assert status == 414
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {
        "detail": f"The request line is longer than {LIMIT_REQUEST_LINE} bytes; send fewer values per request "
        "(see the URL length limit in the API documentation).",
        "code": "request_line_too_long",
    }


def test_too_many_headers_answer_431_json(port):
    status, headers, body = get(port, "/health/", "".join(f"X-Filler-{n}: x\r\n" for n in range(150)))

    assert status == 431
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {
        "detail": "Too many request headers, or one longer than 8190 bytes.",
        "code": "request_headers_too_large",
    }


def test_a_malformed_request_line_answers_400_json(port):
    status, headers, body = exchange(port, b"NOT A REQUEST\r\n\r\n")

    assert status == 400
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"detail": "Malformed HTTP request.", "code": "bad_request"}
