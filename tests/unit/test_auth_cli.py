"""`python -m auth`: users and tokens managed from the command line (add,
disable, reset, list, revoke), as the README documents, and the demo set-up
printing where to sign in (HOST and PORT)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner

from auth import passwords, store
from auth.__main__ import app

RUN = CliRunner()


@pytest.fixture
def root(tmp_path, monkeypatch):
    folder = tmp_path / "auth"
    monkeypatch.setenv("CC_AUTH_DIR", str(folder))  # it wins over --data-dir
    monkeypatch.setattr(
        passwords,
        "_hasher",
        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    return folder


def cli(*args: str, stdin: str | None = None):
    return RUN.invoke(app, list(args), input=stdin)


def test_users_are_added_listed_disabled_and_reset(root):
    added = cli(
        "users",
        "add",
        "an",
        "--role",
        "province_analyst",
        "--province",
        "22",
        "--password-stdin",
        stdin="first-password-1\n",
    )
    assert added.exit_code == 0, added.output
    assert "an" in cli("users", "list").output
    assert store.check_user_password("an", "first-password-1", root=root)
    assert cli("users", "disable", "an").exit_code == 0
    assert "disabled" in cli("users", "list").output
    assert store.check_user_password("an", "first-password-1", root=root) is None
    assert cli("users", "enable", "an").exit_code == 0
    reset = cli(
        "users", "reset-password", "an", "--password-stdin", stdin="second-password-2\n"
    )
    assert reset.exit_code == 0, reset.output
    assert store.check_user_password("an", "second-password-2", root=root)
    assert store.check_user_password("an", "first-password-1", root=root) is None


def test_a_bad_role_or_province_is_refused_with_a_message(root):
    bad = cli("users", "add", "xa", "--role", "emperor", "--generate")
    assert bad.exit_code == 2 and "emperor" in bad.output
    bad = cli(
        "users",
        "add",
        "ya",
        "--role",
        "province_analyst",
        "--province",
        "99",
        "--generate",
    )
    assert bad.exit_code == 2 and "99" in bad.output
    bad = cli("users", "add", "x", "--role", "viewer", "--generate")
    assert bad.exit_code == 2 and "2-64 characters" in bad.output
    assert store.list_users(root=root) == []  # nothing half made


def test_tokens_are_created_once_listed_without_the_secret_and_revoked(root):
    made = cli("tokens", "create", "--name", "wall-9", "--role", "viewer")
    assert made.exit_code == 0, made.output
    secret = next(line for line in made.output.splitlines() if line.startswith("cct_"))
    assert store.identify_token(secret, root=root) is not None
    listed = cli("tokens", "list").output
    assert "wall-9" in listed and secret not in listed and "live" in listed
    assert cli("tokens", "revoke", "wall-9").exit_code == 0
    assert store.identify_token(secret, root=root) is None  # at once
    assert "revoked" in cli("tokens", "list").output
    assert cli("tokens", "revoke", "wall-9").exit_code == 1  # none live left


def test_demo_accounts_print_the_address_the_app_serves(root, monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("HOST", "0.0.0.0")
    out = cli("demo-accounts")
    assert out.exit_code == 0, out.output
    assert "http://127.0.0.1:8123/login" in out.output
    assert "http://127.0.0.1:8123/wall?token=cct_" in out.output
    names = {u["name"] for u in store.list_users(root=root)}
    assert len(names) >= 7  # one per role
