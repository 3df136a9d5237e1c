"""`python -m auth`: users and tokens managed from the command line (add,
disable, reset, list, revoke), as the README documents, and the demo set-up
printing where to sign in (HOST and PORT)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner

from auth import passwords, store
from auth.__main__ import app
from core.roles import ROLES

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
    users = {u["name"]: u for u in store.list_users(root=root)}
    assert {u["role"] for u in users.values()} == set(ROLES)  # one per role
    assert users["reporter-22"]["agency"] == "UBND-22"  # tries /submit


def test_a_reporter_is_bound_to_one_reporting_agency(root):
    added = cli(
        "users",
        "add",
        "qn-so-tc",
        "--role",
        "reporter",
        "--agency",
        "ubnd-22",
        "--generate",
    )
    assert added.exit_code == 0, added.output
    assert "reports for UBND-22" in added.output
    (user,) = store.list_users(root=root)
    assert user["agency"] == "UBND-22" and user["agencies"] == ""  # not a reach
    assert "UBND-22" in cli("users", "list").output
    made = cli(
        "tokens",
        "create",
        "--name",
        "link-qn",
        "--role",
        "reporter",
        "--agency",
        "UBND-22",
    )
    assert made.exit_code == 0, made.output
    secret = next(line for line in made.output.splitlines() if line.startswith("cct_"))
    scope = store.identify_token(secret, root=root).scope()
    assert scope.agency == "UBND-22" and scope.agencies == ()
    assert scope.can("submit") and not scope.can("values")
    assert "UBND-22" in cli("tokens", "list").output
    # a commune's People's Committee (a commune in force) and a ministry
    for name, agency in (("xa-ba-dinh", "UBND-00004"), ("btc-link", "BTC")):
        made = cli(
            "tokens",
            "create",
            "--name",
            name,
            "--role",
            "reporter",
            "--agency",
            agency,
        )
        assert made.exit_code == 0, made.output


@pytest.mark.parametrize(
    "args, says",
    [
        ((), "--agency"),
        (("--agency", "UBND-99"), "UBND-99"),
        (("--agency", "XYZ"), "XYZ"),
        (("--agency", "UBND-02"), "UBND-08"),  # merged: the province to give
        (("--agency", "UBND-06649"), "ended"),  # a commune before the reform
        (("--agency", "UBND-22", "--agency", "BTC"), "exactly one"),
        (("--agency", "UBND-22", "--province", "22"), "no --province"),
    ],
)
def test_a_reporter_without_one_existing_agency_is_refused(root, args, says):
    for command in (
        ("users", "add", "rep-x", "--role", "reporter", "--generate", *args),
        ("tokens", "create", "--name", "rep-x", "--role", "reporter", *args),
    ):
        bad = cli(*command)
        assert bad.exit_code == 2 and says in bad.output, bad.output
    assert store.list_users(root=root) == [] and store.list_tokens(root=root) == []
