"""Unit-test fixtures: the data layer is read with every scope unless a test
says otherwise (core.context.use_scope), granted explicitly here."""

from __future__ import annotations

import pytest

from tests.pages_state import set_pages_state, the_app


@pytest.fixture(scope="session", autouse=True)
def _system_scope_for_the_tests():
    from core.context import grant_process_scope
    from core.scope import SYSTEM

    grant_process_scope(SYSTEM)
    yield
    grant_process_scope(None)


def serve_as(app, scope=None):
    """A bare Flask app (no auth/ installed) whose requests read with `scope`
    (default: every scope), as auth.gate sets it for a signed-in caller."""
    from core.context import set_request_scope
    from core.scope import SYSTEM

    app.before_request(lambda: set_request_scope(scope or SYSTEM))
    return app


# --- a small warehouse for the scope tests (tests/unit/test_auth_*.py) ---------
# Quảng Ninh (22, unchanged by the 2025 merger), Hà Nội (01), Tuyên Quang (new
# 08 = old 08 + old 02 Hà Giang), communes of 22, 01 and 02, the nation (00);
# NS.01 and KT.02 are owned by BTC, CPS.04 by VPCP, YT.08 by BYT. Every figure
# of a province other than 22 is a six-digit number found nowhere else (not in
# plotly's templates, nor in the 4-decimal map coordinates), so a leak shows.
OTHER_PROVINCE_VALUES = {
    # unit: {(indicator, period, kind): value}
    "01": {
        ("NS.01", "2024-08", "actual"): 613579,
        ("NS.01", "2024", "target"): 624681,
        ("NS.01", "2026-08", "actual"): 635791,
        ("KT.02", "2026-Q2", "actual"): 646802,
        ("CPS.04", "2024-08", "actual"): 657913,
        ("YT.08", "2026-08", "actual"): 679135,
    },
    "00001": {("CPS.04", "2024-08", "actual"): 668024},  # a commune of 01
    "02": {("NS.01", "2024-08", "actual"): 581357},
    "00688": {("CPS.04", "2024-08", "actual"): 570246},  # a commune of 02
    "08": {
        ("NS.01", "2024-08", "actual"): 592468,
        ("NS.01", "2026-08", "actual"): 603579,
    },
}
SCOPE_ROWS = [
    # indicator, unit, period, value, kind
    ("NS.01", "22", "2024-08", "1000", "actual"),
    ("NS.01", "22", "2024", "1500", "target"),
    ("NS.01", "22", "2026-08", "1100", "actual"),
    ("NS.01", "22", "2026", "1600", "target"),
    ("NS.01", "00", "2026-08", "99999", "actual"),
    ("KT.02", "22", "2026-Q2", "2200", "actual"),
    ("CPS.04", "22", "2024-08", "120", "actual"),
    ("CPS.04", "06649", "2024-08", "12", "actual"),
    ("YT.08", "22", "2026-08", "70", "actual"),
] + [
    (indicator, unit, period, str(value), kind)
    for unit, figures in OTHER_PROVINCE_VALUES.items()
    for (indicator, period, kind), value in figures.items()
]


def leak_marks(units=("01", "00001", "02", "00688", "08")) -> list[str]:
    """The figures of these units as the pages (vi, en) or the API write them."""
    marks = []
    for unit in units:
        for value in OTHER_PROVINCE_VALUES[unit].values():
            marks += [str(value), f"{value:,}", f"{value:,}".replace(",", ".")]
    return marks


@pytest.fixture(scope="session")
def scope_warehouse_dir(tmp_path_factory, make_submissions, make_warehouse):
    """A published warehouse with SCOPE_ROWS and one rejected file."""
    folder = tmp_path_factory.mktemp("scope_warehouse")
    files = make_submissions(folder / "in")
    header = ("indicator_code", "unit_code", "period", "value", "kind")
    good = files.csv("scope.csv", SCOPE_ROWS, header=header)
    bad = files.csv(
        "UBND-01_bad.csv",
        [("NS.01", "01", "2026-09", "613.579,5", "actual")],
        header=header,
    )
    warehouse = make_warehouse(folder / "warehouse")
    result = warehouse.load(good, bad)
    assert result.published, [o.summary() for o in result.outcomes]
    return warehouse.root


@pytest.fixture
def scope_warehouse(scope_warehouse_dir, monkeypatch, tmp_path):
    """CC_DATA_DIR on the scope warehouse; accounts and audit in tmp_path."""
    monkeypatch.setenv("CC_DATA_DIR", str(scope_warehouse_dir))
    monkeypatch.setenv("CC_AUTH_DIR", str(tmp_path / "auth"))
    return scope_warehouse_dir


# --- the real app on the scope warehouse, with one account and token per role ---
PASSWORD = "test-password-1"
ROLE_ACCOUNTS = {
    "national_leader": ("t-leader", {}),
    "viewer": ("t-viewer", {}),
    "ministry_analyst": ("t-btc", {"agencies": ("BTC",)}),
    "province_analyst": ("t-p22", {"province": "22"}),
    "presenter": ("t-presenter", {}),
    "data_operator": ("t-operator", {}),
    "administrator": ("t-admin", {}),
}


class Web:
    """The app's Flask test client, signed in as a role, and crafted requests."""

    def __init__(self, module, root, tokens):
        self.module, self.root, self.tokens = module, root, tokens
        self.router_output = next(
            k for k in module.app.callback_map if "_pages_content.children" in k
        )

    def client(self):
        return self.module.server.test_client()

    def login(
        self,
        role: str | None = None,
        name: str | None = None,
        password: str = PASSWORD,
        next_path: str = "",
    ):
        """(client, response of the sign-in POST)."""
        import re

        client = self.client()
        page = client.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = client.post(
            "/login",
            data={
                "username": name or ROLE_ACCOUNTS[role][0],
                "password": password,
                "csrf_token": csrf,
                "next": next_path,
            },
        )
        return client, response

    def signed_in(self, role: str):
        client, response = self.login(role)
        assert response.status_code == 303, response.get_data(as_text=True)
        return client

    def router(self, client, path: str, search: str = "", **headers):
        """The Dash pages router callback, as the browser posts it."""
        body = {
            "output": self.router_output,
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": path},
                {"id": "_pages_location", "property": "search", "value": search},
            ],
            "changedPropIds": ["_pages_location.pathname"],
            "state": [],
        }
        return client.post("/_dash-update-component", json=body, headers=headers)

    def download(self, client, dataset: str, args: str, fmt: str = "csv"):
        """The download callback for one button (pattern-matching id)."""
        import json

        button = {
            "type": "download-button",
            "dataset": dataset,
            "args": args,
            "fmt": fmt,
        }
        key = json.dumps(button, sort_keys=True, separators=(",", ":"))
        body = {
            "output": "download.data",
            "outputs": {"id": "download", "property": "data"},
            "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
            "changedPropIds": [f"{key}.n_clicks"],
            "state": [],
        }
        return client.post("/_dash-update-component", json=body)


@pytest.fixture(scope="module")
def web(scope_warehouse_dir, tmp_path_factory):
    from argon2 import PasswordHasher

    from auth import passwords, store

    auth_root = tmp_path_factory.mktemp("web_auth")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CC_DATA_DIR", str(scope_warehouse_dir))
        mp.setenv("CC_AUTH_DIR", str(auth_root))
        mp.setattr(
            passwords,
            "_hasher",
            PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
        )
        tokens = {}
        for role, (name, scope) in ROLE_ACCOUNTS.items():
            store.add_user(name, role, PASSWORD, root=auth_root, **scope)
            tokens[role], _ = store.create_token(
                f"tok-{name}", role, "pytest", root=auth_root, **scope
            )
        module, app_pages = the_app()
        set_pages_state(app_pages)  # keep_pages_state takes them away after
        yield Web(module, auth_root, tokens)


# --- the data layer's scenario (tests/unit/test_queries_*.py): loaded once,
# read by every test of those files (tests/unit/queries_scenario.py).


@pytest.fixture(scope="session")
def queries_warehouse(tmp_path_factory, make_submissions, make_warehouse):
    """The scenario's warehouse (read only; CC_DATA_DIR left alone)."""
    from tests.unit.queries_scenario import load_scenario

    return load_scenario(
        tmp_path_factory.mktemp("queries"), make_submissions, make_warehouse
    )


@pytest.fixture
def queries_data_dir(queries_warehouse, monkeypatch):
    """CC_DATA_DIR is the scenario's for the test (a test before may have
    pointed it elsewhere); the scenario's Warehouse."""
    monkeypatch.setenv("CC_DATA_DIR", str(queries_warehouse.root))
    return queries_warehouse
