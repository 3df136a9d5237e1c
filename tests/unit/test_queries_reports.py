"""The reporting status (data/queries.py reports) on the scenario's warehouse
(tests/unit/queries_scenario.py): on time, late, due and missing against a
bound today, by level, a province with its communes, bad arguments."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data import queries as q
from data.queries import BadParameter
from tests.unit.queries_scenario import SUBMITTED_FIRST, one_row


def _status(frame, regime, period, unit):
    row = one_row(frame, regime=regime, period=period, unit_code=unit)
    return row["report_status"], row["days_late"]


def _reports_on(day: dt.date, *args):
    """q.reports as if today were `day` (it binds date.today())."""

    class Today(dt.date):
        @classmethod
        def today(cls):
            return cls(day.year, day.month, day.day)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(dt, "date", Today)
        return q.reports(*args)


def test_reports_statuses_against_a_bound_today(queries_data_dir):
    # NSNN_M is due 10 days after the month, DTC_M 7, CPS_M 5
    frame = _reports_on(dt.date(2020, 9, 7), "2020-08", 2, "province", "01")
    assert _status(frame, "NSNN_M", "2020-08", "01") == ("on_time", 0)  # sent 09-05
    assert _status(frame, "NSNN_M", "2020-07", "01") == ("late", 36)  # sent 09-15
    assert _status(frame, "DTC_M", "2020-08", "01") == ("due", 0)  # due 09-07
    assert _status(frame, "CPS_M", "2020-08", "01") == ("missing", 2)  # due 09-05
    later = _reports_on(dt.date(2020, 9, 11), "2020-08", 2, "province", "01")
    assert _status(later, "DTC_M", "2020-08", "01") == ("missing", 4)


def test_reports_status_is_keyed_by_today(queries_data_dir):
    early = _reports_on(dt.date(2020, 9, 7), "2020-08", 1, "province", "01")
    late = _reports_on(dt.date(2020, 9, 11), "2020-08", 1, "province", "01")
    assert _status(early, "DTC_M", "2020-08", "01")[0] == "due"
    assert _status(late, "DTC_M", "2020-08", "01")[0] == "missing"


def test_reports_with_the_real_today(queries_data_dir):
    frame = q.reports("2020-08", 1, "province")
    assert set(frame["period"]) == {"2020-08"}
    assert len(frame[frame["regime"] == "NSNN_M"]) == 63  # the 63 provinces then
    assert _status(frame, "NSNN_M", "2020-08", "22") == ("on_time", 0)
    assert _status(frame, "NSNN_M", "2020-08", "02")[0] == "missing"
    hanoi = one_row(frame, regime="NSNN_M", period="2020-08", unit_code="01")
    assert (hanoi["unit_vi"], hanoi["n_supplied"], hanoi["reporter"]) == (
        "Hà Nội",
        1,
        "UBND-01",
    )
    assert hanoi["first_submitted_at"] == pd.Timestamp(SUBMITTED_FIRST)
    assert str(hanoi["due_date"])[:10] == "2020-09-10"


def test_reports_after_the_reform_expect_34_provinces(queries_data_dir):
    frame = q.reports("2025-08", 1, "province")
    assert len(frame[frame["regime"] == "NSNN_M"]) == 34


def test_reports_of_a_province_include_its_communes(queries_data_dir):
    frame = q.reports("2020-08", 1, None, "22")
    assert set(frame["level"]) == {"province", "commune"}
    commune = one_row(frame, regime="XA_M", period="2020-08", unit_code="06649")
    # XA_M is due 3 days after the month; the commune's figure came on 09-05
    assert (commune["report_status"], commune["days_late"]) == ("late", 2)
    assert commune["reporter"] == "UBND-22"
    assert commune["unit_vi"] == "Phường Hà Khánh"


def test_reports_by_level(queries_data_dir):
    national = q.reports("2020-08", 1, "national")
    assert set(national["level"]) == {"national"}
    assert set(national["unit_code"]) == {"00"}
    assert "BTC" in set(national["reporter"])
    assert national["unit_vi"].notna().all()  # the ministry's name
    communes = q.reports("2020-08", 1, "commune")
    assert set(communes["level"]) == {"commune"}
    assert set(q.reports("2020-08", 3, "province")["period"]) == {
        "2020-08",
        "2020-07",
        "2020-06",
        "2020-Q2",
    }


@pytest.mark.parametrize(
    "args, message",
    [
        (("2020-08", 0), "between 1 and 120"),
        (("2020-08", 121), "between 1 and 120"),
        (("2020-08", "x"), "whole number"),
        (("2020-08", None), "whole number"),
        (("2020-08", "1.5"), "whole number"),
        (("2020-08", 12, "region"), "level must be"),
        (("2020-08", 12, ""), "level must be"),
        (("2020-08", 12, None, "2x"), "unit must be"),
        (("2020-8",), "as_of must look like"),
    ],
)
def test_reports_refuses_bad_arguments(queries_data_dir, args, message):
    with pytest.raises(BadParameter, match=message):
        q.reports(*args)


def test_reports_takes_months_as_text(queries_data_dir):
    assert len(q.reports("2020-08", "1", "province")) == len(
        q.reports("2020-08", 1, "province")
    )
