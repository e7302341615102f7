"""In a real browser: an operator's way through the admin, and the API docs rendering offline.

Headless Chromium (Debian's ``chromium`` and ``chromium-driver``, driven by Selenium) against a
live server on 127.0.0.1 started by the tests. Every host but 127.0.0.1 resolves to nothing
(``--host-resolver-rules``), and each test reads the browser's network log to check that no
request was even attempted elsewhere. Without a browser installed the tests skip with the reason;
``.ci/run`` installs one. Screenshots of the order page go to ``.artifacts/browser/`` (gitignored).
"""

import json
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.factories import CancellationReasonFactory, OrderFactory, OrderItemFactory, ProductStockFactory, UserFactory

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (requirements-dev.txt)")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="no browser: install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)

ARTIFACTS = Path(__file__).resolve().parent.parent / ".artifacts" / "browser"
PASSWORD = "operator-password"
WAIT_SECONDS = 20


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    """A live server on 127.0.0.1 and a free port, serving static files too. Module-scoped and
    stopped after the browser has quit, so that no kept-alive request is still open then."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        live = LiveServer("127.0.0.1:0")
    yield live
    live.stop()


@pytest.fixture(scope="module")
def browser(server):
    profile = tempfile.mkdtemp(prefix="omnitron-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
        # Nothing but the live server resolves: a page that reaches for a CDN fails to load it.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def requested_urls(driver) -> list[str]:
    """URLs the browser asked for since the last call (the performance log empties as it is read),
    less those the page's own Content-Security-Policy refused: those never leave the browser
    (Redoc's bundle names a logo on its CDN; the docs' policy blocks it)."""
    urls: dict[str, str] = {}
    blocked: set[str] = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message["params"]
        if message["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            urls[params["requestId"]] = params.get("request", {}).get("url") or params.get("url")
        elif message["method"] == "Network.loadingFailed" and params.get("blockedReason") == "csp":
            blocked.add(params["requestId"])
    return [url for request_id, url in urls.items() if request_id not in blocked]


def assert_nothing_left_localhost(urls: list[str]) -> None:
    outside = sorted({url for url in urls if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                      and urlsplit(url).hostname != "127.0.0.1"})  # fmt: skip
    assert outside == [], f"requests that left 127.0.0.1: {outside}"


def wait(driver, condition):
    return WebDriverWait(driver, WAIT_SECONDS).until(condition)


def screenshot(driver, name: str) -> Path:
    """The whole page, not just the window."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    size = driver.get_window_size()
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(size["width"], min(height + 120, 10000))
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    driver.set_window_size(size["width"], size["height"])
    return path


def timeline(driver) -> list[str]:
    rows = driver.find_elements(By.CSS_SELECTOR, "#events-group tbody tr.has_original")
    return [row.find_element(By.CSS_SELECTOR, "td.field-change").text for row in rows]


def test_an_operator_finds_an_order_cancels_an_item_and_marks_it_sent(browser, server, transactional_db):
    from catalog.models import StockReservation
    from orders.models import CancellationPlan, CancelStatus, EventType, Order, OrderEvent, OrderItem

    operator = UserFactory(username="operator", is_staff=True, is_superuser=True)
    operator.set_password(PASSWORD)
    operator.save()
    reason = CancellationReasonFactory(name="Out of stock")
    order = OrderFactory(number="WEB-20001")
    OrderFactory(number="WEB-30001")
    OrderFactory(number="APP-20001")
    items = []
    for _ in range(2):
        stock = ProductStockFactory()
        items.append(
            OrderItemFactory(
                order=order, product=stock.product, reservation=StockReservation.objects.create(stock=stock)
            )
        )
    cancelled, kept = items

    browser.get(server.url + "/admin/")
    wait(browser, expected_conditions.presence_of_element_located((By.NAME, "username"))).send_keys("operator")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form [type=submit]").click()
    wait(browser, expected_conditions.title_contains("Orders, channels and catalog"))

    browser.get(server.url + "/admin/orders/order/")
    search = wait(browser, expected_conditions.presence_of_element_located((By.ID, "searchbar")))
    search.send_keys("web-2")
    browser.find_element(By.CSS_SELECTOR, "#changelist-search [type=submit]").click()
    wait(browser, expected_conditions.url_contains("q=web-2"))
    numbers = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#result_list tbody th.field-number")]
    assert numbers == ["WEB-20001"]
    browser.find_element(By.LINK_TEXT, "WEB-20001").click()

    wait(browser, expected_conditions.title_contains("WEB-20001"))
    summary = browser.find_element(By.CSS_SELECTOR, "fieldset.module").text
    assert "Approved (400)" in summary and "100.00 TRY" in summary
    screenshot(browser, "admin-order-page.png")

    browser.find_element(By.LINK_TEXT, "CANCEL ITEMS").click()
    wait(browser, expected_conditions.presence_of_element_located((By.ID, "cancel-items-form")))
    browser.find_element(By.CSS_SELECTOR, f"input[name=items][value='{cancelled.pk}']").click()
    Select(browser.find_element(By.NAME, "reason")).select_by_visible_text("Out of stock")
    browser.find_element(By.CSS_SELECTOR, "#cancel-items-form [type=submit]").click()
    message = wait(browser, expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".messagelist li")))
    assert message.text == f"Order WEB-20001: cancel of items {cancelled.pk}."

    browser.find_element(By.CSS_SELECTOR, "li[data-tool-name=mark_sent] button").click()
    wait(browser, expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, ".messagelist"), "ERP"))
    assert browser.find_element(By.CSS_SELECTOR, ".messagelist li").text == "Order WEB-20001 marked sent to the ERP."
    assert browser.find_elements(By.CSS_SELECTOR, "li[data-tool-name=mark_sent]") == []
    assert timeline(browser) == [
        "status: Approved (400) → Cancelled (100)",
        "cancel_status: - → Completed",
        f"reservation {cancelled.reservation_id}",
        f"cancellation_plan: - → {CancellationPlan.objects.get(order=order).pk}",
        "is_send: no → yes",
    ]
    screenshot(browser, "admin-order-page-after.png")
    assert_nothing_left_localhost(requested_urls(browser))

    cancelled.refresh_from_db()
    kept.refresh_from_db()
    order.refresh_from_db()
    assert (cancelled.status, cancelled.cancel_status, kept.status, kept.cancel_status) == (
        "100",
        CancelStatus.COMPLETED,
        "400",
        None,
    )
    assert (order.status, order.is_send) == ("400", True)
    assert StockReservation.objects.get(pk=cancelled.reservation_id).released_at is not None
    assert StockReservation.objects.get(pk=kept.reservation_id).released_at is None
    assert [(i.order_item_id, i.reason_id) for i in CancellationPlan.objects.get(order=order).items.all()] == [
        (cancelled.pk, reason.pk)
    ]
    events = OrderEvent.objects.filter(order=order).order_by("id")
    assert [(e.event_type, e.item_id, e.field, e.actor_id) for e in events] == [
        (EventType.STATUS_CHANGED, cancelled.pk, "status", operator.pk),
        (EventType.FIELD_CHANGED, cancelled.pk, "cancel_status", operator.pk),
        (EventType.RESERVATION_RELEASED, cancelled.pk, None, operator.pk),
        (EventType.CANCELED, None, "cancellation_plan", operator.pk),
        (EventType.SENT_TO_ERP, None, "is_send", operator.pk),
    ]
    assert OrderItem.objects.filter(order__number="WEB-30001").count() == 0
    assert Order.objects.filter(is_send=True).count() == 1


@pytest.mark.parametrize(
    ("path", "rendered"),
    [
        ("/api/docs/", ".swagger-ui .opblock"),
        ("/api/redoc/", "[data-section-id^='operation/']"),
    ],
    ids=["swagger-ui", "redoc"],
)
def test_the_api_docs_render_with_every_outside_request_blocked(browser, server, transactional_db, path, rendered):
    requested_urls(browser)  # drop what earlier pages logged
    browser.get(server.url + path)
    wait(browser, expected_conditions.presence_of_element_located((By.CSS_SELECTOR, rendered)))
    assert "Omnitron order service" in browser.find_element(By.TAG_NAME, "body").text
    operations = browser.find_elements(By.CSS_SELECTOR, rendered)
    assert len(operations) > 20
    assert_nothing_left_localhost(requested_urls(browser))
