"""The app's operational data: what its users write in the app (accounts,
tokens, sessions, the audit log, the wall's presenter state, and the stores to
come), never the warehouse, which only the ETL writes.

It lives in SQLite files in WAL mode in the data directory, all opened through
one helper, `store.sqlite.Database` (transactions, durability, migrations).
Past one host this package would be replaced by a PostgreSQL server behind the
same module interfaces.

`store` imports only the standard library, `settings` and `core`: never auth,
data, wall, components, pages or etl.
"""
