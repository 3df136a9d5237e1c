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


@pytest.fixture(scope="session")
def dash_app(warehouse_dir: Path):
    """The real app, reading the demo warehouse."""
    os.environ["CC_DATA_DIR"] = str(warehouse_dir)
    from dash.testing.application_runners import import_app

    return import_app("app")


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


def start_app(dash_duo, app, path: str = "/") -> None:
    """Serve the app on a free port (tests may run beside other servers) and open `path`."""
    dash_duo.start_server(app, port=free_port())
    if path != "/":
        dash_duo.wait_for_element("#freshness", timeout=20)
        dash_duo.driver.get(dash_duo.server_url.rstrip("/") + path)
    dash_duo.wait_for_element("#freshness", timeout=20)


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
