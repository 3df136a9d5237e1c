"""Lock-out after repeated failed sign-ins (auth/lockout.py), brute force bounded."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

import settings
from auth import lockout, passwords, store


@pytest.fixture(autouse=True)
def root(tmp_path, monkeypatch):
    monkeypatch.delenv("CC_AUTH_DIR", raising=False)
    monkeypatch.setattr(
        passwords,
        "_hasher",
        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )
    store.add_user("an", "viewer", "the right one", root=tmp_path)
    return tmp_path


def _later(monkeypatch, seconds: float) -> None:
    real = lockout.time.time
    monkeypatch.setattr(lockout.time, "time", lambda: real() + seconds)
    monkeypatch.setattr(store.time, "time", lambda: real() + seconds)


def test_five_failures_lock_the_account_even_for_the_right_password(root):
    outcomes = [
        lockout.sign_in("an", f"guess {i}", "10.0.0.1", root).outcome
        for i in range(settings.LOGIN_MAX_FAILURES)
    ]
    assert outcomes == ["bad"] * (settings.LOGIN_MAX_FAILURES - 1) + ["locked"]
    result = lockout.sign_in("an", "the right one", "10.0.0.2", root)
    assert result.outcome == "locked" and result.identity is None
    assert 0 < result.retry_after <= settings.LOGIN_LOCK_MINUTES * 60


def test_a_bounded_brute_force_never_gets_in(root):
    """200 guesses from one address, the right password among the last: locked
    after the limit, so the right one is refused too."""
    guesses = [f"guess {i}" for i in range(199)] + ["the right one"]
    results = [lockout.sign_in("an", g, "10.0.0.9", root) for g in guesses]
    assert all(r.identity is None for r in results)
    checked = sum(1 for r in results if r.outcome == "bad")
    assert checked == settings.LOGIN_MAX_FAILURES - 1  # the rest never reach argon2


def test_the_lock_ends_after_the_lock_time(root, monkeypatch):
    for i in range(settings.LOGIN_MAX_FAILURES):
        lockout.sign_in("an", f"guess {i}", None, root)
    _later(monkeypatch, settings.LOGIN_LOCK_MINUTES * 60 + 1)
    assert lockout.sign_in("an", "the right one", None, root).outcome == "ok"


def test_a_success_clears_the_count(root):
    for i in range(settings.LOGIN_MAX_FAILURES - 1):
        lockout.sign_in("an", f"guess {i}", None, root)
    assert lockout.sign_in("an", "the right one", None, root).outcome == "ok"
    assert lockout.sign_in("an", "one more guess", None, root).outcome == "bad"


def test_one_address_trying_many_names_is_locked(root):
    for i in range(settings.LOGIN_MAX_FAILURES_IP):
        lockout.sign_in(f"name{i}", "guess", "10.6.6.6", root)
    assert lockout.sign_in("an", "the right one", "10.6.6.6", root).outcome == "locked"
    assert lockout.sign_in("an", "the right one", "10.0.0.1", root).outcome == "ok"


def test_unknown_names_lock_like_known_ones(root):
    """A lock says nothing about whether a name exists."""
    outcomes = [
        lockout.sign_in("nobody", "guess", None, root).outcome
        for _ in range(settings.LOGIN_MAX_FAILURES)
    ]
    assert outcomes[-1] == "locked"


def test_an_administrator_can_unlock(root):
    for i in range(settings.LOGIN_MAX_FAILURES):
        lockout.sign_in("an", f"guess {i}", None, root)
    lockout.unlock("an", root)
    assert lockout.sign_in("an", "the right one", None, root).outcome == "ok"
