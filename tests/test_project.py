"""The project's promises: two commands, CI that runs them, quiet tools, and a compose file (with its
nginx load balancer) that scales, ends TLS or serves plain HTTP, and answers its own errors as JSON."""

import json
import os
import re
import runpy
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import crossplane
import yaml

ROOT = Path(__file__).resolve().parent.parent
NGINX = ROOT / "deploy" / "nginx"
COMPOSE_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:[?-])(?P<arg>[^}]*))?\}")


def test_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme


def test_ci_runs_make_test_against_postgresql():
    script = (ROOT / ".ci/run").read_text()
    assert "make test" in script
    assert 'DATABASE_URL="postgres://' in script
    assert "set -euo pipefail" in script


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def interpolate(value: str, **variables: str) -> str:
    """``${VAR}``, ``${VAR:-default}`` and ``${VAR:?error}`` resolved as docker compose does."""

    def resolve(match: re.Match) -> str:
        found = variables.get(match["name"], "")
        if match["op"] == ":?" and not found:
            raise AssertionError(f"compose requires {match['name']}: {match['arg']}")
        return found or (match["arg"] if match["op"] == ":-" else "")

    return COMPOSE_VARIABLE.sub(resolve, value)


def nginx(name: str) -> list[dict]:
    """The directives of deploy/nginx/<name>, parsed by nginx's own parser (crossplane)."""
    parsed = crossplane.parse(str(NGINX / name), single=True, check_ctx=False, comments=False)
    assert parsed["status"] == "ok", parsed["errors"]
    return parsed["config"][0]["parsed"]


def directives(tree: list[dict], name: str) -> list[dict]:
    """Every ``name`` directive in ``tree``, at any depth."""
    found = []
    for directive in tree:
        if directive["directive"] == name:
            found.append(directive)
        found += directives(directive.get("block", []), name)
    return found


def test_compose_file_names_the_production_services():
    services = compose()["services"]
    assert set(services) == {"db", "redis", "migrate", "app", "lb"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    app = services["app"]
    assert app["command"][:3] == ["gunicorn", "-c", "gunicorn.conf.py"]
    assert app["environment"]["DATABASE_URL"].startswith("postgres://")
    assert app["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["environment"] == app["environment"]
    assert services["migrate"]["env_file"] == app["env_file"]


def test_the_app_scales_behind_the_load_balancer():
    services = compose()["services"]
    app, lb = services["app"], services["lb"]
    # No fixed host port: a second replica would not bind it.
    assert "ports" not in app
    assert app["expose"] == ["8000"]
    assert interpolate(str(app["deploy"]["replicas"])) == "2"
    assert interpolate(str(app["deploy"]["replicas"]), APP_REPLICAS="4") == "4"
    # Only the load balancer publishes ports.
    assert [service for service, spec in services.items() if "ports" in spec] == ["lb"]
    assert [interpolate(port) for port in lb["ports"]] == ["80:80", "443:443"]
    assert interpolate(lb["ports"][0], LB_HTTP_PORT="8080") == "8080:80"
    assert lb["depends_on"]["app"]["condition"] == "service_healthy"
    # nginx re-resolves the replicas' addresses (`server ... resolve`) from 1.27.3 on.
    image, tag = lb["image"].split(":")
    assert image == "nginx"
    assert tuple(int(part) for part in tag.split("-")[0].split(".")) >= (1, 27)
    upstream = next(d for d in nginx("upstream.conf") if d["directive"] == "upstream")
    assert upstream["args"] == ["app"]
    assert [d["args"] for d in upstream["block"] if d["directive"] == "server"] == [["app:8000", "resolve"]]
    assert [d["args"] for d in upstream["block"] if d["directive"] == "zone"] == [["app", "64k"]]
    assert [d["args"][0] for d in nginx("upstream.conf") if d["directive"] == "resolver"] == ["127.0.0.11"]


def test_the_load_balancer_mounts_every_file_its_config_includes():
    lb = compose()["services"]["lb"]
    for mode in ("tls", "http"):
        mounts = {}
        for volume in lb["volumes"]:
            source, target, _ = interpolate(volume, LB_MODE=mode).split(":")
            mounts[target] = source
        assert mounts["/etc/nginx/conf.d/default.conf"] == f"./deploy/nginx/{mode}.conf"
        assert mounts["/etc/nginx/certs"] == "./deploy/certs"
        included = {d["args"][0] for d in directives(nginx(f"{mode}.conf"), "include")}
        included |= {d["args"][0] for d in directives(nginx("errors.conf") + nginx("proxy.conf"), "include")}
        assert included <= set(mounts), included - set(mounts)
        for target in included:
            assert (ROOT / mounts[target]).is_file(), mounts[target]


def test_every_location_that_reaches_the_app_sets_the_forwarded_headers():
    proxy = {tuple(d["args"]) for d in nginx("proxy.conf") if d["directive"] == "proxy_set_header"}
    assert {("X-Forwarded-For", "$proxy_add_x_forwarded_for"), ("X-Forwarded-Proto", "$scheme")} <= proxy
    assert [d["args"] for d in nginx("proxy.conf") if d["directive"] == "proxy_pass"] == [["http://app"]]
    for mode in ("tls", "http"):
        for location in directives(nginx(f"{mode}.conf"), "location"):
            steps = [d["directive"] for d in location["block"]]
            assert steps in (["include"], ["return"]), (mode, location["args"], steps)
            if steps == ["include"]:
                assert location["block"][0]["args"] == ["/etc/nginx/omnitron/proxy.conf"]
    # The app trusts the one proxy in front of it for the client address.
    assert compose()["services"]["app"]["environment"]["API_NUM_PROXIES"] == "${API_NUM_PROXIES:-1}"


def test_the_load_balancer_answers_its_own_errors_as_json():
    tree = nginx("errors.conf")
    pages = {int(code): d["args"][-1] for d in directives(tree, "error_page") for code in d["args"][:-1]}
    assert set(pages) == {400, 404, 408, 413, 414, 494, 500, 502, 503, 504}
    locations = {d["args"][-1]: d["block"] for d in directives(tree, "location")}
    for code, uri in pages.items():
        block = locations[uri]
        assert ["internal"] in [[d["directive"]] for d in block], uri
        assert [d["args"] for d in block if d["directive"] == "default_type"] == [["application/json"]]
        (status, body), *_ = [d["args"] for d in block if d["directive"] == "return"]
        assert int(status) == (400 if code == 494 else code), uri
        assert set(json.loads(body.replace("\\n", "\n"))) == {"detail", "code"}, uri  # nginx reads \n as a newline
    # Request lines longer than gunicorn's limit (4094 bytes, HTML 414) are refused by nginx first.
    (buffers,) = [d["args"] for d in tree if d["directive"] == "large_client_header_buffers"]
    assert int(buffers[1]) < 4094
    (read_timeout,) = [d["args"] for d in nginx("proxy.conf") if d["directive"] == "proxy_read_timeout"]
    assert int(read_timeout[0].removesuffix("s")) > 30  # gunicorn's worker timeout ends a slow request first
    for mode in ("tls", "http"):
        servers = [d for d in nginx(f"{mode}.conf") if d["directive"] == "server"]
        for server in servers:
            assert ["/etc/nginx/omnitron/errors.conf"] in [
                d["args"] for d in server["block"] if d["directive"] == "include"
            ]


def test_tls_mode_ends_tls_and_plain_http_mode_serves_without_redirects():
    app = compose()["services"]["app"]
    assert "DJANGO_HTTPS" not in app["environment"]  # it comes from the mode's env file
    https = {}
    for mode in ("tls", "http"):
        env_file = ROOT / interpolate(app["env_file"], LB_MODE=mode)
        values = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if line and line[0] != "#")
        https[mode] = values["DJANGO_HTTPS"]
    assert https == {"tls": "1", "http": "0"}
    assert interpolate(app["env_file"]) == "deploy/app-tls.env"  # TLS unless asked otherwise
    tls_servers = [d for d in nginx("tls.conf") if d["directive"] == "server"]
    listens = [next(d["args"] for d in server["block"] if d["directive"] == "listen") for server in tls_servers]
    assert listens == [["80", "default_server"], ["443", "ssl", "default_server"]]
    plain, secure = (server["block"] for server in tls_servers)
    assert {d["directive"]: d["args"] for d in secure if d["directive"].startswith("ssl_certificate")} == {
        "ssl_certificate": ["/etc/nginx/certs/fullchain.pem"],
        "ssl_certificate_key": ["/etc/nginx/certs/privkey.pem"],
    }
    redirect = next(d for d in plain if d["directive"] == "location" and d["args"] == ["/"])
    assert [(d["directive"], d["args"]) for d in redirect["block"]] == [
        ("return", ["308", "https://$host$request_uri"])
    ]
    assert [d["args"] for d in plain if d["directive"] == "location"] == [["=", "/health/"], ["/"]]
    http_servers = [d for d in nginx("http.conf") if d["directive"] == "server"]
    assert [next(d["args"] for d in server["block"] if d["directive"] == "listen") for server in http_servers] == [
        ["80", "default_server"]
    ]
    assert directives(nginx("http.conf"), "return") == []


def test_the_database_password_is_not_pasted_into_the_url():
    environment = compose()["services"]["app"]["environment"]
    url = urlsplit(interpolate(environment["DATABASE_URL"], POSTGRES_PASSWORD="p@ss/w:rd#?"))
    assert (url.username, url.password, url.hostname, url.path) == ("omnitron", None, "db", "/omnitron")
    assert environment["DATABASE_PASSWORD"] == compose()["services"]["db"]["environment"]["POSTGRES_PASSWORD"]


def test_the_database_password_may_hold_any_characters(monkeypatch):
    for name in [name for name in os.environ if name.startswith(("DJANGO_", "DATABASE_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", "postgres://omnitron@db:5432/omnitron")
    monkeypatch.setenv("DATABASE_PASSWORD", " p@ss/w:rd#? ")
    database = runpy.run_path(str(ROOT / "omnitron" / "settings.py"))["DATABASES"]["default"]
    assert (database["USER"], database["PASSWORD"], database["HOST"], database["NAME"]) == (
        "omnitron",
        " p@ss/w:rd#? ",
        "db",
        "omnitron",
    )


def test_the_image_leaves_out_tests_ci_and_local_files():
    ignored = {line for line in (ROOT / ".dockerignore").read_text().splitlines() if line and line[0] != "#"}
    assert {".git", ".venv", ".ci", "tests", "bench", "deploy", "db.sqlite3", ".env"} <= ignored


def test_requirements_are_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r")):
                assert "==" in line, f"{name}: {line} is not pinned"


def test_bandit_is_clean_and_silent():
    """`make test` shows bandit's findings only: no per-marker "nosec encountered" warnings."""
    completed = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-c", "pyproject.toml", "-r", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (completed.returncode, completed.stdout, completed.stderr) == (0, "", "")


def test_pytest_prints_skip_reasons():
    pytest_options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "-rs" in pytest_options["addopts"].split()
