"""/provinces in a browser: the map renders offline (no cdn.plot.ly), the 63
switch, clicks on the map and on the bars drill to /province/<code>, the list
ranks like the data layer, the attribution shows, in both languages.

Set CC_SCREENSHOTS=1 to also write docs/screenshots/provinces.png and
provinces_63.png (1920x1080, Vietnamese).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from components.fmt import fmt_number
from data import queries as q
from tests.integration.conftest import click, own_host, requested_hosts, start_app

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
GRAPH = "#provinces-map"
PROVINCE_PATHS = f"{GRAPH} g.trace.choropleth:first-of-type path.choroplethlocation"

# The figure's own data, as plotly holds it in the page.
LOCATIONS_JS = (
    "const gd = document.querySelector('#provinces-map .js-plotly-plot');"
    "return gd && gd.data ? gd.data[0].locations : null;"
)
# A province whose box centre lies inside its own shape (a safe place to click):
# its index among the first trace's paths, and the offset from the path's centre.
INSIDE_POINT_JS = """
const trace = document.querySelector('#provinces-map g.trace.choropleth');
const paths = [...trace.querySelectorAll('path.choroplethlocation')];
for (let i = 0; i < paths.length; i++) {
  const box = paths[i].getBBox();
  const point = new DOMPoint(box.x + box.width / 2, box.y + box.height / 2);
  if (box.width > 8 && box.height > 8 && paths[i].isPointInFill(point)) {
    const screen = point.matrixTransform(paths[i].getScreenCTM());
    const rect = paths[i].getBoundingClientRect();
    return [i, screen.x - (rect.left + rect.width / 2),
            screen.y - (rect.top + rect.height / 2)];
  }
}
return null;
"""


def default_indicator() -> str:
    catalog = q.catalog()
    headline = catalog[
        catalog["levels"].str.contains("province")
        & catalog["headline"].astype(bool)
        & catalog["code"].isin(q.supplied_indicators())
    ]
    return str(headline["code"].iloc[0])


def wait_for_locations(dash_duo, count: int, timeout: float = 20) -> list[str]:
    """The map's locations once the figure holds `count` provinces and is drawn."""
    end = time.time() + timeout
    locations = None
    while time.time() < end:
        locations = dash_duo.driver.execute_script(LOCATIONS_JS)
        drawn = len(dash_duo.find_elements(PROVINCE_PATHS))
        if locations and len(locations) == count and drawn == count:
            return locations
        time.sleep(0.25)
    raise AssertionError(f"the map never showed {count} provinces: {locations}")


FIRST_ROW_JS = (
    "const row = document.querySelector('.rank-list .rank-row');"
    "return row ? [row.dataset.code, row.innerText] : null;"
)


def wait_for_first_row(dash_duo, code=None, texts=(), timeout: float = 10):
    """The ranked list's first row as (code, text), read in one script call
    once it is `code` and holds `texts`. The list is drawn again when the page
    settles its URL, so an element found once may be gone when read."""
    end = time.time() + timeout
    row = None
    while time.time() < end:
        row = dash_duo.driver.execute_script(FIRST_ROW_JS)
        if row and (code is None or row[0] == code) and all(t in row[1] for t in texts):
            return row
        time.sleep(0.2)
    raise AssertionError(f"the first row never was {code} with {texts}: {row}")


def wait_for_path(dash_duo, prefix: str, timeout: float = 15) -> str:
    end = time.time() + timeout
    while time.time() < end:
        url = dash_duo.driver.current_url
        if urlparse(url).path.startswith(prefix):
            return url
        time.sleep(0.2)
    raise AssertionError(f"never reached {prefix}: {dash_duo.driver.current_url}")


def screenshot(dash_duo, name: str) -> None:
    if os.environ.get("CC_SCREENSHOTS") == "1":
        dash_duo.driver.set_window_size(1920, 1080)
        time.sleep(1.0)  # let plotly redraw at the new size
        dash_duo.driver.save_screenshot(str(SCREENSHOTS / name))


def test_map_renders_offline_with_attribution_and_ranks_like_the_data_layer(
    dash_duo, dash_app
):
    month = q.default_month(None)
    code = default_indicator()
    frame = q.province_values(code, month, "2025")
    start_app(dash_duo, dash_app, "/provinces")
    locations = wait_for_locations(dash_duo, 34)
    assert set(locations) == set(frame["unit_code"])
    top = frame[frame["rank_value"] == 1].iloc[0]
    wait_for_first_row(
        dash_duo, top["unit_code"], (fmt_number(top["actual"], "vi"), top["name_vi"])
    )
    # the picker's default is no pick: the URL is left as the user typed it
    assert urlparse(dash_duo.driver.current_url).query == ""
    attribution = dash_duo.find_element(".provinces-map-panel .map-attribution")
    assert attribution.is_displayed()
    assert "Ranh giới tỉnh: Open Development Mekong" in attribution.text
    labels = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('#provinces-map .scattergeo text')]"
        ".map(t => t.textContent);"
    )
    assert "QĐ. Hoàng Sa (Đà Nẵng)" in labels and "QĐ. Trường Sa (Khánh Hòa)" in labels
    screenshot(dash_duo, "provinces.png")
    hosts = requested_hosts(dash_duo)
    assert hosts == {own_host(dash_duo)}, hosts
    assert not any("plot.ly" in host for host in hosts)
    assert dash_duo.get_logs() == []


def test_english_labels_and_numbers(dash_duo, dash_app):
    month = q.default_month(None)
    code = default_indicator()
    frame = q.province_values(code, month, "2025")
    top = frame[frame["rank_value"] == 1].iloc[0]
    start_app(dash_duo, dash_app, f"/provinces?lang=en&indicator={code}")
    wait_for_locations(dash_duo, 34)
    dash_duo.wait_for_contains_text(".provinces-map-panel", "Province boundaries", 10)
    wait_for_first_row(
        dash_duo, top["unit_code"], (fmt_number(top["actual"], "en"), top["name_en"])
    )
    dash_duo.wait_for_contains_text(".provinces-controls", "63 provinces", timeout=10)
    assert requested_hosts(dash_duo) == {own_host(dash_duo)}
    assert dash_duo.get_logs() == []


def test_the_63_switch_shows_63_provinces_and_the_last_pre_reform_period(
    dash_duo, dash_app
):
    start_app(dash_duo, dash_app, "/provinces?indicator=NS.01")
    wait_for_locations(dash_duo, 34)
    click(dash_duo, "#provinces-switch-2020")
    locations = wait_for_locations(dash_duo, 63)
    assert parse_qs(urlparse(dash_duo.driver.current_url).query)["geo"] == ["2020"]
    assert set(locations) == set(q.provinces("2020")["unit_code"])
    if q.default_month(None) > "2025-06":
        dash_duo.wait_for_contains_text(".provinces-note", "Tháng 6/2025", timeout=10)
    screenshot(dash_duo, "provinces_63.png")
    assert requested_hosts(dash_duo) == {own_host(dash_duo)}
    assert dash_duo.get_logs() == []


def test_clicking_a_province_on_the_map_drills_to_its_page(dash_duo, dash_app):
    start_app(dash_duo, dash_app, "/provinces?indicator=NS.01&lang=en")
    locations = wait_for_locations(dash_duo, 34)
    index, dx, dy = dash_duo.driver.execute_script(INSIDE_POINT_JS)
    path = dash_duo.find_elements(PROVINCE_PATHS)[index]
    ActionChains(dash_duo.driver).move_to_element_with_offset(
        path, dx, dy
    ).click().perform()
    url = wait_for_path(dash_duo, "/province/")
    assert urlparse(url).path == f"/province/{locations[index]}"
    query = parse_qs(urlparse(url).query)
    assert query["lang"] == ["en"] and query["indicator"] == ["NS.01"]
    assert dash_duo.get_logs() == []


def test_clicking_a_bar_drills_to_its_province(dash_duo, dash_app):
    start_app(dash_duo, dash_app, "/provinces?indicator=NS.01&geo=2020")
    wait_for_locations(dash_duo, 63)
    code, _ = wait_for_first_row(dash_duo)
    click(dash_duo, ".rank-list a.rank-link")
    url = wait_for_path(dash_duo, "/province/")
    assert urlparse(url).path == f"/province/{code}"
    assert parse_qs(urlparse(url).query)["geo"] == ["2020"]
    assert dash_duo.get_logs() == []


def test_metric_switch_colours_by_status_with_words(dash_duo, dash_app):
    start_app(dash_duo, dash_app, "/provinces?indicator=NS.01")
    wait_for_locations(dash_duo, 34)
    click(dash_duo, "#provinces-switch-pct_of_target")
    dash_duo.wait_for_element("#provinces-switch-pct_of_target.active", timeout=10)
    assert "metric=pct_of_target" in dash_duo.driver.current_url
    wait_for_locations(dash_duo, 34)
    ticks = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('#provinces-map .colorbar text')]"
        ".map(t => t.textContent).join(' ');"
    )
    words = ("Đạt tiến độ", "Có nguy cơ", "Chậm tiến độ", "Chưa có số liệu")
    assert any(word in ticks for word in words), ticks
    assert dash_duo.get_logs() == []


def test_picking_an_indicator_changes_the_url_and_the_map(dash_duo, dash_app):
    start_app(dash_duo, dash_app, "/provinces?indicator=NS.01")
    wait_for_locations(dash_duo, 34)
    click(dash_duo, "#provinces-indicator")
    search = dash_duo.wait_for_element(".dash-dropdown-search", timeout=10)
    search.send_keys("KT.04")
    search.send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text(".provinces-subtitle", "KT.04", timeout=15)
    assert "indicator=KT.04" in dash_duo.driver.current_url
    wait_for_locations(dash_duo, 34)
    assert dash_duo.get_logs() == []


def test_a_region_from_the_table_narrows_the_ranking_and_clears(dash_duo, dash_app):
    provinces = q.provinces("2025")
    start_app(dash_duo, dash_app, "/provinces?indicator=NS.01")
    wait_for_locations(dash_duo, 34)
    link = dash_duo.wait_for_element(
        '.provinces-regions tr[data-region="DBSH"] a.region-link', timeout=10
    )
    link.click()
    dbsh = set(provinces.loc[provinces["region_key"] == "DBSH", "unit_code"])
    wait_for_locations(dash_duo, len(dbsh))
    query = parse_qs(urlparse(dash_duo.driver.current_url).query)
    assert query["region"] == ["DBSH"] and query["indicator"] == ["NS.01"]
    codes = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('.rank-list .rank-row[data-code]')]"
        ".map(r => r.dataset.code);"
    )
    assert set(codes) == dbsh
    dash_duo.wait_for_contains_text(".provinces-region-note", "Đồng bằng sông Hồng", 10)
    click(dash_duo, ".provinces-region-note a.region-clear")
    wait_for_locations(dash_duo, 34)
    assert "region" not in parse_qs(urlparse(dash_duo.driver.current_url).query)
    assert dash_duo.get_logs() == []
