"""The import rules of docs/ARCHITECTURE.md hold over the whole tree, and the
checker does catch a lower layer importing a higher one."""

from __future__ import annotations

import pytest

from tools import layers


def test_no_module_imports_a_layer_above_its_own():
    found = layers.violations()
    assert found == [], "\n".join(str(v) for v in found)


def test_the_tree_is_read_whole():
    names = {name for name, _ in layers.modules()}
    # one module of each layer, so an empty walk cannot pass the test above
    for expected in (
        "core.params",
        "settings",
        "store.sqlite",
        "data.queries",
        "etl.run",
        "components.fmt",
        "auth.web",
        "wall.render",
        "pages.overview",
        "app",
    ):
        assert expected in names


@pytest.mark.parametrize(
    "module, source, imported",
    [
        ("core.params", "import settings\n", "settings"),
        ("core.i18n", "from components import ids\n", "components.ids"),
        ("settings", "from auth.scope import make_scope\n", "auth.scope"),
        ("data.access", "from auth.context import current_scope\n", "auth.context"),
        ("data.rejected", "from etl.report import list_rejected\n", "etl.report"),
        ("etl.run", "from auth.audit import record_etl_load\n", "auth.audit"),
        ("components.shell", "from auth import roles\n", "auth.roles"),
        ("components.kpi_card", "from data import queries as q\n", "data.queries"),
        (
            "components.present_controls",
            "from wall.playlist import METRICS\n",
            "wall.playlist",
        ),
        ("store.sqlite", "import data.db\n", "data.db"),
        ("auth.ui", "from pages import overview\n", "pages.overview"),
        ("wall.render", "from pages.wall import layout\n", "pages.wall"),
        ("pages.overview", "from data.db import NoSnapshot\n", "data.db"),
        ("pages.present", "from data import pins\n", "data.pins"),
        ("data.web", "def f():\n    from auth import audit\n", "auth.audit"),
        ("intake.receive", "from pages import submit\n", "pages.submit"),
        ("etl.worker", "from intake.receive import Refused\n", "intake.receive"),
        ("auth.store", "from intake import signatures\n", "intake.signatures"),
    ],
)
def test_a_lower_layer_importing_a_higher_one_is_caught(module, source, imported):
    (found,) = layers.check_module(module, source)
    assert found.imported == imported and found.module == module
    assert layers.WHY[found.layer] in str(found)


@pytest.mark.parametrize(
    "module, source",
    [
        ("core.params", "import re\nfrom core.i18n import t\n"),
        ("components.kpi_card", "from core.i18n import t\nimport plotly\n"),
        ("components.table", "from data.schema import UNIT_CODE\n"),
        ("data.access", "from core.scope import Scope\nimport settings\n"),
        ("pages.overview", "from data import queries as q\nfrom wall import state\n"),
        ("etl.__main__", "from auth.audit import record_etl_load\n"),
        ("app", "from pages import overview\nfrom auth.install import install\n"),
        ("auth.pages", "from data.web import dont_cache_response\n"),
        (
            "intake.receive",
            "from etl.run import validate_files\nfrom auth import audit\n",
        ),
        ("pages.submit", "from intake.receive import receive_submission\n"),
    ],
)
def test_imports_down_the_layers_are_allowed(module, source):
    assert layers.check_module(module, source) == []
