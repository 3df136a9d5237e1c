"""/data-status in the browser: N of 200 as the data layer counts it, the status
cells with their symbol and word, the regime filter and the province cascade from
the URL, the rejected file of the demo, both languages, nothing but the app's host.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from components.fmt import fmt_number, fmt_period
from components.report_matrix import SYMBOLS, count_statuses, status_word
from tests.integration.conftest import click, own_host, requested_hosts, start_app

pytestmark = pytest.mark.browser
PAGE = "/data-status"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MATRIX_PERIODS = 6


def _q():
    from data import queries as q

    return q


def _late_and_missing(month: str) -> tuple[str, dict, dict]:
    """A province regime whose matrix (last six periods) has a late and a missing
    report: (regime, a late row, a missing row)."""
    q = _q()
    regimes = q.regimes()
    for regime in regimes[regimes["reporter_level"] == "province"].to_dict("records"):
        span = {"month": 1, "quarter": 3, "year": 12}[regime["period_type"]]
        frame = q.reports(month, MATRIX_PERIODS * span, "province")
        frame = frame[frame["regime"] == regime["code"]]
        periods = sorted(frame["period"].unique())[-MATRIX_PERIODS:]
        frame = frame[frame["period"].isin(periods)]
        late = frame[frame["report_status"] == "late"]
        missing = frame[frame["report_status"] == "missing"]
        if len(late) and len(missing):
            return regime["code"], late.iloc[0].to_dict(), missing.iloc[0].to_dict()
    pytest.fail("the demo has no province regime with a late and a missing report")


def _cell(dash_duo, unit: str, period: str) -> str:
    """Text of the matrix cell of a province and a period."""
    heads = [h.text for h in dash_duo.find_elements("#ds-matrix thead th")]
    column = next(
        i for i, h in enumerate(heads) if h.startswith(fmt_period(period, "vi"))
    )
    return dash_duo.find_element(
        f'#ds-matrix tr[data-key="{unit}"] > :nth-child({column + 1})'
    ).text


def test_opens_with_n_of_200_and_the_window_counts_of_the_data_layer(
    dash_duo, dash_app
):
    start_app(dash_duo, dash_app, PAGE)
    q = _q()
    meta, month = q.snapshot_meta(), q.default_month(None)
    n, total = int(meta["n_indicators_supplied"]), int(meta["n_indicators"])
    dash_duo.wait_for_text_to_equal(
        "#ds-indicators-supplied",
        f"{fmt_number(n, 'vi')}/{fmt_number(total, 'vi')}",
        timeout=30,
    )
    counters = dash_duo.find_element("#ds-counters").text
    assert (
        f"{fmt_number(n, 'vi')}/{fmt_number(total, 'vi')} chỉ tiêu đã cung cấp"
        in counters
    )
    counts = count_statuses(q.reports(month, 6))
    for status in ("on_time", "late", "missing", "due"):
        tile = dash_duo.find_element(
            f'#ds-counters [data-status="{status}"] .kpi-value'
        )
        assert tile.text == fmt_number(counts[status], "vi")
    assert "Chế độ báo cáo" in dash_duo.find_element("#ds-regimes").text
    assert "Nghị định 09/2019/NĐ-CP" in dash_duo.find_element("#ds-regimes").text
    assert requested_hosts(dash_duo) == {own_host(dash_duo)}
    assert dash_duo.get_logs() == []


def test_regime_from_the_url_shows_late_and_missing_cells_with_symbol_and_word(
    dash_duo, dash_app
):
    month = _q().default_month(None)
    regime, late, missing = _late_and_missing(month)
    start_app(dash_duo, dash_app, f"{PAGE}?regime={regime}")
    dash_duo.wait_for_element(
        f'#ds-regimes tr.selected[data-regime="{regime}"]', timeout=30
    )
    dash_duo.wait_for_element("#ds-matrix", timeout=30)
    late_text = _cell(dash_duo, late["unit_code"], late["period"])
    assert late_text.startswith(SYMBOLS["late"])
    assert status_word("late", "vi", late["days_late"]) in late_text
    missing_text = _cell(dash_duo, missing["unit_code"], missing["period"])
    assert missing_text.startswith(SYMBOLS["missing"]) and "Chưa nộp" in missing_text
    active = dash_duo.find_element(".ds-regime-pills .btn-primary").text
    assert active == regime
    assert dash_duo.get_logs() == []


def test_clicking_province_22_cascades_to_its_communes(dash_duo, dash_app):
    q = _q()
    month = q.default_month(None)
    communes = q.reports(month, MATRIX_PERIODS, "commune", "22")
    start_app(dash_duo, dash_app, PAGE)
    dash_duo.wait_for_element('#ds-matrix tr[data-key="22"] a', timeout=30)
    click(dash_duo, '#ds-matrix tr[data-key="22"] a')
    dash_duo.wait_for_contains_text(
        "#ds-cascade", "Quảng Ninh: báo cáo của tỉnh", timeout=30
    )
    assert "unit=22" in dash_duo.driver.current_url
    dash_duo.wait_for_element('#ds-matrix tr.selected[data-key="22"]', timeout=10)
    own = q.reports(month, 6, "province", "22")
    rows = dash_duo.find_elements("#ds-unit-reports tbody tr")
    assert len(rows) == len(own)
    assert len(communes), "the demo has no reporting commune in Quảng Ninh"
    names = dash_duo.find_elements("#ds-communes tbody th")
    assert sorted(n.text for n in names) == sorted(communes["unit_vi"].unique())
    assert dash_duo.get_logs() == []


def test_the_rejected_demo_file_is_listed_with_its_first_errors(dash_duo, dash_app):
    from data.rejected import rejected_files

    docs = rejected_files()
    assert docs, "the demo keeps one rejected file"
    start_app(dash_duo, dash_app, PAGE)
    dash_duo.wait_for_contains_text("#ds-rejected", docs[0]["file"], timeout=30)
    text = dash_duo.find_element("#ds-rejected").text
    assert f"{fmt_number(docs[0]['n_errors'], 'vi')} lỗi" in text
    summary = dash_duo.find_element("#ds-rejected .rejected-item summary")
    # Bootstrap scrolls smoothly: a click during the scroll lands elsewhere, so
    # bring the file to the middle of the screen at once, then open it.
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", summary
    )
    click(dash_duo, "#ds-rejected .rejected-item summary")
    first = docs[0]["errors"][0]
    dash_duo.wait_for_contains_text(
        "#ds-rejected .rejected-errors", first["expected"], timeout=10
    )
    assert dash_duo.get_logs() == []


def test_english_page(dash_duo, dash_app):
    q = _q()
    meta, month = q.snapshot_meta(), q.default_month(None)
    regime, late, _missing = _late_and_missing(month)
    start_app(dash_duo, dash_app, f"{PAGE}?lang=en&regime={regime}&months=12")
    n, total = int(meta["n_indicators_supplied"]), int(meta["n_indicators"])
    dash_duo.wait_for_contains_text(
        "#ds-counters",
        f"{fmt_number(n, 'en')} of {fmt_number(total, 'en')} indicators supplied",
        timeout=30,
    )
    counts = count_statuses(q.reports(month, 12))
    tile = dash_duo.find_element('#ds-counters [data-status="missing"] .kpi-value')
    assert tile.text == fmt_number(counts["missing"], "en")
    assert "Reporting regimes" in dash_duo.find_element("#ds-regimes").text
    heads = [h.text for h in dash_duo.find_elements("#ds-matrix thead th")]
    column = next(
        i for i, h in enumerate(heads) if h.startswith(fmt_period(late["period"], "en"))
    )
    cell = dash_duo.find_element(
        f'#ds-matrix tr[data-key="{late["unit_code"]}"] > :nth-child({column + 1})'
    ).text
    assert status_word("late", "en", late["days_late"]) in cell
    assert dash_duo.get_logs() == []


def test_bad_url_values_are_reported_not_a_traceback(dash_duo, dash_app):
    start_app(dash_duo, dash_app, f"{PAGE}?regime=NOPE&unit=99&months=abc")
    dash_duo.wait_for_contains_text(".alert", "regime='NOPE'", timeout=30)
    alert = dash_duo.find_element(".alert").text
    assert "unit='99'" in alert and "months='abc'" in alert
    dash_duo.wait_for_element("#ds-matrix", timeout=10)
    assert dash_duo.get_logs() == []


@pytest.mark.skipif(os.environ.get("CC_SCREENSHOTS") != "1", reason="CC_SCREENSHOTS=1")
def test_screenshot(dash_duo, dash_app):
    """docs/screenshots/data_status.png: the page at 1920x1080 with Quảng Ninh open."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    start_app(dash_duo, dash_app, f"{PAGE}?unit=22")
    # the window includes the browser's own bars: make the page itself 1920x1080
    dash_duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False},
    )
    dash_duo.wait_for_element("#ds-communes", timeout=30)
    dash_duo.driver.save_screenshot(str(SCREENSHOTS / "data_status.png"))
    assert dash_duo.get_logs() == []
