"""Configuration read from the environment, in one place.

Both the ETL and the app import this; nothing else reads os.environ.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent
REFERENCE_DIR = Path(os.environ.get("CC_REFERENCE_DIR") or ROOT / "data" / "reference")
GEO_DIR = ROOT / "data" / "geo"

# The province reform: the 63 provinces end on this day, the 34 start the next.
REFORM_LAST_OLD_DAY = "2025-06-30"
REFORM_FIRST_NEW_DAY = "2025-07-01"

# Status of % of plan against the expected pace (share of the pace reached).
ON_TRACK_SHARE = float(os.environ.get("CC_ON_TRACK_SHARE", "0.95"))
AT_RISK_SHARE = float(os.environ.get("CC_AT_RISK_SHARE", "0.85"))
# For min/max targets: how far from the target (share of it) is still "at risk".
MINMAX_AT_RISK_MARGIN = float(os.environ.get("CC_MINMAX_AT_RISK_MARGIN", "0.10"))

# Memory the ETL's DuckDB may use before it spills to <data dir>/tmp (a DuckDB
# memory_limit: '40%' of the RAM, or '8GB').
ETL_MEMORY_LIMIT = os.environ.get("CC_ETL_MEMORY_LIMIT", "40%")

# Snapshots kept besides the current one, and the minimum age before pruning.
KEEP_SNAPSHOTS = int(os.environ.get("CC_KEEP_SNAPSHOTS", "3"))
PRUNE_GRACE_SECONDS = int(os.environ.get("CC_PRUNE_GRACE_SECONDS", "600"))


def data_dir() -> Path:
    """The warehouse directory: env CC_DATA_DIR, else data/ in the repo."""
    return Path(os.environ.get("CC_DATA_DIR") or ROOT / "data").resolve()


def host() -> str:
    return os.environ.get("HOST", "127.0.0.1")


def port() -> int:
    return int(os.environ.get("PORT", "8050"))


def local_url() -> str:
    """The app's address from HOST and PORT, as printed for people to open (a
    wildcard HOST is opened at 127.0.0.1)."""
    name = host()
    shown = "127.0.0.1" if name in ("0.0.0.0", "::", "") else name
    return f"http://{shown}:{port()}"


def debug() -> bool:
    return os.environ.get("CC_DEBUG", "") == "1"


# Production serving (gunicorn.conf.py): worker processes, threads per worker,
# request timeout in seconds. Each worker opens its own read-only connections.
def web_concurrency() -> int:
    return int(os.environ.get("WEB_CONCURRENCY") or max(2, 2 * (os.cpu_count() or 1)))


def web_threads() -> int:
    return int(os.environ.get("CC_THREADS", "4"))


def web_timeout() -> int:
    return int(os.environ.get("CC_TIMEOUT", "60"))


def warm_urls() -> list[str]:
    """Views rendered into the cache when a snapshot is published (CC_WARM_URLS,
    comma-separated, e.g. `/,/provinces,/sectors`; none by default)."""
    urls = os.environ.get("CC_WARM_URLS", "").split(",")
    return [u.strip() for u in urls if u.strip()]


def warm_role() -> str:
    """Whose view CC_WARM_URLS are rendered as: a role that sees every province
    (CC_WARM_ROLE, default viewer, the role of the walls' device tokens)."""
    return os.environ.get("CC_WARM_ROLE", "viewer")


def access_log() -> str | None:
    """Where gunicorn writes its access log ('-': stderr); none by default."""
    return os.environ.get("CC_ACCESS_LOG") or None


def cache_config() -> dict:
    """flask-caching settings: a local cache by default, Redis with CC_REDIS_URL."""
    url = os.environ.get("CC_REDIS_URL")
    if url:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": url,
            "CACHE_DEFAULT_TIMEOUT": 3600,
            "CACHE_KEY_PREFIX": "cc:",
        }
    return {
        "CACHE_TYPE": "SimpleCache",
        "CACHE_DEFAULT_TIMEOUT": 3600,
        "CACHE_THRESHOLD": 2000,
    }


# --- Sign-in, sessions and audit (auth/; README, "Security") ---


def auth_dir(root: Path | None = None) -> Path:
    """Where auth.sqlite (accounts, tokens, sessions) and audit.sqlite live: env
    CC_AUTH_DIR, else the warehouse directory (`root`, default data_dir())."""
    chosen = os.environ.get("CC_AUTH_DIR")
    return Path(chosen).resolve() if chosen else Path(root or data_dir()).resolve()


def trust_dir(root: Path | None = None) -> Path:
    """The trust store of the reporters' signatures (intake/signatures.py): the
    CA certificates (*.pem, *.crt) that a signer's chain must end in. Env
    CC_TRUST_DIR, else <warehouse directory>/trust (`root`, default data_dir())."""
    chosen = os.environ.get("CC_TRUST_DIR")
    if chosen:
        return Path(chosen).resolve()
    return Path(root or data_dir()).resolve() / "trust"


def secret_key() -> str | None:
    """Signs the session cookies; required in production (every worker and host
    must share it). None: auth/ keeps a generated key in <auth dir>/secret.key."""
    return os.environ.get("CC_SECRET_KEY") or None


def secure_cookies() -> bool:
    """Cookies only over HTTPS (set behind a TLS reverse proxy)."""
    return os.environ.get("CC_SECURE_COOKIES", "") == "1"


def trust_proxy() -> bool:
    """Read the client address and scheme from one reverse proxy's X-Forwarded-*."""
    return os.environ.get("CC_TRUST_PROXY", "") == "1"


# Lock-out: this many failed sign-ins within the lock time lock the account
# name (and, with the IP limit, the client address) for the lock time.
LOGIN_MAX_FAILURES = int(os.environ.get("CC_LOGIN_MAX_FAILURES", "5"))
LOGIN_MAX_FAILURES_IP = int(os.environ.get("CC_LOGIN_MAX_FAILURES_IP", "20"))
LOGIN_LOCK_MINUTES = float(os.environ.get("CC_LOGIN_LOCK_MINUTES", "15"))
# A user's session ends after this many hours, or this many idle minutes.
SESSION_HOURS = float(os.environ.get("CC_SESSION_HOURS", "12"))
SESSION_IDLE_MINUTES = float(os.environ.get("CC_SESSION_IDLE_MINUTES", "120"))


# --- Submissions (intake/: the /submit page and POST /api/v1/submissions) ---


def max_submission_bytes() -> int:
    """The largest report file accepted (CC_MAX_SUBMISSION_BYTES, default 20 MB)."""
    return int(os.environ.get("CC_MAX_SUBMISSION_BYTES") or 20 * 1024 * 1024)


def submit_rate_per_minute() -> int:
    """Submissions one principal (user or token) may POST per minute
    (CC_SUBMIT_RATE_PER_MINUTE, default 60); more are answered 429."""
    return int(os.environ.get("CC_SUBMIT_RATE_PER_MINUTE") or 60)
