"""Password and token hashing.

Passwords: argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile).
Tokens are 256-bit random strings, so a SHA-256 of each is enough to store:
it cannot be reversed and the token cannot be guessed.
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "cct_"

_hasher = PasswordHasher()
# Verified against when the account does not exist, so that a wrong name takes
# as long as a wrong password (no account enumeration by timing).
_DUMMY = _hasher.hash(secrets.token_urlsafe(16))


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if password.strip() != password:
        raise ValueError("a password may not start or end with spaces")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def generate_password() -> str:
    return secrets.token_urlsafe(12)
