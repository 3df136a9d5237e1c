"""One visit to a page writes one view to the audit log: a page that rewrites
its own URL after loading (a picker reporting its default) draws itself twice
and would log the visit twice."""

from __future__ import annotations

import time

import pytest

from auth import audit
from tests.integration.conftest import VIEWER, start_app

pytestmark = pytest.mark.browser

PATHS = (
    "/",
    "/provinces",
    "/sectors",
    "/sector/budget",
    "/data-status",
    "/province/22",
    "/indicator/NS.01",
)


def _views(root) -> list[dict]:
    return audit.read_events(
        actor=f"user:{VIEWER[0]}", action=audit.VIEW, root=root, limit=None
    )


def test_one_visit_writes_one_view(dash_duo, dash_app, auth_dir):
    start_app(dash_duo, dash_app, "/")
    dash_duo.wait_for_element("#_pages_content > *", timeout=20)
    time.sleep(2.5)  # the landing page's own view is written
    base = dash_duo.server_url.rstrip("/")
    for path in PATHS:
        before = len(_views(auth_dir))
        dash_duo.driver.get(base + path)
        dash_duo.wait_for_element("#_pages_content > *", timeout=20)
        time.sleep(2.5)  # a rewrite of the URL would come within a second or two
        after = _views(auth_dir)
        targets = [e["target"] for e in after[: len(after) - before]]
        assert targets == [path], (path, targets)
        assert dash_duo.driver.current_url == base + path
