"""/indicator/<code> in the browser: the figure, its files, its revisions, the
drill to a province, both languages, an unknown code."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import duckdb
import pytest
from selenium.webdriver.common.action_chains import ActionChains

from components.fmt import fmt_value
from tests.integration.conftest import own_host, requested_hosts, start_app

QUANG_NINH = "22"


def _q():
    from data import queries as q  # after dash_app has set CC_DATA_DIR

    return q


def _figure(code: str, unit: str, geo: str = "2025") -> tuple[str, dict]:
    """The period the page shows by default and the model's row for it."""
    q = _q()
    month = q.default_month(None)
    latest = q.unit_progress(unit, month, geo)
    at = latest[latest["indicator_code"] == code]["period"].dropna().iloc[0]
    return at, q.progress_in_geo(code, unit, at, geo)


def _shown(progress: dict, row: dict, lang: str) -> str:
    plan = row["target_type"] == "plan"
    value = progress["ytd_actual"] if plan else progress["actual"]
    return fmt_value(
        value, row["unit_vi"], row["unit_en"], lang, integer=bool(row["integer"])
    )


def _open(dash_duo, dash_app, path: str) -> None:
    start_app(dash_duo, dash_app, path)
    dash_duo.wait_for_element(".indicator-page", timeout=20)


def test_quang_ninh_figure_and_its_file_match_the_data_layer(dash_duo, dash_app):
    at, progress = _figure("NS.01", QUANG_NINH)
    row = _q().indicator("NS.01")
    _open(dash_duo, dash_app, f"/indicator/NS.01?unit={QUANG_NINH}")
    expected = _shown(progress, row, "vi")
    dash_duo.wait_for_text_to_equal(
        "[data-tile=actual] .kpi-value", expected, timeout=10
    )
    assert "Quảng Ninh" in dash_duo.find_element(".headline-caption").text
    files = _q().provenance("NS.01", QUANG_NINH, at, "2025")
    assert not files.empty
    provenance = dash_duo.find_element("#provenance").text
    for name in files["source_file"].dropna().unique():
        assert name in provenance
    assert dash_duo.find_element("#indicator-province-bars .main-svg")
    assert requested_hosts(dash_duo) == {own_host(dash_duo)}
    assert dash_duo.get_logs() == []


def _revised_figure(warehouse: Path) -> tuple[str, str, str, int, str]:
    """A figure revised at least once to a new value, found in the warehouse, with
    the geography its period is native to."""
    current = json.loads((warehouse / "CURRENT").read_text())
    path = Path(current["path"])
    path = path if path.is_absolute() else warehouse / path
    with duckdb.connect(str(path), read_only=True) as con:
        found = con.execute("""
            SELECT h.indicator_code, h.unit_code, h.period, max(h.revision),
                   period_geo(h.period)
            FROM observation_history h
            JOIN indicators i ON i.code = h.indicator_code
            WHERE h.kind = 'actual' AND period_type(h.period) = i.frequency
            GROUP BY ALL HAVING max(h.revision) >= 2 AND count(DISTINCT h.value) >= 2
            ORDER BY 4 DESC, 1, 2, 3 LIMIT 1""").fetchone()
    if found is None:
        pytest.skip("the demo warehouse has no revised figure")
    return found


def test_a_revised_figure_shows_its_revision_history(dash_duo, dash_app):
    code, unit, period, top, geo = _revised_figure(Path(os.environ["CC_DATA_DIR"]))
    revisions = _q().revisions(code, unit, period)
    _open(
        dash_duo,
        dash_app,
        f"/indicator/{code}?unit={unit}&at={period}&geo={geo}&period={period}",
    )
    dash_duo.wait_for_element("#revisions .revisions-table", timeout=10)
    rows = dash_duo.find_elements("#revisions tbody tr")
    assert len(rows) == len(revisions)
    assert dash_duo.find_elements("#revisions td.revised-value")
    numbers = [
        r.get_attribute("data-revision")
        for r in rows
        if r.get_attribute("data-kind") == "actual"
    ]
    assert numbers[-1] == str(top)
    # the headline shows the value in force: the last revision's
    last = revisions[revisions["kind"] == "actual"].iloc[-1]["value"]
    row = _q().indicator(code)
    shown = dash_duo.find_element("[data-tile=actual] .kpi-value").text
    if row["aggregation"] != "ratio" and (
        row["target_type"] != "plan" or row["measure"] == "ytd"
    ):
        assert shown == fmt_value(
            last, row["unit_vi"], row["unit_en"], "vi", integer=bool(row["integer"])
        )
    assert dash_duo.get_logs() == []


def test_english_page_translates_labels_and_numbers(dash_duo, dash_app):
    at, progress = _figure("NS.01", QUANG_NINH)
    row = _q().indicator("NS.01")
    _open(dash_duo, dash_app, f"/indicator/NS.01?unit={QUANG_NINH}&lang=en")
    dash_duo.wait_for_text_to_equal(
        "[data-tile=actual] .kpi-value", _shown(progress, row, "en"), timeout=10
    )
    assert "Provenance" in dash_duo.find_element("#provenance").text
    assert "State budget revenue" in dash_duo.find_element("h1").text
    assert dash_duo.get_logs() == []


def test_unknown_indicator_is_not_found_with_a_clean_console(dash_duo, dash_app):
    start_app(dash_duo, dash_app, "/indicator/ZZ.99")
    dash_duo.wait_for_contains_text(".empty-state", "Không tìm thấy trang", timeout=10)
    assert "ZZ.99" in dash_duo.find_element(".empty-state").text
    assert dash_duo.get_logs() == []


def _url_contains(dash_duo, text: str, seconds: float) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if text in dash_duo.driver.current_url:
            return True
        time.sleep(0.2)
    return False


def test_clicking_a_province_bar_drills_to_that_province(dash_duo, dash_app):
    month = _q().default_month(None)  # in the URL, so the navbar does not add it
    _open(dash_duo, dash_app, f"/indicator/NS.01?period={month}")
    graph = "#indicator-province-bars .js-plotly-plot"
    dash_duo.wait_for_element(f"{graph} g.point path", timeout=15)
    code = None
    for _attempt in range(3):  # a re-render can replace the bars under the mouse
        bar = dash_duo.find_element(f"{graph} g.point path")
        dash_duo.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", bar
        )
        # the first bar drawn is the first point of the first trace
        code = dash_duo.driver.execute_script(
            f"return document.querySelector('{graph}').data[0].customdata[0];"
        )
        ActionChains(dash_duo.driver).move_to_element(bar).pause(0.5).click().perform()
        if _url_contains(dash_duo, "/province/", 5):
            break
    url = dash_duo.driver.current_url
    assert f"/province/{code}" in url, (code, url)
    assert code in set(_q().provinces("2025")["unit_code"])
    dash_duo.wait_for_element("#freshness", timeout=10)
    assert dash_duo.get_logs() == []


def test_unit_picker_puts_the_unit_in_the_url(dash_duo, dash_app):
    month = _q().default_month(None)  # in the URL, so the navbar does not add it
    _open(dash_duo, dash_app, f"/indicator/NS.01?unit={QUANG_NINH}&period={month}")
    dash_duo.wait_for_element("#indicator-unit-picker", timeout=10).click()
    dash_duo.wait_for_element(".dash-dropdown-search", timeout=5).send_keys("Hà Nội")
    option = dash_duo.wait_for_element(".dash-options-list-option", timeout=5)
    dash_duo.driver.execute_script("arguments[0].click();", option)
    dash_duo.wait_for_contains_text(".headline-caption", "Hà Nội", timeout=15)
    assert "unit=01" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


@pytest.mark.skipif(
    os.environ.get("CC_SCREENSHOTS") != "1",
    reason="screenshots only on request (CC_SCREENSHOTS=1)",
)
def test_screenshot(dash_duo, dash_app):
    _open(dash_duo, dash_app, f"/indicator/NS.01?unit={QUANG_NINH}")
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False},
    )
    dash_duo.wait_for_element("#indicator-trend-graph .main-svg", timeout=10)
    time.sleep(1.5)
    out = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "indicator.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    dash_duo.driver.save_screenshot(str(out))
    assert dash_duo.get_logs() == []
