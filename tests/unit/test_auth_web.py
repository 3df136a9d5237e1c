"""Sign-in over HTTP (auth/web.py, auth/gate.py): sessions, CSRF, lock-out,
tokens and their revocation, security headers. The real app, Flask's client."""

from __future__ import annotations

import re

import pytest

import settings
from auth import audit, store
from tests.unit.conftest import PASSWORD, ROLE_ACCOUNTS

HTML = {"Accept": "text/html"}


def _events(web, action):
    return audit.read_events(action=action, root=web.root, limit=None)


def test_the_login_page_is_served_in_both_languages(web):
    client = web.client()
    vi = client.get("/login").get_data(as_text=True)
    en = client.get("/login?lang=en").get_data(as_text=True)
    assert "Đăng nhập" in vi and "Mật khẩu" in vi and 'lang="vi"' in vi
    assert "Sign in" in en and "Password" in en and 'lang="en"' in en


def test_a_sign_in_sets_a_hardened_session_cookie_and_lands_on_the_role_home(web):
    client, response = web.login("viewer")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "cc_session=" in cookie
    assert client.get("/", headers=HTML).status_code == 200
    _, response = web.login("administrator")
    assert response.headers["Location"] == "/admin/audit"
    _, response = web.login("data_operator", next_path="/provinces?geo=2020")
    assert response.headers["Location"] == "/provinces?geo=2020"
    _, response = web.login("province_analyst")  # the own province's page
    assert response.headers["Location"] == "/province/22"


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("data_operator", "/data-status?lang=en"),
        ("administrator", "/admin/audit?lang=en"),
        ("province_analyst", "/province/22?lang=en"),
        ("viewer", "/?lang=en"),
    ],
)
def test_a_token_url_on_the_root_lands_on_the_role_home(web, role, landing):
    """ "/?token=" is "sign me in": not "/" refusing an operator (and a
    refusal in the audit log at every sign-in)."""
    client = web.client()
    response = client.get(f"/?token={web.tokens[role]}&lang=en", headers=HTML)
    assert response.status_code == 302 and response.headers["Location"] == landing
    assert client.get(landing, headers=HTML).status_code == 200
    other = web.client().get(f"/wall?token={web.tokens[role]}", headers=HTML)
    assert other.headers["Location"] == "/wall"  # any other page: kept


@pytest.mark.parametrize(
    "next_path",
    ["//evil.example/x", "/\\evil.example", "https://evil.example/", "/login"],
)
def test_sign_in_never_redirects_to_another_site(web, next_path):
    _, response = web.login("viewer", next_path=next_path)
    assert response.headers["Location"] == "/"


def test_a_wrong_password_is_refused_and_recorded(web):
    before = len(_events(web, audit.LOGIN_FAILED))
    client, response = web.login(name="t-viewer", password="not the password")
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)
    assert client.get("/", headers=HTML).status_code == 302
    assert len(_events(web, audit.LOGIN_FAILED)) == before + 1


def test_forms_need_the_csrf_token_and_the_same_origin(web):
    client = web.client()
    client.get("/login")
    response = client.post(
        "/login", data={"username": "t-viewer", "password": PASSWORD}
    )
    assert response.status_code == 400
    signed = web.signed_in("viewer")
    cross = web.router(signed, "/", Origin="http://evil.example")
    assert cross.status_code == 403


def test_sign_out_ends_the_session_even_for_a_copied_cookie(web):
    client = web.signed_in("viewer")
    cookie = client.get_cookie("cc_session").value
    page = client.get("/logout").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    out = client.post("/logout", data={"csrf_token": csrf, "lang": "en"})
    assert out.status_code == 303  # post/redirect/get: Back re-posts nothing
    landing = client.get(out.headers["Location"])
    assert landing.status_code == 200 and "Signed out" in landing.get_data(as_text=True)
    thief = web.client()
    thief.set_cookie("cc_session", cookie)
    assert web.router(thief, "/").status_code == 401
    assert thief.get("/", headers=HTML).status_code == 302


def test_brute_force_over_http_is_locked_out(web, monkeypatch):
    store.add_user("t-target", "viewer", PASSWORD, root=web.root)
    statuses = [
        web.login(name="t-target", password=f"guess {i}")[1].status_code
        for i in range(settings.LOGIN_MAX_FAILURES)
    ]
    assert statuses == [401] * (settings.LOGIN_MAX_FAILURES - 1) + [429]
    _, response = web.login(name="t-target", password=PASSWORD)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "tạm khoá" in response.get_data(as_text=True)
    locked = _events(web, audit.LOGIN_LOCKED)
    assert sum(e["actor"] == "user:t-target" for e in locked) == 2


def test_an_api_token_works_until_revoked_then_stops_at_once(web):
    token, _ = store.create_token("t-api", "viewer", "pytest", root=web.root)
    client = web.client()
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/catalog", headers=bearer).status_code == 200
    store.revoke_token("t-api", root=web.root)
    response = client.get("/api/v1/catalog", headers=bearer)
    assert response.status_code == 401 and "WWW-Authenticate" in response.headers
    calls = [e for e in _events(web, audit.API) if e["actor"] == "token:t-api"]
    assert [c["outcome"] for c in calls] == ["ok"]


def test_a_wall_signs_in_once_with_its_url_and_stops_when_revoked(web):
    token, _ = store.create_token("t-wall", "viewer", "pytest", root=web.root)
    wall = web.client()
    response = wall.get(f"/?token={token}&lang=en", headers=HTML)
    assert response.status_code == 302 and response.headers["Location"] == "/?lang=en"
    assert token not in response.headers["Location"]
    assert wall.get("/?lang=en", headers=HTML).status_code == 200
    assert web.router(wall, "/").status_code == 200
    store.revoke_token("t-wall", root=web.root)
    assert web.router(wall, "/").status_code == 401
    assert wall.get("/", headers=HTML).status_code == 302
    assert web.client().get(f"/?token={token}", headers=HTML).status_code == 401


def test_the_walls_poll_needs_an_identity_but_is_not_audited(web):
    assert web.client().post("/api/v1/wall/state", json={}).status_code == 401
    token, _ = store.create_token("t-wall-poll", "viewer", "pytest", root=web.root)
    wall = web.client()
    wall.get(f"/wall?token={token}", headers=HTML)
    for _ in range(3):
        assert wall.post("/api/v1/wall/state", json={"screen": "hall"}).json["ok"]
    mine = audit.read_events(actor="token:t-wall-poll", root=web.root, limit=None)
    assert [e["action"] for e in mine] == ["token_use"]


def test_uptime_probes_may_ask_the_sign_in_page_with_head(web):
    assert web.client().head("/login").status_code == 200


def test_a_disabled_account_is_signed_out_at_once(web):
    store.add_user("t-leaver", "viewer", PASSWORD, root=web.root)
    client, _ = web.login(name="t-leaver")
    assert web.router(client, "/").status_code == 200
    store.set_disabled("t-leaver", True, root=web.root)
    assert web.router(client, "/").status_code == 401


def test_security_headers_are_on_every_response(web):
    client = web.signed_in("viewer")
    for response in (
        web.client().get("/login"),
        client.get("/", headers=HTML),
        web.router(client, "/"),
        client.get("/api/v1/catalog"),
    ):
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "http:" not in csp and "https:" not in csp and "*" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        script = re.search(r"script-src ([^;]+)", csp).group(1).split()
        assert script[0] == "'self'"
        assert all(source.startswith("'sha256-") for source in script[1:])
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cache-Control"] == "no-store"
        assert "Werkzeug" not in headers.get("Server", "")


def test_the_dev_server_does_not_name_itself_or_python(web):
    from werkzeug.serving import WSGIRequestHandler

    # importing the app (web: in tmp_path, never the repository's data/) installs auth
    assert WSGIRequestHandler.version_string(None) == "command-center"


def test_debug_mode_is_refused_off_the_loopback(monkeypatch):
    from auth.install import check_debug

    monkeypatch.setenv("CC_DEBUG", "1")
    monkeypatch.setenv("HOST", "0.0.0.0")
    with pytest.raises(RuntimeError, match="development"):
        check_debug()
    monkeypatch.setenv("HOST", "127.0.0.1")
    check_debug()


def test_the_health_check_says_nothing_but_ok(web):
    response = web.client().get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok\n"


def test_views_downloads_and_api_calls_are_recorded(web):
    client = web.signed_in("province_analyst")
    assert web.router(client, "/province/22", "?lang=en").status_code == 200
    assert web.download(client, "unit_progress", "22|2026-08|2025").status_code == 200
    client.get("/api/v1/progress?indicator=NS.01&unit=22&period=2026-08")
    mine = [e for e in audit.read_events(actor="user:t-p22", root=web.root)]
    seen = {(e["action"], e["target"]) for e in mine}
    assert ("view", "/province/22") in seen
    assert ("download", "unit_progress") in seen
    assert ("api", "/api/v1/progress") in seen
    assert all(e["role"] == "province_analyst" for e in mine)


def test_the_audit_export_is_for_administrators_only(web):
    admin = web.signed_in("administrator")
    response = admin.get("/admin/audit.csv?action=login")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data(as_text=True).startswith("id,at,actor")
    assert admin.get("/admin/audit.csv?from=nope").status_code == 400
    for role in ROLE_ACCOUNTS:
        if role != "administrator":
            assert web.signed_in(role).get("/admin/audit.csv").status_code == 403


def test_a_bad_audit_filter_is_said_in_the_pages_language(web):
    import json

    admin = web.signed_in("administrator")
    text = json.loads(
        web.router(admin, "/admin/audit", "?from=22/11/2026").get_data(as_text=True)
    )
    shown = json.dumps(text, ensure_ascii=False)
    assert "Bộ lọc không hợp lệ" in shown and "Thời gian (GMT+7)" in shown


def test_the_audit_page_names_actions_and_roles_in_its_language(web):
    import json

    admin = web.signed_in("administrator")
    for lang, words in (
        ("vi", ("Đăng nhập", "Quản trị hệ thống")),
        ("en", ("Sign-in", "Administrator")),
    ):
        answer = web.router(admin, "/admin/audit", f"?action=login&lang={lang}")
        shown = json.dumps(answer.json, ensure_ascii=False)
        assert all(word in shown for word in words), lang
        assert '"title": "login"' in shown  # the stored code stays at hand
    web.login("viewer", password="wrong-password")  # a refused sign-in to show
    for lang, word in (("vi", "Bị từ chối"), ("en", "Refused")):
        answer = web.router(admin, "/admin/audit", f"?action=login_failed&lang={lang}")
        shown = json.dumps(answer.json, ensure_ascii=False)
        assert word in shown and '"title": "refused"' in shown, lang


def test_the_account_bar_says_whose_scope(web):
    import json

    for role, scope in (("viewer", "toàn quốc"), ("province_analyst", "tỉnh 22")):
        client = web.signed_in(role)
        body = {
            "output": "cc-account-bar.children",
            "outputs": {"id": "cc-account-bar", "property": "children"},
            "inputs": [
                {"id": "url", "property": "pathname", "value": "/"},
                {"id": "url", "property": "search", "value": ""},
            ],
            "changedPropIds": ["url.pathname"],
            "state": [],
        }
        answer = client.post("/_dash-update-component", json=body)
        assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
        assert scope in json.dumps(answer.json, ensure_ascii=False), role


def test_the_cookie_key_is_the_environments_else_a_private_file(tmp_path, monkeypatch):
    from auth.install import secret_key

    monkeypatch.delenv("CC_SECRET_KEY", raising=False)
    monkeypatch.setenv("CC_AUTH_DIR", str(tmp_path))
    first = secret_key()
    assert len(first) == 64 and secret_key() == first
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0
    assert [p.name for p in tmp_path.iterdir()] == ["secret.key"]
    monkeypatch.setenv("CC_SECRET_KEY", "from-the-environment")
    assert secret_key() == "from-the-environment"


def test_the_app_is_whole_before_its_first_request(scope_warehouse, tmp_path):
    """Dash completes its callbacks at the first request, marking that done
    before doing it: a fresh threaded worker's concurrent first requests found
    callbacks missing (400 "no such callback" under gunicorn). Importing the
    app completes them, before any client is served."""
    import os
    import subprocess
    import sys

    check = (
        "import app\n"
        "keys = app.app.callback_map\n"
        "assert any('_pages_content' in k for k in keys), 'no pages router'\n"
        "assert any('navbar.children' in k for k in keys), 'no chrome callback'\n"
        "assert any('download.data' in k for k in keys), 'no download callback'\n"
    )
    env = os.environ | {"CC_AUTH_DIR": str(tmp_path / "auth")}
    done = subprocess.run(
        [sys.executable, "-c", check],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
