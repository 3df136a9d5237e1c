"""Screenshots of every view at exactly 1920x1080 into docs/screenshots/.

Usage: CC_DATA_DIR=<warehouse> .venv/bin/python tools/screenshots.py [--port 8790]
Starts the app (accounts in a temporary folder: a national leader's device
token signs the browser in), drives Debian's headless Chromium with the
viewport forced to 1920x1080 (a headless window loses its frame height
otherwise), waits for Dash to settle, and saves one PNG per view, and one of
the sign-in page.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VIEWS = {
    "overview": "/?period={month}",
    "overview_en": "/?period={month}&lang=en",
    "provinces": "/provinces?indicator=NS.01&period={month}",
    "provinces_63": "/provinces?indicator=NS.01&geo=2020&period=2025-06",
    "province": "/province/22?period={month}",
    "sectors": "/sectors?period={month}",
    "sector": "/sector/budget?period={month}",
    "indicator": "/indicator/NS.01?unit=22&period={month}",
    "data_status": "/data-status?period={month}&unit=22",
}


def settle(driver, timeout: float = 30) -> None:
    """Wait until Dash has no pending callbacks and the DOM stopped changing."""
    deadline, last, stable = time.time() + timeout, None, 0
    while time.time() < deadline:
        html = driver.execute_script(
            "return document.querySelector('._dash-loading-callback') ? null"
            " : document.body.innerHTML.length;"
        )
        stable = stable + 1 if html is not None and html == last else 0
        if stable >= 4:
            return
        last = html
        time.sleep(0.25)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--month", default="2026-10")
    args = parser.parse_args()
    from auth.store import create_token

    auth_dir = tempfile.mkdtemp(prefix="cc-screenshots-auth-")
    os.environ["CC_AUTH_DIR"] = auth_dir  # the server's too (env below)
    token, _ = create_token("screenshots", "national_leader", "tools")
    env = dict(os.environ, PORT=str(args.port), HOST="127.0.0.1", CC_AUTH_DIR=auth_dir)
    server = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for flag in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--hide-scrollbars",
            "--window-size=1920,1080",
        ):
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options)
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False},
        )
        out = ROOT / "docs" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        driver.get(base + "/login")
        settle(driver)
        driver.save_screenshot(str(out / "login.png"))
        print("login: /login")
        driver.get(f"{base}/?token={token}")  # a session cookie from now on
        settle(driver)
        for name, path in VIEWS.items():
            driver.get(base + path.format(month=args.month))
            settle(driver)
            driver.save_screenshot(str(out / f"{name}.png"))
            print(f"{name}: {path.format(month=args.month)}")
        driver.quit()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
