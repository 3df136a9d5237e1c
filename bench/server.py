"""A production-like server for the benchmarks: gunicorn (gunicorn.conf.py) on
127.0.0.1 with a free port, and a redis-server of its own when asked."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.common import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def redis_server():
    exe = shutil.which("redis-server")
    if exe is None:
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    folder = tempfile.mkdtemp(prefix="cc-bench-redis-")
    proc = subprocess.Popen(
        [
            exe,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            folder,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    import redis

    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(200):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Served:
    """The app under gunicorn and a viewer's device token for it (auth/)."""

    url: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def session(self) -> requests.Session:
        session = requests.Session()
        session.headers.update(self.headers)
        return session

    def session_cookie(self) -> dict:
        """A signed-in session's cookie (for a browser): the token exchanged once."""
        response = requests.get(
            f"{self.url}/?token={self.token}", allow_redirects=False, timeout=30
        )
        cookie = next(c for c in response.cookies if c.name.endswith("cc_session"))
        return {"name": cookie.name, "value": cookie.value, "path": "/"}


def _wait_until_up(
    served: Served, proc: subprocess.Popen, log: Path, timeout: float
) -> None:
    deadline, last = time.monotonic() + timeout, "no answer"
    while True:
        try:
            answer = requests.get(
                served.url + "/api/v1/catalog", headers=served.headers, timeout=30
            )
            if answer.status_code == 200:
                return
            last = f"HTTP {answer.status_code}: {answer.text[:300]}"
        except requests.RequestException as exc:
            last = f"{type(exc).__name__}: {exc}"
        if proc.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"gunicorn did not start ({last}); {log}:\n{tail}")
        time.sleep(0.2)


@contextmanager
def gunicorn(
    data_dir: Path,
    workers: int = 4,
    threads: int = 4,
    redis_url: str | None = None,
    start_timeout: float = 120,
):
    """Yields the app served by gunicorn (Served), accounts in a temporary folder
    (the benchmarks, and the soak test of tests/integration); RuntimeError with
    the server's log if it does not answer within `start_timeout` seconds."""
    from auth.store import create_token

    auth_dir = Path(tempfile.mkdtemp(prefix="cc-bench-auth-"))
    # CC_AUTH_DIR wins over a root argument: name the folder the server will use
    before, os.environ["CC_AUTH_DIR"] = os.environ.get("CC_AUTH_DIR"), str(auth_dir)
    try:
        token, _ = create_token("bench-viewer", "viewer", "bench")
    finally:
        if before is None:
            os.environ.pop("CC_AUTH_DIR")
        else:
            os.environ["CC_AUTH_DIR"] = before
    port = free_port()
    env = os.environ | {
        "CC_AUTH_DIR": str(auth_dir),
        "CC_SECRET_KEY": os.urandom(32).hex(),
        "CC_DATA_DIR": str(data_dir),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "CC_THREADS": str(threads),
    }
    env.pop("CC_REDIS_URL", None)
    if redis_url:
        env["CC_REDIS_URL"] = redis_url
    log = tempfile.NamedTemporaryFile(
        prefix="cc-bench-gunicorn-", suffix=".log", delete=False
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "app:server",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    served = Served(f"http://127.0.0.1:{port}", token)
    try:
        _wait_until_up(served, proc, Path(log.name), start_timeout)
        yield served
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(auth_dir, ignore_errors=True)
