"""The views a viewer asks for, as HTTP requests the app's server answers.

A Dash page is its content callback (`_pages_content`, from the URL) plus the
chrome callback (navbar and footer); the JSON API endpoints are plain GETs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from data.web import page_payloads


@dataclass(frozen=True)
class Request:
    name: str
    method: str
    path: str
    body: bytes | None = None


PAGES = {
    "overview": "/",
    "provinces": "/provinces?indicator=NS.01&geo=2025",
    "provinces-63": "/provinces?indicator=NS.01&geo=2020&period=2024-06",
    "province": "/province/22",
    "commune": "/province/{commune}",
    "sectors": "/sectors",
    "sector": "/sector/budget",
    "indicator": "/indicator/NS.01?unit=22",
    "data-status": "/data-status",
}
API = {
    "api-progress": "/api/v1/progress?indicator=NS.01&unit=22&period={month}",
    "api-observations": "/api/v1/observations?indicator=NS.01&unit=22"
    "&from={year}-01&to={year}-12",
    "api-catalog": "/api/v1/catalog",
}


def page_requests(dependencies: list[dict], name: str, url: str) -> list[Request]:
    """The two server callbacks a page load or refresh makes (data.web builds
    them as the browser does, from the app's own `/_dash-dependencies`)."""
    content, chrome = page_payloads(dependencies, url)
    return [
        Request(name, "POST", "/_dash-update-component", json.dumps(content).encode()),
        Request(
            f"{name}:chrome",
            "POST",
            "/_dash-update-component",
            json.dumps(chrome).encode(),
        ),
    ]


def all_requests(dependencies: list[dict], month: str, commune: str) -> list[Request]:
    out: list[Request] = []
    for name, url in PAGES.items():
        out += page_requests(dependencies, name, url.format(commune=commune))
    for name, url in API.items():
        out.append(Request(name, "GET", url.format(month=month, year=month[:4])))
    return out
