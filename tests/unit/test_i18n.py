"""core.i18n: string table, lookup, fallbacks, language normalisation."""

import string

import pytest

from core.i18n import DEFAULT_LANG, LANGS, STRINGS, normalize_lang, t


def test_languages():
    assert LANGS == ("vi", "en")
    assert DEFAULT_LANG == "vi"


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_key_has_both_languages(key):
    entry = STRINGS[key]
    assert set(entry) == set(LANGS)
    assert all(isinstance(entry[lang], str) and entry[lang].strip() for lang in LANGS)


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_placeholders_match_between_languages(key):
    def names(text):
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    assert names(STRINGS[key]["vi"]) == names(STRINGS[key]["en"])


@pytest.mark.parametrize(
    ("key", "vi", "en"),
    [
        ("nav.home", "Trang chủ", "Home"),
        ("nav.overview", "Tổng quan quốc gia", "National overview"),
        ("nav.provinces", "Tỉnh thành", "Provinces"),
        ("nav.sectors", "Ngành, lĩnh vực", "Sectors"),
        ("nav.indicators", "Chỉ tiêu", "Indicators"),
        ("nav.data_status", "Tình hình báo cáo", "Reporting status"),
        ("status.on_track", "Đạt tiến độ", "On track"),
        ("status.at_risk", "Có nguy cơ", "At risk"),
        ("status.off_track", "Chậm tiến độ", "Off track"),
        ("status.no_data", "Chưa có số liệu", "No data"),
        (
            "msg.no_data",
            "Không có dữ liệu cho lựa chọn này",
            "No data for this selection",
        ),
    ],
)
def test_seeded_strings(key, vi, en):
    assert t(key, "vi") == vi
    assert t(key, "en") == en


def test_placeholders_are_filled():
    assert t("ui.updated_at", "vi", time="14:29") == "Cập nhật lúc 14:29"
    assert t("ui.updated_at", "en", time="14:29") == "Updated 14:29"
    assert (
        t("report.indicators_supplied", "vi", n=12, total=15)
        == "12/15 chỉ tiêu đã cung cấp số liệu"
    )
    assert (
        t("report.indicators_supplied", "en", n=12, total=15)
        == "12 of 15 indicators supplied"
    )


def test_missing_placeholder_is_left_visible():
    assert t("ui.updated_at", "en", other=1) == "Updated {time}"
    assert t("ui.updated_at", "en") == "Updated {time}"


@pytest.mark.parametrize("lang", ["fr", None, "", 42, "xx-YY"])
def test_unknown_language_falls_back_to_vietnamese(lang):
    assert t("nav.home", lang) == "Trang chủ"


def test_default_language_is_vietnamese():
    assert t("nav.home") == "Trang chủ"


def test_missing_key_returns_key():
    assert t("no.such.key", "en") == "no.such.key"
    assert t("no.such.key", "vi", n=1) == "no.such.key"


def test_language_missing_for_a_key_falls_back_to_vietnamese(monkeypatch):
    monkeypatch.setitem(STRINGS, "test.only_vi", {"vi": "Chỉ tiếng Việt"})
    assert t("test.only_vi", "en") == "Chỉ tiếng Việt"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("vi", "vi"),
        ("en", "en"),
        ("EN", "en"),
        (" en ", "en"),
        ("en-US", "en"),
        ("en_GB", "en"),
        ("vi-VN", "vi"),
        ("fr", "vi"),
        ("", "vi"),
        (None, "vi"),
        (1, "vi"),
        (["en"], "vi"),
    ],
)
def test_normalize_lang(value, expected):
    assert normalize_lang(value) == expected


def test_english_counts_say_one_province_and_many_provinces():
    from core.i18n import register, t

    register({"test.count": {"vi": "{n} tỉnh", "en": "{n:province|provinces}"}})
    assert t("test.count", "en", n=1) == "1 province"
    assert t("test.count", "en", n="1") == "1 province"
    assert t("test.count", "en", n=2) == "2 provinces"
    assert t("test.count", "en", n="1.234") == "1.234 provinces"
    assert t("test.count", "vi", n=1) == "1 tỉnh"
    register(
        {
            "test.counts": {
                "vi": "{n} chỉ tiêu, {owners} bộ",
                "en": "{n:indicator|indicators}, "
                "{owners:owner ministry|owner ministries}",
            }
        }
    )
    assert t("test.counts", "en", n=1, owners=2) == "1 indicator, 2 owner ministries"
