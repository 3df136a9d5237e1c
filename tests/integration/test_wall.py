"""/wall and /present in a browser, at 3840x2160, 7680x2160 and 1920x1080.

The wall fills the screen exactly (no scrolling), rotates by itself, shows the
freshness stamp and a clock, obeys the keyboard, follows a presenter session
(a change on /present reaches it within 5 s), and picks up a newly published
snapshot without reloading and without ever going blank.

These tests run on a copy of the session's warehouse (the wall keeps its
presenter state and pins in the data directory, and one test publishes).
Set CC_SCREENSHOTS=1 to also write docs/screenshots/wall_4k.png,
wall_32x9.png, wall_1080p.png and present.png.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from components.fmt import fmt_number
from components.kpi_card import shown_value
from data import queries as q
from data.store import read_current
from tests.integration.conftest import (
    LEADER,
    VIEWER,
    click,
    own_host,
    requested_hosts,
    start_app,
)

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"4k": (3840, 2160), "32x9": (7680, 2160), "1080p": (1920, 1080)}
ACTIVE = ".wall-layer.is-active"
STATE_JS = (
    "return window.ccWall ? {label: ccWall.info && ccWall.info.label, "
    "i: ccWall.i, k: ccWall.k, paused: ccWall.paused, hold: ccWall.hold, "
    "snapshot: ccWall.info && ccWall.info.snapshot} : null;"
)
BROKEN = ("Không tải được", "Traceback", "Error", "msg.")


def copy_warehouse(source: Path, target: Path) -> Path:
    """CURRENT and the snapshot it names: all a wall needs."""
    current = read_current(source)
    (target / "snapshots").mkdir(parents=True)
    shutil.copyfile(current.path, target / "snapshots" / current.path.name)
    shutil.copyfile(source / "CURRENT", target / "CURRENT")
    return target


@pytest.fixture
def wall_data(dash_app, warehouse_dir, tmp_path, monkeypatch):
    root = copy_warehouse(warehouse_dir, tmp_path / "wall-data")
    monkeypatch.setenv("CC_DATA_DIR", str(root))
    return root


def open_page(
    dash_duo, app, path: str, size=(1920, 1080), ready="#freshness", user=VIEWER
) -> None:
    """Serve the app, make the viewport exactly `size` (headless Chromium caps
    the window at its screen: the device metrics override does not), sign in
    as `user` and open `path`."""
    width, height = size
    dash_duo.driver.set_window_size(width, height)
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    start_app(dash_duo, app, path, user=user, wait_for=ready)


def open_wall(dash_duo, app, path: str, size=(1920, 1080)) -> None:
    open_page(dash_duo, app, path, size)
    wait_for(
        lambda: wall_state(dash_duo) and wall_state(dash_duo)["label"],
        20,
        "the first slide",
    )


def wall_state(dash_duo) -> dict | None:
    return dash_duo.driver.execute_script(STATE_JS)


def wait_for(check, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def active_text(dash_duo) -> str:
    return dash_duo.driver.execute_script(
        f"const el = document.querySelector('{ACTIVE}'); return el ? el.innerText : '';"
    )


def press(dash_duo, *keys: str) -> None:
    dash_duo.driver.find_element(By.TAG_NAME, "body").send_keys(*keys)


def no_scrolling(dash_duo, size) -> None:
    inner = dash_duo.driver.execute_script(
        "const d = document.documentElement; return [innerWidth, innerHeight, "
        "d.scrollWidth, d.scrollHeight, document.body.scrollWidth, "
        "document.body.scrollHeight];"
    )
    assert inner[:2] == list(size), inner
    assert inner[2] <= inner[0] and inner[3] <= inner[1], inner
    assert inner[4] <= inner[0] and inner[5] <= inner[1], inner


@pytest.mark.parametrize("name", list(SIZES))
def test_wall_fills_the_screen_rotates_and_shows_freshness(
    dash_duo, dash_app, wall_data, name
):
    size = SIZES[name]
    open_wall(dash_duo, dash_app, "/wall?dwell=4&screen=test-" + name, size)
    no_scrolling(dash_duo, size)
    assert dash_duo.find_elements(".cc-navbar") == []  # kiosk: no navbar
    dash_duo.wait_for_contains_text("#freshness", "Cập nhật lúc", timeout=10)
    clock = dash_duo.find_element("#wall-clock").text
    assert len(clock) == 8 and clock.count(":") == 2, clock

    # headline figures: at least 1/30 of the screen height, the data layer's value
    first = wall_state(dash_duo)["label"]
    assert first == "Tổng quan"
    number = dash_duo.driver.execute_script(
        f'const n = document.querySelector(\'{ACTIVE} [data-indicator="NS.01"] '
        ".wall-tile-number'); return [n.innerText, parseFloat(getComputedStyle(n)"
        ".fontSize)];"
    )
    month = q.default_month(None)
    row = q.unit_progress("00", month).set_index("indicator_code").loc["NS.01"]
    assert number[0] == fmt_number(shown_value(row.to_dict()), "vi")
    assert number[1] >= size[1] / 30, number

    # rotation by itself, without a key pressed, and still no scrolling
    wait_for(lambda: wall_state(dash_duo)["label"] != first, 12, "the next slide")
    assert wall_state(dash_duo)["label"].startswith("Bản đồ")
    attribution = (
        "const a = document.querySelector('.wall-layer .map-attribution');"
        "return a ? a.textContent : '';"
    )
    wait_for(
        lambda: "Ranh giới tỉnh" in dash_duo.driver.execute_script(attribution),
        10,
        "the map's attribution",
    )
    no_scrolling(dash_duo, size)
    if os.environ.get("CC_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        press(dash_duo, Keys.ARROW_LEFT)  # the overview, for the screenshot
        wait_for(lambda: wall_state(dash_duo)["label"] == "Tổng quan", 8, "overview")
        time.sleep(1.2)  # the cross-fade (the next turn is 4 s away)
        dash_duo.driver.save_screenshot(str(SCREENSHOTS / f"wall_{name}.png"))
    assert requested_hosts(dash_duo) == {own_host(dash_duo)}
    assert dash_duo.get_logs() == []


def test_keyboard_controls(dash_duo, dash_app, wall_data):
    open_wall(dash_duo, dash_app, "/wall?screen=keys")  # dwell 30 s: no rotation now
    assert wall_state(dash_duo)["label"] == "Tổng quan"
    press(dash_duo, Keys.ARROW_RIGHT)
    wait_for(lambda: wall_state(dash_duo)["label"].startswith("Bản đồ"), 8, "next")
    press(dash_duo, Keys.ARROW_LEFT)
    wait_for(lambda: wall_state(dash_duo)["label"] == "Tổng quan", 8, "previous")

    press(dash_duo, " ")
    assert wall_state(dash_duo)["paused"] is True
    dash_duo.wait_for_contains_text("#wall-position", "Tạm dừng", timeout=4)
    press(dash_duo, " ")
    assert wall_state(dash_duo)["paused"] is False

    # type part of a name (without diacritics), Enter: that province's scorecard
    press(dash_duo, "da na")
    dash_duo.wait_for_contains_text("#wall-search-match", "Đà Nẵng", timeout=4)
    press(dash_duo, Keys.ENTER)
    wait_for(
        lambda: wall_state(dash_duo)["label"] == "Tỉnh, thành phố: Đà Nẵng",
        8,
        "the province scorecard",
    )
    wait_for(lambda: active_text(dash_duo).startswith("Đà Nẵng"), 4, "its title")

    # Shift+Enter: spotlight on the map
    press(dash_duo, "hue")
    press(dash_duo, Keys.SHIFT + Keys.ENTER)
    wait_for(
        lambda: wall_state(dash_duo)["label"].endswith("· Huế"), 8, "the spotlight"
    )
    spot = dash_duo.driver.execute_script(
        f"return document.querySelector('{ACTIVE} .wall-spot-name').innerText;"
    )
    assert spot == "Huế"

    # Escape: back to the rotation where it was
    press(dash_duo, Keys.ESCAPE)
    wait_for(lambda: wall_state(dash_duo)["label"] == "Tổng quan", 8, "the rotation")
    assert wall_state(dash_duo)["hold"] is None

    # data older than the configured age: a visible warning (icon and words)
    assert dash_duo.find_element("#wall-stale").text == ""  # hidden while fresh
    dash_duo.driver.execute_script("ccWall.cfg.stale_ms = 1000;")
    dash_duo.wait_for_contains_text(
        "#wall-stale", "Số liệu chưa được cập nhật quá 36 giờ", timeout=4
    )
    assert dash_duo.get_logs() == []


def test_present_drives_the_wall_within_five_seconds(dash_duo, dash_app, wall_data):
    driver = dash_duo.driver
    open_page(
        dash_duo,
        dash_app,
        "/present",
        (1280, 900),
        ready="#present-create",
        user=LEADER,
    )
    click(dash_duo, "#present-create")
    dash_duo.wait_for_element("#present-view", timeout=10)
    session = driver.current_url.split("session=")[1][:6]
    assert (
        f"/wall?lang=vi&session={session}"
        in dash_duo.find_element(".present-wall-link").text
    )
    present = driver.current_window_handle

    driver.switch_to.new_window("window")
    wall = driver.current_window_handle
    driver.get(
        dash_duo.server_url.rstrip("/") + f"/wall?session={session}&screen=hall-A"
    )
    wait_for(lambda: (wall_state(dash_duo) or {}).get("label"), 20, "the wall")

    driver.switch_to.window(present)
    dash_duo.wait_for_contains_text("#present-screens", "hall-A", timeout=10)
    choice = driver.find_element(By.XPATH, "//label[contains(., 'Cần chú ý')]")
    choice.click()
    sent = time.monotonic()
    driver.switch_to.window(wall)
    wait_for(
        lambda: wall_state(dash_duo)["label"] == "Cần chú ý", 5, "the presenter's view"
    )
    wait_for(
        lambda: "Tỉnh, thành phố cần chú ý" in active_text(dash_duo),
        5 - (time.monotonic() - sent),
        "it on screen",
    )
    assert time.monotonic() - sent < 5

    # freeze: every wall marks its figures as frozen; release: live again
    driver.switch_to.window(present)
    click(dash_duo, "#present-freeze")
    dash_duo.wait_for_contains_text("#present-freeze", "Bỏ cố định", timeout=5)
    dash_duo.wait_for_contains_text("#present-summary", "Số liệu cố định", timeout=5)
    driver.switch_to.window(wall)
    dash_duo.wait_for_contains_text("#freshness", "Số liệu cố định", timeout=8)
    driver.switch_to.window(present)
    dash_duo.wait_for_contains_text("#present-screens", "Cần chú ý", timeout=8)
    if os.environ.get("CC_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SCREENSHOTS / "present.png"))
    click(dash_duo, "#present-freeze")
    dash_duo.wait_for_contains_text("#present-freeze", "Cố định số liệu", timeout=5)

    # back to rotation: the wall runs its playlist again
    click(dash_duo, "#present-rotate")
    driver.switch_to.window(wall)
    wait_for(lambda: wall_state(dash_duo)["hold"] is None, 5, "the rotation")
    wait_for(
        lambda: "Số liệu cố định" not in dash_duo.find_element("#freshness").text,
        5,
        "the frozen badge to go",
    )
    assert dash_duo.get_logs() == []


def test_a_new_snapshot_reaches_an_open_wall_without_a_blank(
    dash_duo, dash_app, wall_data, tmp_path
):
    from etl.run import Submission, load_files

    open_wall(dash_duo, dash_app, "/wall?playlist=meeting&screen=publish")
    assert wall_state(dash_duo)["label"] == "Tổng quan"
    before = wall_state(dash_duo)["snapshot"]
    month = q.default_month(None)
    row = q.unit_progress("00", month).set_index("indicator_code").loc["NS.01"]
    old_text = fmt_number(shown_value(row.to_dict()), "vi")
    tile = f'{ACTIVE} [data-indicator="NS.01"] .wall-tile-number'
    read_tile = (
        f"const n = document.querySelector('{tile}'); return n ? n.innerText : null;"
    )
    assert dash_duo.driver.execute_script(read_tile) == old_text

    change = tmp_path / "change.csv"
    change.write_text(
        "indicator_code,unit_code,period,value,kind\n"
        f"NS.01,00,{row['period']},{round(row['actual'] * 1.25)},actual\n",
        encoding="utf-8",
    )
    result: dict = {}
    loader = threading.Thread(
        target=lambda: result.update(
            run=load_files([Submission(change)], wall_data, operator="pytest")
        )
    )
    loader.start()
    seen: list[str] = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        text = active_text(dash_duo)
        assert text.strip(), "the wall went blank"
        assert not any(word in text for word in BROKEN), text[:300]
        assert (
            dash_duo.driver.execute_script(
                f"return document.querySelectorAll('{ACTIVE} .wall-tile').length"
            )
            >= 1
        )
        shown = dash_duo.driver.execute_script(read_tile)
        assert shown, "the NS.01 tile disappeared"
        if not seen or seen[-1] != shown:
            seen.append(shown)
        if not loader.is_alive() and shown != old_text:
            break
        time.sleep(0.2)
    loader.join()
    assert result["run"].published, result["run"].outcomes
    new_row = q.unit_progress("00", month).set_index("indicator_code").loc["NS.01"]
    new_text = fmt_number(shown_value(new_row.to_dict()), "vi")
    assert new_text != old_text
    assert seen == [old_text, new_text]
    assert wall_state(dash_duo)["snapshot"] == result["run"].snapshot_id != before
    # no reload: the page's own state object is the one it started with
    assert dash_duo.driver.execute_script("return ccWall.generation") == 1
    assert dash_duo.get_logs() == []


def network(dash_duo, offline: bool) -> None:
    dash_duo.driver.execute_cdp_cmd("Network.enable", {})
    dash_duo.driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {
            "offline": offline,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": -1,
        },
    )


def test_the_wall_keeps_its_slide_while_the_server_is_unreachable(
    dash_duo, dash_app, wall_data
):
    open_wall(dash_duo, dash_app, "/wall?dwell=4&screen=offline")
    notice = "return document.getElementById('wall-offline').className;"
    assert "is-on" not in dash_duo.driver.execute_script(notice)
    network(dash_duo, offline=True)
    wait_for(
        lambda: "is-on" in dash_duo.driver.execute_script(notice),
        10,
        "the offline notice",
    )
    dash_duo.wait_for_contains_text(
        "#wall-offline", "Mất kết nối, đang thử lại", timeout=2
    )
    shown = wall_state(dash_duo)["label"]
    for _ in range(30):  # 6 s without a server: the last good slide stays
        text = active_text(dash_duo)
        assert text.strip() and not any(word in text for word in BROKEN)
        assert wall_state(dash_duo)["label"] == shown
        time.sleep(0.2)
    network(dash_duo, offline=False)
    wait_for(
        lambda: "is-on" not in dash_duo.driver.execute_script(notice),
        10,
        "the notice to go",
    )
    wait_for(lambda: wall_state(dash_duo)["label"] != shown, 15, "the rotation")
    # only the failed requests of the outage were logged
    outage = dash_duo.get_logs()
    assert all("ERR_INTERNET_DISCONNECTED" in e["message"] for e in outage), outage
    dash_duo.reset_log_timestamp()
    time.sleep(2)
    assert dash_duo.get_logs() == []
