"""/submit: the builders called as plain functions (the report's Vietnamese,
the states of what an agency owes, the form's grid and JSON, the receipt),
the two queries and their scope rule on a small warehouse, and the page's
callbacks as functions under a reporter's scope (its own agency only)."""

from __future__ import annotations

import json
from pathlib import Path

import dash
import pytest

from components.fmt import fmt_number
from components.submit_errors import column_label, errors_table, expected_text
from components.submit_form import (
    checked,
    context_number,
    grid_rows,
    json_value,
    marks,
    submission,
)
from components.submit_receipt import receipt_panel, submissions_table
from components.submit_status import (
    REPORT_STATES,
    count_states,
    form_choice,
    merge_states,
    owed_table,
    state_badge,
)
from core.context import use_scope
from core.scope import make_scope
from tests.unit.component_text import import_pages, strings, text_of

R22 = make_scope("reporter", "user:r22", agency="UBND-22")
R01 = make_scope("reporter", "user:r01", agency="UBND-01")


# -- the report in the page's language ---------------------------------------


def _bad_rows_file(folder: Path) -> Path:
    """One CSV breaking most rules of the contract, one rule a row."""
    rows = [
        ("XX.99", "22", "", "2026-01", "1", "", ""),
        ("DN.01", "22", "", "2026-13", "1", "", ""),
        ("KT.01", "22", "", "2026-01", "1", "", ""),  # quarterly, as a month
        ("DN.01", "22", "", "2199-01", "1", "", ""),
        ("DN.01", "22", "", "2026-01", "29.915,5", "", ""),
        ("KT.04", "22", "", "2026-01", "999", "", ""),  # outside -20..50
        ("DN.01", "22", "", "2026-02", "1.5", "", ""),  # a count
        ("DN.01", "22", "", "2026-03", "1", "plan", ""),
        ("CT.04", "22", "", "2026-03", "1", "target", ""),  # no target in catalog
        ("DN.01", "", "", "2026-04", "1", "", ""),
        ("DN.01", "02", "", "2026-08", "1", "", ""),  # merged into 08
        ("DN.01", "99", "", "2026-05", "1", "", ""),
        ("DN.01", "", "Nowhere", "2026-05", "1", "", ""),
        ("DN.01", "22", "Hà Nội", "2026-06", "1", "", ""),
        ("DN.01", "22", "", "2026-07", "1", "", "ZZZ"),
        ("DN.01", "01", "", "2026-07", "1", "", "UBND-22"),
        ("DN.01", "22", "", "2026-09", "1", "", ""),
        ("DN.01", "22", "", "2026-09", "2", "", ""),
    ]
    head = "indicator_code,unit_code,unit_name,period,value,kind,reporter\n"
    body = "".join(",".join(f'"{c}"' for c in r) + "\n" for r in rows)
    path = folder / "bad.csv"
    path.write_text(head + body, encoding="utf-8")
    return path


def test_every_sentence_the_etl_writes_is_said_in_vietnamese(tmp_path):
    from etl.run import Submission, validate_files

    outcome = validate_files([Submission(_bad_rows_file(tmp_path))]).outcomes[0]
    sentences = {e.expected for e in outcome.errors}
    assert len(sentences) >= 14, sentences
    for sentence in sentences:
        assert expected_text(sentence, "en") == sentence
        said = expected_text(sentence, "vi")
        assert said != sentence, f"not said in Vietnamese: {sentence}"


@pytest.mark.parametrize(
    ("sentence", "vi"),
    [
        (
            "a value between -20 and 50 % (the catalog range of KT.04)",
            "giá trị từ -20 đến 50 % (khoảng cho phép của KT.04 trong danh mục)",
        ),
        (
            "a whole number of enterprises for DN.01",
            "một số nguyên (doanh nghiệp) cho DN.01",
        ),
        (
            "a monthly period or a longer one for DN.01 (reported monthly)",
            "kỳ theo tháng hoặc dài hơn cho DN.01 (chỉ tiêu báo cáo theo tháng)",
        ),
        (
            "a unit that existed in this period (name was of 02)",
            "đơn vị tồn tại trong kỳ này (tên này là của 02)",
        ),
        (
            "an unambiguous name or a unit_code (could be 01, 02)",
            "tên không thể nhầm lẫn, hoặc mã đơn vị (có thể là 01, 02)",
        ),
        (
            "an indicator owned by BTC (this one is VPCP's)",
            "chỉ tiêu do BTC phụ trách (chỉ tiêu này thuộc VPCP)",
        ),
        ("UBND-22", "UBND-22 (đơn vị báo cáo của tài khoản này)"),
        ("at least one data row", "ít nhất một dòng số liệu"),
        ("something new", "something new"),  # not known yet: as written
    ],
)
def test_known_sentences_in_vietnamese(sentence, vi):
    units = {"DN.01": "doanh nghiệp"}
    assert expected_text(sentence, "vi", units) == vi


def test_errors_table_lists_row_indicator_column_value_and_expected():
    errors = [
        {
            "row": 2,
            "column": "value",
            "value": "29.915,5",
            "expected": "actual or target",
        },
        {"row": 0, "column": "", "value": "", "expected": "at least one data row"},
    ]
    table = errors_table(errors, "vi", row_names={2: "DN.01"})
    text = strings(table)
    assert text[:5] == ["Dòng", "Chỉ tiêu", "Cột", "Giá trị đã ghi", "Cần có"]
    assert ["—", "—", "cả tệp", "(trống)", "ít nhất một dòng số liệu"] == text[5:10]
    assert "29.915,5" in text and "DN.01" in text and "Giá trị (value)" in text
    assert strings(errors_table(errors, "en"))[:4] == [
        "Row",
        "Column",
        "Value as written",
        "Expected",
    ]
    assert column_label("unit_code", "en") == "Unit code"


# -- what an agency owes ------------------------------------------------------


def _report(regime="KTXH_M", period="2026-10", state="overdue", **more) -> dict:
    return {
        "regime": regime,
        "period": period,
        "report_state": state,
        "regime_vi": f"Chế độ {regime}",
        "regime_en": f"Regime {regime}",
        "level": "province",
        "own_unit": True,
        "due_date": "2026-11-05",
        "n_units": 1,
        "n_units_supplied": 0,
        "n_expected": 60,
        "n_supplied": 0,
        "last_submitted_at": None,
        **more,
    }


def _sub(sid, state) -> dict:
    return {"id": sid, "state": state}


@pytest.mark.parametrize(
    ("warehouse", "subs", "state", "sid"),
    [
        ("overdue", [], "overdue", None),
        ("owed", [], "owed", None),
        ("published", [], "published", None),
        ("overdue", [("a", "queued")], "received", "a"),
        ("overdue", [("a", "loading")], "received", "a"),
        ("overdue", [("b", "rejected")], "rejected", "b"),
        ("owed", [("b", "published")], "published", "b"),
        # a revision in flight for a published report: received
        ("published", [("c", "queued")], "received", "c"),
        # the newest, rejected, does not unpublish what the warehouse holds
        ("published", [("d", "rejected")], "published", "d"),
        # the newest one counts; an older one rejected is history
        ("overdue", [("e", "published"), ("f", "rejected")], "published", "e"),
    ],
)
def test_merge_states(warehouse, subs, state, sid):
    key = frozenset({("KTXH_M", "2026-10")})
    other = frozenset({("KTXH_M", "2026-09")})
    submissions = [(_sub(i, s), key) for i, s in subs] + [(_sub("z", "queued"), other)]
    (row,) = merge_states([_report(state=warehouse)], submissions)
    assert (row["state"], row["submission"]) == (state, sid)


def test_every_state_is_colour_icon_and_word():
    for state in (*REPORT_STATES, "queued", "loading"):
        badge = state_badge(state, "vi")
        assert f"st-{state}" in badge.className
        assert badge.children[0].className.startswith("bi bi-")
        assert badge.children[1] and badge.title == badge.children[1]
    assert text_of(state_badge("overdue", "en")) == "Overdue"


def test_owed_table_links_receipts_and_the_form_for_own_reports_only():
    rows = merge_states(
        [
            _report(),
            _report("XA_M", level="commune", own_unit=False, n_units=7),
        ],
        [(_sub("s1", "queued"), frozenset({("KTXH_M", "2026-10")}))],
    )
    table = owed_table(
        rows,
        "vi",
        "t",
        lambda sid: f"/submit?receipt={sid}",
        lambda r: f"/submit?regime={r['regime']}" if r["own_unit"] else None,
    )
    body = table.children.children[1].children
    own, communes = body
    assert (
        getattr(own, "data-state") == "received"
        and getattr(communes, "data-state") == "overdue"
    )
    assert own.children[5].children.href == "/submit?receipt=s1"
    assert own.children[6].children.href == "/submit?regime=KTXH_M"
    assert communes.children[6].children is None
    assert "0/7 xã, phường" in text_of(communes, " ")
    assert count_states(rows) == {
        "overdue": 1,
        "owed": 0,
        "received": 1,
        "rejected": 0,
        "published": 0,
    }


def test_form_choice_defaults_and_refusals():
    rows = [
        _report("NSNN_M", "2026-10"),
        _report("KTXH_M", "2026-10", "published"),
        _report("KTXH_M", "2026-09"),
        _report("XA_M", "2026-10", own_unit=False),
    ]
    for row in rows:
        row["state"] = row["report_state"]
    assert form_choice(rows, None, None) == (
        "KTXH_M",
        "2026-09",  # the newest not yet published
        ["NSNN_M", "KTXH_M"],
        ["2026-10", "2026-09"],
        [],
    )
    assert form_choice(rows, "KTXH_M", "2026-10")[:2] == ("KTXH_M", "2026-10")
    regime, period, _, _, bad = form_choice(rows, "XA_M", "2030-01")
    assert (regime, period, bad) == ("KTXH_M", "2026-09", ["regime", "report"])


# -- the form -----------------------------------------------------------------


FORM = [
    {
        "indicator_code": "DN.01",
        "name_vi": "Số doanh nghiệp thành lập mới",
        "name_en": "New enterprises",
        "unit_vi": "doanh nghiệp",
        "unit_en": "enterprises",
        "prev_value": 3517.0,
        "last_year_value": float("nan"),
        "current_value": None,
    },
    {
        "indicator_code": "KT.04",
        "name_vi": "Chỉ số giá",
        "name_en": "CPI",
        "unit_vi": "%",
        "unit_en": "%",
        "prev_value": 3.43,
        "last_year_value": 2.9,
        "current_value": 3.125,
    },
]


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        (3517.0, "vi", "3.517"),
        (3.43, "vi", "3,43"),
        (3.43, "en", "3.43"),
        (237.305442, "vi", "237,305"),
        (None, "vi", "—"),
        (float("nan"), "en", "—"),
    ],
)
def test_context_numbers_keep_the_published_precision(value, lang, text):
    assert context_number(value, lang) == text


def test_grid_rows_in_both_languages():
    vi, en = grid_rows(FORM, "vi"), grid_rows(FORM, "en")
    assert vi[0] == {
        "code": "DN.01",
        "name": "Số doanh nghiệp thành lập mới",
        "unit": "doanh nghiệp",
        "prev": "3.517",
        "last_year": "—",
        "published": "—",
        "value": "",
        "problem": "",
    }
    assert (en[1]["name"], en[1]["published"]) == ("CPI", "3.125")


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("29915", 29915),
        ("-3", -3),
        ("66.4", 66.4),
        ("29.915,5", "29.915,5"),  # the ETL says why not
        ("n/a", "n/a"),
        ("1,552", "1,552"),
    ],
)
def test_json_values_as_typed(typed, sent):
    assert json_value(typed) == sent and type(json_value(typed)) is type(sent)


def test_submission_sends_the_filled_cells_and_numbers_its_rows():
    rows = grid_rows(FORM, "vi")
    rows[0]["value"], rows[1]["value"] = " 97531 ", ""
    content, codes = submission(rows, "UBND-22", "22", "2026-11")
    assert json.loads(content) == {
        "reporter": "UBND-22",
        "rows": [
            {
                "indicator_code": "DN.01",
                "unit_code": "22",
                "period": "2026-11",
                "value": 97531,
            }
        ],
    }
    assert codes == {1: "DN.01"}


def test_checked_marks_the_bad_rows_in_words_and_style():
    rows = grid_rows(FORM, "vi")
    rows[0]["value"], rows[1]["value"] = "29.915,5", "3.1"
    errors = [
        {
            "row": 1,
            "column": "value",
            "value": "29.915,5",
            "expected": "a plain number with a dot as decimal separator and no "
            "thousands separator (e.g. 29915 or 66.4)",
        }
    ]
    marked, bad = checked(rows, errors, {1: "DN.01", 2: "KT.04"}, "vi")
    assert bad == ["DN.01"]
    assert marked[0]["problem"].startswith("✗ Giá trị (value): một số viết liền")
    assert marked[1]["problem"] == "✓ Hợp lệ"
    styles = marks(bad)
    assert styles[0] == {"if": {"column_id": "value"}, "backgroundColor": "#fffbe6"}
    assert {"filter_query": '{code} = "DN.01"'} in [s["if"] for s in styles]
    assert any(
        s["if"] == {"filter_query": '{code} = "DN.01"', "column_id": "value"}
        and s["border"].startswith("2px solid")
        for s in styles
    )


# -- the receipt --------------------------------------------------------------


def _received(state="queued", **more) -> dict:
    return {
        "id": "20261202-abc",
        "state": state,
        "sha256": "f" * 64,
        "received_at": "2026-12-02T07:30:00Z",
        "rows": 2,
        "file_name": "UBND-22_KTXH_M_2026-11.json",
        "channel": "web",
        "signer": None,
        "snapshot_id": None,
        "errors": [],
        **more,
    }


@pytest.mark.parametrize(
    ("state", "words"),
    [
        ("queued", ["Đã tiếp nhận, chờ nạp", "Đang chờ bộ nạp dữ liệu"]),
        ("loading", ["Đang nạp"]),
        ("published", ["Đã công bố", "Đã công bố trong bản dữ liệu S1"]),
        ("rejected", ["Bị từ chối", "Bộ nạp đã từ chối", "Cần có"]),
    ],
)
def test_receipt_follows_the_state(state, words):
    item = _received(
        state,
        snapshot_id="S1" if state == "published" else None,
        errors=[{"row": 0, "column": "", "value": "x", "expected": "the file received"}]
        if state == "rejected"
        else [],
    )
    text = text_of(receipt_panel(item, "vi", {"state": "st"}), " ")
    for word in ["20261202-abc", "f" * 64, "02/12/2026 14:30", "Trang web", *words]:
        assert word in text
    assert fmt_number(2, "vi") in text


def test_submissions_table_links_each_receipt():
    table = submissions_table(
        [_received(), _received("rejected", id="x2")], "en", "l", lambda s: f"/r/{s}"
    )
    rows = table.children.children[1].children
    assert [getattr(r, "data-id") for r in rows] == ["20261202-abc", "x2"]
    assert rows[1].children[1].children.href == "/r/x2"
    assert "Rejected" in text_of(rows[1], " ")


# -- the queries and their rule, on a small warehouse ---------------------------


@pytest.fixture(scope="module")
def submit_dir(tmp_path_factory, make_submissions, make_warehouse):
    folder = tmp_path_factory.mktemp("submit")
    rows = [
        ("DN.01", "22", "2026-09", "40000", "actual"),
        ("DN.01", "22", "2025-10", "35000", "actual"),
        ("CT.03", "22", "2026-09", "12345.6", "actual"),
        ("DN.01", "01", "2026-09", "61357", "actual"),
    ]
    files = make_submissions(folder / "in")
    path = files.csv(
        "seed.csv",
        rows,
        header=("indicator_code", "unit_code", "period", "value", "kind"),
    )
    warehouse = make_warehouse(folder / "warehouse")
    assert warehouse.load(path).published
    return warehouse.root


@pytest.fixture
def data_dir(submit_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("CC_DATA_DIR", str(submit_dir))
    monkeypatch.setenv("CC_AUTH_DIR", str(tmp_path / "auth"))
    return submit_dir


def test_reporter_form_has_the_context_of_the_own_unit(data_dir):
    from data import queries as q

    with use_scope(R22):
        form = q.reporter_form("UBND-22", "KTXH_M", "2026-10")
    dn = form.set_index("indicator_code").loc["DN.01"]
    assert (dn["unit_code"], dn["prev_period"], dn["last_year_period"]) == (
        "22",
        "2026-09",
        "2025-10",
    )
    assert (dn["prev_value"], dn["last_year_value"]) == (40000, 35000)
    catalog = q.catalog()
    monthly = catalog[
        (catalog["regime"] == "KTXH_M") & catalog["levels"].str.contains("province")
    ]
    assert set(form["indicator_code"]) == set(monthly["code"])
    assert set(form["unit_code"]) == {"22"}  # nothing of Hà Nội's 61357


def test_reporter_reports_of_the_own_agency(data_dir):
    from data import queries as q

    with use_scope(R22):
        frame = q.reporter_reports("UBND-22")
    assert set(frame["agency"]) == {"UBND-22"}
    row = frame[(frame["regime"] == "KTXH_M") & (frame["period"] == "2026-09")].iloc[0]
    assert (row["report_state"], row["n_supplied"], bool(row["own_unit"])) == (
        "published",
        2,
        True,
    )
    assert set(frame["report_state"]) <= {"published", "overdue", "owed"}


@pytest.mark.parametrize(
    "scope",
    [
        R01,  # another agency's reporter
        make_scope("viewer", "user:v"),
        make_scope("province_analyst", "user:p", province="22"),
    ],
)
def test_only_the_own_reporter_reads_an_agencys_reports(data_dir, scope):
    from data import queries as q

    with use_scope(scope), pytest.raises(q.OutOfScope):
        q.reporter_reports("UBND-22")
    with use_scope(scope), pytest.raises(q.OutOfScope):
        q.reporter_form("UBND-22", "KTXH_M", "2026-10")


# -- the page's callbacks as functions ---------------------------------------


@pytest.fixture(scope="module")
def page():
    (module,) = import_pages(__name__, "pages.submit")
    return module


def _grid(page, typed: dict[str, str]) -> list[dict]:
    from data import queries as q

    rows = grid_rows(
        q.reporter_form("UBND-22", "KTXH_M", "2026-10").to_dict("records"), "vi"
    )
    return [{**r, "value": typed.get(r["code"], "")} for r in rows]


def test_check_then_send_the_form(page, data_dir):
    from store.inbox import Inbox

    shown = {"regime": "KTXH_M", "period": "2026-10"}
    with use_scope(R22):
        rows, _style, report, disabled = page.check_form(
            1, _grid(page, {"DN.01": "29.915,5"}), shown, "vi"
        )
        assert disabled and getattr(report, "data-ok") == "0"
        bad = next(r for r in rows if r["code"] == "DN.01")
        assert bad["problem"].startswith("✗")
        rows, _style, report, disabled = page.check_form(
            1, _grid(page, {"DN.01": "97531"}), shown, "vi"
        )
        assert not disabled and getattr(report, "data-ok") == "1"
        sid, note, _ = page.send_form(
            1, _grid(page, {"DN.01": "97531"}), shown, "n1", "vi"
        )
        again, note_again, _ = page.send_form(
            1, _grid(page, {"DN.01": "97531"}), shown, "n1", "vi"
        )
    item = Inbox(data_dir).get(sid)
    assert (item.agency, item.channel, item.rows, item.state) == (
        "UBND-22",
        "web",
        1,
        "queued",
    )
    assert again == sid  # a double click sends once
    assert sid in text_of(note) and sid in text_of(note_again)
    with use_scope(R22):
        receipt, hidden, _list, _owed, poll_off, seen = page.follow(sid, 1, "", "vi")
        unchanged = page.follow(sid, 2, seen, "vi")
        text = page.download_text(1, sid, "vi")
        data = json.loads(page.download_json(1, sid)["content"])
    assert not hidden and not poll_off  # queued: the page keeps polling
    assert "chờ nạp" in text_of(receipt, " ")
    # nothing changed since: nothing redrawn, the poll goes on
    assert unchanged == (*[dash.no_update] * 4, False, dash.no_update)
    assert sid in text["content"] and text["filename"].endswith(".txt")
    assert "BIÊN NHẬN" in text["content"]
    assert (data["id"], data["outcome"]["state"], data["rows"]) == (sid, "queued", 1)


def test_another_agencys_submission_is_refused_in_every_callback(page, data_dir):
    from data import queries as q
    from store.inbox import Inbox

    other, _ = Inbox(data_dir).receive(
        b'{"rows": []}',
        file_name="hn.json",
        ext="json",
        principal="user:r01",
        agency="UBND-01",
        channel="api",
    )
    with use_scope(R22):
        with pytest.raises(q.OutOfScope):
            page.follow(other.id, 1, None, "vi")
        with pytest.raises(q.OutOfScope):
            page.download_json(1, other.id)
        with pytest.raises(q.OutOfScope):
            page.download_text(1, other.id, "vi")
        with pytest.raises(q.OutOfScope):
            page.layout(receipt=other.id)
        with pytest.raises(q.OutOfScope):
            page.follow("no-such-id", 1, None, "vi")
    with use_scope(R01):
        receipt, *_ = page.follow(other.id, 1, None, "en")
        assert "hn.json" in text_of(receipt, " ")
    with (
        use_scope(make_scope("national_leader", "user:l")),
        pytest.raises(q.OutOfScope),
    ):
        page.layout()


@pytest.mark.parametrize(
    "shown",
    [None, {}, {"regime": "NOPE", "period": "2026-10"}, {"regime": 1, "period": 2}],
)
def test_a_crafted_form_state_updates_nothing(page, data_dir, shown):
    from dash.exceptions import PreventUpdate

    with use_scope(R22), pytest.raises(PreventUpdate):
        page.check_form(1, [{"code": "DN.01", "value": "1"}], shown, "vi")
    with use_scope(R22), pytest.raises(PreventUpdate):
        page.send_form(1, [{"code": "DN.01", "value": "1"}], shown, "n", "vi")


def _data_url(text: str) -> str:
    import base64

    return "data:text/csv;base64," + base64.b64encode(text.encode()).decode()


def test_an_upload_is_checked_then_sent(page, data_dir):
    from store.inbox import Inbox

    head = "indicator_code,unit_code,period,value\n"
    bad = _data_url(head + "DN.01,22,2026-10,29.915\nDN.01,01,2026-10,5\n")
    good = _data_url(head + "DN.01,22,2026-10,12345\n")
    with use_scope(R22):
        report, disabled = page.check_upload(bad, None, "sai.csv", "vi")
        assert disabled and getattr(report, "data-ok") == "0"
        # Hà Nội's row is out of the agency's reach: refused for that first
        assert "ngoài phạm vi của UBND-22" in text_of(report, " ")
        report, disabled = page.check_upload(good, None, "dung.csv", "en")
        assert not disabled and "dung.csv" in text_of(report, " ")
        sid, note, _ = page.send_upload(1, good, "dung.csv", None, "n2", "vi")
    item = Inbox(data_dir).get(sid)
    assert (item.file_name, item.ext, item.rows) == ("dung.csv", "csv", 1)
    from dash.exceptions import PreventUpdate

    with use_scope(R22), pytest.raises(PreventUpdate):  # not an upload
        page.check_upload("not a data url", None, "x.csv", "vi")
