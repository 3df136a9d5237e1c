"""How the web server reads the data layer: one snapshot per request.

The ETL may publish a new snapshot while a request is being answered (the data
layer switches within half a second). A page callback or an API answer runs
several queries; each request therefore reads the snapshot that was current
when it started, for all of its queries, so that an answer never mixes two
snapshots and its `snapshot_id` names the data it shows. A view that asks for
another snapshot (the wall's frozen meeting data) still does so with
data.db.pinned_snapshot, which takes precedence inside its block.

The page callbacks' whole answers are cached too (cache_page_responses): the
wall and the bridge points ask for the same views, and a view asked again in
the same snapshot is then served without rendering it again. With
warm_after_refresh (CC_WARM_URLS), the views most asked for are rendered into
the cache as soon as a new snapshot is published.

An answer depends on who asks (data.access filters every query by the
caller's scope), so the cache key holds the scope's reach (capabilities,
province, agencies, sectors): two callers share an answer only when they may
see exactly the same things. A request without a scope is never cached, a view
the layout refused ('not permitted', a bad value) is never stored, and a view
served from the cache is still recorded in the audit log (`on_hit`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from datetime import date

from flask import Flask, Response, g, has_request_context, request

import settings
from core.context import INTERNAL_SCOPE, current_scope
from core.scope import Scope
from data.cache import cache
from data.db import NoSnapshot, current_pin, pinned_snapshot, warehouse
from data.store import Layout


def one_snapshot_per_request(server: Flask) -> None:
    """Pin each request of `server` to the snapshot current when it starts."""

    @server.before_request
    def _pin_current_snapshot() -> None:
        if current_pin() is not None:
            return
        try:
            snapshot_id = warehouse().snapshot().snapshot_id
        except NoSnapshot:
            return  # nothing published yet: the views say so
        scope = pinned_snapshot(snapshot_id)
        scope.__enter__()
        g.cc_snapshot_scope = scope

    @server.teardown_request
    def _unpin(_exc: BaseException | None) -> None:
        scope = g.pop("cc_snapshot_scope", None)
        if scope is not None:
            scope.__exit__(None, None, None)


# -- whole answers of the page callbacks, cached per snapshot ----------------------

# Callbacks whose answer depends only on the request (the URL), the snapshot,
# the day (report deadlines) and the rejected files (data-status): a page's
# content and the navbar with the footer, for the data views below (not the
# wall or the presenter, which follow their sessions).
CACHED_OUTPUTS = ("_pages_content.children", "navbar.children")
CACHED_PATHS = ("/", "/provinces", "/sectors", "/data-status")
CACHED_PREFIXES = ("/province/", "/sector/", "/indicator/")
RESPONSE_TIMEOUT = 3600


def _cacheable_path(pathname: object) -> bool:
    path = str(pathname or "/")
    return path in CACHED_PATHS or path.startswith(CACHED_PREFIXES)


def scope_key(scope: Scope) -> str | None:
    """What an answer may depend on of the caller (None: no scope, no caching).
    Not the principal: no cached view shows who asks (the account bar is its
    own callback, never cached)."""
    if not scope.capabilities:
        return None
    reach = "|".join(
        [
            ",".join(sorted(scope.capabilities)),
            scope.province or "*",
            ",".join(scope.agencies),
            ",".join(scope.sectors),
            scope.agency or "",
        ]
    )
    return hashlib.sha1(reach.encode()).hexdigest()[:16]


def dont_cache_response() -> None:
    """This request's answer must not be stored (a refused or bad view)."""
    if has_request_context():
        g.cc_dont_cache = True


def _files_version() -> int:
    """Changes when the ETL keeps a rejected file (no new snapshot for that)."""
    try:
        return (Layout(settings.data_dir()).rejected).stat().st_mtime_ns
    except OSError:
        return 0


def _response_key() -> str | None:
    """The cache key of this Dash update request, or None when not cacheable."""
    if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
        return None
    snapshot_id = current_pin()
    reach = scope_key(current_scope())
    if snapshot_id is None or reach is None:
        return None
    body = request.get_data(cache=True)
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    output = str(payload.get("output", ""))
    if not any(target in output for target in CACHED_OUTPUTS):
        return None
    paths = [
        item.get("value")
        for item in payload.get("inputs") or []
        if isinstance(item, dict) and item.get("property") == "pathname"
    ]
    if not paths or not all(_cacheable_path(p) for p in paths):
        return None
    # the request as data, not as bytes: any client's spelling of it is one key
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha1(canonical.encode()).hexdigest()
    day = date.today().isoformat()  # the pages' 'today' (report deadlines)
    g.cc_response_payload = payload
    return f"r:{snapshot_id}:{reach}:{day}:{_files_version()}:{digest}"


def cache_page_responses(
    server: Flask, on_hit: Callable[[dict], None] | None = None
) -> None:
    """Answer a page callback asked again in the same snapshot, by a caller of
    the same reach, from the cache (flask-caching: per process, or Redis shared
    by every worker and host), stored gzip-compressed so that a hit costs
    neither rendering nor compression. `on_hit(payload)` runs for each answer
    served from the cache (the audit of views). Call after the sign-in hook
    (the key needs the caller's scope), after one_snapshot_per_request (and
    the request's snapshot) and after the cache is set up."""

    @server.before_request
    def _answer_from_cache() -> Response | None:
        key = _response_key()
        if key is None:
            return None
        stored = cache.get(key)
        if stored is None:
            g.cc_response_key = key
            return None
        if on_hit is not None:
            on_hit(g.cc_response_payload)
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = Response(stored, mimetype="application/json")
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = Response(gzip.decompress(stored), mimetype="application/json")
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["X-CC-Cache"] = "hit"
        return response

    @server.after_request
    def _store_in_cache(response: Response) -> Response:
        key = g.pop("cc_response_key", None)
        if (
            key is not None
            and not g.get("cc_dont_cache")
            and response.status_code == 200
            and response.mimetype == "application/json"
            and not response.direct_passthrough
            and "Content-Encoding" not in response.headers
        ):
            cache.set(
                key, gzip.compress(response.get_data(), 6), timeout=RESPONSE_TIMEOUT
            )
        return response


# -- warming the cache when a new snapshot is published ----------------------------


def update_payload(dependencies: list[dict], output_id: str, values: dict) -> dict:
    """The body of a `/_dash-update-component` request, as the browser sends it,
    for the callback whose outputs include `output_id`; `values` maps
    "id.property" of its inputs and states to their values."""
    for dep in dependencies:
        parts = dep["output"].strip(".").split("...")
        if any(part.split(".")[0] == output_id for part in parts):
            break
    else:
        raise KeyError(f"no callback outputs {output_id}")
    outputs = [
        {"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1].split("@")[0]}
        for p in parts
    ]

    def items(specs: list[dict]) -> list[dict]:
        return [
            {
                "id": s["id"],
                "property": s["property"],
                "value": values.get(f"{s['id']}.{s['property']}"),
            }
            for s in specs
        ]

    inputs = items(dep["inputs"])
    return {
        "output": dep["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": inputs,
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs],
        "state": items(dep.get("state", [])),
    }


def page_payloads(dependencies: list[dict], url: str) -> list[dict]:
    """The page-content and chrome requests a browser makes to show `url`."""
    path, _, query = url.partition("?")
    search = f"?{query}" if query else ""
    return [
        update_payload(
            dependencies,
            "_pages_content",
            {"_pages_location.pathname": path, "_pages_location.search": search},
        ),
        update_payload(
            dependencies, "navbar", {"url.pathname": path, "url.search": search}
        ),
    ]


def warm(server: Flask, urls: list[str], scope: Scope) -> int:
    """Render the data views `urls`, as `scope` sees them, into the answer cache
    (through the app's own request handling, so with the same keys as the
    request of a caller of that reach)."""
    client = server.test_client()
    internal = {INTERNAL_SCOPE: scope}
    dependencies = client.get(
        "/_dash-dependencies", environ_overrides=internal
    ).get_json()
    done = 0
    for url in urls:
        for body in page_payloads(dependencies, url):
            response = client.post(
                "/_dash-update-component",
                json=body,
                headers={"Accept-Encoding": "gzip"},
                environ_overrides=internal,
            )
            done += response.status_code == 200
    return done


def warm_after_refresh(
    server: Flask, urls: list[str], scope: Scope, every: float = 1.0
):
    """Watch CURRENT from a daemon thread of this process and warm `urls`, as
    `scope` sees them (the walls' role), into the cache whenever a new snapshot
    is published, so that viewers are not the ones who render a view first.
    With Redis, one process of all the workers and hosts does it for each
    snapshot (a lock key in Redis).
    Returns the threading.Event that stops the thread."""
    import threading

    stop = threading.Event()

    def loop() -> None:
        seen = None
        while not stop.wait(every):
            try:
                snapshot_id = warehouse().snapshot().snapshot_id
            except Exception:  # nothing published yet, or a switch in progress
                continue
            if snapshot_id == seen:
                continue
            seen = snapshot_id
            with server.app_context():
                if not cache.add(f"warm:{snapshot_id}", 1, timeout=RESPONSE_TIMEOUT):
                    continue  # another process warms (or warmed) this snapshot
                try:
                    warm(server, urls, scope)
                except Exception as exc:  # warming is best effort; say why
                    server.logger.warning("warming %s failed: %s", snapshot_id, exc)

    threading.Thread(target=loop, name="cc-warm", daemon=True).start()
    return stop
