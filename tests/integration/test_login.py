"""Sign-in in the browser: the login page in both languages, a wrong password,
signing out, a province analyst kept to the own province, a wall's token URL,
the audit log page; the console stays clean under the Content-Security-Policy."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.integration.conftest import TEST_ACCOUNTS, VIEWER, click, login, start_app

pytestmark = pytest.mark.browser
PROVINCE_22 = next(k for k, v in TEST_ACCOUNTS.items() if v[1] == "22")
ADMIN = next(k for k, v in TEST_ACCOUNTS.items() if v[0] == "administrator")


def _text(dash_duo, selector: str) -> str:
    return dash_duo.wait_for_element(selector, timeout=20).text


@pytest.mark.parametrize(
    ("lang", "title", "wrong"),
    [
        ("vi", "Đăng nhập", "Tên đăng nhập hoặc mật khẩu không đúng."),
        ("en", "Sign in", "Wrong user name or password."),
    ],
)
def test_login_page_refuses_a_wrong_password_then_signs_in(
    dash_duo, dash_app, lang, title, wrong
):
    start_app(dash_duo, dash_app, "/provinces", user=None)
    assert "/login" in dash_duo.driver.current_url
    login(dash_duo, (VIEWER[0], "not the password"), "/provinces", lang)
    assert _text(dash_duo, "#login-message") == wrong
    assert _text(dash_duo, "#login-title") == title
    # the refusal is a 401, which Chromium logs; nothing else may be there
    assert [
        e["message"].endswith("status of 401 (UNAUTHORIZED)")
        for e in dash_duo.get_logs()
    ] == [True]
    login(dash_duo, VIEWER, "/provinces", lang)
    dash_duo.wait_for_element("#freshness", timeout=20)
    # the page may then write its default indicator into the query string
    assert urlparse(dash_duo.driver.current_url).path == "/provinces"
    assert dash_duo.get_logs() == []


def test_sign_out_ends_the_session(dash_duo, dash_app):
    start_app(dash_duo, dash_app, "/")
    assert VIEWER[0] in _text(dash_duo, ".cc-account-name")
    click(dash_duo, "#cc-sign-out")
    assert _text(dash_duo, "#login-message") == "Đã đăng xuất."
    dash_duo.driver.get(dash_duo.server_url.rstrip("/") + "/sectors")
    dash_duo.wait_for_element("#login-user", timeout=20)
    assert "/login?next=/sectors" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def test_a_province_analyst_sees_the_own_province_only(dash_duo, dash_app):
    start_app(dash_duo, dash_app, "/province/22", user=PROVINCE_22)
    assert "Quảng Ninh" in _text(dash_duo, "#province-header")
    dash_duo.driver.get(dash_duo.server_url.rstrip("/") + "/province/01")
    assert "Không có quyền truy cập" in _text(dash_duo, ".forbidden-state")
    assert "Hà Nội" not in dash_duo.find_element("main").text
    assert dash_duo.get_logs() == []


def test_a_wall_opens_with_its_token_url_without_keeping_the_token(
    dash_duo, dash_app, auth_dir
):
    from auth.store import create_token

    token, _ = create_token("it-wall", "viewer", "pytest", root=auth_dir)
    start_app(dash_duo, dash_app, "/", user=None)
    dash_duo.driver.get(dash_duo.server_url.rstrip("/") + f"/?token={token}&lang=en")
    dash_duo.wait_for_element("#freshness", timeout=20)
    assert token not in dash_duo.driver.current_url
    assert dash_duo.driver.current_url.endswith("/?lang=en")
    assert dash_duo.find_elements(".cc-account") == []  # no account bar on a device
    assert dash_duo.get_logs() == []


def test_administrators_read_the_audit_log(dash_duo, dash_app):
    start_app(
        dash_duo,
        dash_app,
        "/admin/audit?action=login",
        user=ADMIN,
        wait_for="#audit-table",
    )
    table = _text(dash_duo, "#audit-table")
    assert "user:test-admin" in table and "Đăng nhập" in table
    assert "Quản trị hệ thống" in table  # roles and actions in the page's language
    export = dash_duo.find_element("#audit-export").get_attribute("href")
    assert export.endswith("/admin/audit.csv?action=login")
    # the navbar: the administrator's pages only, no period picker here
    dash_duo.wait_for_element(".cc-navbar", timeout=10)
    links = dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('.cc-navbar .nav-link:not(.lang-switch)')]"
        ".map(a => new URL(a.href).pathname);"
    )
    assert links == ["/data-status", "/links", "/admin/audit"], links
    assert not dash_duo.find_element(".cc-navbar .period-box").is_displayed()
    assert dash_duo.get_logs() == []
