"""/submit in the browser (issue 11's acceptance): a reporter of Quảng Ninh
fills in the monthly form, sees a bad cell rejected in the page, corrects it,
submits, the loader (`python -m etl worker --once`) publishes it, the page
follows without a reload, and the figure is on /province/22.

The test publishes into a copy of the session's warehouse (the current
snapshot only), named by CC_DATA_DIR for its duration: the other browser tests
keep reading the session's own data.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from components.fmt import fmt_period, fmt_value
from tests.integration.conftest import (
    LEADER,
    VIEWER,
    click,
    login,
    own_host,
    requested_hosts,
    start_app,
)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
PAGE = "/submit"
REPORTER = ("test-reporter-22", "reporter-password-1")
REGIME, INDICATOR = "KTXH_M", "DN.01"  # new enterprises: a whole number
BAD, GOOD = "29.915,5", 97531  # "97.531 doanh nghiệp": found nowhere else
WORKER_TIMEOUT = 240  # seconds: a loaded machine builds a snapshot slowly


@pytest.fixture(scope="module")
def reporter(auth_dir: Path) -> tuple[str, str]:
    from auth.store import add_user

    name, password = REPORTER
    try:
        add_user(name, "reporter", password, agencies=("UBND-22",), root=auth_dir)
    except ValueError as exc:  # made by an earlier module's fixture of the session
        assert "exists" in str(exc), exc
    return REPORTER


@pytest.fixture
def own_warehouse(warehouse_dir: Path, tmp_path: Path, monkeypatch) -> Path:
    """A copy of the session's current snapshot (and rejected files), the app's
    data for the test: what it publishes never reaches the other tests."""
    from data.store import read_current

    current = read_current(warehouse_dir)
    root = tmp_path / "warehouse"
    (root / "snapshots").mkdir(parents=True)
    shutil.copy2(current.path, root / "snapshots" / current.path.name)
    shutil.copy2(warehouse_dir / "CURRENT", root / "CURRENT")
    if (warehouse_dir / "rejected").is_dir():  # the data-status page's, as they are
        shutil.copytree(warehouse_dir / "rejected", root / "rejected")
    monkeypatch.setenv("CC_DATA_DIR", str(root))
    return root


def _open_period() -> str:
    """The newest monthly report of Quảng Ninh with no figure published."""
    from data import queries as q

    frame = q.reporter_reports("UBND-22")
    frame = frame[(frame["regime"] == REGIME) & (frame["report_state"] != "published")]
    assert len(frame), "Quảng Ninh has published every monthly report"
    return str(frame["period"].max())


def _value_cell(dash_duo, code: str, column: str = "value"):
    for row in dash_duo.find_elements("#sub-grid tbody tr"):
        cells = row.find_elements("css selector", 'td[data-dash-column="code"]')
        if cells and cells[0].text == code:
            return row.find_element("css selector", f'td[data-dash-column="{column}"]')
    raise AssertionError(f"{code} is not in the form")


def _type(dash_duo, code: str, text: str) -> None:
    """Type into the grid's value cell of an indicator, as a person does."""
    cell = _value_cell(dash_duo, code)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", cell
    )
    cell.click()
    ActionChains(dash_duo.driver).send_keys(text).send_keys(Keys.ENTER).perform()
    dash_duo.wait_for_text_to_equal(
        f'#sub-grid td[data-dash-column="value"][data-dash-row="{_row(dash_duo, code)}"]',
        text,
        timeout=10,
    )


def _row(dash_duo, code: str) -> str:
    return _value_cell(dash_duo, code).get_attribute("data-dash-row")


def test_fill_check_correct_submit_and_see_it_published(
    dash_duo, dash_app, reporter, own_warehouse
):
    period = _open_period()
    start_app(
        dash_duo,
        dash_app,
        f"{PAGE}?regime={REGIME}&report={period}",
        user=reporter,
        wait_for="#sub-grid",
    )
    label = fmt_period(period, "vi")
    dash_duo.wait_for_contains_text("#sub-form-panel", f"Số liệu {label}", timeout=20)

    # a bad cell: rejected in the page, in Vietnamese, its row marked
    _type(dash_duo, INDICATOR, BAD)
    click(dash_duo, "#sub-check")
    dash_duo.wait_for_element('#sub-form-report [data-ok="0"]', timeout=30)
    report = dash_duo.find_element("#sub-form-errors").text
    assert BAD in report and INDICATOR in report
    assert "dấu chấm ngăn phần thập phân" in report  # the expectation, in words
    problem = _value_cell(dash_duo, INDICATOR, "problem").text
    assert problem.startswith("✗") and "Giá trị" in problem
    tint = _value_cell(dash_duo, INDICATOR, "name").value_of_css_property(
        "background-color"
    )
    assert tint == "rgba(249, 224, 207, 1)"  # the bad row is marked
    assert dash_duo.find_element("#sub-form-send").get_attribute("disabled")
    if os.environ.get("CC_SCREENSHOTS") == "1":  # the marked row and the report
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        dash_duo.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});",
            _value_cell(dash_duo, INDICATOR),
        )
        dash_duo.driver.save_screenshot(str(SCREENSHOTS / "submit_form.png"))

    # corrected: clean, then sent
    _type(dash_duo, INDICATOR, str(GOOD))
    click(dash_duo, "#sub-check")
    dash_duo.wait_for_element('#sub-form-report [data-ok="1"]', timeout=30)
    assert _value_cell(dash_duo, INDICATOR, "problem").text == "✓ Hợp lệ"
    dash_duo.driver.execute_script("window.ccNoReload = true;")
    click(dash_duo, "#sub-form-send")
    dash_duo.wait_for_contains_text("#sub-state", "chờ nạp", timeout=30)
    receipt = dash_duo.find_element("#sub-receipt").text
    from store.inbox import Inbox

    (item,) = Inbox(own_warehouse).list(agency="UBND-22")
    assert item.id in receipt and item.sha256 in receipt
    assert item.state == "queued" and item.rows == 1 and item.channel == "web"

    # the loader publishes it; the page follows by itself
    done = subprocess.run(
        [sys.executable, "-m", "etl", "worker", "--data-dir", str(own_warehouse)]
        + ["--once"],
        cwd=ROOT,
        env={**os.environ, "CC_DATA_DIR": str(own_warehouse)},
        capture_output=True,
        text=True,
        timeout=WORKER_TIMEOUT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    published = Inbox(own_warehouse).get(item.id)
    assert published.state == "published", published
    dash_duo.wait_for_contains_text("#sub-state", "Đã công bố", timeout=30)
    dash_duo.wait_for_contains_text("#sub-receipt", published.snapshot_id, timeout=10)
    assert dash_duo.driver.execute_script("return window.ccNoReload === true;")
    key = f'#sub-owed-table tr[data-key="{REGIME}|{period}"]'
    dash_duo.wait_for_element(f'{key}[data-state="published"]', timeout=30)

    assert requested_hosts(dash_duo) == {own_host(dash_duo)}
    assert dash_duo.get_logs() == []

    # a national leader sees the figure on the province's page
    from data import queries as q

    catalog = q.indicator(INDICATOR)
    progress = q.progress(INDICATOR, "22", period)
    assert progress["actual"] == GOOD
    expected = fmt_value(GOOD, catalog["unit_vi"], catalog["unit_en"], "vi", True)
    dash_duo.driver.delete_all_cookies()
    login(dash_duo, LEADER, f"/province/22?period={period}")
    cell = f'#province-scorecard tr[data-indicator="{INDICATOR}"] .scorecard-actual'
    dash_duo.wait_for_text_to_equal(cell, expected, timeout=30)
    assert dash_duo.get_logs() == []


def test_an_uploaded_file_is_checked_before_it_is_sent(
    dash_duo, dash_app, reporter, own_warehouse, tmp_path
):
    from store.inbox import Inbox

    period = _open_period()
    head = "indicator_code,unit_code,period,value\n"
    bad = tmp_path / "bao-cao-sai.csv"
    bad.write_text(head + f"DN.01,22,{period},97531\nCT.03,22,{period},n/a\n")
    good = tmp_path / "bao-cao.csv"
    good.write_text(head + f"DN.01,22,{period},97531\n")
    start_app(dash_duo, dash_app, PAGE, user=reporter, wait_for="#sub-owed")
    chooser = "#sub-file input[type=file]"
    dash_duo.find_element(chooser).send_keys(str(bad))
    dash_duo.wait_for_element('#sub-upload-report [data-ok="0"]', timeout=30)
    report = dash_duo.find_element("#sub-upload-errors").text
    assert "n/a" in report and "một số viết liền" in report  # row 3 of the file
    assert [
        r.text.split()[0] for r in dash_duo.find_elements("#sub-upload-errors tbody tr")
    ] == ["3"]
    assert dash_duo.find_element("#sub-upload-send").get_attribute("disabled")
    dash_duo.find_element(chooser).send_keys(str(good))
    dash_duo.wait_for_element('#sub-upload-report [data-ok="1"]', timeout=30)
    assert "bao-cao.csv" in dash_duo.find_element("#sub-upload-report").text
    click(dash_duo, "#sub-upload-send")
    dash_duo.wait_for_contains_text("#sub-state", "chờ nạp", timeout=30)
    (item,) = Inbox(own_warehouse).list(agency="UBND-22")
    assert (item.file_name, item.rows, item.channel) == ("bao-cao.csv", 1, "web")
    list_row = f'#sub-list tr[data-id="{item.id}"]'
    dash_duo.wait_for_element(f'{list_row}[data-state="queued"]', timeout=30)
    assert requested_hosts(dash_duo) == {own_host(dash_duo)}
    assert dash_duo.get_logs() == []


def _callback_output(app, first: str) -> str:
    return next(k for k in app.callback_map if k.startswith(f"..{first}."))


def test_another_agencys_submission_is_refused_on_the_page_and_in_callbacks(
    dash_duo, dash_app, reporter, own_warehouse
):
    from auth.audit import DENIED, read_events
    from store.inbox import Inbox

    other, _ = Inbox(own_warehouse).receive(
        b'{"rows": []}',
        file_name="hn.json",
        ext="json",
        principal="user:someone-else",
        agency="UBND-01",
        channel="api",
    )
    start_app(dash_duo, dash_app, PAGE, user=reporter, wait_for="#sub-owed")
    # the page: ?receipt= of another agency is "not permitted"
    dash_duo.driver.get(f"{dash_duo.server_url.rstrip('/')}{PAGE}?receipt={other.id}")
    dash_duo.wait_for_contains_text(".forbidden-state", "Không có quyền", timeout=20)
    # a crafted callback request for it: 403, and a refusal in the audit log
    cookies = {c["name"]: c["value"] for c in dash_duo.driver.get_cookies()}
    output = _callback_output(dash_app, "sub-receipt")
    body = {
        "output": output,
        "outputs": [
            {"id": i, "property": p}
            for i, p in (
                ("sub-receipt", "children"),
                ("sub-receipt-box", "hidden"),
                ("sub-submissions", "children"),
                ("sub-owed", "children"),
                ("sub-poll", "disabled"),
                ("sub-seen", "data"),
            )
        ],
        "inputs": [
            {"id": "sub-receipt-id", "property": "data", "value": other.id},
            {"id": "sub-poll", "property": "n_intervals", "value": 1},
        ],
        "state": [
            {"id": "sub-seen", "property": "data", "value": None},
            {"id": "sub-lang", "property": "data", "value": "vi"},
        ],
        "changedPropIds": ["sub-receipt-id.data"],
    }
    answer = requests.post(
        f"{dash_duo.server_url.rstrip('/')}/_dash-update-component",
        json=body,
        cookies=cookies,
        timeout=30,
    )
    assert answer.status_code == 403, answer.text
    assert "hn.json" not in answer.text
    refusals = read_events(actor=f"user:{REPORTER[0]}", action=DENIED, limit=50)
    assert any(other.id in str(e["detail"]) for e in refusals), refusals
    assert requested_hosts(dash_duo) == {own_host(dash_duo)}


def test_english_page_and_other_roles_not_permitted(
    dash_duo, dash_app, reporter, own_warehouse
):
    start_app(
        dash_duo, dash_app, f"{PAGE}?lang=en", user=reporter, wait_for="#sub-owed"
    )
    dash_duo.wait_for_contains_text(".submit-page h1", "Submit reports", timeout=20)
    text = dash_duo.find_element(".submit-page").text
    for words in ("Reports owed", "Upload a report file", "Fill in the form", "Check"):
        assert words in text
    assert "Nộp báo cáo" not in dash_duo.find_element(".submit-page").text
    assert requested_hosts(dash_duo) == {own_host(dash_duo)}
    assert dash_duo.get_logs() == []
    dash_duo.driver.delete_all_cookies()
    login(dash_duo, VIEWER, PAGE)
    dash_duo.wait_for_contains_text(".forbidden-state", "Không có quyền", timeout=20)
    assert dash_duo.get_logs() == []


@pytest.mark.skipif(os.environ.get("CC_SCREENSHOTS") != "1", reason="CC_SCREENSHOTS=1")
def test_screenshot(dash_duo, dash_app, reporter, own_warehouse):
    """docs/screenshots/submit.png: the reporter's page at 1920x1080."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    start_app(dash_duo, dash_app, PAGE, user=reporter, wait_for="#sub-owed-table")
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False},
    )
    time.sleep(1)
    dash_duo.driver.save_screenshot(str(SCREENSHOTS / "submit.png"))
    assert dash_duo.get_logs() == []
