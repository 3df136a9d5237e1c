"""/links in the browser: an administrator sees every reporting link, the one
gone quiet flagged, the revoked one shown as such, in both languages.

The links' submissions go into the inbox of a copy of the session's current
snapshot (CC_DATA_DIR for the test's duration), never into the session's own
warehouse, which may be shared.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from components.fmt import fmt_number
from tests.integration.conftest import own_host, requested_hosts, start_app

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
ADMIN = ("test-admin", "admin-password-1")
DAY = 86400.0
CSV = b"indicator_code,unit_code,period,value\nNS.01,22,2026-08,1\n"


@pytest.fixture
def own_warehouse(warehouse_dir: Path, tmp_path: Path, monkeypatch) -> Path:
    """A copy of the session's current snapshot, the app's data for the test."""
    from data.store import read_current

    current = read_current(warehouse_dir)
    root = tmp_path / "warehouse"
    (root / "snapshots").mkdir(parents=True)
    shutil.copy2(current.path, root / "snapshots" / current.path.name)
    shutil.copy2(warehouse_dir / "CURRENT", root / "CURRENT")
    monkeypatch.setenv("CC_DATA_DIR", str(root))
    return root


@pytest.fixture
def links(own_warehouse: Path, auth_dir: Path, monkeypatch) -> float:
    """link-it-qn (UBND-22) reported monthly, then nothing for 70 days;
    link-it-old (BTC) revoked. Times are set by the test's clock."""
    from auth import store
    from store.inbox import Inbox

    now = time.time()
    with monkeypatch.context() as mp:
        mp.setattr(time, "time", lambda: now - 200 * DAY)
        for name, agency in (("link-it-qn", "UBND-22"), ("link-it-old", "BTC")):
            store.revoke_token(name, root=auth_dir)  # a rerun in the same session
            store.create_token(name, "reporter", "pytest", agencies=(agency,))
        for day in (-130, -100, -70):
            mp.setattr(time, "time", lambda day=day: now + day * DAY)
            Inbox(own_warehouse).receive(
                CSV,
                file_name="bc.csv",
                ext="csv",
                principal="token:link-it-qn",
                agency="UBND-22",
                channel="api",
            )
    old = [t for t in store.list_tokens() if t["name"] == "link-it-old"]
    store.revoke_token(str(old[-1]["id"]))
    return now


def _row(dash_duo, name: str):
    return dash_duo.find_element(f'#links-table tr[data-link="{name}"]')


def test_an_administrator_sees_the_links_the_quiet_one_flagged(
    dash_duo, dash_app, links
):
    from data import queries as q

    start_app(dash_duo, dash_app, "/links", user=ADMIN, wait_for="#links-table")
    names = q.agencies().set_index("code")
    supplied = len(q.link_indicators(["UBND-22"]))
    assert supplied > 0  # the demo's figures of Quảng Ninh name UBND-22

    quiet = _row(dash_duo, "link-it-qn")
    assert quiet.get_attribute("data-state") == "quiet"
    text = quiet.text
    assert "Im lặng" in text and "không nộp 70 ngày" in text
    assert names.loc["UBND-22", "name_vi"] in text
    assert f"{fmt_number(supplied, 'vi')} chỉ tiêu" in text
    old = _row(dash_duo, "link-it-old")
    assert old.get_attribute("data-state") == "revoked" and "Đã thu hồi" in old.text
    assert "Kết nối báo cáo" in dash_duo.find_element(".cc-navbar").text
    assert "tối đa 35 ngày" in dash_duo.find_element("#links-panel").text
    if os.environ.get("CC_SCREENSHOTS") == "1":
        dash_duo.driver.set_window_size(1920, 1080)
        dash_duo.driver.save_screenshot(str(ROOT / "docs/screenshots/links.png"))

    dash_duo.driver.get(dash_duo.server_url.rstrip("/") + "/links?lang=en")
    dash_duo.wait_for_contains_text("#links-table", "Gone quiet", timeout=20)
    text = _row(dash_duo, "link-it-qn").text
    assert names.loc["UBND-22", "name_en"] in text and "nothing for 70 days" in text
    assert f"{fmt_number(supplied, 'en')} indicators" in text
    assert requested_hosts(dash_duo) == {own_host(dash_duo)}
    assert dash_duo.get_logs() == []
