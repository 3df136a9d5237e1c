"""The command center's Dash app: a thin shell around the pages.

Run: python app.py (reads CC_DATA_DIR, HOST, PORT). Production: gunicorn app:server.
"""

from __future__ import annotations

import dash

import downloads  # noqa: F401 (registers the download callback)
import settings
import shell
from api import api
from auth.install import install as install_auth
from auth.pages import record_cached_view
from core.scope import make_scope
from data.cache import cache
from data.web import (
    cache_page_responses,
    one_snapshot_per_request,
    warm_after_refresh,
)
from intake.api import intake_api
from wall.api import wall_api

app = dash.Dash(
    __name__,
    use_pages=True,
    compress=True,
    serve_locally=True,
    suppress_callback_exceptions=True,
    title="Trung tâm thông tin, chỉ đạo, điều hành",
    update_title=None,
    meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
)
server = app.server
install_auth(app)  # sign-in for every route, scopes, audit, security headers (auth/)
server.config.update(settings.cache_config())
cache.init_app(server)
one_snapshot_per_request(server)
cache_page_responses(server, on_hit=record_cached_view)
if settings.warm_urls():
    warm_after_refresh(
        server, settings.warm_urls(), make_scope(settings.warm_role(), "system:warm")
    )
server.register_blueprint(api)
server.register_blueprint(wall_api)
server.register_blueprint(intake_api)  # /api/v1/submissions: the reporters' push
app.layout = shell.layout
# Dash finishes its set-up (the dash.callback callbacks, the pages router) in
# the first request's before_request hooks, marking each step done before it
# is done: the concurrent first requests of a fresh threaded worker found
# callbacks missing (400 "no such callback"). One request in process does it
# now, before any client is served.
server.test_client().head("/login")

if __name__ == "__main__":
    app.run(host=settings.host(), port=settings.port(), debug=settings.debug())
