"""gunicorn's sync worker answering its own refusals in the API's JSON error shape.

gunicorn refuses a request it cannot parse (a request line over ``limit_request_line``, too many
or too large headers, a malformed line) before the application sees it, with an HTML page. Every
error a client can meet is JSON here, so this worker writes ``{"detail", "code"}`` instead.
"""

import json
from ssl import SSLError

from gunicorn import util
from gunicorn.http.errors import (
    ConfigurationProblem,
    ExpectationFailed,
    ForbiddenProxyRequest,
    InvalidResponseHeader,
    InvalidResponseHeaderName,
    LimitRequestHeaders,
    LimitRequestLine,
    ParseException,
    UnsupportedTransferCoding,
)
from gunicorn.workers.sync import SyncWorker

# (exception classes, status, reason phrase, code, detail); the first match wins.
REFUSALS = [
    (
        (LimitRequestLine,),
        414,
        "URI Too Long",
        "request_line_too_long",
        "The request line is longer than {limit_request_line} bytes; send fewer values per request "
        "(see the URL length limit in the API documentation).",
    ),
    (
        (LimitRequestHeaders,),
        431,
        "Request Header Fields Too Large",
        "request_headers_too_large",
        "Too many request headers, or one longer than {limit_request_field_size} bytes.",
    ),
    ((ExpectationFailed,), 417, "Expectation Failed", "expectation_failed", "Unsupported Expect header."),
    (
        (UnsupportedTransferCoding,),
        501,
        "Not Implemented",
        "unsupported_transfer_coding",
        "Unsupported Transfer-Encoding.",
    ),
    ((ForbiddenProxyRequest, SSLError), 403, "Forbidden", "forbidden", "Request forbidden."),
    # The application's own fault (a bad response header, a misconfiguration): a 500 like any other.
    (
        (InvalidResponseHeader, InvalidResponseHeaderName, ConfigurationProblem),
        500,
        "Internal Server Error",
        "server_error",
        "Internal server error.",
    ),
    ((ParseException,), 400, "Bad Request", "bad_request", "Malformed HTTP request."),
]
SERVER_ERROR = (500, "Internal Server Error", "server_error", "Internal server error.")


def refusal_for(exc: BaseException, cfg) -> tuple[int, str, str, str]:
    """(status, reason, code, detail) answering ``exc``, raised while reading or serving a request."""
    limits = {"limit_request_line": cfg.limit_request_line, "limit_request_field_size": cfg.limit_request_field_size}
    for classes, status, reason, code, detail in REFUSALS:
        if isinstance(exc, classes):
            return status, reason, code, detail.format(**limits)
    return SERVER_ERROR


class JsonErrorSyncWorker(SyncWorker):
    def handle_error(self, req, client, addr, exc):
        status, reason, code, detail = refusal_for(exc, self.cfg)
        if status == 500:
            self.log.exception("Error handling request %s", getattr(req, "uri", "(no URI read)"))
        else:
            self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        body = json.dumps({"detail": detail, "code": code}).encode()
        head = (
            f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode("latin-1")
        try:
            util.write_nonblock(client, head + body)
        except OSError:
            self.log.debug("Failed to send error message.")
