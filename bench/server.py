"""What the benchmark and the soak share: scratch databases, gunicorn on 127.0.0.1, keep-alive requests.

Everything here talks only to the local PostgreSQL server and to servers it starts itself.
"""

import argparse
import http.client
import json
import signal
import subprocess  # starts only this project's manage.py and gunicorn  # nosec B404
import sys
import threading
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def add_server_arguments(parser: argparse.ArgumentParser, *, database: str) -> None:
    """The scratch database and the gunicorn options."""
    parser.add_argument("--database", default=database, help="Scratch PostgreSQL database; dropped and re-created.")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (WEB_CONCURRENCY).")
    parser.add_argument("--keep-db", action="store_true", help="Leave the database in place afterwards.")


def admin_execute(pg: str, statement: str) -> None:
    """Run one statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    connection = psycopg2.connect(f"{pg}/postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def migrate(env: dict) -> None:
    # Fixed argument list: nothing from outside reaches this command.
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # nosec B603


def prepare_demo_database(pg: str, database: str, env: dict, *, stock: int) -> dict:
    """Fresh database, migrations and the demo world with ``stock`` units of every product; returns
    ``seed_demo --json``'s ids and token."""
    admin_execute(pg, f'DROP DATABASE IF EXISTS "{database}"')
    admin_execute(pg, f'CREATE DATABASE "{database}"')
    migrate(env)
    output = subprocess.run(  # fixed argument list  # nosec B603
        [PYTHON, "manage.py", "seed_demo", "--json"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    info = json.loads(output.strip().splitlines()[-1])
    connection = psycopg2.connect(env["DATABASE_URL"])
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute("UPDATE catalog_productstock SET stock = %s", [stock])
    finally:
        connection.close()
    return info


def start_server(env: dict, port: int, workers: int, app: str = "omnitron.wsgi") -> subprocess.Popen:
    """gunicorn with this project's configuration on 127.0.0.1:``port``; returns once /health/ is 200."""
    server_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_ACCESSLOG": "/dev/null",
        "GUNICORN_LOGLEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",
        "PYTHONWARNINGS": "ignore:No directory at",
    }
    command = [GUNICORN, "-c", "gunicorn.conf.py", app]
    process = subprocess.Popen(command, cwd=ROOT, env=server_env)  # fixed argument list  # nosec B603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(process)
    raise SystemExit(f"{app} did not become healthy on port {port} within 30 s")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def keepalive_request(local: threading.local, port: int, method: str, path: str, body, headers) -> tuple[int, bytes]:
    """One request over this thread's connection to 127.0.0.1:``port`` (opened on first use, dropped
    after a failure); status 0 and the error text when the request did not get through."""
    connection = getattr(local, "connection", None)
    if connection is None:
        connection = local.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException) as exc:
        connection.close()
        local.connection = None
        return 0, str(exc).encode()
