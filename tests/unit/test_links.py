"""/links: the links register (intake/links.py, components/links_table.py,
pages/links.py): every reporter token with its agency, its exchanges from the
inbox and the quiet rule, for data operators and administrators only."""

from __future__ import annotations

import time
from contextlib import contextmanager

import pandas as pd
import pytest

from auth import store
from components.links_table import display_state, links_counts, links_table
from core.context import use_scope
from core.scope import make_scope
from data.access import OutOfScope
from intake import links
from intake.links import DAY, quiet_rule, read_links
from store.inbox import Inbox
from tests.unit.component_text import find_all

T0 = 1_790_000_000.0  # 2026-09-21 (UTC): the tests' clock starts here
CSV = b"indicator_code,unit_code,period,value\nNS.01,22,2026-08,1\n"


@contextmanager
def clock(at: float):
    """time.time() is `at` inside the block: tokens and submissions made in it
    carry that time (auth.store and store.inbox read the clock)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(time, "time", lambda: at)
        yield


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    """An empty data directory and an auth directory of the test's own."""
    monkeypatch.setenv("CC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CC_AUTH_DIR", str(tmp_path / "auth"))
    return tmp_path


def make_link(name: str, agency: str, at: float = T0, **kw) -> str:
    with clock(at):
        token, _ = store.create_token(
            name, "reporter", "pytest", agencies=(agency,), **kw
        )
    return token


def submit(name: str, agency: str, at: float, channel: str = "api"):
    principal = f"token:{name}" if channel == "api" else f"user:{name}"
    with clock(at):
        item, new = Inbox().receive(
            CSV,
            file_name="report.csv",
            ext="csv",
            principal=principal,
            agency=agency,
            channel=channel,
        )
    assert new
    return item


def finish_all(rejected: set[str] = frozenset()) -> None:
    """The loader's outcome for every queued submission."""
    inbox = Inbox()
    for item in inbox.claim(limit=1000):
        state = "rejected" if item.id in rejected else "published"
        inbox.finish(item.id, state, snapshot_id=None if rejected else "s1")


# -- the quiet rule, with times we control --


def days(*offsets: float) -> list[float]:
    return [T0 + d * DAY for d in offsets]


@pytest.mark.parametrize(
    "times, now_day, regular, quiet",
    [
        ([], 100, False, False),  # never submitted: nothing to miss
        (days(0, 30, 60), 80, True, False),  # monthly, 20 days since the last
        (days(0, 30, 60), 95.5, True, True),  # monthly, 35.5 days: quiet
        (days(0, 30, 60), 95, True, False),  # exactly 35 days: not yet
        (days(0, 30, 60), 400, True, True),  # stays quiet while the silence lasts
        (days(*range(60)), 61.5, True, False),  # daily, 2.5 days: within 3 gaps
        (days(*range(60)), 63.5, True, True),  # daily, 4.5 days: quiet
        (days(0, 1, 2), 100, False, False),  # one window only: not "normally"
        (days(0, 70), 110, True, True),  # 2 of 3 windows (0-30 and 60-90 back)
        (days(0, 95), 140, False, False),  # the first is outside the 90 days
    ],
)
def test_the_quiet_rule(times, now_day, regular, quiet):
    rule = quiet_rule(times, T0 + now_day * DAY)
    assert (rule.regular, rule.quiet) == (regular, quiet)


def test_the_quiet_threshold_is_three_gaps_within_two_and_35_days():
    weekly = quiet_rule(days(0, 7, 14, 21, 28, 35), T0 + 40 * DAY)
    assert weekly.usual_gap_days == 7 and weekly.threshold_days == 21
    assert not weekly.quiet and weekly.silent_days == 5
    assert quiet_rule(days(0, 7, 14, 21, 28, 35), T0 + 57 * DAY).quiet
    hourly = quiet_rule([T0 + h * 3600 for h in range(24 * 40)], T0 + 41 * DAY)
    assert hourly.threshold_days == 2  # at least 2 days, however often it reports
    assert quiet_rule(days(0, 40, 80), T0 + 80 * DAY).threshold_days == 35


# -- reading the register: real tokens and submissions in a temp data dir --


def test_every_reporter_token_is_a_link_with_its_exchanges(dirs):
    make_link("link-qn", "UBND-22", at=T0 - 100 * DAY)
    make_link("link-btc", "BTC", at=T0 - 100 * DAY)
    with clock(T0):
        store.create_token("wall-1", "viewer", "pytest")  # a wall: not a link
        store.add_user(
            "qn-clerk", "reporter", "clerk-password-1", agencies=("UBND-22",)
        )
    bad = submit("link-qn", "UBND-22", T0 - 10 * DAY)
    submit("link-qn", "UBND-22", T0 - 5 * DAY)
    submit("link-qn", "UBND-22", T0 - 45 * DAY)  # before the last 30 days
    submit("qn-clerk", "UBND-22", T0 - 1 * DAY, channel="web")  # a person, on /submit
    finish_all(rejected={bad.id})

    found = {k.name: k for k in read_links(now=T0)}
    assert set(found) == {"link-qn", "link-btc"}
    qn, btc = found["link-qn"], found["link-btc"]
    assert (qn.agency, qn.state) == ("UBND-22", "active")
    assert (qn.submissions_30d, qn.rejected_30d) == (2, 1)
    assert qn.last_submission_at == T0 - 5 * DAY  # its own, not the clerk's
    assert qn.agency_last_submission_at == T0 - 1 * DAY  # the agency's, any channel
    assert qn.regular and not qn.quiet
    assert (btc.submissions_30d, btc.last_submission_at, btc.quiet) == (0, None, False)


def test_a_regular_link_gone_quiet_is_flagged_first(dirs):
    make_link("link-qn", "UBND-22", at=T0 - 200 * DAY)
    make_link("link-hn", "UBND-01", at=T0 - 200 * DAY)
    for day in (-130, -100, -70):  # monthly, then nothing for 70 days
        submit("link-qn", "UBND-22", T0 + day * DAY)
    for day in (-60, -30, -2):
        submit("link-hn", "UBND-01", T0 + day * DAY)
    finish_all()
    register = read_links(now=T0)
    assert [(k.name, k.quiet) for k in register] == [
        ("link-qn", True),
        ("link-hn", False),
    ]
    assert round(register[0].silent_days) == 70 and register[0].quiet_after_days == 35


def test_revoked_and_expired_links_are_shown_as_such_never_quiet(dirs):
    make_link("link-old", "UBND-22", at=T0 - 200 * DAY)
    make_link("link-trial", "UBND-01", at=T0 - 200 * DAY, days=30)
    for day in (-130, -100, -70):
        submit("link-old", "UBND-22", T0 + day * DAY)
    finish_all()
    with clock(T0 - 60 * DAY):
        assert store.revoke_token("link-old") == 1
    # the name given again to a new token: another link, without the old one's
    make_link("link-old", "UBND-22", at=T0 - 50 * DAY)
    states = [(k.name, k.state, k.quiet, k.last_submission_at) for k in read_links(T0)]
    assert sorted(states) == [
        ("link-old", "active", False, None),
        ("link-old", "revoked", False, T0 - 70 * DAY),
        ("link-trial", "expired", False, None),
    ]


def test_the_last_use_of_the_token_is_read(dirs):
    token = make_link("link-qn", "UBND-22")
    assert read_links(T0)[0].last_used_at is None
    assert store.identify_token(token) is not None  # the API signing it in
    (link,) = read_links()
    assert link.last_used_at is not None and link.last_used_at >= T0


def test_reading_creates_no_inbox_in_the_data_directory(dirs):
    make_link("link-qn", "UBND-22")
    assert read_links(T0)[0].submissions_30d == 0
    assert not (dirs / "data" / "inbox.sqlite").exists()


@pytest.mark.parametrize("role", ["viewer", "national_leader", "province_analyst"])
def test_other_roles_may_not_read_the_register(dirs, role):
    scope = make_scope(role, "user:x", province="22" if "province" in role else None)
    with use_scope(scope), pytest.raises(OutOfScope):
        read_links(T0)


@pytest.mark.parametrize("role", ["data_operator", "administrator"])
def test_operators_and_administrators_read_the_register(dirs, role):
    make_link("link-qn", "UBND-22")
    with use_scope(make_scope(role, "user:x")):
        assert [k.name for k in read_links(T0)] == ["link-qn"]


def test_the_register_downloads_with_utc_times(dirs):
    make_link("link-qn", "UBND-22")
    frame = links.links_frame(T0)
    assert frame.loc[0, "name"] == "link-qn"
    assert frame.loc[0, "created_at"] == "2026-09-21T14:13:20Z"


# -- the warehouse: the indicators an agency's figures cover --


def test_link_indicators_are_those_with_figures_the_agency_reported(scope_warehouse):
    from data import queries as q

    frame = q.link_indicators(["UBND-22", "BTC", "UBND-22"])
    by = frame.groupby("agency")["indicator_code"].apply(set).to_dict()
    # 22's own figures and its commune's (06649), the nation's by NS.01's owner
    assert by["UBND-22"] == {"NS.01", "KT.02", "CPS.04", "YT.08"}
    assert by["BTC"] == {"NS.01"}
    assert set(frame["agency"]) == {"UBND-22", "BTC"}
    ns01 = frame[(frame["agency"] == "UBND-22") & (frame["indicator_code"] == "NS.01")]
    assert ns01["n_figures"].iloc[0] == 2  # actual figures only, not the targets
    with use_scope(make_scope("viewer", "user:v")), pytest.raises(OutOfScope):
        q.link_indicators(["UBND-22"])


def test_link_indicators_refuse_a_malformed_agency(scope_warehouse):
    from data import queries as q

    with pytest.raises(q.BadParameter):
        q.link_indicators(["UBND-22'; DROP TABLE x"])


# -- the builders --


def _link(**kw) -> dict:
    base = {
        "id": 3,
        "name": "link-qn",
        "agency": "UBND-22",
        "state": "active",
        "created_at": T0,
        "expires_at": None,
        "revoked_at": None,
        "last_used_at": T0 + DAY,
        "last_submission_at": T0 + DAY,
        "agency_last_submission_at": T0 + DAY,
        "submissions_30d": 1234,
        "rejected_30d": 2,
        "regular": True,
        "usual_gap_days": 30.0,
        "quiet_after_days": 35.0,
        "silent_days": 3.0,
        "quiet": False,
    }
    return {**base, **kw}


AGENCIES = pd.DataFrame(
    {
        "code": ["UBND-22", "BTC"],
        "name_vi": ["UBND Quảng Ninh", "Bộ Tài chính"],
        "name_en": ["Quang Ninh People's Committee", "Ministry of Finance"],
    }
)
INDICATORS = pd.DataFrame(
    {
        "agency": ["UBND-22"] * 10,
        "indicator_code": [f"X.{i:02d}" for i in range(10)],
        "name_vi": [f"Chỉ tiêu {i}" for i in range(10)],
        "name_en": [f"Indicator {i}" for i in range(10)],
    }
)


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({}, "active"),
        ({"quiet": True, "silent_days": 40.0}, "quiet"),
        ({"last_used_at": None, "last_submission_at": None}, "never"),
        ({"state": "expired", "expires_at": T0}, "expired"),
        ({"state": "revoked", "revoked_at": T0, "quiet": True}, "revoked"),
    ],
)
def test_each_state_shows_as_icon_and_word(changes, expected):
    link = _link(**changes)
    assert display_state(link) == expected
    for lang in ("vi", "en"):
        table = links_table([link], INDICATORS, AGENCIES, lang)
        (row,) = find_all(
            table, lambda n: getattr(n, "className", "") and "link-row" in n.className
        )
        badge = find_all(
            row, lambda n: "link-state" in (getattr(n, "className", "") or "")
        )
        assert badge[0].title and "bi " in badge[0].children[0].className


def test_the_table_names_the_agency_and_formats_numbers_by_language():
    vi = str(links_table([_link()], INDICATORS, AGENCIES, "vi").to_plotly_json())
    en = str(links_table([_link()], INDICATORS, AGENCIES, "en").to_plotly_json())
    assert "UBND Quảng Ninh" in vi and "Quang Ninh People's Committee" in en
    assert "1.234" in vi and "1,234" in en
    assert "10 chỉ tiêu" in vi and "10 indicators" in en
    assert "+2 chỉ tiêu khác" in vi  # 8 codes shown, the rest counted
    # created at T0 (14:13 UTC) is shown in Vietnam time
    assert "21/09/2026 21:13" in vi


def test_a_quiet_link_says_how_long_and_its_usual_gap():
    text = str(
        links_table(
            [_link(quiet=True, silent_days=42.7, usual_gap_days=29.5)],
            INDICATORS,
            AGENCIES,
            "vi",
        ).to_plotly_json()
    )
    assert "không nộp 42 ngày (thường 30 ngày một lần)" in text


def test_before_any_snapshot_the_table_shows_codes_and_no_indicators():
    text = str(links_table([_link()], None, None, "en").to_plotly_json())
    assert "UBND-22" in text and "X.00" not in text


def test_the_counts_add_up_by_state():
    register = [_link(), _link(quiet=True), _link(state="revoked", revoked_at=T0)]
    text = str(links_counts(register, "en").to_plotly_json())
    assert "3 links" in text
    counted = find_all(
        links_counts(register, "en"), lambda n: getattr(n, "data-count", None)
    )
    assert [getattr(n, "data-count") for n in counted] == ["active", "quiet", "revoked"]


# -- the page, served by the real app: who may open it --


def _forbidden(response) -> bool:
    return '"data-status":"403"' in response.get_data(as_text=True).replace(" ", "")


@pytest.mark.parametrize("role", ["viewer", "national_leader", "ministry_analyst"])
def test_the_page_is_not_permitted_for_other_roles(web, role):
    response = web.router(web.signed_in(role), "/links")
    assert response.status_code == 200 and _forbidden(response)


@pytest.mark.parametrize("role", ["data_operator", "administrator"])
def test_operators_and_administrators_open_the_page(web, role):
    store.create_token(
        f"link-{role[:5]}", "reporter", "pytest", agencies=("UBND-22",), root=web.root
    )
    response = web.router(web.signed_in(role), "/links", "?lang=vi")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and not _forbidden(response)
    assert f"link-{role[:5]}" in text and "UBND Qu" in text
    assert "NS.01" in text  # from the warehouse: figures reported by UBND-22


def test_the_download_is_refused_to_a_viewer(web):
    response = web.download(web.signed_in("viewer"), "links", "")
    assert response.status_code == 403
    assert "link-" not in response.get_data(as_text=True)


def test_the_navbar_offers_the_page_without_a_period_picker():
    from components.shell import navbar
    from core.roles import ROLES, menu

    for role in ("data_operator", "administrator"):
        assert "/links" in [p for p, _, _ in menu(ROLES[role].capabilities)]
    for role in ("viewer", "national_leader", "ministry_analyst", "reporter"):
        assert "/links" not in [p for p, _, _ in menu(ROLES[role].capabilities)]
    bar = navbar("/links", {"lang": "vi"}, ["2026-10"], None, menu(None))
    box = find_all(bar, lambda n: "period-box" in (getattr(n, "className", "") or ""))
    assert "d-none" in box[0].className.split()
