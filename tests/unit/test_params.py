"""core.params: a view's state from its URL, its problems in the page's language."""

from __future__ import annotations

import pytest

from core.params import BadParameter, check_month, is_month, read_state


def test_good_values_are_kept():
    state = read_state({"lang": "en", "period": "2026-03", "geo": "2020"})
    assert state.as_params() == {"lang": "en", "period": "2026-03", "geo": "2020"}
    assert state.problems == []


def test_bad_values_fall_back_and_are_said_in_vietnamese_by_default():
    state = read_state({"period": "2026-13", "geo": "1999"})
    assert state.as_params() == {"lang": "vi", "period": None, "geo": "2025"}
    assert state.problems == [
        "period='2026-13': cần là một tháng, ví dụ 2026-03",
        "geo='1999': cần là 2025 (34 tỉnh) hoặc 2020 (63 tỉnh)",
    ]


def test_problems_follow_the_page_language():
    state = read_state({"lang": "en", "period": "soon"})
    assert state.problems == ["period='soon': expected a month like 2026-03"]


def test_a_bad_language_is_said_in_the_default_one():
    state = read_state({"lang": "fr"})
    assert state.lang == "vi"
    assert state.problems == ["lang='fr': cần là vi hoặc en"]


@pytest.mark.parametrize("value", ["0001-01", "2026-1", "2026-00", "", "2026-03x"])
def test_the_pages_and_the_data_layer_share_one_month_rule(value):
    assert not is_month(value)
    with pytest.raises(BadParameter):
        check_month(value)
    assert read_state({"period": value}).period is None
