"""Browser tests: dash_duo in Debian's headless Chromium on a demo warehouse.

The warehouse is built once per session with the demo generator (through the
ETL, as users would), unless CC_TEST_WAREHOUSE names one already built.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from selenium.webdriver.chrome.options import Options

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The demo ends here so the data span the 2025 reform and stay quick to build.
DEMO_UNTIL = "2026-03"


def pytest_setup_options() -> Options:
    """Options for dash[testing]'s Chrome: Debian Chromium, headless, offline-safe."""
    options = Options()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--window-size=1920,1080",
    ):
        options.add_argument(arg)
    return options


@pytest.fixture(scope="session")
def warehouse_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    prebuilt = os.environ.get("CC_TEST_WAREHOUSE")
    if prebuilt and (Path(prebuilt) / "CURRENT").exists():
        return Path(prebuilt)
    from etl.demo import run_demo

    root = tmp_path_factory.mktemp("warehouse")
    run_demo(root, seed=7, until=DEMO_UNTIL)
    assert (root / "CURRENT").exists(), "the demo did not publish a snapshot"
    return root


# Every browser test signs in through the login form (auth/): by default as a
# national viewer; accounts live in a session folder (CC_AUTH_DIR), never in
# the warehouse, which may be shared and read-only.
VIEWER = ("test-viewer", "viewer-password-1")
LEADER = ("test-leader", "leader-password-1")  # may drive the walls (/present)
TEST_ACCOUNTS = {
    VIEWER: ("viewer", None),
    LEADER: ("national_leader", None),
    ("test-province-22", "province-password-1"): ("province_analyst", "22"),
    ("test-admin", "admin-password-1"): ("administrator", None),
}


@pytest.fixture(scope="session", autouse=True)
def _system_scope_for_the_tests():
    """The tests compare pages with the data layer's own values, read outside
    any request: with every scope, granted explicitly (core.context)."""
    from core.context import grant_process_scope
    from core.scope import SYSTEM

    grant_process_scope(SYSTEM)
    yield
    grant_process_scope(None)


@pytest.fixture(scope="session")
def auth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from auth.store import add_user

    root = tmp_path_factory.mktemp("auth")
    os.environ["CC_AUTH_DIR"] = str(root)
    for (name, password), (role, province) in TEST_ACCOUNTS.items():
        add_user(name, role, password, province=province, root=root)
    return root


@pytest.fixture(scope="session")
def dash_app(warehouse_dir: Path, auth_dir: Path):
    """The real app, reading the demo warehouse. Imported as a module (not run
    again as dash.testing's import_app does): one Dash app per process, so the
    unit tests' client (tests/unit/conftest.py) serves the same callbacks."""
    from tests.pages_state import the_app

    os.environ["CC_DATA_DIR"] = str(warehouse_dir)
    return the_app()[0].app


@pytest.fixture(autouse=True)
def _app_pages(request):
    """The app's pages are registered while a test serves it; tests/conftest.py
    keep_pages_state takes them away after (tests/pages_state.py)."""
    if "dash_app" in request.fixturenames:
        from tests.pages_state import set_pages_state, the_app

        set_pages_state(the_app()[1])


def requested_hosts(dash_duo) -> set[str]:
    """Hosts of every resource the page loaded or tried (Resource Timing API)."""
    from urllib.parse import urlparse

    urls = dash_duo.driver.execute_script(
        "return [location.href].concat(performance.getEntriesByType('resource')"
        ".map(e => e.name));"
    )
    return {urlparse(u).netloc for u in urls if u.startswith(("http", "ws"))}


def own_host(dash_duo) -> str:
    return dash_duo.server_url.split("//", 1)[1].rstrip("/")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def login(
    dash_duo, user: tuple[str, str], next_path: str = "/", lang: str = "vi"
) -> None:
    """Sign in through the login form; the browser lands on `next_path`."""
    from urllib.parse import urlencode

    base = dash_duo.server.url.rstrip("/")
    dash_duo.driver.get(f"{base}/login?{urlencode({'lang': lang, 'next': next_path})}")
    dash_duo.wait_for_element("#login-user", timeout=20).send_keys(user[0])
    dash_duo.find_element("#login-password").send_keys(user[1])
    dash_duo.find_element("#login-submit").click()


def start_app(
    dash_duo,
    app,
    path: str = "/",
    user: tuple[str, str] | None = VIEWER,
    wait_for: str = "#freshness",
) -> None:
    """Serve the app on a free port (tests may run beside other servers), sign in
    as `user` (None: stay signed out) and open `path`."""
    dash_duo.start_server(app, port=free_port(), navigate=False)
    dash_duo._url = dash_duo.server.url  # what server_url= sets, without loading "/"
    if user is None:
        dash_duo.driver.get(dash_duo.server_url.rstrip("/") + path)
        return
    login(dash_duo, user, path)
    dash_duo.wait_for_element(wait_for, timeout=20)


def click(dash_duo, selector: str, attempts: int = 5) -> None:
    """Click, retrying when a re-render replaced the element under us."""
    import time

    from selenium.common.exceptions import StaleElementReferenceException

    for attempt in range(attempts):
        try:
            element = dash_duo.wait_for_element(selector, timeout=10)
            # Bootstrap's smooth scrolling can move the target during a click.
            dash_duo.driver.execute_script(
                "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});",
                element,
            )
            element.click()
            return
        except StaleElementReferenceException:
            if attempt == attempts - 1:
                raise
            time.sleep(0.3)
