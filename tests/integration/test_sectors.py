"""/sectors and /sector/<code> in headless Chromium on the demo warehouse.

Figures on screen are compared with the data layer's values formatted by
components.fmt, in Vietnamese and English.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from components.fmt import fmt_number, fmt_value
from components.status import STATUSES
from tests.integration.conftest import click, own_host, requested_hosts, start_app

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _q():
    from data import queries as q  # after dash_app has set CC_DATA_DIR

    return q


def _status_counts(frame) -> dict[str, int]:
    statuses = [s if isinstance(s, str) else "no_data" for s in frame["status"]]
    return {s: statuses.count(s) for s in STATUSES}


def test_sector_cards_count_the_catalog_and_the_statuses(dash_duo, dash_app):
    start_app(dash_duo, dash_app, "/sectors")
    dash_duo.wait_for_element('#sectors-grid [data-sector="budget"]', timeout=20)
    q = _q()
    catalog = q.catalog()
    progress = q.unit_progress("00", q.default_month(None), "2025")
    cards = dash_duo.find_elements("#sectors-grid [data-sector]")
    assert len(cards) == len(q.sectors())
    for card in cards:
        code = card.get_attribute("data-sector")
        n = int((catalog["sector"] == code).sum())
        assert card.find_element("css selector", ".scard-n").text == fmt_number(n, "vi")
        shown = {
            li.get_attribute("data-status"): int(li.get_attribute("data-n"))
            for li in card.find_elements("css selector", ".scount")
        }
        assert shown == _status_counts(progress[progress["sector"] == code]), code
    assert requested_hosts(dash_duo) == {own_host(dash_duo)}
    assert dash_duo.get_logs() == []


def test_owner_grouping_lists_ministries_with_their_counts(dash_duo, dash_app):
    start_app(dash_duo, dash_app, "/sectors")
    click(dash_duo, "#sectors-grouping-owner")
    dash_duo.wait_for_element('#sectors-grid[data-by="owner"] [data-owner]', timeout=20)
    assert "by=owner" in dash_duo.driver.current_url
    owners = _q().catalog().groupby("owner").size().to_dict()
    cards = dash_duo.find_elements("#sectors-grid [data-owner]")
    assert {c.get_attribute("data-owner") for c in cards} == set(owners)
    for card in cards:
        n = owners[card.get_attribute("data-owner")]
        assert card.find_element("css selector", ".scard-n").text == fmt_number(n, "vi")
    assert dash_duo.get_logs() == []


def _a_figure(frame) -> dict:
    """A row with a figure, preferring a large number (thousands separators)."""
    with_value = frame[frame["actual"].notna()].sort_values("actual", ascending=False)
    assert not with_value.empty, "the demo has no budget figure"
    return with_value.iloc[0].to_dict()


def test_drill_into_budget_shows_the_data_layer_figure_in_both_languages(
    dash_duo, dash_app
):
    start_app(dash_duo, dash_app, "/sectors")
    click(dash_duo, '[data-sector="budget"] .scard-title a')
    dash_duo.wait_for_element('.sector-page[data-sector="budget"]', timeout=20)
    assert "/sector/budget" in dash_duo.driver.current_url
    dash_duo.wait_for_contains_text(".cc-breadcrumbs", "Ngân sách nhà nước")
    q = _q()
    frame = q.sector_progress("budget", "00", q.default_month(None), "2025")
    assert len(dash_duo.find_elements("#sector-table tbody tr")) == len(frame)
    row = _a_figure(frame)
    cell = f'#sector-table tr[data-indicator="{row["indicator_code"]}"] td:nth-child(2)'
    for lang in ("vi", "en"):
        if lang == "en":
            click(dash_duo, "#lang-switch")
            dash_duo.wait_for_contains_text(".cc-breadcrumbs", "State budget")
        expected = fmt_value(
            row["actual"],
            row["unit_vi"],
            row["unit_en"],
            lang,
            integer=bool(row["integer"]),
        )
        dash_duo.wait_for_contains_text(cell, expected, timeout=10)
    assert requested_hosts(dash_duo) == {own_host(dash_duo)}
    assert dash_duo.get_logs() == []


def test_owner_filter_in_the_url_keeps_only_that_ministry(dash_duo, dash_app):
    catalog = _q().catalog()
    owners_per_sector = catalog.groupby("sector")["owner"].nunique()
    sector = owners_per_sector[owners_per_sector > 1].index[0]
    counts = catalog[catalog["sector"] == sector].groupby("owner").size()
    owner = counts.idxmin()
    start_app(dash_duo, dash_app, f"/sector/{sector}?owner={owner}&lang=en")
    dash_duo.wait_for_element(f'.sector-page[data-sector="{sector}"]', timeout=20)
    rows = dash_duo.find_elements("#sector-table tbody tr")
    expected = set(
        catalog[(catalog["sector"] == sector) & (catalog["owner"] == owner)]["code"]
    )
    assert {r.get_attribute("data-indicator") for r in rows} == expected
    active = dash_duo.find_element(f"#sector-owner-filter-{owner}")
    assert "btn-primary" in active.get_attribute("class")
    click(dash_duo, "#sector-owner-filter-all")
    dash_duo.wait_for_element("#sector-owner-filter-all.btn-primary", timeout=10)
    assert "owner=" not in dash_duo.driver.current_url
    n_all = int((catalog["sector"] == sector).sum())
    assert len(dash_duo.find_elements("#sector-table tbody tr")) == n_all
    assert dash_duo.get_logs() == []


def test_province_in_the_url_shows_its_figures(dash_duo, dash_app):
    q = _q()
    province = q.provinces("2025").iloc[0].to_dict()
    start_app(dash_duo, dash_app, f"/sector/budget?unit={province['unit_code']}")
    dash_duo.wait_for_contains_text("#sector-subtitle", province["name_vi"], timeout=20)
    frame = q.sector_progress("budget", province["unit_code"], q.default_month(None))
    row = _a_figure(frame)
    cell = f'#sector-table tr[data-indicator="{row["indicator_code"]}"] td:nth-child(2)'
    expected = fmt_value(
        row["actual"],
        row["unit_vi"],
        row["unit_en"],
        "vi",
        integer=bool(row["integer"]),
    )
    assert expected in dash_duo.find_element(cell).text
    assert dash_duo.get_logs() == []


def test_unit_picker_puts_the_province_in_the_url(dash_duo, dash_app):
    province = _q().provinces("2025").iloc[0].to_dict()
    start_app(dash_duo, dash_app, "/sector/budget?status=on_track")
    dash_duo.wait_for_element('.sector-page[data-unit="00"]', timeout=20)
    click(dash_duo, "#sector-unit-picker")
    click(dash_duo, '[role="option"][data-option-index="1"]')  # first province
    dash_duo.wait_for_element(f'.sector-page[data-unit="{province["unit_code"]}"]')
    assert f"unit={province['unit_code']}" in dash_duo.driver.current_url
    assert "status=on_track" in dash_duo.driver.current_url  # other filters kept
    dash_duo.wait_for_contains_text("#sector-subtitle", province["name_vi"])
    assert dash_duo.get_logs() == []


def test_unknown_sector_is_not_found(dash_duo, dash_app):
    start_app(dash_duo, dash_app, "/sector/nope")
    dash_duo.wait_for_contains_text(".empty-state", "Không tìm thấy trang", timeout=20)
    assert "nope" in dash_duo.find_element(".empty-state").text
    assert dash_duo.get_logs() == []


@pytest.mark.skipif(os.environ.get("CC_SCREENSHOTS") != "1", reason="CC_SCREENSHOTS=1")
def test_screenshots(dash_duo, dash_app):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    start_app(dash_duo, dash_app, "/sectors")
    dash_duo.driver.set_window_size(1920, 1080)
    # the window includes the browser's own bars: make the page itself 1920x1080
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False},
    )
    dash_duo.wait_for_element('#sectors-grid [data-sector="budget"]', timeout=20)
    dash_duo.driver.save_screenshot(str(SCREENSHOTS / "sectors.png"))
    dash_duo.driver.get(dash_duo.server_url.rstrip("/") + "/sector/budget")
    dash_duo.wait_for_element(".sector-page .js-plotly-plot", timeout=20)
    dash_duo.driver.save_screenshot(str(SCREENSHOTS / "sector.png"))
    assert dash_duo.get_logs() == []
