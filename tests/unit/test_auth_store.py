"""Accounts, tokens and sessions (auth/store.py): hashed secrets, checks at
creation, and revocation that takes effect on the very next request."""

from __future__ import annotations

import sqlite3

import pytest
from argon2 import PasswordHasher

from auth import db, passwords, store


@pytest.fixture(autouse=True)
def auth_root(tmp_path, monkeypatch):
    monkeypatch.delenv("CC_AUTH_DIR", raising=False)
    # cheap argon2 parameters: these tests are about the store, not the cost
    monkeypatch.setattr(
        passwords,
        "_hasher",
        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    return tmp_path


def _dump(root) -> str:
    """Every value stored in auth.sqlite, as text."""
    con = sqlite3.connect(db.path(root))
    text = []
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
        text += [repr(row) for row in con.execute(f"SELECT * FROM {table}")]
    con.close()
    return "\n".join(text)


def test_passwords_are_stored_as_argon2id_hashes_only(auth_root, monkeypatch):
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher())  # the real cost
    store.add_user("an", "viewer", "correct horse battery", root=auth_root)
    dump = _dump(auth_root)
    assert "correct horse battery" not in dump and "$argon2id$" in dump
    assert store.check_user_password("an", "correct horse battery", auth_root)
    assert store.check_user_password("AN ", "correct horse battery", auth_root)
    assert store.check_user_password("an", "wrong horse battery", auth_root) is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": "king"}, "unknown role"),
        ({"password": "short"}, "at least 10"),
        ({"name": "a b"}, "a name is"),
        ({"role": "province_analyst"}, "needs --province"),
        ({"role": "province_analyst", "province": "02"}, "merged into 08"),
        ({"role": "province_analyst", "province": "99"}, "34 provinces"),
        ({"role": "ministry_analyst"}, "needs --agency"),
        ({"role": "ministry_analyst", "agencies": ("XYZ",)}, "unknown agency"),
        ({"role": "national_leader", "province": "22"}, "no --province"),
        ({"role": "administrator", "agencies": ("BTC",)}, "no --agency"),
    ],
)
def test_accounts_are_checked_when_made(auth_root, kwargs, message):
    args = {"name": "an", "role": "viewer", "password": "long enough 1", **kwargs}
    with pytest.raises(ValueError, match=message):
        store.add_user(
            args.pop("name"),
            args.pop("role"),
            args.pop("password"),
            root=auth_root,
            **args,
        )


def test_a_user_name_is_unique(auth_root):
    store.add_user("an", "viewer", "long enough 1", root=auth_root)
    with pytest.raises(ValueError, match="exists"):
        store.add_user("An", "viewer", "long enough 2", root=auth_root)


def test_a_province_scope_is_kept(auth_root):
    user = store.add_user(
        "qn", "province_analyst", "long enough 1", province="22", root=auth_root
    )
    scope = store.check_user_password("qn", "long enough 1", auth_root).scope()
    assert scope == user.scope()
    assert (scope.province, scope.role, scope.principal) == (
        "22",
        "province_analyst",
        "user:qn",
    )
    assert scope.can("values") and not scope.can("audit")


def test_disabling_an_account_ends_its_sessions_at_once(auth_root):
    user = store.add_user("an", "viewer", "long enough 1", root=auth_root)
    sid = store.create_session(user, "10.0.0.1", auth_root)
    assert store.session_identity(sid, auth_root) == user
    store.set_disabled("an", True, auth_root)
    assert store.session_identity(sid, auth_root) is None
    assert store.check_user_password("an", "long enough 1", auth_root) is None
    store.set_disabled("an", False, auth_root)
    assert store.check_user_password("an", "long enough 1", auth_root) is not None


def test_a_password_reset_ends_sessions(auth_root):
    user = store.add_user("an", "viewer", "long enough 1", root=auth_root)
    sid = store.create_session(user, None, auth_root)
    store.reset_password("an", "long enough 2", auth_root)
    assert store.session_identity(sid, auth_root) is None
    assert store.check_user_password("an", "long enough 1", auth_root) is None
    assert store.check_user_password("an", "long enough 2", auth_root) is not None


def test_sessions_are_stored_as_hashes_and_expire_when_idle(auth_root, monkeypatch):
    user = store.add_user("an", "viewer", "long enough 1", root=auth_root)
    sid = store.create_session(user, None, auth_root)
    assert sid not in _dump(auth_root)
    assert store.session_identity("forged", auth_root) is None
    real_time = store.time.time
    monkeypatch.setattr(store.time, "time", lambda: real_time() + 3 * 3600)
    assert store.session_identity(sid, auth_root) is None  # idle > 120 min


def test_a_token_is_shown_once_stored_as_a_hash_and_revoked_at_once(auth_root):
    token, ident = store.create_token("wall-1", "viewer", "pytest", root=auth_root)
    assert token.startswith("cct_") and len(token) > 40
    assert token not in _dump(auth_root)
    assert store.identify_token(token, auth_root) == ident
    device_sid = store.create_session(ident, None, auth_root)
    assert store.session_identity(device_sid, auth_root) == ident
    assert store.revoke_token("wall-1", auth_root) == 1
    assert store.identify_token(token, auth_root) is None
    assert store.session_identity(device_sid, auth_root) is None
    assert store.revoke_token("wall-1", auth_root) == 0


def test_tokens_carry_a_scope_and_can_expire(auth_root, monkeypatch):
    token, ident = store.create_token(
        "api-qn", "province_analyst", "pytest", province="22", days=1, root=auth_root
    )
    assert store.identify_token(token, auth_root).scope().province == "22"
    real_time = store.time.time
    monkeypatch.setattr(store.time, "time", lambda: real_time() + 2 * 86400)
    assert store.identify_token(token, auth_root) is None
    assert store.identify_token("cct_" + "x" * 43, auth_root) is None


def test_the_database_file_is_private(auth_root):
    store.add_user("an", "viewer", "long enough 1", root=auth_root)
    assert db.path(auth_root).stat().st_mode & 0o077 == 0
