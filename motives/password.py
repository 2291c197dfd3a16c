"""The trainer password that opens the trainer's home on an organisation's server.

On a laptop the home opens for the laptop itself only. A server (behind a proxy, as a hub service)
has no such "itself": there the home stays off unless the deployment sets a trainer password,
either as a file (``motives serve --trainer-password-file``) or as a hash in the environment
(``MOTIVES_TRAINER_PASSWORD_HASH``, made by ``motives password-hash``). Only the hash is kept in
memory; the password itself is never stored, logged or handed to a page's kernel.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from motives.errors import SettingsError

# Long enough that guessing it at the server's slowed pace (motives/server/signin.py) takes years.
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000
MAX_PASSWORD_FILE_BYTES = 4096
# scrypt's cost: about 50 ms and 16 MiB a check on a laptop, so that a stolen hash is slow to guess.
_N, _R, _P = 2**14, 8, 1
_SCHEME = "scrypt"


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def checked_password(password: str) -> str:
    """``password`` if it is one a server can rely on, else a :class:`SettingsError`."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise SettingsError("password_length", least=MIN_PASSWORD_LENGTH, most=MAX_PASSWORD_LENGTH)
    return password


def password_hash(password: str) -> str:
    """A hash of ``password`` to keep in the environment: ``scrypt:N:r:p:salt:hash`` in hex."""
    salt = secrets.token_bytes(16)
    digest = _derive(checked_password(password), salt, _N, _R, _P)
    return f"{_SCHEME}:{_N}:{_R}:{_P}:{salt.hex()}:{digest.hex()}"


def checked_hash(value: str) -> str:
    """``value`` if it is a hash :func:`password_hash` made, else a :class:`SettingsError`."""
    parts = value.strip().split(":")
    try:
        scheme, n, r, p, salt, digest = parts
        well_formed = (
            scheme == _SCHEME
            and int(n) == _N
            and int(r) == _R
            and int(p) == _P
            and len(bytes.fromhex(salt)) == 16
            and len(bytes.fromhex(digest)) == 32
        )
    except ValueError:
        well_formed = False
    if not well_formed:
        raise SettingsError("password_hash_malformed", variable="MOTIVES_TRAINER_PASSWORD_HASH")
    return value.strip()


def password_matches(stored_hash: str, attempt: str) -> bool:
    """Whether ``attempt`` is the password behind ``stored_hash`` (compared in constant time)."""
    _scheme, n, r, p, salt, digest = checked_hash(stored_hash).split(":")
    if not attempt or len(attempt) > MAX_PASSWORD_LENGTH:
        return False
    return hmac.compare_digest(_derive(attempt, bytes.fromhex(salt), int(n), int(r), int(p)), bytes.fromhex(digest))


def password_from_file(path: Path) -> str:
    """The password a file holds: its first line, without the line's end. Too short, missing,
    unreadable or not text is a :class:`SettingsError` that names the file (never its content)."""
    try:
        with path.open("rb") as file:
            content = file.read(MAX_PASSWORD_FILE_BYTES + 1)
        text = content.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        raise SettingsError("password_file_unreadable", path=str(path)) from None
    if len(content) > MAX_PASSWORD_FILE_BYTES:
        raise SettingsError("password_file_unreadable", path=str(path))
    lines = text.splitlines()
    return checked_password(lines[0] if lines else "")


__all__ = ["checked_hash", "password_from_file", "password_hash", "password_matches"]
