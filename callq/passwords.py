"""Password hashing with Argon2id (argon2-cffi's recommended parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from callq.i18n import N_, Problem

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An Argon2id hash with its own salt and parameters."""
    if len(password) < 8:
        raise Problem(N_("a password needs at least 8 characters"))
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether the password matches; never raises on a wrong or malformed hash."""
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
