"""/province/<code> in a browser: figures match the data layer in both
languages, communes open from the list, old codes follow the URL's period and
geography, an unknown code says so, indicator rows drill to /indicator."""

from __future__ import annotations

import os
import time

import pytest
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    StaleElementReferenceException,
)
from selenium.webdriver.support.ui import WebDriverWait

from components.fmt import fmt_value
from tests.integration.conftest import click, own_host, requested_hosts, start_app


def _latest_month() -> str:
    from data import queries as q

    return q.default_month(None)


def _headline_row(unit: str, month: str, geo: str = "2025") -> dict:
    """The first headline indicator with a figure (what the page shows first)."""
    from data import queries as q

    frame = q.unit_progress(unit, month, geo)
    rows = frame[frame["actual"].notna() & frame["headline"]]
    assert not rows.empty, f"no headline figure for {unit} in {month}"
    return rows.iloc[0].to_dict()


def _actual(row: dict, lang: str) -> str:
    return fmt_value(
        row["actual"],
        row["unit_vi"],
        row["unit_en"],
        lang,
        integer=bool(row["integer"]),
    )


ROW = '#province-scorecard tr[data-indicator="{code}"]'


def _click_in_view(dash_duo, selector: str, attempts: int = 5) -> None:
    """Scroll the element to the middle of the window, then click; again if a
    re-render moved it meanwhile (rows far down the page)."""
    for attempt in range(attempts):
        try:
            element = dash_duo.wait_for_element(selector, timeout=20)
            dash_duo.driver.execute_script(
                "arguments[0].scrollIntoView({block: 'center'});", element
            )
            element.click()
            return
        except (ElementClickInterceptedException, StaleElementReferenceException):
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


def _cell(dash_duo, code: str, css: str) -> str:
    selector = f"{ROW.format(code=code)} {css}"
    return dash_duo.wait_for_element(selector, timeout=20).text


def test_province_scorecard_matches_the_data_layer_in_both_languages(
    dash_duo, dash_app
):
    from data import queries as q

    start_app(dash_duo, dash_app, "/province/22")
    dash_duo.wait_for_text_to_equal("#province-header h1", "Quảng Ninh", timeout=20)
    month = _latest_month()
    row = _headline_row("22", month)
    code = row["indicator_code"]
    assert _cell(dash_duo, code, ".scorecard-actual") == _actual(row, "vi")
    values = q.province_values(code, month, "2025").set_index("unit_code")
    rank = values.loc["22", "rank_value"]
    n_ranked = int(values["rank_value"].notna().sum())
    assert _cell(dash_duo, code, ".scorecard-rank") == f"{int(rank)}/{n_ranked}"
    dash_duo.wait_for_element("#province-trend-graph .trace", timeout=20)
    assert requested_hosts(dash_duo) == {own_host(dash_duo)}

    click(dash_duo, "#lang-switch")
    dash_duo.wait_for_contains_text("#province-scorecard", "Scorecard", timeout=20)
    assert "lang=en" in dash_duo.driver.current_url
    assert _cell(dash_duo, code, ".scorecard-actual") == _actual(row, "en")
    assert dash_duo.get_logs() == []


def test_trend_link_and_picker_put_the_indicator_in_the_url(dash_duo, dash_app):
    month = _latest_month()
    start_app(dash_duo, dash_app, f"/province/22?period={month}")
    from data import queries as q

    frame = q.unit_progress("22", month, "2025")
    codes = frame[frame["actual"].notna()]["indicator_code"].tolist()
    other = [c for c in codes if c != _headline_row("22", month)["indicator_code"]][0]
    dash_duo.wait_for_element("#province-trend-picker", timeout=20)
    _click_in_view(dash_duo, f"{ROW.format(code=other)} a.scorecard-trend")
    dash_duo.wait_for_contains_text("#province-trend-picker", other, timeout=20)
    assert f"indicator={other}" in dash_duo.driver.current_url
    headline = _headline_row("22", month)
    first = headline["indicator_code"]
    dash_duo.select_dcc_dropdown(
        "#province-trend-picker", value=f"{first} · {headline['name_vi']}"
    )
    WebDriverWait(dash_duo.driver, 20).until(
        lambda driver: f"indicator={first}" in driver.current_url
    )
    dash_duo.wait_for_contains_text("#province-trend-picker", first, timeout=20)
    assert dash_duo.get_logs() == []


def test_a_commune_opens_from_the_province_list(dash_duo, dash_app):
    from data import queries as q

    provinces = q.provinces("2025")["unit_code"].tolist()
    province = next(
        (p for p in ["22", *provinces] if not q.communes(p, "2025").empty), None
    )
    if province is None:
        pytest.skip("the warehouse has no commune figures")
    commune = q.communes(province, "2025").iloc[0]
    start_app(dash_duo, dash_app, f"/province/{province}?period={_latest_month()}")
    _click_in_view(
        dash_duo, f'#province-communes li[data-unit="{commune["unit_code"]}"] a'
    )
    dash_duo.wait_for_text_to_equal(
        "#province-header h1", commune["name_vi"], timeout=20
    )
    assert f"/province/{commune['unit_code']}" in dash_duo.driver.current_url
    crumbs = dash_duo.find_element(".cc-breadcrumbs").text
    assert q.unit_versions(province).iloc[0]["name_vi"] in crumbs
    assert dash_duo.get_logs() == []


def test_an_unknown_code_shows_not_found(dash_duo, dash_app):
    start_app(dash_duo, dash_app, "/province/77777")
    dash_duo.wait_for_contains_text(
        "#_pages_content", "Không tìm thấy trang", timeout=20
    )
    dash_duo.wait_for_contains_text("#_pages_content", "77777", timeout=5)
    assert dash_duo.get_logs() == []


def test_an_old_province_follows_the_period_and_geography(dash_duo, dash_app):
    start_app(dash_duo, dash_app, "/province/02?period=2024-05&geo=2020")
    dash_duo.wait_for_text_to_equal("#province-header h1", "Hà Giang", timeout=20)
    dash_duo.wait_for_contains_text(".province-note", "Tuyên Quang", timeout=10)
    row = _headline_row("02", "2024-05", "2020")
    code = row["indicator_code"]
    assert _cell(dash_duo, code, ".scorecard-actual") == _actual(row, "vi")
    assert dash_duo.get_logs() == []


def test_an_indicator_row_drills_to_the_indicator_page(dash_duo, dash_app):
    month = _latest_month()
    start_app(dash_duo, dash_app, f"/province/22?period={month}")
    code = _headline_row("22", month)["indicator_code"]
    _click_in_view(dash_duo, f"{ROW.format(code=code)} a.scorecard-indicator")
    WebDriverWait(dash_duo.driver, 20).until(
        lambda driver: f"/indicator/{code}" in driver.current_url
    )
    url = dash_duo.driver.current_url
    assert f"/indicator/{code}?" in url and "unit=22" in url
    assert dash_duo.get_logs() == []


@pytest.mark.skipif(
    not os.environ.get("CC_SCREENSHOTS"), reason="CC_SCREENSHOTS=1 only"
)
def test_screenshot(dash_duo, dash_app):
    from pathlib import Path

    start_app(dash_duo, dash_app, "/province/22")
    dash_duo.driver.set_window_size(1920, 1080)
    dash_duo.wait_for_element("#province-trend-graph .trace", timeout=20)
    out = Path(__file__).resolve().parents[2] / "docs/screenshots/province.png"
    dash_duo.driver.save_screenshot(str(out))
    assert dash_duo.get_logs() == []
