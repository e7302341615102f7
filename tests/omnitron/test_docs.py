"""Swagger UI and Redoc load everything from the service itself (no request to another host), and
every operation has a summary (Redoc's headings) and one of the documented tags."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from omnitron.api_tags import API_TAGS
from omnitron.docs import DOCS_CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db

DOCS_PAGES = ["/api/docs/", "/api/redoc/"]
# CSP sources that name no other host.
LOCAL_SOURCES = {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}
ABSOLUTE_URL = re.compile(r"""(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s"'()<>]*""")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")


class _References(HTMLParser):
    """What a page makes the browser load: script, stylesheet, icon and image URLs, and inline code."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []
        self._tag = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self._tag = tag
        if tag in {"script", "img", "iframe"} and attributes.get("src"):
            self.urls.append(attributes["src"])
        if tag == "link" and attributes.get("href"):
            self.urls.append(attributes["href"])

    def handle_data(self, data):
        if self._tag in {"script", "style"} and data.strip():
            self.inline.append(data)


def references(html: str) -> _References:
    parser = _References()
    parser.feed(html)
    return parser


def policy(header: str) -> dict[str, set[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: set(sources) for name, *sources in directives}


@pytest.mark.parametrize("page", DOCS_PAGES)
def test_docs_page_and_its_assets_come_from_this_host(anon_client, page):
    response = anon_client.get(page)
    assert response.status_code == 200
    found = references(response.content.decode())
    assert found.urls, "the page references no assets"
    for url in found.urls:
        assert urlsplit(url).netloc == "", f"{page} loads {url}"
        asset = anon_client.get(urljoin(page, url))
        assert asset.status_code == 200, url
        body = b"".join(asset.streaming_content) if asset.streaming else asset.content
        if url.endswith(".css"):
            outside = [ref for ref in CSS_URL.findall(body.decode()) if urlsplit(ref).netloc]
            assert outside == [], f"{url} loads {outside}"
    for code in found.inline:
        assert ABSOLUTE_URL.findall(code) == [], f"{page} inline code names {ABSOLUTE_URL.findall(code)}"


@pytest.mark.parametrize("page", DOCS_PAGES)
def test_docs_page_forbids_the_browser_any_other_host(anon_client, page):
    """The bundles hold URLs of their own (Redoc's footer logo on cdn.redoc.ly); the policy keeps
    the browser from fetching any of them."""
    header = anon_client.get(page).headers["Content-Security-Policy"]
    assert header == DOCS_CONTENT_SECURITY_POLICY
    directives = policy(header)
    assert directives["default-src"] == {"'self'"}
    for name in ("script-src", "style-src", "img-src", "font-src", "connect-src", "worker-src"):
        assert directives[name] <= LOCAL_SOURCES, name
    assert "'unsafe-eval'" not in set().union(*directives.values())


def test_redoc_page_has_no_web_fonts(anon_client):
    html = anon_client.get("/api/redoc/").content.decode()
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    assert "system-ui" in html  # the theme's font stack instead


def test_swagger_ui_shows_no_validator_badge(anon_client):
    html = anon_client.get("/api/docs/").content.decode()
    assert '"validatorUrl": null' in html


@pytest.fixture(scope="module")
def operations(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return schema, [
        (f"{method.upper()} {path}", operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def test_every_operation_has_a_summary(operations):
    _, found = operations
    assert [name for name, operation in found if not operation.get("summary")] == []


def test_every_operation_has_one_documented_tag_in_the_documented_order(operations):
    schema, found = operations
    names = [name for name, _ in API_TAGS]
    assert [tag["name"] for tag in schema["tags"]] == names
    assert [(name, operation["tags"]) for name, operation in found if operation["tags"][0] not in names] == []
    assert {operation["tags"][0] for _, operation in found} == set(names)
    tag_of = {name: operation["tags"] for name, operation in found}
    assert tag_of["POST /api/v1/channel/{channel_id}/create_orders/"] == ["Channel orders"]
    assert tag_of["GET /api/v1/channel/{channel_id}/orders/"] == ["Channel orders"]
    assert tag_of["PATCH /api/i1/order_items/{id}/"] == ["Integration order items"]
    assert tag_of["GET /api/v1/channel/{channel_id}/customers/"] == ["Customers"]
    assert tag_of["GET /api/v1/channel/{channel_id}/cities/"] == ["Reference data"]


def test_authorize_says_to_type_the_token_keyword(operations):
    schema, _ = operations
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert "Type the whole header value, the word `Token`, a space and the key" in scheme["description"]
