"""A full sync walked end to end: one channel's order items by page/limit and by cursor, and the
channel's change stream (``changes/?after=``) from its start.

Each walk follows ``next`` from the first page to the last with one client (keep-alive), as a
sync client does, and records every page's latency. Then the first page and the last full page
are requested again ``repeats`` times each and their median latencies compared: with page/limit
the last page pays ``OFFSET`` and ``COUNT(*)``; with the cursor it should cost what the first
one costs (target: last ≤ 1.2× first).

``walk()`` and ``walk_both()`` take a ``get(path) -> (status, body bytes)`` callable, so the same
code drives a gunicorn server (``http_getter``) or Django's test client (``tests/bench/``).
"""

import http.client
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import orjson

Getter = Callable[[str], tuple[int, bytes]]
CURSOR_TARGET = 1.2
# The token and membership look-ups every request starts with (the same at any depth).
AUTH_STATEMENTS = ('SELECT "omnitron_apitoken".', 'SELECT "channels_channelmembership".')


@dataclass
class Walk:
    mode: str  # "page", "cursor" or "stream"
    start: str
    seconds: list[float] = field(default_factory=list)  # per page, in walk order
    paths: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # rows per page
    ids: list[int] = field(default_factory=list)
    first_ms: float = 0.0  # median of the repeated first page
    last_ms: float = 0.0  # median of the repeated last full page

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds)

    @property
    def ratio(self) -> float:
        return self.last_ms / self.first_ms if self.first_ms else float("inf")

    @property
    def last_full_path(self) -> str:
        """The deepest page holding a full ``limit`` of rows (the last page may be shorter)."""
        full = [path for path, count in zip(self.paths, self.rows, strict=True) if count == self.rows[0]]
        return full[-1] if full else self.paths[-1]


def path_of(url: str) -> str:
    """``/path?query`` of an absolute ``next`` link."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def walk(get: Getter, start: str, mode: str, *, key: str = "pk") -> Walk:
    """Follow ``next`` from ``start`` to the last page; fails loudly on any non-200 answer."""
    result = Walk(mode=mode, start=start)
    path = start
    while path:
        started = time.perf_counter()
        status, body = get(path)
        elapsed = time.perf_counter() - started
        if status != 200:
            raise RuntimeError(f"{mode} walk: {path} answered {status}: {body[:300]!r}")
        page = orjson.loads(body)
        result.seconds.append(elapsed)
        result.paths.append(path)
        result.rows.append(len(page["results"]))
        result.ids += [row[key] for row in page["results"]]
        path = page["next"] and path_of(page["next"])
    return result


def median_ms(get: Getter, path: str, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        status, body = get(path)
        samples.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
    return statistics.median(samples) * 1000


def walk_both(get: Getter, list_path: str, *, limit: int, repeats: int = 7) -> dict[str, Walk]:
    """Walk ``list_path`` by page/limit and by cursor; then time the first and last full pages."""
    walks = {
        "page": walk(get, f"{list_path}?limit={limit}", "page"),
        "cursor": walk(get, f"{list_path}?cursor=&limit={limit}", "cursor"),
    }
    for result in walks.values():
        result.first_ms = median_ms(get, result.paths[0], repeats)
        result.last_ms = median_ms(get, result.last_full_path, repeats)
    return walks


def walk_stream(get: Getter, stream_path: str, *, limit: int, repeats: int = 7) -> Walk:
    """Read the change stream from its start to its end (``next`` is null on a short page), then
    time its first and last full pages; rows are keyed by ``seq``."""
    result = walk(get, f"{stream_path}?after=&limit={limit}", "stream", key="seq")
    result.first_ms = median_ms(get, result.paths[0], repeats)
    result.last_ms = median_ms(get, result.last_full_path, repeats)
    return result


def stream_lines(result: Walk, *, stream_path: str, limit: int, repeats: int) -> list[str]:
    """The report's section on the change-stream walk."""
    met = "yes" if result.ratio <= CURSOR_TARGET else "no"
    once = "each once, in stream order" if len(set(result.ids)) == len(result.ids) else "SOME MORE THAN ONCE"
    pages = len(result.paths)
    return [
        "## Full sync: the change stream end to end",
        "",
        f"`{stream_path}` read from `after=` (its start) by one keep-alive client following `next`, "
        f"`limit={limit}`; first and last full page then requested {repeats} times each (median). "
        f"Target: last page ≤ {CURSOR_TARGET:g}× the first.",
        "",
        "| pages | changes | total s | mean page ms | first page ms | last full page ms | last / first | met |",
        "|---:|---:|---:|---:|---:|---:|---:|:--:|",
        f"| {pages} | {sum(result.rows):,} | {result.total_seconds:.1f} | "
        f"{1000 * result.total_seconds / pages:.1f} | {result.first_ms:.1f} | {result.last_ms:.1f} | "
        f"{result.ratio:.2f}× | {met} |",
        "",
        f"The walk returned {len(result.ids):,} changes ({once}).",
        "",
    ]


def http_getter(port: int, token: str) -> Getter:
    """A keep-alive GET on 127.0.0.1:``port`` with the token (reconnects after a failure)."""
    headers = {"Authorization": f"Token {token}"}
    state = {"connection": http.client.HTTPConnection("127.0.0.1", port, timeout=120)}

    def get(path: str) -> tuple[int, bytes]:
        try:
            state["connection"].request("GET", path, headers=headers)
            response = state["connection"].getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException) as exc:
            state["connection"].close()
            state["connection"] = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            return 0, str(exc).encode()

    return get


def report_lines(walks: dict[str, Walk], *, list_path: str, limit: int, repeats: int) -> list[str]:
    """The report's section: totals, first and last page, and whether the cursor target is met."""
    page, cursor = walks["page"], walks["cursor"]
    lines = [
        "## Full sync: one channel's items end to end",
        "",
        f"`{list_path}` walked by one keep-alive client following `next`, `limit={limit}`; first and last "
        f"full page then requested {repeats} times each (median). Target: cursor last page ≤ {CURSOR_TARGET:g}× "
        "its first.",
        "",
        "| mode | pages | rows | total s | mean page ms | first page ms | last full page ms | last / first | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|:--:|",
    ]
    for result in (page, cursor):
        met = "yes" if result.ratio <= CURSOR_TARGET else "no"
        lines.append(
            f"| {result.mode} | {len(result.paths)} | {sum(result.rows):,} | {result.total_seconds:.1f} | "
            f"{1000 * result.total_seconds / len(result.paths):.1f} | {result.first_ms:.1f} | "
            f"{result.last_ms:.1f} | {result.ratio:.2f}× | {met if result.mode == 'cursor' else '—'} |"
        )
    same = "the same" if page.ids == cursor.ids else "DIFFERENT"
    once = "each once, in id order" if cursor.ids == sorted(set(cursor.ids)) else "NOT each once in id order"
    speedup = page.total_seconds / cursor.total_seconds if cursor.total_seconds else float("inf")
    lines += [
        "",
        f"Both walks returned {same} {len(cursor.ids):,} ids ({once}); the whole walk was "
        f"{speedup:.1f}× faster by cursor.",
        "",
    ]
    return lines


def plan_lines(captured: list[dict]) -> list[str]:
    """The statements and ``EXPLAIN ANALYZE`` of the walks' last full pages (``bench/queries.py``)."""
    lines = ["### Plans of the last full page, each way (authentication's statements left out)", ""]
    for page in captured:
        plans = [plan for plan in page["plans"] if not plan.startswith(AUTH_STATEMENTS)]
        lines += [f"`{page['path']}`: {len(page['statements'])} statements.", "", "```"]
        lines += "\n\n".join(plans).splitlines()
        lines += ["```", ""]
    return lines
