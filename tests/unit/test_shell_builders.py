"""The navbar offers each role the pages it may open (a link that answers "not
permitted" is no link), and no period picker where no period is shown."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pytest

from components.shell import navbar
from core.roles import ROLES, menu
from tests.unit.component_text import find_all

MONTHS = ["2026-10", "2026-09"]


def _links(bar) -> list[str]:
    links = find_all(
        bar, lambda n: isinstance(n, dbc.NavLink) and not getattr(n, "id", None)
    )
    return [link.href.split("?")[0] for link in links]


@pytest.mark.parametrize(
    "role, expected",
    [
        (
            "national_leader",
            ["/", "/provinces", "/sectors", "/data-status", "/present"],
        ),
        ("viewer", ["/", "/provinces", "/sectors", "/data-status"]),
        ("province_analyst", ["/", "/provinces", "/sectors", "/data-status"]),
        ("presenter", ["/", "/provinces", "/sectors", "/present"]),
        ("data_operator", ["/data-status", "/links"]),
        ("administrator", ["/data-status", "/links", "/admin/audit"]),
        ("reporter", ["/submit"]),
    ],
)
def test_each_role_sees_links_to_the_pages_it_may_open(role, expected):
    bar = navbar(
        "/data-status", {"lang": "vi"}, MONTHS, None, menu(ROLES[role].capabilities)
    )
    assert _links(bar) == expected
    brand = find_all(bar, lambda n: isinstance(n, dbc.NavbarBrand))[0]
    assert brand.href.split("?")[0] == expected[0]  # the brand leads somewhere open


def test_without_capabilities_given_every_link_shows():
    assert len(_links(navbar("/", {"lang": "en"}, MONTHS, None, menu(None)))) == 8


def test_the_navbar_shows_the_menu_it_is_given_and_no_other():
    only = (("/sectors", "nav.sectors", "bi-diagram-3"),)
    assert _links(navbar("/", {"lang": "en"}, MONTHS, None, only)) == ["/sectors"]


def _period_box(bar):
    return find_all(bar, lambda n: "period-box" in (getattr(n, "className", "") or ""))[
        0
    ]


def test_the_period_picker_hides_on_admin_pages_only():
    can = menu(ROLES["administrator"].capabilities)
    admin = _period_box(navbar("/admin/audit", {"lang": "vi"}, MONTHS, None, can))
    shown = _period_box(navbar("/data-status", {"lang": "vi"}, MONTHS, None, can))
    # a class, not the `hidden` attribute: Bootstrap's d-flex would override it
    assert admin.className.split() == ["period-box", "d-none"]
    assert "d-none" not in shown.className and "d-flex" in shown.className


def test_the_period_pickers_mount_report_leaves_the_url_alone(scope_warehouse):
    """The navbar's picker reports the month it shows when it mounts: that is
    no choice, also when the URL's period was wrong (its message stays)."""
    import dash

    import shell
    from data import queries as q

    latest = q.months()[0]
    for search in ("", f"?period={latest}", "?period=2026-13", "?period=abc"):
        with pytest.raises(dash.exceptions.PreventUpdate):
            shell.pick_period(latest, "/", search)
    older = q.months()[-1]
    assert older != latest
    assert shell.pick_period(older, "/", "?period=2026-13") == f"/?period={older}"
