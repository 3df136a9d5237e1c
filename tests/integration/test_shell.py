"""The chrome of every page: navbar, language switch, period picker, footer."""

from __future__ import annotations

from tests.integration.conftest import click, own_host, requested_hosts, start_app


def test_overview_opens_with_navbar_and_freshness_and_no_outside_requests(
    dash_duo, dash_app
):
    start_app(dash_duo, dash_app)
    dash_duo.wait_for_contains_text("#freshness", "Cập nhật lúc", timeout=10)
    dash_duo.wait_for_contains_text(".cc-navbar", "Tổng quan quốc gia", timeout=10)
    hosts = requested_hosts(dash_duo)
    assert hosts == {own_host(dash_duo)}, hosts
    assert dash_duo.get_logs() == []


def test_language_switch_keeps_the_view_and_translates(dash_duo, dash_app):
    start_app(dash_duo, dash_app)
    click(dash_duo, "#lang-switch")
    dash_duo.wait_for_text_to_equal("#lang-switch", "Tiếng Việt", timeout=10)
    assert "lang=en" in dash_duo.driver.current_url
    dash_duo.wait_for_contains_text("#freshness", "Updated", timeout=10)
    assert dash_duo.get_logs() == []
