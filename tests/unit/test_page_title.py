"""Browser-tab titles follow the URL's language (components/page_title.py):
in the pages router's answer and in the first page load."""

from __future__ import annotations

import pytest

HTML = {"Accept": "text/html"}


@pytest.mark.parametrize(
    ("path", "search", "title"),
    [
        ("/", "?lang=en", "National overview"),
        ("/", "", "Tổng quan quốc gia"),
        ("/", "?lang=fr", "Tổng quan quốc gia"),
        ("/sectors", "?period=2026-08&lang=en", "Sectors"),
        ("/indicator/NS.01", "?unit=22&lang=en", "NS.01 · Indicator"),
        ("/indicator/NS.01", "?unit=22", "NS.01 · Chỉ tiêu"),
        ("/data-status", "?lang=en", "Reporting status"),
    ],
)
def test_the_tab_title_is_in_the_urls_language(web, path, search, title):
    answer = web.router(web.signed_in("viewer"), path, search)
    assert answer.status_code == 200
    assert answer.json["response"]["_pages_store"]["data"]["title"] == title


def test_the_first_load_is_titled_in_the_urls_language(web):
    client = web.signed_in("viewer")
    english = client.get("/provinces?lang=en", headers=HTML).get_data(as_text=True)
    vietnamese = client.get("/provinces", headers=HTML).get_data(as_text=True)
    assert 'content="Provinces"' in english
    assert 'content="Tỉnh thành"' in vietnamese
