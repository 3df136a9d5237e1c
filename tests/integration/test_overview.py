"""The national overview (/) in a browser: the right figures in both languages,
drill-downs to an indicator and a province, the period picker, no outside host.

Set CC_SCREENSHOTS=1 to also write docs/screenshots/overview.png and
overview_en.png (1920x1080).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from components.fmt import fmt_number, fmt_period
from data import queries as q
from tests.integration.conftest import click, own_host, requested_hosts, start_app

pytestmark = pytest.mark.browser

CARD = '.overview-kpi[data-indicator="NS.01"]'
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def ns01_value(month: str, lang: str) -> str:
    """The NS.01 card's lead figure as the data layer has it, formatted."""
    frame = q.unit_progress("00", month)
    row = frame[frame["indicator_code"] == "NS.01"].iloc[0]
    unit = row["unit_en"] if lang == "en" else row["unit_vi"]
    return f"{fmt_number(row['ytd_actual'], lang)} {unit}"


def card_value(dash_duo) -> str:
    return dash_duo.find_element(f"{CARD} .kpi-value").text


def wait_for_card_value(dash_duo, expected: str) -> None:
    dash_duo.wait_for_text_to_equal(f"{CARD} .kpi-value", expected, timeout=15)


def test_ns01_card_shows_the_data_layers_figure_in_both_languages(dash_duo, dash_app):
    month = q.default_month(None)
    start_app(dash_duo, dash_app)
    wait_for_card_value(dash_duo, ns01_value(month, "vi"))
    dash_duo.wait_for_contains_text(
        "#overview-as-of", fmt_period(month, "vi"), timeout=10
    )
    dash_duo.wait_for_contains_text(
        "#overview-sector-status", "Đạt tiến độ", timeout=10
    )
    assert dash_duo.find_elements(".overview-kpi .sparkline .js-plotly-plot")
    if os.environ.get("CC_SCREENSHOTS") == "1":
        dash_duo.driver.set_window_size(1920, 1080)
        dash_duo.wait_for_element(".overview-kpi .sparkline .main-svg", timeout=10)
        dash_duo.driver.save_screenshot(str(SCREENSHOTS / "overview.png"))

    click(dash_duo, "#lang-switch")
    wait_for_card_value(dash_duo, ns01_value(month, "en"))
    assert "lang=en" in dash_duo.driver.current_url
    dash_duo.wait_for_contains_text("#overview-sector-status", "On track", timeout=10)
    dash_duo.wait_for_contains_text(
        "#overview-as-of", fmt_period(month, "en"), timeout=10
    )
    if os.environ.get("CC_SCREENSHOTS") == "1":
        dash_duo.wait_for_element(".overview-kpi .sparkline .main-svg", timeout=10)
        dash_duo.driver.save_screenshot(str(SCREENSHOTS / "overview_en.png"))

    assert requested_hosts(dash_duo) == {own_host(dash_duo)}
    assert dash_duo.get_logs() == []


def test_clicking_a_card_drills_to_its_indicator(dash_duo, dash_app):
    # with the period in the URL the page renders once (see _settle)
    start_app(dash_duo, dash_app, f"/?lang=en&period={q.default_month(None)}")
    dash_duo.wait_for_element(CARD, timeout=15)
    _settle(dash_duo, f"{CARD} .stretched-link")
    click(dash_duo, f"{CARD} .stretched-link")
    _wait_for_path(dash_duo, "/indicator/NS.01")
    assert "lang=en" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def test_clicking_a_province_needing_attention_drills_to_it(dash_duo, dash_app):
    month = q.default_month(None)
    flagged = q.attention(month, "2025")
    flagged = flagged[(flagged["n_off_track"] > 0) | (flagged["n_at_risk"] > 0)]
    assert len(flagged), "the demo should have provinces needing attention"
    first = flagged.iloc[0]
    start_app(dash_duo, dash_app, f"/?period={month}")
    selector = "#overview-attention .attention-item:first-child .attention-name"
    dash_duo.wait_for_text_to_equal(selector, first["name_vi"], timeout=15)
    _settle(dash_duo, selector)
    click(dash_duo, selector)
    _wait_for_path(dash_duo, f"/province/{first['unit_code']}")
    assert dash_duo.get_logs() == []


def test_period_picker_changes_the_figures(dash_duo, dash_app):
    months = q.months()
    latest, earlier = months[0], months[1]
    start_app(dash_duo, dash_app)
    wait_for_card_value(dash_duo, ns01_value(latest, "vi"))
    click(dash_duo, "#period-picker")
    click(dash_duo, f'.dash-dropdown-options label:has(input[value="{earlier}"])')
    dash_duo.wait_for_contains_text(
        "#overview-as-of", fmt_period(earlier, "vi"), timeout=15
    )
    wait_for_card_value(dash_duo, ns01_value(earlier, "vi"))
    assert f"period={earlier}" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def _settle(dash_duo, selector: str) -> None:
    """Wait until every sparkline is drawn (drawing shifts the layout), then
    bring `selector` to the middle of the window at once (Bootstrap makes
    scrolling smooth, and a click during the glide lands off the element).

    Open the page with ?period= when clicking in it: on "/" alone the shell's
    period picker adds the period to the URL once it is drawn, and the page
    renders a second time under the click."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(dash_duo.driver, 15).until(
        lambda d: d.execute_script(
            "const s = document.querySelectorAll('.overview-kpi .sparkline');"
            "return s.length > 0 && [...s].every(e => e.querySelector('.main-svg'));"
        ),
        message="the sparklines were not drawn",
    )
    dash_duo.driver.execute_script(
        "document.querySelector(arguments[0])"
        ".scrollIntoView({block: 'center', behavior: 'instant'});",
        selector,
    )


def _wait_for_path(dash_duo, path: str, timeout: float = 15) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(dash_duo.driver, timeout).until(
        lambda d: d.current_url.split("//", 1)[1].split("?")[0].endswith(path),
        message=f"did not reach {path}: {dash_duo.driver.current_url}",
    )
