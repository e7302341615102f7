"""A live server over TLS for Akinon's published clients, and the runner of their scenarios.

The clients run as integrators run them: in their own virtualenv (``.venv-clients``, made by
``make clients`` from ``requirements-clients.txt``), as separate processes speaking HTTPS to
a server on 127.0.0.1 started here. The server's certificate is signed by a throwaway CA the
tests make with the ``openssl`` CLI; the client processes trust that CA through
``REQUESTS_CA_BUNDLE``, as an integrator trusts a private CA. channel-app caches its token in
Redis: a private ``redis-server`` on a free port keeps that cache apart from anything else.
"""

import json
import os
import shutil
import socket
import ssl
import subprocess  # runs openssl, redis-server and the client scenarios, fixed argv
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.db import connections
from django.test.testcases import LiveServerThread
from django.test.utils import modify_settings

from tests.conftest import MEMBER_PERMISSIONS
from tests.factories import ChannelMembershipFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
CLIENTS_PYTHON = ROOT / ".venv-clients" / "bin" / "python"
SCENARIOS = Path(__file__).with_name("scenarios.py")
HOST = "127.0.0.1"
SCENARIO_TIMEOUT = 120
FLOW_SECONDS = 30  # a channel-app task against the live server and the fake marketplace
PASSWORD = "clients-test-password"  # a throwaway user of the test database
INTEGRATION_PERMISSIONS = [*MEMBER_PERMISSIONS, "view_channel_conf"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)  # noqa: S603 S607


@pytest.fixture(scope="session")
def clients_python() -> Path:
    """The clients' interpreter; ``make test`` builds it first (``make clients``)."""
    if not CLIENTS_PYTHON.exists():
        pytest.fail(f"{CLIENTS_PYTHON} is missing: run `make clients` (part of `make test`)")
    return CLIENTS_PYTHON


@dataclass(frozen=True)
class Certificates:
    ca: Path
    cert: Path
    key: Path


@pytest.fixture(scope="session")
def certificates(tmp_path_factory) -> Certificates:
    """A throwaway CA and a server certificate for 127.0.0.1 signed by it (valid one day)."""
    if shutil.which("openssl") is None:
        pytest.fail("the openssl CLI is needed to make the test certificates")
    folder = tmp_path_factory.mktemp("tls")
    ca_key, ca, key, request, cert = (
        folder / name for name in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem")
    )
    extensions = folder / "server.ext"
    extensions.write_text(
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
    )
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        str(ca_key),
        "-out",
        str(ca),
        "-days",
        "1",
        "-subj",
        "/CN=Omnitron test CA",
    )
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(request), "-subj", "/CN=127.0.0.1"
    )
    _openssl(
        "x509",
        "-req",
        "-in",
        str(request),
        "-CA",
        str(ca),
        "-CAkey",
        str(ca_key),
        "-CAcreateserial",
        "-out",
        str(cert),
        "-days",
        "1",
        "-extfile",
        str(extensions),
    )
    return Certificates(ca=ca, cert=cert, key=key)


class TLSLiveServerThread(LiveServerThread):
    """Django's live server thread, its listening socket wrapped in TLS."""

    def __init__(self, *args, ssl_context: ssl.SSLContext, **kwargs):
        self.ssl_context = ssl_context
        super().__init__(*args, **kwargs)

    def _create_server(self, connections_override=None):
        server = super()._create_server(connections_override=connections_override)
        server.socket = self.ssl_context.wrap_socket(server.socket, server_side=True)
        return server


@pytest.fixture(scope="session")
def tls_live_server(django_db_setup, django_db_blocker, certificates):
    """``https://127.0.0.1:<port>/`` served from the test database until the session ends."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates.cert, certificates.key)
    with django_db_blocker.unblock():
        # An in-memory SQLite test database is one connection: the server thread shares it.
        override = {
            conn.alias: conn for conn in connections.all() if conn.vendor == "sqlite" and conn.is_in_memory_db()
        }
        for conn in override.values():
            conn.inc_thread_sharing()
        thread = TLSLiveServerThread(
            HOST, StaticFilesHandler, connections_override=override, port=0, ssl_context=context
        )
        thread.daemon = True
        allowed = modify_settings(ALLOWED_HOSTS={"append": HOST})
        allowed.enable()
        thread.start()
        thread.is_ready.wait(timeout=30)
        if thread.error:
            raise thread.error
        try:
            yield f"https://{HOST}:{thread.port}/"
        finally:
            thread.terminate()
            allowed.disable()
            for conn in override.values():
                conn.dec_thread_sharing()


@pytest.fixture(scope="session")
def redis_port(tmp_path_factory) -> int:
    """A private redis-server for channel-app's token cache, stopped with the session."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is needed for channel-app's token cache")
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(  # noqa: S603
        [binary, "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        server.kill()
        pytest.fail("redis-server did not start")
    yield port
    server.terminate()
    server.wait(timeout=10)


@dataclass
class Integrator:
    """The channel's integration user, as a channel app is configured with it."""

    user: object
    channel: object

    @property
    def catalog_id(self) -> int | None:
        return self.channel.catalog_id


@pytest.fixture
def integrator(transactional_db, channel) -> Integrator:
    user = UserFactory(username="channel-app")
    user.set_password(PASSWORD)
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__in=INTEGRATION_PERMISSIONS))
    ChannelMembershipFactory(channel=channel, user=user)
    return Integrator(user=user, channel=channel)


@pytest.fixture
def client_env(tls_live_server, certificates, redis_port, integrator) -> dict[str, str]:
    """The environment a channel app runs with, pointed at the live server."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "OMNITRON_URL": tls_live_server,
        "OMNITRON_USERNAME": integrator.user.username,
        "OMNITRON_PASSWORD": PASSWORD,
        "OMNITRON_CHANNEL_ID": str(integrator.channel.pk),
        "OMNITRON_CATALOG_ID": str(integrator.catalog_id),
        "REQUESTS_CA_BUNDLE": str(certificates.ca),
        "CACHE_HOST": HOST,
        "CACHE_PORT": str(redis_port),
        "CACHE_DATABASE_INDEX": "0",
        "BROKER_HOST": HOST,
        "BROKER_PORT": str(redis_port),
        "BROKER_DATABASE_INDEX": "1",
        "OMNITRON_MODULE": "channel_app.omnitron.integration",
        "CHANNEL_MODULE": "scenarios",
    }


def _run_client(python: Path, argv: list[str], env: dict[str, str], timeout: float = SCENARIO_TIMEOUT) -> str:
    """Run the clients' interpreter with ``argv``; its stdout (the test fails on a non-zero exit)."""
    try:
        completed = subprocess.run(  # noqa: S603
            [str(python), *argv], env=env, capture_output=True, text=True, timeout=timeout, cwd=SCENARIOS.parent
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{argv[-1]} did not finish within {timeout} s:\n{(exc.stderr or b'')[-4000:]!r}")
    # Shown by pytest with a failing test: channel-app logs some of the HTTP errors it swallows.
    print(completed.stderr[-4000:])
    if completed.returncode != 0:
        pytest.fail(f"{argv[0]} exited {completed.returncode}:\n{completed.stderr[-4000:]}")
    return completed.stdout


@pytest.fixture
def run_scenario(clients_python, client_env):
    """``run_scenario(name, **args)``: run one scenario of scenarios.py in .venv-clients; its JSON line."""

    def run(name: str, **args) -> dict:
        stdout = _run_client(clients_python, [str(SCENARIOS), name], {**client_env, "SCENARIO_ARGS": json.dumps(args)})
        lines = [line for line in stdout.splitlines() if line.startswith("{")]
        if not lines:
            pytest.fail(f"scenario {name} printed no result:\n{stdout[-2000:]}")
        return json.loads(lines[-1])

    return run


@pytest.fixture
def run_code(clients_python, client_env):
    """``run_code(source)``: run a Python program in .venv-clients; its stdout."""
    return lambda source: _run_client(clients_python, ["-c", source], client_env)


@pytest.fixture
def marketplace(transactional_db, tls_live_server):
    """A fake marketplace on 127.0.0.1 for this test (``fake_marketplace.py``)."""
    from tests.clients.fake_marketplace import fake_marketplace_serve

    fake, stop = fake_marketplace_serve(HOST)
    yield fake
    stop()


@pytest.fixture
def run_flow(clients_python, client_env, integrator, marketplace):
    """``run_flow(service, task, **kwargs)``: one channel-app service task (e.g. ``order``,
    ``fetch_and_create_order``) in .venv-clients, its channel side being ``marketplace.py``
    speaking to the fake marketplace; the channel's conf names the marketplace and its token."""
    from tests.clients.fake_marketplace import TOKEN

    channel = integrator.channel

    def run(service: str, task: str, **kwargs) -> dict:
        channel.refresh_from_db(fields=["conf"])
        channel.conf = {**channel.conf, "marketplace_url": marketplace.url, "token": TOKEN}
        channel.save(update_fields=["conf"])
        env = {
            **client_env,
            "CHANNEL_MODULE": "marketplace",
            "SCENARIO_ARGS": json.dumps({"service": service, "task": task, "kwargs": kwargs}),
        }
        stdout = _run_client(clients_python, [str(SCENARIOS), "app_flow"], env, timeout=FLOW_SECONDS)
        lines = [line for line in stdout.splitlines() if line.startswith("{")]
        return json.loads(lines[-1])

    return run
