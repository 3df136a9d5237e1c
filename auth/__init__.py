"""Sign-in, scopes by management level, and the audit log.

roles.py    the roles and what each may do (capabilities)
scope.py    a Scope: a role plus the units and indicators it may read
context.py  the scope of the current request (flask.g) or of a CLI/test block
passwords.py, store.py   accounts, device/API tokens, sessions, lock-out (SQLite)
audit.py    the append-only audit log (its own SQLite file)
web.py      /login, /logout, /healthz; gate.py: every other route needs an identity
headers.py  Content-Security-Policy and the other security headers
pages.py    page layouts answer "not permitted" for data outside the scope
install.py  install(app): all of the above on the Dash app's Flask server
Scope is enforced where data are read: data/access.py, called by data.queries.run.
"""
