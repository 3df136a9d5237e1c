"""Sign-in, scopes by management level, and the audit log.

roles.py    the roles and what each may do (capabilities)
scope.py    a Scope: a role plus the units and indicators it may read
context.py  the scope of the current request (flask.g) or of a CLI/test block
passwords.py, db.py, store.py   accounts, device/API tokens, sessions (SQLite)
lockout.py  sign-in with lock-out after repeated failures
audit.py    the append-only audit log (its own SQLite file)
web.py      /login, /logout, /healthz, /admin/audit.csv
gate.py     every other route needs an identity (session, bearer or device token)
validate.py malformed Dash callback requests are a 400
headers.py  Content-Security-Policy and the other security headers
pages.py    page layouts answer "not permitted" for data outside the scope
ui.py       the account bar and the "not permitted" state
demo.py, __main__.py   demo accounts; the CLI (python -m auth)
install.py  install(app): all of the above on the Dash app's Flask server
Scope is enforced where data are read: data/access.py, called by data.queries.run.
"""
