"""No leak: every route refuses a caller without identity, each role reaches
only what it may, and crafted requests for another province (pages router,
downloads, API) return nothing of it. The real app on the scope warehouse,
whose province 01 (Hà Nội) figures are distinctive numbers."""

from __future__ import annotations

import json

import dash
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.conftest import leak_marks

HTML = {"Accept": "text/html"}
# What no response to the analyst of 22 may hold: the names and the figures of
# 01 (Hà Nội), 08 (Tuyên Quang), 02 (Hà Giang, merged into 08) and their
# communes. The provinces map draws every province's outline, with its name
# (public boundaries, data/geo/): there only the figures are checked.
NAMES = ("Hà Nội", "Ha Noi", "Tuyên Quang", "Tuyen Quang", "Hà Giang", "Ha Giang")
FIGURES = tuple(leak_marks())
API_ROUTES = (
    "/api/v1/progress?indicator=NS.01&unit=22",
    "/api/v1/observations?indicator=NS.01&unit=22",
    "/api/v1/catalog",
)


def _text(response) -> str:
    """A response body with JSON's \\u escapes undone."""
    raw = response.get_data(as_text=True)
    try:
        return json.dumps(json.loads(raw), ensure_ascii=False)
    except ValueError:
        return raw


def _no_leak(response, names: bool = True) -> None:
    text = _text(response)
    found = [leak for leak in FIGURES + (NAMES if names else ()) if leak in text]
    assert not found, found


def _page_paths() -> list[str]:
    paths = []
    for page in dash.page_registry.values():
        path = page.get("path_template") or page["path"]
        paths.append(path.replace("<code>", "22").replace("<by>", "owner"))
    return paths


def _forbidden(response) -> bool:
    return '"data-status":"403"' in response.get_data(as_text=True).replace(" ", "")


# --- without an identity ----------------------------------------------------------


def test_every_page_sends_a_visitor_to_the_login(web):
    client = web.client()
    paths = _page_paths()
    assert {"/", "/provinces", "/province/22", "/admin/audit"} <= set(paths)
    for path in paths:
        response = client.get(path, headers=HTML)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login?next=")


def test_every_callback_and_download_is_refused_without_identity(web):
    client = web.client()
    for output in web.module.app.callback_map:
        response = client.post(
            "/_dash-update-component",
            json={
                "output": output,
                "outputs": [],
                "inputs": [],
                "changedPropIds": [],
                "state": [],
            },
        )
        assert response.status_code == 401, output
    assert web.router(client, "/province/22").status_code == 401
    assert web.download(client, "unit_progress", "22|2026-08|2025").status_code == 401


@pytest.mark.parametrize(
    "path",
    [
        *API_ROUTES,
        "/_dash-layout",
        "/_dash-dependencies",
        "/assets/app.css",
        "/admin/audit.csv",
    ],
)
def test_every_other_route_is_refused_without_identity(web, path):
    response = web.client().get(path)
    assert response.status_code == 401
    assert "Quảng Ninh" not in response.get_data(as_text=True)


def test_only_the_sign_in_page_and_its_files_are_public(web):
    client = web.client()
    for path in (
        "/login",
        "/healthz",
        "/assets/vendor/00-bootstrap.min.css",
        "/auth/static/login.css",
    ):
        assert client.get(path).status_code == 200, path


# --- each role --------------------------------------------------------------------

# role -> may it see: figures (overview), data status, the audit log, /present
ACCESS = {
    "national_leader": (True, True, False, True),
    "viewer": (True, True, False, False),
    "ministry_analyst": (True, True, False, False),
    "province_analyst": (True, True, False, False),
    "presenter": (True, False, False, True),
    "data_operator": (False, True, False, False),
    "administrator": (False, True, True, False),
}


@pytest.mark.parametrize("role", ACCESS)
def test_each_role_reaches_exactly_its_pages(web, role):
    figures, status, audit_log, present = ACCESS[role]
    client = web.signed_in(role)
    for path, allowed in (
        ("/", figures),
        ("/province/22", figures),
        ("/data-status", status),
        ("/admin/audit", audit_log),
        ("/present", present),
        ("/wall", figures),
    ):
        response = web.router(client, path)
        assert response.status_code == 200, (path, response.get_data(as_text=True))
        assert _forbidden(response) is not allowed, path


@pytest.mark.parametrize(
    ("role", "home"),
    [
        ("data_operator", "/data-status"),
        ("administrator", "/admin/audit"),
        ("viewer", "/"),
    ],
)
def test_not_permitted_leads_back_to_the_roles_own_home(web, role, home):
    response = web.router(web.signed_in(role), "/present", "?lang=en")
    assert _forbidden(response)
    assert f'"href":"{home}?lang=en"' in _text(response).replace(" ", "")


def _present_callback(web, input_id: str) -> tuple[str, dict]:
    """The output key and spec of the /present callback fired by `input_id`."""
    for output, spec in web.module.app.callback_map.items():
        if any(i["id"] == input_id for i in spec["inputs"]):
            return output, spec
    raise KeyError(input_id)


@pytest.mark.parametrize("role", ACCESS)
def test_only_presenting_roles_can_drive_the_walls(web, role):
    """A crafted request for the presenter's 'new session' button: 403 for a
    role without `present`, and no session is made for it."""
    from wall.state import wall_state

    may_present = ACCESS[role][3]
    output, spec = _present_callback(web, "present-create")
    body = {
        "output": output,
        "outputs": [
            {"id": o.split(".")[0], "property": o.split(".")[1].split("@")[0]}
            for o in output.strip(".").split("...")
        ][0],
        "inputs": [{"id": "present-create", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["present-create.n_clicks"],
        "state": [{"id": "present-lang", "property": "data", "value": "vi"}],
    }
    before = len(wall_state().sessions(limit=1000))
    response = web.signed_in(role).post("/_dash-update-component", json=body)
    assert response.status_code == (200 if may_present else 403), spec
    after = len(wall_state().sessions(limit=1000))
    assert after == before + (1 if may_present else 0)


def test_a_cached_page_answer_never_reaches_a_caller_of_another_scope(web):
    """data/web.py caches whole page answers: a viewer's view of province 01,
    served again from the cache, is not what the analyst of 22 gets for the
    same request; a refused view is never cached; cached views are audited."""
    from auth import audit

    viewer, analyst = web.signed_in("viewer"), web.signed_in("province_analyst")
    first = web.router(viewer, "/province/01", "?lang=vi")
    again = web.router(viewer, "/province/01", "?lang=vi")
    assert again.headers.get("X-CC-Cache") == "hit"
    assert any(mark in _text(first) for mark in leak_marks(("01",)))
    for _ in range(2):
        refused = web.router(analyst, "/province/01", "?lang=vi")
        assert "X-CC-Cache" not in refused.headers
        assert _forbidden(refused)
        _no_leak(refused)
    views = audit.read_events(
        actor="user:t-viewer", action="view", root=web.root, limit=None
    )
    cached = [
        e
        for e in views
        if e["target"] == "/province/01"
        and json.loads(e["detail"]).get("cached") == "1"
    ]
    assert cached, views[-3:]


@pytest.mark.parametrize("role", ACCESS)
@pytest.mark.parametrize("how", ["session", "bearer"])
def test_each_role_gets_figures_from_the_api_only_if_it_may(web, role, how):
    figures = ACCESS[role][0]
    if how == "session":
        client, headers = web.signed_in(role), {}
    else:
        client, headers = web.client(), {"Authorization": f"Bearer {web.tokens[role]}"}
    response = client.get(
        "/api/v1/progress?indicator=NS.01&unit=22&period=2026-08", headers=headers
    )
    assert response.status_code == (200 if figures else 403)
    assert client.get("/api/v1/catalog", headers=headers).status_code == 200
    download = (
        web.download(client, "unit_progress", "22|2026-08|2025")
        if how == "session"
        else None
    )
    if download is not None:
        assert download.status_code == (200 if figures else 403)


# --- crafted requests of the province analyst of 22 for province 01 -----------------

OTHER_PROVINCE_VIEWS = [
    ("/province/01", ""),
    ("/province/00001", ""),  # a commune of 01
    ("/indicator/NS.01", "?unit=01"),
    ("/indicator/NS.01", "?unit=01&at=2026-08"),
    ("/indicator/CPS.04", "?unit=00001&geo=2020"),
    ("/sector/budget", "?unit=01"),
    ("/provinces", "?indicator=NS.01"),
    ("/provinces", "?indicator=NS.01&geo=2020&period=2024-08"),
    ("/", ""),
    ("/sectors", ""),
    ("/data-status", "?unit=01"),
]


@pytest.mark.parametrize(("path", "search"), OTHER_PROVINCE_VIEWS)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_crafted_page_requests_for_another_province_return_nothing_of_it(
    web, path, search, lang
):
    client = web.signed_in("province_analyst")
    search = (search + "&" if search else "?") + f"lang={lang}"
    response = web.router(client, path, search)
    assert response.status_code in (200, 403)
    _no_leak(response, names=path != "/provinces")


def test_the_own_province_is_shown(web):
    client = web.signed_in("province_analyst")
    response = web.router(client, "/province/22")
    assert "Quảng Ninh" in _text(response) and not _forbidden(response)
    assert _forbidden(web.router(client, "/province/01"))


OTHER_PROVINCE_DOWNLOADS = [
    ("unit_progress", "01|2026-08|2025"),
    ("unit_series", "NS.01|01|2025"),
    ("observations", "NS.01|01"),
    ("revisions", "NS.01|01|2026-08"),
    ("provenance", "NS.01|01|2026-08|2025"),
    ("communes", "01|2020"),
    ("sector_progress", "budget|01|2026-08|2025"),
    ("reports_unit", "2026-08|12|province|01"),
    ("province_values", "NS.01|2026-08|2025"),
    ("province_values", "NS.01|2024-08|2020"),
    ("region_values", "NS.01|2026-08|2025"),
    ("attention", "2026-08|2025"),
    ("reports", "2026-08"),
    ("rejected_files", ""),
]


@pytest.mark.parametrize(("dataset", "args"), OTHER_PROVINCE_DOWNLOADS)
def test_crafted_downloads_return_nothing_of_another_province(web, dataset, args):
    client = web.signed_in("province_analyst")
    response = web.download(client, dataset, args)
    assert response.status_code in (200, 204, 403)
    _no_leak(response)


@pytest.mark.parametrize(
    "route",
    [
        "/api/v1/progress?indicator=NS.01&unit=01",
        "/api/v1/progress?indicator=NS.01&unit=01&period=2026-08",
        "/api/v1/observations?indicator=NS.01&unit=01",
        "/api/v1/observations?indicator=CPS.04&unit=00001",
        "/api/v1/progress?indicator=NS.01&unit=02",
    ],
)
@pytest.mark.parametrize("how", ["session", "bearer"])
def test_crafted_api_requests_for_another_province_are_refused(web, route, how):
    if how == "session":
        client, headers = web.signed_in("province_analyst"), {}
    else:
        token = web.tokens["province_analyst"]
        client, headers = web.client(), {"Authorization": f"Bearer {token}"}
    response = client.get(route, headers=headers)
    assert response.status_code == 403
    assert response.json["error"].startswith("not permitted")
    _no_leak(response)


def test_a_ministry_analyst_gets_nothing_of_other_ministries(web):
    client = web.signed_in("ministry_analyst")
    response = client.get("/api/v1/catalog")
    assert {i["owner"] for i in response.json["indicators"]} == {"BTC"}
    assert client.get("/api/v1/observations?indicator=YT.08&unit=01").status_code == 403
    assert client.get("/api/v1/progress?indicator=YT.08&unit=01").status_code == 403
    assert client.get("/api/v1/progress?indicator=ZZ.99&unit=01").status_code == 404
    page = _text(web.router(client, "/province/01"))
    assert "679135" not in page and "679.135" not in page  # YT.08 (BYT) of 01
    assert "635.791" in page  # NS.01 (BTC) of 01


@pytest.mark.parametrize(
    "path", ["/indicator/YT.08", "/indicator/cps.04", "/sector/health"]
)
def test_another_ministrys_indicator_or_sector_is_refused_and_audited(web, path):
    """Not "not found": the code is in the national catalog, out of reach."""
    from auth import audit

    client = web.signed_in("ministry_analyst")
    assert _forbidden(web.router(client, path))
    denied = audit.read_events(
        actor="user:t-btc", action=audit.DENIED, root=web.root, limit=None
    )
    assert any(e["target"] == path for e in denied), denied


def test_an_unknown_code_is_still_not_found_for_a_ministry_analyst(web):
    client = web.signed_in("ministry_analyst")
    for path in ("/indicator/ZZ.99", "/sector/nope"):
        response = web.router(client, path)
        assert not _forbidden(response)
        assert "nope" in _text(response) or "ZZ.99" in _text(response)


# --- bad input: 400 with a message, never a 500 -------------------------------------


@pytest.mark.parametrize(
    "route",
    [
        "/api/v1/progress?indicator=NS.01",
        "/api/v1/progress?indicator=bad&unit=22",
        "/api/v1/progress?indicator=NS.01&unit=2",
        "/api/v1/progress?indicator=NS.01&unit=22&period=2026-13",
        "/api/v1/progress?indicator=NS.01&unit=22&debug=1",
        "/api/v1/progress?indicator=NS.01&unit=22&unit=01",
        "/api/v1/observations?indicator=NS.01&unit=22&from=" + "9" * 100,
        "/api/v1/catalog?x=1",
    ],
)
def test_bad_api_input_is_a_400_with_a_message(web, route):
    headers = {"Authorization": f"Bearer {web.tokens['viewer']}"}
    response = web.client().get(route, headers=headers)
    assert response.status_code == 400
    assert response.json["status"] == 400 and response.json["error"]


PARAM_NAMES = st.sampled_from(
    ["indicator", "unit", "period", "from", "to", "x", "token", "lang"]
)
PARAM_VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "NS.01",
            "CPS.04",
            "22",
            "01",
            "00",
            "06649",
            "00001",
            "2026-08",
            "2026",
            "2026-Q2",
            "2024-08",
            "0",
            "-1",
            "1e9",
            "%00",
            "'; --",
        ]
    ),
)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    endpoint=st.sampled_from(["progress", "observations", "catalog"]),
    params=st.dictionaries(PARAM_NAMES, PARAM_VALUES, max_size=5),
    role=st.sampled_from(["viewer", "province_analyst", "ministry_analyst"]),
)
def test_fuzzed_api_parameters_never_give_a_500(web, endpoint, params, role):
    headers = {"Authorization": f"Bearer {web.tokens[role]}"}
    response = web.client().get(
        f"/api/v1/{endpoint}", query_string=params, headers=headers
    )
    assert response.status_code in (200, 400, 403, 404), (params, response.data)
    assert response.is_json
    if response.status_code != 200:
        assert response.json["error"]
    if role == "province_analyst":
        _no_leak(response)


PAGE_PATHS = st.sampled_from(
    [
        "/",
        "/provinces",
        "/province/{}",
        "/sectors",
        "/sector/{}",
        "/indicator/{}",
        "/data-status",
        "/admin/audit",
        "/nowhere/{}",
    ]
)
PAGE_KEYS = st.sampled_from(
    [
        "lang",
        "period",
        "geo",
        "indicator",
        "unit",
        "at",
        "metric",
        "by",
        "level",
        "regime",
        "months",
        "owner",
        "status",
        "actor",
        "action",
        "from",
        "to",
    ]
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    path=PAGE_PATHS,
    code=PARAM_VALUES,
    params=st.dictionaries(PAGE_KEYS, PARAM_VALUES, max_size=4),
)
def test_fuzzed_page_urls_never_give_a_500(web, path, code, params):
    """Whatever the path and query values, a page answers (a message for bad
    input, "not permitted" outside the scope), never an error."""
    from urllib.parse import quote, urlencode

    client = web.signed_in("province_analyst")
    pathname = path.format(quote(code, safe=""))
    response = web.router(client, pathname, "?" + urlencode(params))
    assert response.status_code == 200, (pathname, params, response.data[:300])
    _no_leak(response, names=path != "/provinces")


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        '{"output": 1}',
        '{"output": "nope.children", "inputs": []}',
        '{"output": "navbar.children", "inputs": "x", "changedPropIds": []}',
    ],
)
def test_malformed_callback_requests_are_a_400(web, body):
    client = web.signed_in("viewer")
    response = client.post(
        "/_dash-update-component", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json["status"] == 400
